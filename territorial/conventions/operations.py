"""Create and change conventions and their dashboards; load them for the pages.

Operations flush, never commit (the request commits once). Invalid data raises
``DomainError`` (or the shared ``DomainError`` for indicator data) whose
``errors`` map field names to French messages.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from extensions import db
from territorial.accounts.models import Membership
from territorial.actors.models import Organisation
from territorial.charters.models import Charter
from territorial.common.errors import DomainError
from territorial.conventions import queries, rules
from territorial.conventions.models import (
    OWNER_TYPE,
    STATUSES,
    Convention,
    ConventionAmount,
    ConventionDocument,
    ConventionFunder,
    ConventionMember,
    ConventionObjective,
    Priority,
)
from territorial.indicators import operations as indicator_operations

TARGET_YEAR = _l("La cible")
CONVENTION_FIELDS = ("reference", "title", "authority_id", "association_id", "start_year",
                     "end_year", "charter_id", "status", "signed_on", "description")


# Conventions -------------------------------------------------------------------------

def _organisation(territory_id: int, organisation_id) -> Organisation | None:
    if not organisation_id:
        return None
    return db.session.scalar(select(Organisation).where(
        Organisation.id == int(organisation_id), Organisation.territory_id == territory_id))


def _convention_errors(territory_id: int, data: dict, convention_id: int | None) -> dict[str, str]:
    errors = {}
    reference = (data.get("reference") or "").strip()
    if not reference:
        errors["reference"] = _("Donnez une référence à la convention (par exemple CA-ESS-2024-01).")
    else:
        taken = db.session.scalar(select(Convention.id).where(
            Convention.territory_id == territory_id, Convention.reference == reference,
            Convention.id != (convention_id or 0)))
        if taken:
            errors["reference"] = _("Une autre convention porte déjà la référence « %(ref)s ».",
                                    ref=reference)
    if not (data.get("title") or "").strip():
        errors["title"] = _("Donnez un intitulé à la convention.")
    if _organisation(territory_id, data.get("authority_id")) is None:
        errors["authority_id"] = _("Choisissez la collectivité qui signe la convention.")
    if _organisation(territory_id, data.get("association_id")) is None:
        errors["association_id"] = _("Choisissez l'association partenaire.")
    elif data.get("association_id") == data.get("authority_id"):
        errors["association_id"] = _("L'association et la collectivité doivent être différentes.")
    errors |= rules.period_errors(data.get("start_year"), data.get("end_year"))
    if data.get("status") not in STATUSES:
        errors["status"] = _("Choisissez le statut de la convention.")
    charter_id = data.get("charter_id")
    if charter_id and db.session.scalar(select(Charter.id).where(
            Charter.id == int(charter_id), Charter.territory_id == territory_id)) is None:
        errors["charter_id"] = _("Cette charte n'existe pas sur ce territoire.")
    return errors


def _clean(fields: dict) -> dict:
    data = {key: fields[key] for key in CONVENTION_FIELDS if key in fields}
    for key in ("reference", "title", "description"):
        if key in data:
            data[key] = (data[key] or "").strip()
    if "charter_id" in data:
        data["charter_id"] = int(data["charter_id"]) if data["charter_id"] else None
    return data


def create_convention(territory_id: int, **fields) -> Convention:
    data = {"status": "preparation", "description": ""} | _clean(fields)
    errors = _convention_errors(territory_id, data, None)
    if errors:
        raise DomainError(errors)
    convention = Convention(territory_id=territory_id, **data)
    db.session.add(convention)
    db.session.flush()
    return convention


def update_convention(convention: Convention, **fields) -> Convention:
    data = {key: getattr(convention, key) for key in CONVENTION_FIELDS} | _clean(fields)
    errors = _convention_errors(convention.territory_id, data, convention.id)
    if not errors:
        start, end = int(data["start_year"]), int(data["end_year"])
        outside = sorted({a.year for a in _amounts(convention) if not start <= a.year <= end})
        if outside:
            errors["end_year"] = _(
                "Des montants sont accordés pour %(years)s : supprimez-les avant de raccourcir "
                "la période.", years=", ".join(str(y) for y in outside))
    if errors:
        raise DomainError(errors)
    for key, value in data.items():
        setattr(convention, key, value)
    db.session.flush()
    return convention


def _amounts(convention: Convention) -> list[ConventionAmount]:
    return list(db.session.scalars(
        select(ConventionAmount).where(ConventionAmount.convention_id == convention.id)))


def delete_convention(convention: Convention) -> None:
    """Delete a convention with its objectives, their indicators and dialogue notes."""
    objective_ids = db.session.scalars(select(ConventionObjective.id).where(
        ConventionObjective.convention_id == convention.id)).all()
    indicator_operations.delete_for_owner(OWNER_TYPE, objective_ids, convention.territory_id)
    db.session.delete(convention)
    db.session.flush()


# Funders, amounts, documents, members -------------------------------------------------

def add_funder(convention: Convention, organisation_id) -> ConventionFunder:
    organisation = _organisation(convention.territory_id, organisation_id)
    if organisation is None:
        raise DomainError({"organisation_id": _("Choisissez un cofinanceur.")})
    if organisation.id in (convention.authority_id, convention.association_id):
        raise DomainError({"organisation_id": _(
            "La collectivité signataire et l'association sont déjà parties à la convention.")})
    exists = db.session.scalar(select(ConventionFunder.id).where(
        ConventionFunder.convention_id == convention.id,
        ConventionFunder.organisation_id == organisation.id))
    if exists:
        raise DomainError({"organisation_id": _("%(name)s est déjà cofinanceur.",
                                                    name=organisation.name)})
    funder = ConventionFunder(territory_id=convention.territory_id, convention_id=convention.id,
                              organisation_id=organisation.id)
    db.session.add(funder)
    db.session.flush()
    return funder


def remove_funder(funder: ConventionFunder) -> None:
    used = db.session.scalar(select(func.count()).select_from(ConventionAmount).where(
        ConventionAmount.convention_id == funder.convention_id,
        ConventionAmount.funder_id == funder.organisation_id))
    if used:
        raise DomainError({"organisation_id": _(
            "Ce cofinanceur a des montants accordés : supprimez-les d'abord.")})
    db.session.delete(funder)
    db.session.flush()


def set_amount(convention: Convention, year, amount, funder_id) -> ConventionAmount:
    """Set (or replace) the amount granted by ``funder_id`` for ``year``."""
    errors = {}
    if (message := rules.period_error(convention, year)):
        errors["year"] = message
    if amount is None:
        errors["amount"] = _("Indiquez le montant accordé, en euros.")
    elif Decimal(amount) < 0:
        errors["amount"] = _("Un montant accordé ne peut pas être négatif.")
    allowed = {convention.authority_id} | set(db.session.scalars(select(
        ConventionFunder.organisation_id).where(ConventionFunder.convention_id == convention.id)))
    if not funder_id or int(funder_id) not in allowed:
        errors["funder_id"] = _("Choisissez la collectivité ou un cofinanceur de la convention.")
    if errors:
        raise DomainError(errors)
    row = db.session.scalar(select(ConventionAmount).where(
        ConventionAmount.convention_id == convention.id, ConventionAmount.year == int(year),
        ConventionAmount.funder_id == int(funder_id)))
    if row is None:
        row = ConventionAmount(territory_id=convention.territory_id, convention_id=convention.id,
                               year=int(year), funder_id=int(funder_id), amount=Decimal(amount))
        db.session.add(row)
    row.amount = Decimal(amount)
    db.session.flush()
    return row


def delete_amount(amount: ConventionAmount) -> None:
    db.session.delete(amount)
    db.session.flush()


def add_document(convention: Convention, title: str, kind: str, document_date=None,
                 reference: str = "") -> ConventionDocument:
    if not (title or "").strip():
        raise DomainError({"title": _("Donnez le titre du document.")})
    document = ConventionDocument(
        territory_id=convention.territory_id, convention_id=convention.id, title=title.strip(),
        kind=kind if kind else "autre", document_date=document_date,
        reference=(reference or "").strip())
    db.session.add(document)
    db.session.flush()
    return document


def delete_document(document: ConventionDocument) -> None:
    db.session.delete(document)
    db.session.flush()


def add_member(convention: Convention, user_id) -> ConventionMember:
    partner = db.session.scalar(select(Membership.id).where(
        Membership.user_id == int(user_id or 0), Membership.territory_id == convention.territory_id,
        Membership.role == "partner"))
    if partner is None:
        raise DomainError({"user_id": _(
            "Choisissez un compte « partenaire » du territoire (invitez d'abord l'association "
            "avec ce rôle).")})
    exists = db.session.scalar(select(ConventionMember.id).where(
        ConventionMember.convention_id == convention.id, ConventionMember.user_id == int(user_id)))
    if exists:
        raise DomainError({"user_id": _("Ce compte accède déjà à la convention.")})
    member = ConventionMember(territory_id=convention.territory_id, convention_id=convention.id,
                              user_id=int(user_id))
    db.session.add(member)
    db.session.flush()
    return member


def remove_member(member: ConventionMember) -> None:
    db.session.delete(member)
    db.session.flush()


# Priorities and objectives -----------------------------------------------------------

def create_priority(territory_id: int, authority_id, title: str, description: str = "") -> Priority:
    errors = {}
    if _organisation(territory_id, authority_id) is None:
        errors["authority_id"] = _("Choisissez la collectivité dont c'est la priorité.")
    if not (title or "").strip():
        errors["title"] = _("Donnez un intitulé à la priorité.")
    if errors:
        raise DomainError(errors)
    last = db.session.scalar(select(func.max(Priority.position)).where(
        Priority.territory_id == territory_id, Priority.authority_id == int(authority_id)))
    priority = Priority(territory_id=territory_id, authority_id=int(authority_id),
                        title=title.strip(), description=(description or "").strip(),
                        position=(last or 0) + 1)
    db.session.add(priority)
    db.session.flush()
    return priority


def update_priority(priority: Priority, title: str, description: str = "") -> Priority:
    if not (title or "").strip():
        raise DomainError({"title": _("Donnez un intitulé à la priorité.")})
    priority.title = title.strip()
    priority.description = (description or "").strip()
    db.session.flush()
    return priority


def delete_priority(priority: Priority) -> None:
    used = db.session.scalar(select(func.count()).select_from(ConventionObjective).where(
        ConventionObjective.priority_id == priority.id))
    if used:
        raise DomainError({"title": ngettext(
            "Cette priorité sert à %(num)d objectif de convention : rattachez-le à une autre "
            "priorité avant de la supprimer.",
            "Cette priorité sert à %(num)d objectifs de convention : rattachez-les à une autre "
            "priorité avant de la supprimer.", used)})
    db.session.delete(priority)
    db.session.flush()


def _objective_errors(convention: Convention, priority_id, title: str) -> dict[str, str]:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Formulez l'objectif du partenariat.")
    if not priority_id or int(priority_id) not in {p.id for p in queries.priorities_for(convention)}:
        errors["priority_id"] = _("Rattachez l'objectif à une priorité de la collectivité.")
    return errors


def create_objective(convention: Convention, priority_id, title: str,
                     description: str = "") -> ConventionObjective:
    errors = _objective_errors(convention, priority_id, title)
    if errors:
        raise DomainError(errors)
    last = db.session.scalar(select(func.max(ConventionObjective.position)).where(
        ConventionObjective.convention_id == convention.id))
    objective = ConventionObjective(
        territory_id=convention.territory_id, convention_id=convention.id,
        priority_id=int(priority_id), title=title.strip(),
        description=(description or "").strip(), position=(last or 0) + 1)
    db.session.add(objective)
    db.session.flush()
    return objective


def update_objective(objective: ConventionObjective, convention: Convention, priority_id,
                     title: str, description: str = "") -> ConventionObjective:
    errors = _objective_errors(convention, priority_id, title)
    if errors:
        raise DomainError(errors)
    objective.priority_id = int(priority_id)
    objective.title = title.strip()
    objective.description = (description or "").strip()
    db.session.flush()
    return objective


def delete_objective(objective: ConventionObjective) -> None:
    indicator_operations.delete_for_owner(OWNER_TYPE, [objective.id], objective.territory_id)
    db.session.delete(objective)
    db.session.flush()


# Targets, values, validation ---------------------------------------------------------


# Dialogue notes ----------------------------------------------------------------------


# Loading -----------------------------------------------------------------------------


