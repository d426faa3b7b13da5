"""Create and change conventions and their dashboards; load them for the pages.

Operations flush, never commit (the request commits once). Invalid data raises
``DomainError`` (or the shared ``DomainError`` for indicator data) whose
``errors`` map field names to French messages.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from territorial.accounts.models import Membership, User
from territorial.actors.models import Organisation
from territorial.charters.models import Charter
from territorial.common import versions
from territorial.common.errors import DomainError
from territorial.common.loading import grouped, rows
from territorial.conventions import rules
from territorial.conventions.models import (
    OWNER_TYPE,
    PARTIES,
    STATUSES,
    Convention,
    ConventionAmount,
    ConventionDocument,
    ConventionFunder,
    ConventionMember,
    ConventionObjective,
    ConventionTerms,
    DialogueNote,
    Priority,
)
from territorial.indicators import operations as indicator_operations
from territorial.indicators import rules as indicator_rules
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue

DomainError = DomainError
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


def funder_ids(convention: Convention) -> set[int]:
    """The authority and the co-funders (needs ``funders`` loaded)."""
    return {convention.authority_id, *(f.organisation_id for f in convention.funders)}


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


def partner_accounts(territory_id: int) -> list[User]:
    """Accounts of the territory with the « partner » role (an association's access)."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.territory_id == territory_id, Membership.role == "partner")
        .order_by(User.display_name, User.id)))


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
        raise DomainError({"title": _(
            "Cette priorité sert à %(n)d objectif(s) de convention : rattachez-les à une autre "
            "priorité avant de la supprimer.", n=used)})
    db.session.delete(priority)
    db.session.flush()


def priorities_for(convention: Convention) -> list[Priority]:
    """The priorities an objective of this convention may serve: the authority's and
    its co-funders'."""
    owners = {convention.authority_id} | set(db.session.scalars(select(
        ConventionFunder.organisation_id).where(ConventionFunder.convention_id == convention.id)))
    return list(db.session.scalars(
        select(Priority).where(Priority.territory_id == convention.territory_id,
                               Priority.authority_id.in_(owners))
        .options(selectinload(Priority.authority))
        .order_by(Priority.authority_id != convention.authority_id, Priority.position,
                  Priority.id)))


def _objective_errors(convention: Convention, priority_id, title: str) -> dict[str, str]:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Formulez l'objectif du partenariat.")
    if not priority_id or int(priority_id) not in {p.id for p in priorities_for(convention)}:
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

def current_targets(indicator: Indicator) -> list[IndicatorTarget]:
    return list(db.session.scalars(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator.id).order_by(IndicatorTarget.year)))


def set_targets(convention: Convention, indicator: Indicator, targets: dict[int, object],
                seen: dict | None = None) -> list[tuple[int, versions.Conflict, str]]:
    """Set the targets of the period at once: ``{year: number or statement}``; an empty
    entry removes that year's target. Years outside the period are refused.

    ``seen``: what the user's page showed of each year (``versions.parse_seen``). A year the
    user did not change is not written, so a colleague's change of it stays; a year both
    changed is not written either and returned: (year, the conflict, the user's value)."""
    errors = {}
    for year in targets:
        if (message := rules.period_error(convention, year, TARGET_YEAR)):
            errors[f"target_{year}"] = message
    if errors:
        raise DomainError(errors)
    existing = {t.year: t for t in current_targets(indicator)}
    refused = []
    for year, wanted in sorted(targets.items()):
        target = existing.get(year)
        text = indicator_operations.target_text(indicator, value=wanted, statement=wanted)
        version, was = (None, None) if seen is None else seen.get(str(year), (0, ""))
        decision = versions.cell_decision(
            text, was, version, indicator_operations.target_text(indicator, target),
            target.edit_version if target else 0)
        if decision == "conflict":
            refused.append((year, versions.Conflict.of(target), text))
        if decision != "write":
            continue
        if not text:
            if target is not None:
                indicator_operations.delete_target(target)
            continue
        try:
            if indicator.kind == indicator_rules.QUANTITATIVE:
                indicator_operations.set_target(indicator, year, wanted)
            else:
                indicator_operations.set_target(indicator, year, statement=str(wanted))
        except DomainError as error:
            errors[f"target_{year}"] = next(iter(error.errors.values()))
    if errors:
        raise DomainError(errors)
    return refused


PENDING_UNKNOWN = "unknown"


def pending_seen(raw) -> tuple[int, int] | None | str:
    """The hidden field ``pending`` of the value form: (id, version) of the value waiting for
    validation the page showed, None if it showed none, ``PENDING_UNKNOWN`` if not sent."""
    if raw is None:
        return PENDING_UNKNOWN
    if raw == "":
        return None
    try:
        value_id, version = raw.split(":")
        return int(value_id), int(version)
    except ValueError:
        return PENDING_UNKNOWN


def pending_value(indicator: Indicator, year) -> IndicatorValue | None:
    return db.session.scalar(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id,
                                     IndicatorValue.year == int(year),
                                     IndicatorValue.validated_at.is_(None))
        .order_by(IndicatorValue.id.desc()).limit(1))


def enter_value(convention: Convention, indicator: Indicator, year, value=None, *,
                text_value: str = "", source: str = "", comment: str = "", user=None,
                by_authority: bool = False, seen=PENDING_UNKNOWN) -> IndicatorValue:
    """Record the value reached in ``year`` (a year of the convention's period).

    The association's entry waits for the authority's validation; entering again before
    that replaces the pending value (the journal keeps the former one). A value entered
    by the authority is validated at once. A year already validated keeps its value: a
    new entry is added beside it and waits for validation.

    ``seen`` (``pending_seen``): the pending value the user's page showed. A pending value
    the page did not show, or showed in an older version, is not replaced:
    ``versions.Conflict``.
    """
    if (message := rules.period_error(convention, year)):
        raise DomainError({"year": message})
    errors = indicator_rules.value_errors(indicator, year=year, value=value, text_value=text_value)
    if errors:
        raise DomainError(errors)
    pending = pending_value(indicator, year)
    if pending is not None and seen != PENDING_UNKNOWN and \
            seen != (pending.id, pending.edit_version):
        raise versions.Conflict.of(pending)
    if pending is None:
        measure = indicator_operations.record_value(
            indicator, int(year), value, text_value=text_value, source=source, comment=comment,
            entered_by=user)
    else:
        measure = pending
        quantitative = indicator.kind == indicator_rules.QUANTITATIVE
        measure.value = Decimal(value) if quantitative and value is not None else None
        measure.text_value = "" if quantitative else (text_value or "").strip()
        measure.source = (source or "").strip()
        measure.comment = (comment or "").strip()
        measure.entered_by_id = getattr(user, "id", user)
        versions.flush(measure)
    if by_authority:
        indicator_operations.validate_value(measure, user)
    return measure


# Dialogue notes ----------------------------------------------------------------------

def add_note(convention: Convention, indicator: Indicator, year, party: str, text: str,
             author=None) -> DialogueNote:
    errors = {}
    if (message := rules.period_error(convention, year)):
        errors["year"] = message
    if party not in PARTIES:
        errors["party"] = _("Précisez qui s'exprime : la collectivité ou l'association.")
    if not (text or "").strip():
        errors["text"] = _("Écrivez la note du dialogue.")
    if errors:
        raise DomainError(errors)
    note = DialogueNote(territory_id=convention.territory_id, convention_id=convention.id,
                        indicator_id=indicator.id, year=int(year), party=party,
                        text=text.strip(), author_id=getattr(author, "id", author))
    db.session.add(note)
    db.session.flush()
    return note


def update_note(note: DialogueNote, party: str, text: str, *, is_partner: bool,
                version: int | None = None) -> DialogueNote:
    """Correct a note of the dialogue (who may: ``territorial.access``, « change_note »);
    the association speaks for itself only. ``version``: the note's version on the user's
    page (``versions.Conflict`` if someone saved it since)."""
    versions.check(note, version)
    errors = {}
    if party not in PARTIES or (is_partner and party != "association"):
        errors["party"] = _("Précisez qui s'exprime : la collectivité ou l'association.")
    if not (text or "").strip():
        errors["text"] = _("Écrivez la note du dialogue.")
    if errors:
        raise DomainError(errors)
    note.party, note.text = party, text.strip()
    versions.flush(note)
    return note


def delete_note(note: DialogueNote) -> None:
    """Delete a note of the dialogue (who may: ``territorial.access``, « change_note »)."""
    db.session.delete(note)
    db.session.flush()


# Loading -----------------------------------------------------------------------------

def load_convention(territory_id: int, convention_id: int, *, details: bool = True
                    ) -> Convention | None:
    """A convention with everything its pages show (a fixed number of queries); without
    ``details``, only its parties and objectives (what its dashboard shows), not its
    charter, funders, amounts, documents and members."""
    options = [
        joinedload(Convention.authority), joinedload(Convention.association),
        selectinload(Convention.objectives).selectinload(ConventionObjective.priority),
    ]
    if details:
        options += [
            selectinload(Convention.charter),
            selectinload(Convention.funders).selectinload(ConventionFunder.organisation),
            selectinload(Convention.amounts).selectinload(ConventionAmount.funder),
            selectinload(Convention.documents),
            selectinload(Convention.members).selectinload(ConventionMember.user),
        ]
    return db.session.scalar(
        select(Convention)
        .where(Convention.id == convention_id, Convention.territory_id == territory_id)
        .options(*options))


def indicators_of(objectives: Iterable[ConventionObjective], territory_id: int
                  ) -> dict[int, list[Indicator]]:
    return indicator_operations.indicators_for(OWNER_TYPE, [o.id for o in objectives],
                                               territory_id=territory_id)


def load_value_authors(indicators_by_objective: dict[int, list[Indicator]]) -> dict[int, User]:
    """The users who entered or validated the values shown (one query)."""
    ids = {uid for indicators in indicators_by_objective.values() for i in indicators
           for v in i.values for uid in (v.entered_by_id, v.validated_by_id) if uid}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def notes_of(convention_id: int, year: int | None = None) -> dict[tuple[int, int], list[DialogueNote]]:
    """Dialogue notes by (indicator id, year), oldest first, with their authors."""
    statement = (select(DialogueNote).where(DialogueNote.convention_id == convention_id)
                 .options(selectinload(DialogueNote.author))
                 .order_by(DialogueNote.year, DialogueNote.created_at, DialogueNote.id))
    if year is not None:
        statement = statement.where(DialogueNote.year == year)
    notes: dict[tuple[int, int], list[DialogueNote]] = defaultdict(list)
    for note in db.session.scalars(statement):
        notes[(note.indicator_id, note.year)].append(note)
    return notes


def indicator_context(territory_id: int, indicator_id: int):
    """(indicator, objective, convention) of a convention's indicator, or None."""
    indicator = db.session.scalar(
        select(Indicator).where(Indicator.id == indicator_id, Indicator.territory_id == territory_id,
                                Indicator.owner_type == OWNER_TYPE)
        .options(selectinload(Indicator.targets), selectinload(Indicator.values)))
    if indicator is None:
        return None
    objective = db.session.scalar(
        select(ConventionObjective).where(ConventionObjective.id == indicator.owner_id,
                                          ConventionObjective.territory_id == territory_id)
        .options(selectinload(ConventionObjective.convention)
                 .selectinload(Convention.association)))
    if objective is None:
        return None
    return indicator, objective, objective.convention


def conventions_of_member(territory_id: int, user_id: int) -> list[Convention]:
    return list(db.session.scalars(
        select(Convention).join(ConventionMember, ConventionMember.convention_id == Convention.id)
        .where(Convention.territory_id == territory_id, ConventionMember.user_id == user_id)
        .options(selectinload(Convention.authority), selectinload(Convention.association))
        .order_by(Convention.start_year.desc(), Convention.reference)))


@dataclass
class Portfolio:
    summaries: list[rules.Summary]
    dashboards: list[rules.Dashboard]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "conventions": len(self.summaries),
            "objectives": sum(s.objectives for s in self.summaries),
            "on_track": sum(s.on_track for s in self.summaries),
            "behind": sum(s.behind for s in self.summaries),
            "pending": sum(s.pending_values for s in self.summaries),
            "conversations": sum(1 for s in self.summaries if s.needs_conversation),
        }


def portfolio(territory_id: int, today_year: int, authority_id: int | None = None, *,
              with_dashboards: bool = True) -> Portfolio:
    """Every convention of the territory (or of one authority) with its summary and its
    dashboard. The number of queries does not depend on the number of conventions: their
    objectives and amounts come in one query each, grouped here (eager loading them onto
    hundreds of conventions, most without any, cost more than the rest of the page).
    Without the dashboards (the page, not the XLSX), the conventions are ``ListedConvention``
    rows rather than model objects."""
    chosen = [Convention.territory_id == territory_id]
    if authority_id:
        chosen.append(Convention.authority_id == authority_id)
    if with_dashboards:
        conventions = db.session.scalars(
            select(Convention).where(*chosen)
            .options(joinedload(Convention.authority), joinedload(Convention.association))
            .order_by(Convention.reference, Convention.id)).all()
    else:
        conventions = _listed_conventions(chosen)
    ids = select(Convention.id).where(*chosen)
    objectives = grouped(
        select(ConventionObjective).where(ConventionObjective.convention_id.in_(ids))
        .options(joinedload(ConventionObjective.priority))
        .order_by(ConventionObjective.position, ConventionObjective.id), "convention_id")
    amounts = grouped(
        select(ConventionAmount).where(ConventionAmount.convention_id.in_(ids))
        .order_by(ConventionAmount.year, ConventionAmount.id), "convention_id")
    indicators = indicators_of([o for items in objectives.values() for o in items], territory_id)
    summaries, dashboards = [], []
    for convention in conventions:
        own = objectives[convention.id]
        summaries.append(rules.summarise(convention, own, indicators, today_year,
                                         amounts=amounts[convention.id]))
        if with_dashboards:  # the XLSX needs them, the page does not
            dashboards.append(rules.build_dashboard(convention, own, indicators))
    return Portfolio(summaries, dashboards)


@dataclass(frozen=True)
class ListedConvention(ConventionTerms):
    """A convention as the portfolio page lists it, read as columns rather than as a model
    object: a territory has hundreds of conventions, and the page sums them all up."""

    id: int
    reference: str
    status: str
    start_year: int
    end_year: int
    association: Organisation


def _listed_conventions(chosen: list) -> list[ListedConvention]:
    associations = {organisation.id: organisation for organisation in db.session.scalars(
        select(Organisation).where(
            Organisation.id.in_(select(Convention.association_id).where(*chosen))))}
    listed = rows(
        select(Convention.id, Convention.reference, Convention.status, Convention.start_year,
               Convention.end_year, Convention.association_id)
        .where(*chosen).order_by(Convention.reference, Convention.id))
    return [ListedConvention(id_, reference, status, start, end, associations[association_id])
            for id_, reference, status, start, end, association_id in listed]


def authorities(territory_id: int) -> list[Organisation]:
    """Organisations that sign conventions or own priorities (for the filters)."""
    ids = select(Convention.authority_id).where(Convention.territory_id == territory_id).union(
        select(Priority.authority_id).where(Priority.territory_id == territory_id))
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)))


def organisations(territory_id: int, kinds: tuple[str, ...] | None = None) -> list[Organisation]:
    statement = (select(Organisation).where(Organisation.territory_id == territory_id,
                                            Organisation.archived_at.is_(None))
                 .order_by(Organisation.name))
    if kinds:
        statement = statement.where(Organisation.kind.in_(kinds))
    return list(db.session.scalars(statement))


def charters(territory_id: int) -> list[Charter]:
    return list(db.session.scalars(
        select(Charter).where(Charter.territory_id == territory_id).order_by(Charter.title)))

