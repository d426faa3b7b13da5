"""Conventions, their funders, amounts, documents, members, priorities, objectives and
the notes of their yearly dialogue.

Indicators of an objective are ``territorial.indicators.models.Indicator`` rows with
``owner_type = "convention_objective"`` and ``owner_id = objective.id``.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from territorial.common.dates import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import territorial.charters.models  # noqa: F401  (the ``charter`` table of charter_id)
from extensions import db
from territorial.accounts.models import User
from territorial.actors.models import Organisation
from territorial.common.models import TerritoryOwned
from territorial.common.versions import Versioned

OWNER_TYPE = "convention_objective"

STATUSES = {
    "preparation": _l("En préparation"),
    "signee": _l("Signée"),
    "en_cours": _l("En cours"),
    "echue": _l("Échue"),
    "renouvelee": _l("Renouvelée"),
}
STATUS_TONES = {
    "preparation": "neutral",
    "signee": "info",
    "en_cours": "success",
    "echue": "muted",
    "renouvelee": "info",
}
DOCUMENT_KINDS = {
    "convention": _l("Convention signée"),
    "avenant": _l("Avenant"),
    "bilan": _l("Bilan annuel"),
    "compte_rendu": _l("Compte rendu de revue"),
    "annexe": _l("Annexe (tableau de bord…)"),
    "autre": _l("Autre"),
}
PARTIES = {
    "authority": _l("Collectivité"),
    "association": _l("Association"),
}

Money = Numeric(14, 2, asdecimal=True)


def _sql_in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


class ConventionTerms:
    """What a convention's period and status say: for the model, and for the light rows
    the portfolio lists (``operations.ListedConvention``). Needs ``start_year``,
    ``end_year`` and ``status``."""

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def period_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "neutral")

    def in_period(self, year: int | None) -> bool:
        return year is not None and self.start_year <= int(year) <= self.end_year


class Convention(ConventionTerms, TerritoryOwned, db.Model):
    """A multi-year convention between an authority and an association."""
    __audit_name__ = _l("Convention")
    __audit_link__ = ("conventions.show", {"convention_id": "id"})

    __table_args__ = (
        CheckConstraint("end_year >= start_year", name="period_in_order"),
        CheckConstraint("start_year BETWEEN 1900 AND 2200", name="start_year_range"),
        CheckConstraint(f"status IN ({_sql_in(STATUSES)})", name="status"),
        UniqueConstraint("territory_id", "reference", name="uq_convention_reference"),
        Index("ix_convention_territory_status", "territory_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), info={"label": _l("Référence")})
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    authority_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True,
        info={"label": _l("Collectivité")}
    )
    association_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True,
        info={"label": _l("Association")}
    )
    start_year: Mapped[int] = mapped_column(info={"label": _l("Première année")})
    end_year: Mapped[int] = mapped_column(info={"label": _l("Dernière année")})
    charter_id: Mapped[int | None] = mapped_column(
        ForeignKey("charter.id", ondelete="SET NULL"), index=True, info={"label": _l("Charte")}
    )
    status: Mapped[str] = mapped_column(
        String(20), default="preparation", info={"label": _l("Statut"), "choices": STATUSES})
    signed_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Signée le")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})

    authority: Mapped[Organisation] = relationship(foreign_keys=[authority_id], lazy="raise")
    association: Mapped[Organisation] = relationship(foreign_keys=[association_id], lazy="raise")
    charter = relationship("Charter", lazy="raise")
    funders: Mapped[list[ConventionFunder]] = relationship(
        back_populates="convention", lazy="raise", order_by="ConventionFunder.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    amounts: Mapped[list[ConventionAmount]] = relationship(
        back_populates="convention", lazy="raise",
        order_by="(ConventionAmount.year, ConventionAmount.id)",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    documents: Mapped[list[ConventionDocument]] = relationship(
        back_populates="convention", lazy="raise",
        order_by="(ConventionDocument.document_date, ConventionDocument.id)",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    objectives: Mapped[list[ConventionObjective]] = relationship(
        back_populates="convention", lazy="raise",
        order_by="(ConventionObjective.position, ConventionObjective.id)",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    members: Mapped[list[ConventionMember]] = relationship(
        back_populates="convention", lazy="raise", order_by="ConventionMember.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    def audit_label(self) -> str:
        return f"{self.reference} – {self.title}"


class ConventionFunder(TerritoryOwned, db.Model):
    """A co-funder of a convention besides its authority (département, État, fondation…)."""
    __audit_name__ = _l("Cofinanceur d'une convention")
    __audit_title__ = ("organisation_id",)
    __audit_link__ = ("conventions.details", {"convention_id": "convention_id"})

    __table_args__ = (
        UniqueConstraint("convention_id", "organisation_id", name="uq_convention_funder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("convention.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Convention")}
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True,
        info={"label": _l("Structure")}
    )

    convention: Mapped[Convention] = relationship(back_populates="funders", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")

    def audit_label(self) -> str:
        return f"Cofinanceur {self.organisation_id}"


class ConventionAmount(TerritoryOwned, db.Model):
    """The amount granted for one year by one funder (the authority or a co-funder)."""
    __audit_name__ = _l("Montant d'une convention")
    __audit_link__ = ("conventions.details", {"convention_id": "convention_id"})

    __table_args__ = (
        UniqueConstraint("convention_id", "year", "funder_id", name="uq_convention_amount"),
        CheckConstraint("amount >= 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("convention.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Convention")}
    )
    year: Mapped[int] = mapped_column(info={"label": _l("Année")})
    amount: Mapped[Decimal] = mapped_column(Money, info={"label": _l("Montant"), "euros": True})
    funder_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True,
        info={"label": _l("Financeur")}
    )

    convention: Mapped[Convention] = relationship(back_populates="amounts", lazy="raise")
    funder: Mapped[Organisation] = relationship(lazy="raise")

    def audit_label(self) -> str:
        return f"Montant {self.year}"


class ConventionDocument(TerritoryOwned, db.Model):
    """What is known of a document (no file is stored): title, date, kind, reference."""
    __audit_name__ = _l("Document d'une convention")
    __audit_link__ = ("conventions.details", {"convention_id": "convention_id"})

    __table_args__ = (CheckConstraint(f"kind IN ({_sql_in(DOCUMENT_KINDS)})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("convention.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Convention")}
    )
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    document_date: Mapped[date | None] = mapped_column(
        Date, info={"label": _l("Date du document")})
    kind: Mapped[str] = mapped_column(
        String(20), default="autre",
        info={"label": _l("Type de document"), "choices": DOCUMENT_KINDS})
    reference: Mapped[str] = mapped_column(
        String(120), default="", info={"label": _l("Référence")})

    convention: Mapped[Convention] = relationship(back_populates="documents", lazy="raise")

    @property
    def kind_label(self) -> str:
        return str(DOCUMENT_KINDS.get(self.kind, self.kind))


class ConventionMember(TerritoryOwned, db.Model):
    """An account of the association that may reach this convention (role « partner »)."""
    __audit_name__ = _l("Accès à une convention")
    __audit_title__ = ("user_id", "convention_id")
    __audit_link__ = ("conventions.details", {"convention_id": "convention_id"})

    __table_args__ = (UniqueConstraint("convention_id", "user_id", name="uq_convention_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("convention.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Convention")}
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True, info={"label": _l("Compte")})

    convention: Mapped[Convention] = relationship(back_populates="members", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    def audit_label(self) -> str:
        return f"Accès {self.user_id} → convention {self.convention_id}"


class Priority(TerritoryOwned, db.Model):
    """A priority of an authority (« Développer l'emploi et l'insertion »), reused by
    every convention it signs."""
    __audit_name__ = _l("Priorité")
    __audit_link__ = ("conventions.priorities", {})

    __table_args__ = (Index("ix_priority_authority_position", "authority_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Collectivité")}
    )
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    position: Mapped[int] = mapped_column(default=0)

    authority: Mapped[Organisation] = relationship(lazy="raise")


class ConventionObjective(TerritoryOwned, db.Model):
    """An objective of the partnership, serving one of the authority's priorities."""
    __audit_name__ = _l("Objectif d'une convention")
    __audit_link__ = ("conventions.details", {"convention_id": "convention_id"})

    __table_args__ = (Index("ix_convention_objective_position", "convention_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("convention.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Convention")}
    )
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("priority.id", ondelete="RESTRICT"), index=True, info={"label": _l("Priorité")}
    )
    title: Mapped[str] = mapped_column(String(300), info={"label": _l("Titre")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    position: Mapped[int] = mapped_column(default=0)

    convention: Mapped[Convention] = relationship(back_populates="objectives", lazy="raise")
    priority: Mapped[Priority] = relationship(lazy="raise")


class DialogueNote(Versioned, TerritoryOwned, db.Model):
    """What one party said about one indicator during one year's dialogue."""
    __audit_name__ = _l("Note de dialogue de gestion")
    __audit_link__ = ("conventions.dialogue", {"convention_id": "convention_id"})

    __versioned__ = ("party", "text")

    __table_args__ = (
        CheckConstraint(f"party IN ({_sql_in(PARTIES)})", name="party"),
        Index("ix_dialogue_note_convention_year", "convention_id", "year"),
        Index("ix_dialogue_note_indicator_year", "indicator_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("convention.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Convention")}
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Indicateur")}
    )
    year: Mapped[int] = mapped_column(info={"label": _l("Année")})
    party: Mapped[str] = mapped_column(
        String(20), info={"label": _l("Partie"), "choices": PARTIES})
    text: Mapped[str] = mapped_column(Text, info={"label": _l("Texte")})
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Auteur")}
    )

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="raise")

    @property
    def party_label(self) -> str:
        return str(PARTIES.get(self.party, self.party))

    @property
    def author_name(self) -> str:
        """Who wrote the note (the author loaded), which is not always who speaks."""
        return self.author.display_name if self.author else str(_l("auteur inconnu"))

    @property
    def signature(self) -> str:
        """« au nom de : Association ; écrit par Camille Durand le 3 mars 2027 »: on whose
        behalf and who wrote it, the two said apart (page and documents)."""
        return str(_l("au nom de : %(party)s ; écrit par %(author)s le %(day)s",
                      party=self.party_label, author=self.author_name,
                      day=format_date(self.created_at, "d MMMM y")))

    def audit_label(self) -> str:
        return f"Note {self.year}"
