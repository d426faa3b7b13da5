"""Mixins shared by the domain models."""
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


HIDDEN = {"hidden": True}  # a column's info: kept by the code, not shown (search keys)


def default_from_row(compute, *names):
    """A column default computed from the row's other values: rows inserted without the
    ORM (a bulk insert) get their search keys too."""
    def default(context):
        values = context.get_current_parameters()
        return compute(" ".join(values.get(name) or "" for name in names))
    return default


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class TerritoryOwned(Timestamped):
    """A domain object that belongs to exactly one territory and is audited.

    The access policy (``territorial.access``) filters every lookup on ``territory_id``.
    """

    __audited__ = True

    @declared_attr
    def territory_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("territory.id", ondelete="CASCADE"), index=True)

    def audit_label(self) -> str:
        return str(getattr(self, "name", None) or getattr(self, "title", None) or self.id)
