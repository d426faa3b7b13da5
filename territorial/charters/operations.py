"""Adopting a charter, editing it section by section, re-adopting it; its member structures and
the members of its instances (interconnaissance sheets and delegations: ``records``).
Operations flush, never commit."""
from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.charters import adoption, queries, rules, versioning
from territorial.charters import composition as composition_rules
from territorial.charters.editor import place_label
from territorial.charters.loader import charter_problems
from territorial.charters.models import (
    Charter,
    CharterInstance,
    CharterMember,
    CharterVersion,
    InstanceMember,
)
from territorial.common.errors import DomainError
from territorial.common.versions import Conflict


class ContentProblems(DomainError):
    """The charter's content would break its schema: the message under ``content``, and
    each problem at its place (``problems``: (place, detail, message), the place like
    ``("instances", 2, "name")``) for the form editor to show it next to its field."""

    def __init__(self, problems: Iterable[tuple[tuple, str, str]]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(message for *_, message in self.problems), field="content")


# Templates and adoption --------------------------------------------------------------------


def name_words(text: str) -> set[str]:
    """The words of a name that tell organisations apart (three letters or more)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return {word for word in re.findall(r"[a-z]{3,}", ascii_text)
            if word not in {"les", "des", "del", "the", "pour", "association"}}


def guess_organisations(signatories: list[Mapping[str, Any]],
                        organisations: list[Organisation]) -> dict[str, int | None]:
    """For each signatory of a template, the territory's organisation whose name is closest."""
    guesses: dict[str, int | None] = {}
    for signatory in signatories:
        wanted = name_words(signatory["name"])
        best, best_score = None, 0.0
        for organisation in organisations:
            have = name_words(organisation.name)
            score = len(wanted & have) / max(len(wanted | have), 1)
            if score > best_score:
                best, best_score = organisation.id, score
        guesses[signatory["key"]] = best if best_score >= 0.5 else None
    return guesses


def create_charter(territory_id: int, template_key: str, *, title: str = "",
                   organisation_ids: Iterable[int] = (),
                   signatory_organisations: Mapping[str, int | None] | None = None,
                   user=None, adopted_on: date | None = None) -> Charter:
    """Instantiate a charter from its template: content, version 1, member structures,
    instances; adopted at once when ``adopted_on`` is given."""
    template = queries.templates().get(template_key)
    if template is None:
        raise DomainError({"template_key": _("Ce modèle de charte n'existe pas.")})
    members: list[tuple[int, str | None]] = []
    for key, organisation_id in (signatory_organisations or {}).items():
        if organisation_id:
            members.append((organisation_id, key))
    for organisation_id in organisation_ids:
        if organisation_id and organisation_id not in {m for m, _k in members}:
            members.append((organisation_id, None))
    _check_organisations(territory_id, [m for m, _k in members])
    if len({m for m, _k in members}) != len(members):
        raise DomainError({"__all__": _("Une même structure ne peut signer deux fois la charte.")})
    if len(members) < 2:
        raise DomainError({"__all__": _(
            "Un partenariat réunit au moins deux structures : choisissez les structures membres."
        )})
    content = copy.deepcopy(template)
    charter = Charter(
        territory_id=territory_id, template_key=template_key,
        title=(title or "").strip() or _("Charte de partenariat – %(name)s", name=template["name"]),
        current_version=1, content=content,
    )
    db.session.add(charter)
    db.session.flush()
    db.session.add(CharterVersion(
        territory_id=territory_id, charter_id=charter.id, number=1, content=copy.deepcopy(content),
        summary=_("Création à partir du modèle « %(name)s ».", name=template["name"]),
        changed_by_id=getattr(user, "id", None),
    ))
    for position, (organisation_id, key) in enumerate(members):
        db.session.add(CharterMember(
            territory_id=territory_id, charter_id=charter.id, organisation_id=organisation_id,
            signatory_key=key, position=position, joined_on=adopted_on,
        ))
    db.session.flush()
    sync_instances(charter)
    if adopted_on is not None:
        adoption.adopt_on_behalf(charter, user, adopted_on)
    return charter


def _check_organisations(territory_id: int, organisation_ids: list[int]) -> None:
    if not organisation_ids:
        return
    found = set(db.session.scalars(select(Organisation.id).where(
        Organisation.id.in_(organisation_ids), Organisation.territory_id == territory_id)))
    if set(organisation_ids) - found:
        raise DomainError({"__all__": _("Choisissez des structures de ce territoire.")})


def sync_instances(charter: Charter) -> list[CharterInstance]:
    """One ``CharterInstance`` per instance of the charter in force (before any adoption, of
    the text being prepared), in its order; removed ones are retired."""
    existing = {row.key: row for row in db.session.scalars(
        select(CharterInstance).where(CharterInstance.charter_id == charter.id))}
    governing = charter.governing
    per_project = set(rules.per_project_instances(governing))
    rows = []
    for position, instance in enumerate(governing.get("instances", [])):
        row = existing.pop(instance["key"], None)
        if row is None:
            row = CharterInstance(territory_id=charter.territory_id, charter_id=charter.id,
                                  key=instance["key"])
            db.session.add(row)
        row.name, row.position, row.retired = instance["name"], position, False
        row.per_project = instance["key"] in per_project
        rows.append(row)
    for row in existing.values():
        row.retired = True
    db.session.flush()
    return rows


# Editing and versions ------------------------------------------------------------------------

def update_section(charter: Charter, section_key: str, text: str, user=None,
                   summary: str = "", version: int | None = None) -> CharterVersion:
    """Replace one section of the content; the whole charter is checked as a template would be.
    Creates the next version (who, which section, summary). ``version``: see ``check_section``."""
    if section_key not in versioning.SECTIONS_BY_KEY:
        raise DomainError({"content": _("Cette partie de la charte n'existe pas.")})
    value, error = versioning.parse_section(section_key, text)
    if error:
        raise DomainError({"content": error})
    return replace_section(charter, section_key, value, user, summary, version)


def check_section(charter: Charter, section_key: str, version: int | None) -> None:
    """Refuse a save of a section made on an older version of the charter (``version``: the
    one the user's page showed) when a version since changed that section, or restored a whole
    older text: ``versions.Conflict`` names who and when. Versions that changed other sections
    do not stop it: the save applies to the current text. The charter's row is locked first,
    so that two saves of one section are never both accepted."""
    current = db.session.scalar(select(Charter.current_version).where(Charter.id == charter.id)
                                .with_for_update())
    if current != charter.current_version:
        db.session.refresh(charter)
    if version is None or version >= current:
        return
    later = db.session.scalars(
        select(CharterVersion).where(
            CharterVersion.charter_id == charter.id, CharterVersion.number > version,
            (CharterVersion.section == section_key) | CharterVersion.section.is_(None))
        .order_by(CharterVersion.number.desc())).first()
    if later is not None:
        raise Conflict(later.changed_by_id, later.created_at, current)


def replace_section(charter: Charter, section_key: str, value: Any, user=None,
                    summary: str = "", version: int | None = None) -> CharterVersion:
    """Replace one section by an already parsed value (the form editor's), checked the same way.
    ``version``: see ``check_section``."""
    check_section(charter, section_key, version)
    content = copy.deepcopy(charter.content)
    if value in (None, "", []) and section_key not in _REQUIRED_SECTIONS:
        content.pop(section_key, None)
    else:
        content[section_key] = value
    completed = []
    if section_key in ("instances", "decision_levels"):
        completed = _complete_matrix(content)
    problems = [(place, detail, _problem_message(place, detail))
                for place, detail in charter_problems(content)]
    if problems:
        raise ContentProblems(problems)
    if content == charter.content:
        raise DomainError({"content": _(
            "Aucune modification : cette partie est identique à la version actuelle.")})
    summary = summary or _("Modification : %(section)s.",
                           section=versioning.section_label(section_key))
    if completed:
        summary += " " + _("Matrice de décision mise à jour : %(cells)s sans rôle pour l'instant.",
                           cells=", ".join(f"{level} × {instance}" for level, instance in completed))
    return _new_version(charter, content, user, section_key, summary)


def _complete_matrix(content: dict) -> list[tuple[str, str]]:
    """After instances or levels change: drop the matrix cells of removed ones and add a cell
    « none » for each new pair, so that each section can be edited on its own."""
    instances = [i.get("key") for i in content.get("instances") or [] if isinstance(i, dict)]
    levels = [lv.get("key") for lv in content.get("decision_levels") or [] if isinstance(lv, dict)]
    cells = [cell for cell in content.get("decision_matrix") or []
             if isinstance(cell, dict) and cell.get("instance") in instances
             and cell.get("level") in levels]
    present = {(cell["level"], cell["instance"]) for cell in cells}
    added = [(level, instance) for level in levels for instance in instances
             if (level, instance) not in present]
    cells += [{"level": level, "instance": instance, "role": "none"} for level, instance in added]
    content["decision_matrix"] = cells
    return added


_REQUIRED_SECTIONS = {"key", "name", "version", "signatories", "preamble", "functions", "instances",
                      "decision_levels", "decision_matrix", "lifecycle", "decision_process",
                      "arbitration", "action_plan_axes", "action_plan_years"}


def _problem_message(place: tuple, detail: str) -> str:
    """« Qui prend quelle décision — Case 6 → Se réfère à : « copil » n'est pas… »."""
    if not place:
        return detail
    where = versioning.section_label(str(place[0]))
    inside = place_label(place)
    return _("%(where)s — %(detail)s", where=where,
             detail=f"{inside} : {detail}" if inside else detail)


def _new_version(charter: Charter, content: dict, user, section_key: str | None,
                 summary: str) -> CharterVersion:
    charter.current_version += 1
    charter.content = content
    version = CharterVersion(
        territory_id=charter.territory_id, charter_id=charter.id, number=charter.current_version,
        content=copy.deepcopy(content), section=section_key, summary=summary.strip(),
        changed_by_id=getattr(user, "id", None),
    )
    db.session.add(version)
    db.session.flush()
    if not charter.in_force and section_key in (None, "instances", "project_conduct"):
        sync_instances(charter)
    return version


def restore_version(charter: Charter, number: int, user=None) -> CharterVersion:
    """Make an older version's content the current one (as a new version)."""
    old = queries.get_version(charter, number)
    if old is None:
        raise DomainError(_("Cette version n'existe pas."))
    if old.content == charter.content:
        raise DomainError(_("Cette version est identique à la version en vigueur."))
    changed = [key for key in dict.fromkeys([*charter.content, *old.content])
               if charter.content.get(key) != old.content.get(key)]
    summary = _("Retour au texte de la version %(number)d (%(parts)s).", number=number,
                parts=", ".join(versioning.section_label(key) for key in changed))
    return _new_version(charter, copy.deepcopy(old.content), user,
                        changed[0] if len(changed) == 1 else None, summary)


# Member structures ---------------------------------------------------------------------------


def add_member(charter: Charter, organisation_id: int, joined_on: date | None = None) -> CharterMember:
    _check_organisations(charter.territory_id, [organisation_id])
    exists = db.session.scalar(select(CharterMember.id).where(
        CharterMember.charter_id == charter.id, CharterMember.organisation_id == organisation_id))
    if exists:
        raise DomainError({"organisation_id": _("Cette structure est déjà membre du partenariat.")})
    last = db.session.scalar(select(func.max(CharterMember.position)).where(
        CharterMember.charter_id == charter.id)) or 0
    member = CharterMember(territory_id=charter.territory_id, charter_id=charter.id,
                           organisation_id=organisation_id, joined_on=joined_on, position=last + 1)
    db.session.add(member)
    db.session.flush()
    return member


def remove_member(member: CharterMember) -> None:
    count = db.session.scalar(select(func.count()).select_from(CharterMember).where(
        CharterMember.charter_id == member.charter_id))
    if count <= 2:
        raise DomainError(_("Un partenariat réunit au moins deux structures : "
                             "ajoutez-en une avant de retirer celle-ci."))
    db.session.delete(member)
    db.session.flush()


# Instances and their members -------------------------------------------------------------------


def seats(members: Iterable[InstanceMember]) -> list[composition_rules.Seat]:
    return [composition_rules.Seat(m.person.full_name, m.organisation_id, m.function) for m in members]


def composition(charter: Charter, instance: CharterInstance, members: list[InstanceMember],
                structures_: Mapping[int, str] | None = None) -> list[str]:
    return composition_rules.composition_problems(
        charter.governing, instance.key, seats(members),
        structures_ if structures_ is not None else queries.structures(charter))


def add_instance_member(charter: Charter, instance: CharterInstance, person_id: int | None,
                        function: str, *, mandate: str = "", started_on: date | None = None,
                        mandate_until: date | None = None, joint_project_id: int | None = None
                        ) -> tuple[InstanceMember, list[str]]:
    """Seat a person of a member structure; returns the member and what the composition rules
    now say is missing or wrong (advice shown to the user, the seat is kept)."""
    errors: dict[str, str] = {}
    person = db.session.get(Person, person_id) if person_id else None
    if person is None or person.territory_id != charter.territory_id:
        errors["person_id"] = _("Choisissez une personne d'une structure membre.")
    member_structures = queries.structures(charter)
    if person is not None and person.organisation_id not in member_structures:
        errors["person_id"] = _(
            "%(person)s n'appartient à aucune structure membre du partenariat.",
            person=person.full_name)
    if function not in rules.function_labels(charter.governing):
        errors["function"] = _("Choisissez une fonction prévue par la charte.")
    if mandate_until and started_on and mandate_until < started_on:
        errors["mandate_until"] = _("La fin du mandat précède son début.")
    if instance.per_project and joint_project_id is None:
        errors["__all__"] = _("Les membres de cette instance sont nommés projet par projet.")
    if not errors:
        duplicate = db.session.scalar(select(InstanceMember.id).where(
            InstanceMember.instance_id == instance.id, InstanceMember.person_id == person.id,
            InstanceMember.function == function,
            (InstanceMember.joint_project_id == joint_project_id) if joint_project_id
            else InstanceMember.joint_project_id.is_(None)))
        if duplicate:
            errors["person_id"] = _("%(person)s siège déjà dans cette instance avec cette fonction.",
                                    person=person.full_name)
    if errors:
        raise DomainError(errors)
    member = InstanceMember(
        territory_id=charter.territory_id, instance_id=instance.id, person_id=person.id,
        organisation_id=person.organisation_id, function=function, mandate=(mandate or "").strip(),
        started_on=started_on, mandate_until=mandate_until, joint_project_id=joint_project_id,
    )
    db.session.add(member)
    db.session.flush()
    members = queries.instance_members([instance.id], joint_project_id)[instance.id]
    return member, composition(charter, instance, members, member_structures)


def remove_instance_member(member: InstanceMember) -> None:
    db.session.delete(member)
    db.session.flush()


