"""What the member structures record under their charter: interconnaissance sheets (how each
works, for the others) and delegations (who delegated what to whom, the group informed).
Operations flush, never commit."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from territorial.actors.models import Person
from territorial.charters.models import Charter
from territorial.charters.record_models import Delegation, InterconnaissanceSheet
from territorial.charters.queries import structures
from territorial.common.errors import DomainError


# Interconnaissance ---------------------------------------------------------------------------

SHEET_FIELDS = ("organisation_chart", "staff", "equipment", "rooms", "accounting", "management",
                "training_plan", "decisions")


def sheet_for(charter: Charter, organisation_id: int) -> InterconnaissanceSheet | None:
    return db.session.scalar(select(InterconnaissanceSheet).where(
        InterconnaissanceSheet.charter_id == charter.id,
        InterconnaissanceSheet.organisation_id == organisation_id))


def save_sheet(charter: Charter, organisation_id: int, values: Mapping[str, str], user=None
               ) -> InterconnaissanceSheet:
    if organisation_id not in structures(charter):
        raise DomainError(_("Seules les structures membres tiennent une fiche d'interconnaissance."))
    sheet = sheet_for(charter, organisation_id)
    if sheet is None:
        sheet = InterconnaissanceSheet(territory_id=charter.territory_id, charter_id=charter.id,
                                       organisation_id=organisation_id)
        db.session.add(sheet)
    for name in SHEET_FIELDS:
        if name in values:
            setattr(sheet, name, (values[name] or "").strip())
    sheet.updated_by_id = getattr(user, "id", None)
    db.session.flush()
    return sheet


# Delegations -----------------------------------------------------------------------------------

def delegation_criteria(charter: Charter) -> list[str]:
    """The criteria the charter names for the person a mission is delegated to."""
    return [criterion for rule in charter.governing.get("delegation", {}).get("rules", [])
            for criterion in rule.get("criteria", [])]


def record_delegation(charter: Charter, *, delegator_id: int | None, delegate_id: int | None,
                      subject: str, scope: str, starts_on: date | None, details: str = "",
                      criteria: Iterable[str] = (), reference_group: str = "",
                      informed_on: date | None = None, ends_on: date | None = None,
                      user=None) -> Delegation:
    errors: dict[str, str] = {}
    people = {p.id: p for p in db.session.scalars(select(Person).where(
        Person.id.in_([i for i in (delegator_id, delegate_id) if i]),
        Person.territory_id == charter.territory_id))}
    if delegator_id not in people:
        errors["delegator_id"] = _("Choisissez la personne qui délègue.")
    if delegate_id not in people:
        errors["delegate_id"] = _("Choisissez la personne à qui la mission est déléguée.")
    elif delegate_id == delegator_id:
        errors["delegate_id"] = _("On ne se délègue pas une mission à soi-même.")
    if not (subject or "").strip():
        errors["subject"] = _("Dites ce qui est délégué (le sujet ou le projet).")
    if scope not in ("tout", "partie"):
        errors["scope"] = _("Indiquez si toute la mission ou une partie est déléguée.")
    if starts_on is None:
        errors["starts_on"] = _("Indiquez la date de début de la délégation.")
    elif ends_on and ends_on < starts_on:
        errors["ends_on"] = _("La fin de la délégation précède son début.")
    known = delegation_criteria(charter)
    criteria = [c for c in criteria if c in known]
    if errors:
        raise DomainError(errors)
    delegation = Delegation(
        territory_id=charter.territory_id, charter_id=charter.id, delegator_id=delegator_id,
        delegate_id=delegate_id, subject=subject.strip(), scope=scope,
        details=(details or "").strip(), criteria=criteria,
        reference_group=(reference_group or "").strip(), informed_on=informed_on,
        starts_on=starts_on, ends_on=ends_on, recorded_by_id=getattr(user, "id", None),
    )
    db.session.add(delegation)
    db.session.flush()
    return delegation


def delegation_warnings(charter: Charter, delegation: Delegation) -> list[str]:
    """What the charter asks that the record does not show yet."""
    warnings = []
    if not delegation.reference_group or delegation.informed_on is None:
        warnings.append(_("La charte demande d'informer le groupe de référence de la délégation."))
    missing = [c for c in delegation_criteria(charter) if c not in (delegation.criteria or [])]
    if missing:
        warnings.append(_("Capacité de la personne non vérifiée pour : %(criteria)s.",
                          criteria=", ".join(missing)))
    return warnings


def delete_delegation(delegation: Delegation) -> None:
    db.session.delete(delegation)
    db.session.flush()
