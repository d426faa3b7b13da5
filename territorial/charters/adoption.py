"""Adopting a version of the charter as the charter says it is adopted (its ``revision``):
with the agreement of each member structure (Quartier Libre: « l'accord des trois maisons »,
each by its own board), or by the instance it names. Each party's agreement is recorded, dated,
by a person of that party under their own account or by the coordination on its behalf; the
version is adopted when every party has agreed, on the date of the last agreement. A version
adopted with a date still to come is in force only from that date (``Charter.governing``), and
a later adoption is never blocked by it. Operations flush, never commit."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.access import person_ids, standing
from territorial.actors.models import Person
from territorial.charters import operations, queries, rules
from territorial.charters.models import Charter, CharterAgreement, CharterVersion
from territorial.common.errors import DomainError
from territorial.common.text import elide


@dataclass(frozen=True)
class Party:
    """Someone whose agreement the charter requires: a member structure or an instance."""

    key: str  # "structure-<organisation id>" or "instance-<key>"
    name: str
    organisation_id: int | None = None
    instance_key: str | None = None


def parties(charter: Charter) -> list[Party]:
    """Whose agreement a new version needs, as the charter in force says (before any adoption,
    as the text being prepared says)."""
    rule = rules.adoption_rule(charter.governing)
    if rule is None:
        return []
    if rule.each_structure:
        return [Party(f"structure-{oid}", name, organisation_id=oid)
                for oid, name in queries.structures(charter).items()]
    return [Party(f"instance-{rule.instance_key}",
                  rules.instance_name(charter.governing, rule.instance_key),
                  instance_key=rule.instance_key)]


def own_parties(charter: Charter) -> list[Party]:
    """The parties the current user belongs to: the structures of the people linked to the
    account, the instance they sit in."""
    people = person_ids()
    if not people:
        return []
    organisations = set(db.session.scalars(select(Person.organisation_id).where(
        Person.id.in_(people))))
    own = []
    for party in parties(charter):
        if party.organisation_id is not None:
            if party.organisation_id in organisations:
                own.append(party)
        else:
            instance = queries.instance_row(charter, party.instance_key)
            if instance is not None and queries.seats_of_user(instance):
                own.append(party)
    return own


@standing("adopt", Charter)
def agrees_for_a_party(charter: Charter) -> bool:
    """The people of a party whose agreement the charter requires record that agreement."""
    return bool(own_parties(charter))


def rule_in_words(charter: Charter) -> str:
    """« L'accord de chaque maison (Conseil d'administration) », « L'instance « Assemblée » »."""
    content = charter.governing
    rule = rules.adoption_rule(content)
    if rule is None:
        return ""
    if rule.each_structure:
        said = _("l'accord de chaque %(member)s", member=rules.member_word(content))
        return f"{said} ({rule.structure_body})" if rule.structure_body else said
    return _("l'instance « %(instance)s »", instance=rules.instance_name(content, rule.instance_key))


def agreements(version: CharterVersion) -> list[CharterAgreement]:
    return list(db.session.scalars(
        select(CharterAgreement).where(CharterAgreement.version_id == version.id)
        .options(selectinload(CharterAgreement.organisation))
        .order_by(CharterAgreement.agreed_on, CharterAgreement.id)))


def party_name(charter: Charter, agreement: CharterAgreement) -> str:
    if agreement.organisation is not None:
        return agreement.organisation.name
    return rules.instance_name(charter.governing, agreement.instance_key)


def party_of(agreement: CharterAgreement) -> str:
    return (f"structure-{agreement.organisation_id}" if agreement.organisation_id
            else f"instance-{agreement.instance_key}")


def missing(charter: Charter, version: CharterVersion) -> list[Party]:
    agreed = {party_of(a) for a in agreements(version)}
    return [party for party in parties(charter) if party.key not in agreed]


def record_agreement(charter: Charter, party_key: str, agreed_on: date | None, user, *,
                     body: str = "", note: str = "", on_behalf: bool = False
                     ) -> tuple[CharterAgreement, CharterVersion | None]:
    """Record one party's agreement to the current version; when it is the last one needed,
    the version is adopted. Returns the agreement and the version adopted (or None)."""
    version = queries.get_version(charter, charter.current_version)
    if charter.is_adopted:
        raise DomainError(_("La version %(number)d est déjà adoptée.", number=version.number))
    party = next((p for p in missing(charter, version) if p.key == party_key), None)
    if party is None:
        known = {p.key for p in parties(charter)}
        raise DomainError({"party": _("Cet accord est déjà enregistré.") if party_key in known
                           else _("Choisissez qui donne son accord.")})
    if agreed_on is None:
        raise DomainError({"agreed_on": _("Indiquez la date de l'accord.")})
    _check_date(charter, agreed_on, "agreed_on")
    agreement = CharterAgreement(
        territory_id=charter.territory_id, charter_id=charter.id, version_id=version.id,
        organisation_id=party.organisation_id, instance_key=party.instance_key,
        agreed_on=agreed_on, body=(body or "").strip()[:200], note=(note or "").strip(),
        recorded_by_id=getattr(user, "id", None), on_behalf=on_behalf)
    agreement._audit_text = elide(_("Accord de %(party)s sur la version %(number)d",
                                    party=party.name, number=version.number), party.name)
    db.session.add(agreement)
    db.session.flush()
    if missing(charter, version):
        return agreement, None
    adopted_on = max(a.agreed_on for a in agreements(version))
    return agreement, adopt_version(charter, version, user, adopted_on)


def _check_date(charter: Charter, day: date, field: str) -> None:
    settle(charter)
    if charter.adopted_at and day < charter.adopted_at:
        raise DomainError({field: _(
            "La date précède celle de l'adoption de la version en vigueur (%(date)s).",
            date=charter.adopted_at.strftime("%d/%m/%Y"))})


def settle(charter: Charter, today: date | None = None) -> None:
    """A version adopted for a date that has come is now the one in force."""
    if charter.scheduled_on is not None and charter.scheduled_on <= (today or date.today()):
        charter.adopted_version, charter.adopted_at = charter.scheduled_version, charter.scheduled_on
        charter.adopted_content = charter.scheduled_content
        charter.scheduled_version = charter.scheduled_on = charter.scheduled_content = None


def adopt_version(charter: Charter, version: CharterVersion, user, adopted_on: date,
                  note: str = "") -> CharterVersion:
    """The version is adopted on ``adopted_on``: in force from that day (today or earlier: at
    once; a date to come: from then, the version in force until then staying so)."""
    _check_date(charter, adopted_on, "adopted_on")
    version.adopted_on = adopted_on
    version.adopted_by_id = getattr(user, "id", None)
    version.adoption_note = (note or "").strip() or version.adoption_note
    version.adopting_instance = rule_in_words(charter)[:500]
    content = copy.deepcopy(version.content)
    if adopted_on <= date.today():
        charter.adopted_version, charter.adopted_at = version.number, adopted_on
        charter.adopted_content = content
        charter.scheduled_version = charter.scheduled_on = charter.scheduled_content = None
    else:
        charter.scheduled_version, charter.scheduled_on = version.number, adopted_on
        charter.scheduled_content = content
    db.session.flush()
    operations.sync_instances(charter)
    return version


def adopt_on_behalf(charter: Charter, user, adopted_on: date, *, body: str = "",
                    note: str = "") -> CharterVersion:
    """Record the agreement of every party at once (a charter adopted before it was entered on
    the platform, or the coordination recording what the minutes say)."""
    version = queries.get_version(charter, charter.current_version)
    rule = rules.adoption_rule(charter.governing)
    body = body or (rule.structure_body if rule else "")
    adopted = None
    for party in missing(charter, version):
        _agreement, adopted = record_agreement(charter, party.key, adopted_on, user, body=body,
                                               note=note, on_behalf=True)
    if adopted is None:
        raise DomainError(_("La version %(number)d est déjà adoptée.", number=version.number))
    return adopted
