"""A partnership project of a territory."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from territorial.common.models import TerritoryOwned

OWNER_TYPE = "project"  # the owner_type of the project's frise and RACI grid


class Project(TerritoryOwned, db.Model):
    __audit_name__ = _l("Projet")
    __audit_link__ = ("projects.show", {"project_id": "id"})
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
                        name="span"),
        Index("ix_project_territory_title", "territory_id", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    why: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Pourquoi")})  # le « pourquoi » agreed with partners
    objectives: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Objectifs")})  # one per line
    starts_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Début")})
    ends_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Fin")})
    archived_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Archivé le")})

    @property
    def objective_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.objectives.splitlines() if line.strip(" -•\t")]
