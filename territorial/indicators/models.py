"""Indicators, their targets per year and their measured values.

An indicator belongs to any owner (``owner_type`` + ``owner_id``): the territorial
layer does not know the owner's model, so there is no foreign key to it; the owner's
capability deletes its indicators with ``operations.delete_for_owner``.
"""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from extensions import db
from territorial.accounts.models import User
from territorial.common.models import TerritoryOwned
from territorial.common.owners import indicator_owners
from territorial.common.versions import Versioned

INDICATOR_KINDS = {
    "quantitative": _l("Quantitatif"),
    "qualitative": _l("Qualitatif"),
}
DIRECTIONS = {
    "increase": _l("À la hausse (plus est mieux)"),
    "decrease": _l("À la baisse (moins est mieux)"),
}

# Amounts and counts: 14 digits, 2 decimals (up to 999 milliards).
Amount = Numeric(14, 2, asdecimal=True)


class Indicator(Versioned, TerritoryOwned, db.Model):
    __audit_name__ = _l("Indicateur")
    __audit_link__ = ("indicators.show", {"indicator_id": "id"})
    __versioned__ = ("title", "description", "kind", "unit", "baseline", "baseline_year",
                     "target_statement", "scale", "direction", "source")
    __table_args__ = (
        Index("ix_indicator_owner", "owner_type", "owner_id"),
        CheckConstraint("kind IN ('quantitative', 'qualitative')", name="kind"),
        CheckConstraint("direction IN ('increase', 'decrease')", name="direction"),
        CheckConstraint("kind <> 'quantitative' OR unit <> ''", name="unit_for_quantitative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(
        String(40), info={"label": _l("Rattaché à (type)"), "hidden": True})
    owner_id: Mapped[int] = mapped_column(info={"label": _l("Rattaché à"), "owners": indicator_owners})
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    kind: Mapped[str] = mapped_column(
        String(20), default="quantitative",
        info={"label": _l("Type d'indicateur"), "choices": INDICATOR_KINDS})
    unit: Mapped[str] = mapped_column(String(60), default="", info={"label": _l("Unité")})
    baseline: Mapped[Decimal | None] = mapped_column(
        Amount, info={"label": _l("Valeur de départ")})
    baseline_year: Mapped[int | None] = mapped_column(info={"label": _l("Année de départ")})
    target_statement: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Cible")})
    scale: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Échelle")})
    direction: Mapped[str] = mapped_column(
        String(10), default="increase", info={"label": _l("Sens"), "choices": DIRECTIONS})
    source: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Source")})
    position: Mapped[int] = mapped_column(default=0)

    targets: Mapped[list["IndicatorTarget"]] = relationship(
        back_populates="indicator", lazy="raise", order_by="IndicatorTarget.year",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="indicator", lazy="raise",
        order_by="(IndicatorValue.year, IndicatorValue.measured_on, IndicatorValue.id)",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def is_quantitative(self) -> bool:
        return self.kind == "quantitative"

    @property
    def kind_label(self) -> str:
        return str(INDICATOR_KINDS.get(self.kind, self.kind))

    def target_for(self, year: int) -> "IndicatorTarget | None":
        """The target of ``year`` (needs ``targets`` loaded)."""
        return next((t for t in self.targets if t.year == year), None)

    def values_for(self, year: int) -> list["IndicatorValue"]:
        return [v for v in self.values if v.year == year]

    def latest_value(self, year: int) -> "IndicatorValue | None":
        """The last measure of ``year`` (validated ones first)."""
        values = self.values_for(year)
        if not values:
            return None
        validated = [v for v in values if v.validated_at is not None]
        return (validated or values)[-1]

    def years(self) -> list[int]:
        """Every year that has a target or a value, in order."""
        return sorted({t.year for t in self.targets} | {v.year for v in self.values})


class IndicatorTarget(Versioned, TerritoryOwned, db.Model):
    __audit_name__ = _l("Cible d'un indicateur")
    __audit_link__ = ("indicators.show", {"indicator_id": "indicator_id"})
    __versioned__ = ("value", "statement")
    __table_args__ = (UniqueConstraint("indicator_id", "year", name="uq_indicator_target_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Indicateur")}
    )
    year: Mapped[int] = mapped_column(info={"label": _l("Année")})
    value: Mapped[Decimal | None] = mapped_column(Amount, info={"label": _l("Valeur")})
    statement: Mapped[str | None] = mapped_column(Text, info={"label": _l("Énoncé")})

    indicator: Mapped[Indicator] = relationship(back_populates="targets", lazy="raise")

    def audit_label(self) -> str:
        return f"Cible {self.year}"


class IndicatorValue(Versioned, TerritoryOwned, db.Model):
    """A measure of an indicator for a year (several measures a year are allowed)."""
    __audit_name__ = _l("Mesure d'un indicateur")
    __audit_link__ = ("indicators.show", {"indicator_id": "indicator_id"})

    __versioned__ = ("value", "text_value", "measured_on", "source", "comment", "validated_at")

    __table_args__ = (Index("ix_indicator_value_indicator_year", "indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Indicateur")}
    )
    year: Mapped[int] = mapped_column(info={"label": _l("Année")})
    measured_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Mesurée le")})
    value: Mapped[Decimal | None] = mapped_column(Amount, info={"label": _l("Valeur")})
    text_value: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Valeur (texte)")})
    source: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Source")})
    comment: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Commentaire")})
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Saisie par")}
    )
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Validée par")}
    )
    validated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Validée le")})

    indicator: Mapped[Indicator] = relationship(back_populates="values", lazy="raise")
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id], lazy="raise")
    validated_by: Mapped[User | None] = relationship(foreign_keys=[validated_by_id], lazy="raise")

    def audit_label(self) -> str:
        return f"Mesure {self.year}"


@event.listens_for(Session, "before_flush")
def _fill_territory(session: Session, flush_context, instances) -> None:
    """Targets and values take their indicator's territory when it is not given."""
    for obj in session.new:
        if isinstance(obj, (IndicatorTarget, IndicatorValue)) and obj.territory_id is None:
            indicator = obj.__dict__.get("indicator") or session.get(Indicator, obj.indicator_id)
            if indicator is not None:
                obj.territory_id = indicator.territory_id
