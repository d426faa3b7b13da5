"""Partner timelines (frise), their levels, entries, contacts, snapshots and the pas de côté."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.models import TerritoryOwned
from territorial.common.versions import Versioned

# Stored as data (editable per frise), hence plain French and not translated labels.
DEFAULT_LEVELS = ("Co-porteur", "Allié", "Information")

TERMS = {
    "court": _l("Court terme"),
    "moyen": _l("Moyen terme"),
    "long": _l("Long terme"),
}
TERM_ORDER = ("court", "moyen", "long")

CONTACT_KINDS = {
    "invited": _l("Invité"),
    "met": _l("Rencontré"),
    "conseil_municipal": _l("Projet présenté en conseil municipal"),
    "field_visit": _l("Visite de terrain des financeurs"),
    "other": _l("Autre échange"),
}

NOTE_KINDS = {"frein": _l("Frein"), "levier": _l("Levier")}
NOTE_CATEGORIES = {
    "financier": _l("Financier"),
    "espace_public": _l("Présence dans l'espace public"),
    "concurrence": _l("Concurrence"),
    "legitimite": _l("Légitimité"),
    "autre": _l("Autre"),
}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class PartnerTimeline(TerritoryOwned, db.Model):
    __audit_name__ = _l("Frise des partenaires")
    __audit_link__ = ("timelines.show", {"timeline_id": "id"})
    __table_args__ = (
        Index("ix_partner_timeline_owner", "owner_type", "owner_id"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
                        name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    owner_type: Mapped[str] = mapped_column(String(40), info={"label": _l("Rattaché à (type)")})
    owner_id: Mapped[int] = mapped_column(info={"label": _l("Rattaché à")})
    # The span in which dated entries must fall (the owner's dates).
    starts_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Début")})
    ends_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Fin")})

    levels: Mapped[list["TimelineLevel"]] = relationship(
        lazy="raise", order_by="(TimelineLevel.position, TimelineLevel.id)",
        cascade="all, delete-orphan", passive_deletes=True)
    entries: Mapped[list["TimelineEntry"]] = relationship(
        lazy="raise", order_by="(TimelineEntry.position, TimelineEntry.id)",
        cascade="all, delete-orphan", passive_deletes=True)


class TimelineLevel(TerritoryOwned, db.Model):
    """A lane of the frise: co-porteur, allié, information… (configurable)."""
    __audit_name__ = _l("Niveau de la frise")
    __audit_link__ = ("timelines.show", {"timeline_id": "timeline_id"})

    __table_args__ = (Index("ix_timeline_level_timeline_position", "timeline_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    timeline_id: Mapped[int] = mapped_column(
        ForeignKey("partner_timeline.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Frise")})
    label: Mapped[str] = mapped_column(String(80), info={"label": _l("Libellé")})
    position: Mapped[int] = mapped_column(default=0)

    def audit_label(self) -> str:
        return self.label


class TimelineEntry(Versioned, TerritoryOwned, db.Model):
    """A partner (an organisation or a person) placed in a lane at a term or a date."""
    __audit_name__ = _l("Partenaire sur la frise")
    __audit_title__ = ("organisation_id", "person_id")
    __audit_link__ = ("timelines.show", {"timeline_id": "timeline_id"})

    __versioned__ = ("level_id", "term", "on_date", "notes")

    __table_args__ = (
        UniqueConstraint("timeline_id", "organisation_id",
                         name="uq_timeline_entry_timeline_organisation"),
        UniqueConstraint("timeline_id", "person_id", name="uq_timeline_entry_timeline_person"),
        CheckConstraint(
            "(organisation_id IS NULL AND person_id IS NOT NULL) OR "
            "(organisation_id IS NOT NULL AND person_id IS NULL)", name="one_partner"),
        CheckConstraint("(term IS NULL AND on_date IS NOT NULL) OR "
                        "(term IS NOT NULL AND on_date IS NULL)", name="term_or_date"),
        CheckConstraint(_in("term", TERM_ORDER), name="term"),
        Index("ix_timeline_entry_territory_term", "territory_id", "term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    timeline_id: Mapped[int] = mapped_column(
        ForeignKey("partner_timeline.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Frise")})
    level_id: Mapped[int] = mapped_column(
        ForeignKey("timeline_level.id", ondelete="RESTRICT"), index=True,
        info={"label": _l("Niveau de la frise")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure")})
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, info={"label": _l("Personne")})
    term: Mapped[str | None] = mapped_column(
        String(10), info={"label": _l("Horizon"), "choices": TERMS})
    on_date: Mapped[date | None] = mapped_column(Date, info={"label": _l("Date")})
    notes: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Notes")})
    position: Mapped[int] = mapped_column(default=0)

    level: Mapped[TimelineLevel] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    person: Mapped[Person | None] = relationship(lazy="raise")
    contacts: Mapped[list["ContactEvent"]] = relationship(
        lazy="raise", order_by="(ContactEvent.on_date, ContactEvent.id)",
        cascade="all, delete-orphan", passive_deletes=True)
    step_aside_notes: Mapped[list["StepAsideNote"]] = relationship(
        back_populates="entry", lazy="raise", order_by="(StepAsideNote.kind, StepAsideNote.id)",
        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def partner_key(self) -> str:
        """Stable identity of the partner across snapshots."""
        if self.organisation_id:
            return f"organisation:{self.organisation_id}"
        return f"person:{self.person_id}"

    @property
    def name(self) -> str:
        """Needs ``organisation`` and ``person`` (with its organisation) loaded."""
        if self.organisation is not None:
            return self.organisation.name
        person = self.person
        label = person.full_name
        if person.function:
            label += f" ({person.function})"
        return label

    @property
    def kind(self) -> str:
        """The kind of organisation, for colours; a person alone is « personne »."""
        if self.organisation is not None:
            return self.organisation.kind
        if self.person.organisation is not None:
            return self.person.organisation.kind
        return "personne"

    def audit_label(self) -> str:
        """The partner's name when it is at hand (never a lazy load inside a flush)."""
        loaded = self.__dict__
        if loaded.get("organisation") is not None:
            return loaded["organisation"].name
        if loaded.get("person") is not None:
            return loaded["person"].full_name
        return f"Frise {self.timeline_id} : {self.partner_key}"


class ContactEvent(TerritoryOwned, db.Model):
    """When a partner was invited, met, presented to (conseil municipal), visited…"""
    __audit_name__ = _l("Contact avec un partenaire")
    __audit_link__ = ("timelines.show", {"timeline_id": "entry_id.timeline_id"})

    __table_args__ = (CheckConstraint(_in("kind", CONTACT_KINDS), name="kind"),
                      Index("ix_contact_event_entry_kind", "entry_id", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("timeline_entry.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Ligne de la frise")})
    kind: Mapped[str] = mapped_column(
        String(30), info={"label": _l("Type de contact"), "choices": CONTACT_KINDS})
    on_date: Mapped[date] = mapped_column(Date, info={"label": _l("Date")})
    note: Mapped[str] = mapped_column(String(500), default="", info={"label": _l("Note")})

    @property
    def kind_label(self) -> str:
        return str(CONTACT_KINDS.get(self.kind, self.kind))

    def audit_label(self) -> str:
        return f"{self.kind_label} ({self.on_date.isoformat()})"


class TimelineSnapshot(TerritoryOwned, db.Model):
    """The frise as it was on a day (taken at a review), to compare over time."""
    __audit_name__ = _l("Photo de la frise")
    __audit_link__ = ("timelines.show", {"timeline_id": "timeline_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    timeline_id: Mapped[int] = mapped_column(
        ForeignKey("partner_timeline.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Frise")})
    label: Mapped[str] = mapped_column(String(200), info={"label": _l("Libellé")})
    taken_on: Mapped[date] = mapped_column(Date, info={"label": _l("Prise le")})
    # {"levels": [label…], "entries": [{key, name, kind, level, level_position, term, date}]}
    data: Mapped[dict] = mapped_column(db.JSON, info={"hidden": True})

    def audit_label(self) -> str:
        return self.label


class StepAsideNote(Versioned, TerritoryOwned, db.Model):
    """Pas de côté: a frein or a levier of the project from one actor's point of view."""
    __audit_name__ = _l("Note de pas de côté")
    __audit_link__ = ("timelines.step_aside", {"timeline_id": "entry_id.timeline_id"})

    __versioned__ = ("kind", "category", "text", "answer")

    __table_args__ = (
        CheckConstraint(_in("kind", NOTE_KINDS), name="kind"),
        CheckConstraint(_in("category", NOTE_CATEGORIES), name="category"),
        Index("ix_step_aside_note_territory_kind", "territory_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("timeline_entry.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Ligne de la frise")})
    kind: Mapped[str] = mapped_column(
        String(10), info={"label": _l("Frein ou levier"), "choices": NOTE_KINDS})
    category: Mapped[str] = mapped_column(
        String(20), info={"label": _l("Catégorie"), "choices": NOTE_CATEGORIES})
    text: Mapped[str] = mapped_column(Text, info={"label": _l("Texte")})
    answer: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Réponse")})  # planned answer to a frein
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Auteur")})
    author_name: Mapped[str] = mapped_column(
        String(200), default="", info={"label": _l("Nom de l'auteur")})

    entry: Mapped[TimelineEntry] = relationship(back_populates="step_aside_notes", lazy="raise")

    @property
    def kind_label(self) -> str:
        return str(NOTE_KINDS[self.kind])

    @property
    def category_label(self) -> str:
        return str(NOTE_CATEGORIES.get(self.category, self.category))

    def audit_label(self) -> str:
        return f"{self.kind_label} : {self.text[:80]}"
