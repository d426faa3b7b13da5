"""What a charter's member structures record beside the charter's text: their
interconnaissance sheets (how each works) and their delegations (who delegated what to
whom, the reference group informed)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.models import TerritoryOwned

DELEGATION_SCOPES = {
    "tout": _l("Toute la mission"),
    "partie": _l("Une partie de la mission"),
}


class InterconnaissanceSheet(TerritoryOwned, db.Model):
    """What a member structure tells the others about how it works (« interconnaissance »)."""

    __tablename__ = "interconnaissance_sheet"
    __table_args__ = (UniqueConstraint("charter_id", "organisation_id"),)

    __audit_name__ = _l("Fiche d'interconnaissance")
    __audit_title__ = ("organisation_id",)
    __audit_link__ = ("charters.interconnaissance", {"charter_id": "charter_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")}
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure")}
    )
    organisation_chart: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Organigramme")})
    staff: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Personnel")})
    equipment: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Équipement")})
    rooms: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Locaux")})
    accounting: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Comptabilité")})
    management: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Gestion")})
    training_plan: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Plan de formation")})
    decisions: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Décisions")})
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Mis à jour par")}
    )

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    updated_by = relationship("User", lazy="raise")

    def audit_label(self) -> str:
        return f"fiche d'interconnaissance {self.organisation_id}"


class Delegation(TerritoryOwned, db.Model):
    """Who delegated what to whom, and the reference group informed."""

    __tablename__ = "delegation"
    __table_args__ = (
        CheckConstraint("scope IN ('tout', 'partie')", name="scope"),
        CheckConstraint("delegator_id <> delegate_id", name="not_to_oneself"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
        Index("ix_delegation_charter_starts", "charter_id", "starts_on"),
    )

    __audit_name__ = _l("Délégation")
    __audit_link__ = ("charters.delegations", {"charter_id": "charter_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")}
    )
    delegator_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure qui délègue")}
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure déléguée")})
    subject: Mapped[str] = mapped_column(String(300), info={"label": _l("Objet")})
    scope: Mapped[str] = mapped_column(
        String(10), default="partie",
        info={"label": _l("Périmètre"), "choices": DELEGATION_SCOPES})
    details: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Précisions")})
    criteria: Mapped[list] = mapped_column(db.JSON, default=list, info={"label": _l("Critères")})
    reference_group: Mapped[str] = mapped_column(
        String(300), default="", info={"label": _l("Groupe de référence")})
    informed_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Informé le")})
    starts_on: Mapped[date] = mapped_column(Date, info={"label": _l("Début")})
    ends_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Fin")})
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Enregistré par")}
    )

    delegator: Mapped[Person] = relationship(foreign_keys=[delegator_id], lazy="raise")
    delegate: Mapped[Person] = relationship(foreign_keys=[delegate_id], lazy="raise")

    @property
    def scope_label(self) -> str:
        return str(DELEGATION_SCOPES.get(self.scope, self.scope))

    def audit_label(self) -> str:
        return self.subject
