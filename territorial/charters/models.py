"""A partnership's charter, instantiated from a YAML template and edited afterwards.

The charter's text (instances, composition, decision matrix, lifecycle, arbitration…) is the
``content`` JSON, a copy of the template edited section by section; each change is a
``CharterVersion`` (who, when, which section) and adopting a version is an explicit act. Only the
adopted version governs: ``adopted_content`` is the copy of the version in force, which the
lifecycle, the decisions and the instances follow (``governing``); edits wait for their adoption.

Standing instances (plénière, copil, Codir…) and per-project instances (a working group,
a chef de projet) are ``CharterInstance`` rows, one per instance key of the content, so that
meetings (sessions with body_type "charter_instance") and members can point to them. Members
of a per-project instance carry the joint project's id (``joint_project_id``: a generic link,
the joint project living in the facilitation layer).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.models import TerritoryOwned

class Charter(TerritoryOwned, db.Model):
    """The editable charter data (``content``) of one partnership, with its version number."""

    __tablename__ = "charter"
    __table_args__ = (
        CheckConstraint("current_version >= 1", name="version_positive"),
        CheckConstraint(
            "adopted_version IS NULL OR adopted_version <= current_version",
            name="adopted_version_exists",
        ),
        Index("ix_charter_territory_template", "territory_id", "template_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_key: Mapped[str] = mapped_column(String(60), info={"label": _l("Modèle")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    adopted_at: Mapped[date | None] = mapped_column(
        Date, info={"label": _l("En vigueur depuis le")})
    adopted_version: Mapped[int | None] = mapped_column(info={"label": _l("Version en vigueur")})
    current_version: Mapped[int] = mapped_column(default=1, info={"label": _l("Version actuelle")})
    content: Mapped[dict] = mapped_column(db.JSON, default=dict, info={"label": _l("Texte")})
    # The content of the adopted version (None until a first adoption).
    adopted_content: Mapped[dict | None] = mapped_column(
        db.JSON(none_as_null=True), info={"label": _l("Texte en vigueur")})
    # A version adopted with a date still to come: in force from ``scheduled_on`` (the version
    # in force until then stays ``adopted_*``). A later adoption replaces it.
    scheduled_version: Mapped[int | None] = mapped_column(
        info={"label": _l("Version adoptée, en vigueur à une date à venir")})
    scheduled_on: Mapped[date | None] = mapped_column(
        Date, info={"label": _l("Date d'entrée en vigueur à venir")})
    scheduled_content: Mapped[dict | None] = mapped_column(
        db.JSON(none_as_null=True), info={"label": _l("Texte en vigueur à une date à venir")})

    members: Mapped[list[CharterMember]] = relationship(
        back_populates="charter", lazy="raise", order_by="CharterMember.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    instances: Mapped[list[CharterInstance]] = relationship(
        back_populates="charter", lazy="raise", order_by="CharterInstance.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    __audit_name__ = _l("Charte")
    __audit_link__ = ("charters.charter", {"charter_id": "id"})

    def _scheduled_in_force(self, today: date | None = None) -> bool:
        return self.scheduled_on is not None and self.scheduled_on <= (today or date.today())

    @property
    def in_force_version(self) -> int | None:
        """The number of the version in force today (None before any adoption comes into force)."""
        return self.scheduled_version if self._scheduled_in_force() else self.adopted_version

    @property
    def in_force_since(self) -> date | None:
        return self.scheduled_on if self._scheduled_in_force() else self.adopted_at

    @property
    def latest_adopted_version(self) -> int | None:
        """The newest adopted version, in force or adopted for a date to come."""
        numbers = [n for n in (self.adopted_version, self.scheduled_version) if n is not None]
        return max(numbers) if numbers else None

    @property
    def is_adopted(self) -> bool:
        """Is the current version adopted (in force, or from a date to come)?"""
        return self.latest_adopted_version == self.current_version

    @property
    def awaits_entry_into_force(self) -> bool:
        """Is a version adopted with a date still to come?"""
        return self.scheduled_on is not None and not self._scheduled_in_force()

    @property
    def in_force(self) -> bool:
        """Is a version in force, so that joint projects and decisions may refer to it?"""
        return self.in_force_version is not None

    @property
    def governing(self) -> dict[str, Any]:
        """The rules that apply today: the version in force; before any adoption comes into
        force, the text being prepared (shown, but no act refers to it)."""
        if self._scheduled_in_force():
            return self.scheduled_content
        return self.adopted_content if self.adopted_content is not None else self.content

    @property
    def has_draft(self) -> bool:
        """Is there a version newer than the adopted ones, still to be adopted?"""
        latest = self.latest_adopted_version
        return latest is not None and latest < self.current_version


class CharterVersion(TerritoryOwned, db.Model):
    """A state of the charter's content: who changed which section, and its adoption."""

    __tablename__ = "charter_version"
    __table_args__ = (
        UniqueConstraint("charter_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")}
    )
    number: Mapped[int] = mapped_column(info={"label": _l("Numéro")})
    content: Mapped[dict] = mapped_column(db.JSON, default=dict, info={"label": _l("Texte")})
    section: Mapped[str | None] = mapped_column(String(60), info={"label": _l("Partie modifiée")})
    summary: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Ce qui change")})
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    adopted_on: Mapped[date | None] = mapped_column(
        Date, info={"label": _l("Adoptée le (en vigueur à partir de cette date)")})
    adopted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Adoption enregistrée par")},
    )
    adoption_note: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Circonstances de l'adoption")})
    # Who adopted it, in words (« Accord des trois maisons : … »), as the charter named them.
    adopting_instance: Mapped[str] = mapped_column(
        String(500), default="", info={"label": _l("Adoptée par")})

    changed_by = relationship("User", foreign_keys=[changed_by_id], lazy="raise")
    adopted_by = relationship("User", foreign_keys=[adopted_by_id], lazy="raise")
    agreements: Mapped[list[CharterAgreement]] = relationship(
        back_populates="version", lazy="raise", order_by="CharterAgreement.agreed_on",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    __audit_name__ = _l("Version de la charte")
    __audit_link__ = ("charters.version", {"charter_id": "charter_id", "version_number": "number"})

    def audit_label(self) -> str:
        return f"version {self.number}"


class CharterAgreement(TerritoryOwned, db.Model):
    """The agreement of one party the charter names to a version (« l'accord des trois
    maisons »: each member structure, by one of its own bodies; or an instance of the charter).
    A version is adopted when every party has agreed, on the date of the last agreement."""

    __tablename__ = "charter_agreement"
    __table_args__ = (
        UniqueConstraint("version_id", "organisation_id",
                         name="uq_charter_agreement_version_organisation"),
        UniqueConstraint("version_id", "instance_key",
                         name="uq_charter_agreement_version_instance"),
        CheckConstraint("(organisation_id IS NULL) <> (instance_key IS NULL)", name="one_party"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")})
    version_id: Mapped[int] = mapped_column(
        ForeignKey("charter_version.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Version")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure membre")})
    instance_key: Mapped[str | None] = mapped_column(String(60), info={"label": _l("Instance")})
    agreed_on: Mapped[date] = mapped_column(Date, info={"label": _l("Date de l'accord")})
    body: Mapped[str] = mapped_column(
        String(200), default="", info={"label": _l("Instance qui a donné l'accord")})
    note: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Circonstances")})
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Enregistré par")})
    on_behalf: Mapped[bool] = mapped_column(
        Boolean, default=False, info={"label": _l("Enregistré pour son compte par la coordination")})

    version: Mapped[CharterVersion] = relationship(back_populates="agreements", lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    recorded_by = relationship("User", lazy="raise")

    __audit_name__ = _l("Accord sur une version de la charte")
    __audit_link__ = ("charters.versions", {"charter_id": "charter_id"})

    def audit_label(self) -> str:
        return getattr(self, "_audit_text", "") or f"accord {self.id}"


class CharterMember(TerritoryOwned, db.Model):
    """A member structure of the partnership (an organisation of the territory)."""

    __tablename__ = "charter_member"
    __table_args__ = (UniqueConstraint("charter_id", "organisation_id"),)

    __audit_name__ = _l("Structure membre du partenariat")
    __audit_title__ = ("organisation_id",)
    __audit_link__ = ("charters.charter", {"charter_id": "charter_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")}
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure")}
    )
    signatory_key: Mapped[str | None] = mapped_column(String(60), info={"label": _l("Signataire")})
    joined_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Membre depuis le")})
    position: Mapped[int] = mapped_column(default=0)

    charter: Mapped[Charter] = relationship(back_populates="members", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")

    def audit_label(self) -> str:
        return f"structure membre {self.organisation_id}"


class CharterInstance(TerritoryOwned, db.Model):
    """One instance of the charter (its rules stay in the charter's content, by ``key``)."""

    __tablename__ = "charter_instance"
    __table_args__ = (UniqueConstraint("charter_id", "key"),)

    __audit_name__ = _l("Instance de la charte")
    __audit_link__ = ("decisions.instance", {"charter_instance_id": "id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charter.id", ondelete="CASCADE"), index=True, info={"label": _l("Charte")}
    )
    key: Mapped[str] = mapped_column(String(60), info={"hidden": True})
    name: Mapped[str] = mapped_column(String(200), info={"label": _l("Nom")})
    position: Mapped[int] = mapped_column(default=0)
    per_project: Mapped[bool] = mapped_column(
        Boolean, default=False, info={"label": _l("Une par projet")})
    # An instance removed from the charter's content keeps its history but is no longer shown.
    retired: Mapped[bool] = mapped_column(Boolean, default=False, info={"label": _l("Retirée")})

    charter: Mapped[Charter] = relationship(back_populates="instances", lazy="raise")
    members: Mapped[list[InstanceMember]] = relationship(
        back_populates="instance", lazy="raise", cascade="all, delete-orphan",
        passive_deletes=True,
    )


class InstanceMember(TerritoryOwned, db.Model):
    """A person sitting in an instance for a member structure, with a function and a mandate."""

    __tablename__ = "instance_member"
    __table_args__ = (
        Index("ix_instance_member_instance_project", "instance_id", "joint_project_id"),
        Index("ix_instance_member_project", "joint_project_id"),
        CheckConstraint(
            "mandate_until IS NULL OR started_on IS NULL OR mandate_until >= started_on",
            name="mandate_dates_in_order",
        ),
    )

    __audit_name__ = _l("Membre d'une instance")
    __audit_title__ = ("person_id", "organisation_id")
    __audit_link__ = ("decisions.instance", {"charter_instance_id": "instance_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("charter_instance.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Instance")}
    )
    # Generic link to the joint project (facilitation layer) for per-project instances.
    joint_project_id: Mapped[int | None] = mapped_column(info={"label": _l("Projet commun")})
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, info={"label": _l("Personne")})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Structure")}
    )
    function: Mapped[str] = mapped_column(String(60), info={"label": _l("Fonction")})
    mandate: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Mandat")})
    started_on: Mapped[date | None] = mapped_column(Date, info={"label": _l("Depuis le")})
    mandate_until: Mapped[date | None] = mapped_column(Date, info={"label": _l("Mandat jusqu'au")})

    instance: Mapped[CharterInstance] = relationship(back_populates="members", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    def audit_label(self) -> str:
        return f"membre {self.person_id} ({self.function})"
