"""The territory, root of every object's ownership."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.common.models import Timestamped

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

    parent: Mapped["Territory | None"] = relationship(remote_side=[id], lazy="raise")

    @property
    def territory_id(self) -> int:
        return self.id

    @property
    def level_label(self) -> str:
        return str(TERRITORY_LEVELS.get(self.level, self.level))

    def audit_label(self) -> str:
        return self.name
