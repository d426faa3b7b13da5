"""The yearly follow-up of a convention: targets by year, the values the association
enters and the authority validates, the notes both parties write. Operations flush, never
commit; a save made on a stale version is refused (``versions.Conflict``)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from extensions import db
from territorial.common import versions
from territorial.common.errors import DomainError
from territorial.conventions import rules
from territorial.conventions.models import PARTIES, Convention, DialogueNote
from territorial.indicators import operations as indicator_operations
from territorial.indicators import rules as indicator_rules
from territorial.indicators.models import Indicator, IndicatorValue
from territorial.conventions.operations import TARGET_YEAR
from territorial.conventions.queries import current_targets, pending_value


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
