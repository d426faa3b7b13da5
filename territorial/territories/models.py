"""The territory, root of every object's ownership."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from extensions import db
from territorial.common.collation import sort_text
from territorial.common.models import HIDDEN, Timestamped, default_from_row

TERRITORY_LEVELS = {
    "quartier": _l("Quartier"),
    "commune": _l("Commune"),
    "intercommunalite": _l("Intercommunalité"),
    "departement": _l("Département"),
    "region": _l("Région"),
}


class Territory(Timestamped, db.Model):
    __audit_name__ = _l("Territoire")
    __audit_link__ = ("territory.home", {})
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(
        String(80), unique=True, info={"label": _l("Adresse courte")})
    name: Mapped[str] = mapped_column(String(200), info={"label": _l("Nom")})
    level: Mapped[str] = mapped_column(
        String(30), info={"label": _l("Échelon"), "choices": TERRITORY_LEVELS})
    description: Mapped[str] = mapped_column(default="", info={"label": _l("Description")})
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("territory.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Territoire parent")}
    )
    archived_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Archivé le")})

    # The name as sorted (``sort_text``): lists and the parent picker read their order from
    # its index instead of comparing every name with the French collation.
    sort_name: Mapped[str] = mapped_column(
        String, default=default_from_row(sort_text, "name"), index=True, info=HIDDEN)

    parent: Mapped["Territory | None"] = relationship(remote_side=[id], lazy="raise")

    @validates("name")
    def _keep_sort_name(self, _key, name):
        self.sort_name = sort_text(name)
        return name

    @property
    def territory_id(self) -> int:
        return self.id

    @property
    def level_label(self) -> str:
        return str(TERRITORY_LEVELS.get(self.level, self.level))

    def audit_label(self) -> str:
        return self.name
