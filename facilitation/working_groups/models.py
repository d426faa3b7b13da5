"""Working groups (GT) of an experiment, or standing groups of a partnership."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import facilitation.experiments.models  # noqa: F401  (Experiment, Theme for the relationships)
from extensions import db
from territorial.common.models import TerritoryOwned


class WorkingGroup(TerritoryOwned, db.Model):
    __audit_name__ = _l("Groupe de travail")
    __audit_link__ = ("working_groups.detail", {"working_group_id": "id"})
    __tablename__ = "working_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    experiment_id: Mapped[int | None] = mapped_column(
        ForeignKey("experiment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expérimentation")}
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="SET NULL"), index=True, info={"label": _l("Thème")}
    )
    facilitator_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Animateur ou animatrice")}
    )
    description: Mapped[str] = mapped_column(default="", info={"label": _l("Description")})
    archived_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), index=True, info={"label": _l("Archivé le")})

    experiment = relationship("Experiment", lazy="raise")
    theme = relationship("Theme", lazy="raise")
    facilitator = relationship("Person", lazy="raise")
    members: Mapped[list[WorkingGroupMember]] = relationship(
        back_populates="working_group", lazy="raise",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class WorkingGroupMember(TerritoryOwned, db.Model):
    __audit_name__ = _l("Membre d'un groupe de travail")
    __audit_title__ = ("person_id", "working_group_id")
    __audit_link__ = ("working_groups.detail", {"working_group_id": "working_group_id"})
    __tablename__ = "working_group_member"
    __table_args__ = (
        UniqueConstraint("working_group_id", "person_id", name="uq_working_group_member_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Groupe de travail")}
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, info={"label": _l("Personne")})

    working_group: Mapped[WorkingGroup] = relationship(back_populates="members", lazy="raise")
    person = relationship("Person", lazy="raise")

    def audit_label(self) -> str:
        return f"Membre {self.person_id} du groupe {self.working_group_id}"
