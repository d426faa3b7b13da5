"""One row per created, changed or deleted domain object."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.accounts.models import User
from territorial.common.models import utcnow

AUDIT_ACTIONS = {"create": _l("Création"), "update": _l("Modification"), "delete": _l("Suppression")}


class AuditEntry(db.Model):
    __table_args__ = (
        Index("ix_audit_entry_territory_created", "territory_id", "created_at"),
        Index("ix_audit_entry_object", "territory_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int | None]
    label: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict] = mapped_column(db.JSON, default=dict)

    user: Mapped[User | None] = relationship(lazy="raise")

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTIONS.get(self.action, self.action))
