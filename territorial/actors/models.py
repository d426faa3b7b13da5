"""Organisations and people of a territory."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from extensions import db
from territorial.common.collation import search_text, sort_text
from territorial.common.models import HIDDEN, TerritoryOwned, default_from_row

ORGANISATION_KINDS = {
    "association": _l("Association"),
    "entreprise": _l("Entreprise"),
    "collectivite": _l("Collectivité"),
    "institution": _l("Institution"),
    "centre_social": _l("Centre social"),
    "fondation": _l("Fondation"),
    "habitant_relais": _l("Habitant relais"),
    "commerce": _l("Commerce"),
    "autre": _l("Autre"),
}



class Organisation(TerritoryOwned, db.Model):
    __audit_name__ = _l("Organisation")
    __audit_link__ = ("actors.organisation", {"organisation_id": "id"})
    __table_args__ = (
        Index("ix_organisation_territory_name", "territory_id", "name"),
        Index("ix_organisation_territory_kind", "territory_id", "kind"),
        Index("ix_organisation_territory_commune", "territory_id", "commune"),
        # The pickers' search reads this index alone, in order (territorial.actors.search).
        Index("ix_organisation_territory_sort_name", "territory_id", "sort_name", "search_name",
              "archived_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), info={"label": _l("Nom")})
    kind: Mapped[str] = mapped_column(
        String(30), info={"label": _l("Type d'acteur"), "choices": ORGANISATION_KINDS})
    sector: Mapped[str] = mapped_column(String(120), default="", info={"label": _l("Secteur")})
    address: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Adresse")})
    postal_code: Mapped[str] = mapped_column(
        String(10), default="", info={"label": _l("Code postal")})
    commune: Mapped[str] = mapped_column(String(120), default="", info={"label": _l("Commune")})
    insee_code: Mapped[str] = mapped_column(
        String(5), default="", info={"label": _l("Code INSEE")})  # the commune's, when known
    email: Mapped[str] = mapped_column(String(254), default="", info={"label": _l("Courriel")})
    phone: Mapped[str] = mapped_column(String(40), default="", info={"label": _l("Téléphone")})
    website: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Site web")})
    description: Mapped[str] = mapped_column(default="", info={"label": _l("Description")})
    archived_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Archivé le")})

    # The name as the pickers search it and sort it (``territorial.actors.search``), kept
    # up to date with the name.
    search_name: Mapped[str] = mapped_column(
        String, default=default_from_row(search_text, "name"), info=HIDDEN)
    sort_name: Mapped[str] = mapped_column(
        String, default=default_from_row(sort_text, "name"), info=HIDDEN)

    people: Mapped[list["Person"]] = relationship(back_populates="organisation", lazy="raise")

    @validates("name")
    def _keep_search_keys(self, _key, name):
        self.search_name, self.sort_name = search_text(name), sort_text(name)
        return name

    @property
    def kind_label(self) -> str:
        return str(ORGANISATION_KINDS.get(self.kind, self.kind))


class Person(TerritoryOwned, db.Model):
    """A contact; may belong to an organisation or stand alone (a town-hall secretary…)."""
    __audit_name__ = _l("Personne")
    __audit_link__ = ("actors.person", {"person_id": "id"})

    __table_args__ = (Index("ix_person_territory_last_name", "territory_id", "last_name"),
                      Index("ix_person_territory_sort_name", "territory_id", "sort_name",
                            "search_name", "archived_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(120), default="", info={"label": _l("Prénom")})
    last_name: Mapped[str] = mapped_column(String(120), info={"label": _l("Nom")})
    function: Mapped[str] = mapped_column(String(200), default="", info={"label": _l("Fonction")})
    email: Mapped[str] = mapped_column(String(254), default="", info={"label": _l("Courriel")})
    phone: Mapped[str] = mapped_column(String(40), default="", info={"label": _l("Téléphone")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Organisation")}
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Compte")}
    )
    archived_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Archivé le")})

    # First and last name as the pickers search them, sorted by last name.
    search_name: Mapped[str] = mapped_column(
        String, default=default_from_row(search_text, "first_name", "last_name"), info=HIDDEN)
    sort_name: Mapped[str] = mapped_column(
        String, default=default_from_row(sort_text, "last_name", "first_name"), info=HIDDEN)

    organisation: Mapped[Organisation | None] = relationship(
        back_populates="people", lazy="raise"
    )

    @validates("first_name", "last_name")
    def _keep_search_keys(self, key, value):
        first = value if key == "first_name" else self.first_name
        last = value if key == "last_name" else self.last_name
        self.search_name = search_text(f"{first or ''} {last or ''}")
        self.sort_name = sort_text(f"{last or ''} {first or ''}")
        return value

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def audit_label(self) -> str:
        return self.full_name


class ImportBatch(TerritoryOwned, db.Model):
    """An uploaded table waiting for the user's mapping and confirmation: its header, its
    rows (``{"line": n, "cells": [...]}``) and the choices made so far.

    Kept in the database (not in process memory) so that the preview and the
    confirmation may reach different app processes.
    """

    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    target: Mapped[str] = mapped_column(String(20), default="organisations")
    # What the import fills beyond its target's kind (a working group's id), per the target.
    owner_id: Mapped[int | None]
    header: Mapped[list] = mapped_column(db.JSON, default=list)
    rows: Mapped[list] = mapped_column(db.JSON)
    choices: Mapped[dict] = mapped_column(db.JSON, default=dict)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportMapping(TerritoryOwned, db.Model):
    """The columns' fields and the kinds' values a user confirmed for a file, found again
    for the next file of the territory with the same headers."""

    __audited__ = False
    __table_args__ = (UniqueConstraint("territory_id", "target", "headers_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(20))
    headers_key: Mapped[str] = mapped_column(String(64))
    choices: Mapped[dict] = mapped_column(db.JSON, default=dict)
