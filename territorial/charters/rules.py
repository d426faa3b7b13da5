"""The charter's rules, read from its data only (``Charter.content``).

Pure functions: they take the charter's content (a dict shaped like the YAML templates) and
plain values, and return French messages. Nothing here names an instance, a function or a
step of a particular charter: another partnership's charter works as a new file.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

Content = Mapping[str, Any]

MATRIX_ROLES = {
    "decides": _l("décide"),
    "proposes": _l("propose"),
    "consulted": _l("est consulté"),
    "informed": _l("est informé"),
    "arbitrates": _l("arbitre"),
    "none": _l("aucun rôle"),
}


def matrix_role_labels() -> dict[str, str]:
    """``MATRIX_ROLES`` translated once, for a page showing many cells."""
    return {role: str(label) for role, label in MATRIX_ROLES.items()}
# Roles that allow an instance to take a decision of a level (« arbitrates »: when arbitrating).
DECIDING_ROLES = {"decides"}

ACTORS = {
    "porteurs": _l("Les porteurs du projet"),
    "each_structure": _l("Chaque structure membre"),
}
# Where an arbitration rule comes from: the charter's text, or the coordination filling a silence.
ORIGINS = {
    "charter": _l("texte de la charte"),
    "coordination": _l("ajouté par la coordination"),
}
NUMBERS = {1: _l("une"), 2: _l("deux"), 3: _l("trois"), 4: _l("quatre"), 5: _l("cinq"),
           6: _l("six"), 7: _l("sept"), 8: _l("huit"), 9: _l("neuf"), 10: _l("dix")}


def member_word(content: Content, plural: bool = False) -> str:
    """What the charter calls its member structures (« maison », « maisons »)."""
    called = content.get("members_called") or {}
    word = called.get("many" if plural else "one")
    if word:
        return word
    return _("structures membres") if plural else _("structure membre")


def actor_label(content: Content, actor: str) -> str:
    """« Les porteurs du projet », « Chaque maison » (in the charter's word)."""
    if actor == "each_structure":
        return _("Chaque %(member)s", member=member_word(content))
    return str(ACTORS.get(actor, actor))


def number_word(count: int) -> str:
    return str(NUMBERS.get(count, count))


# Lookups ---------------------------------------------------------------------------------

def by_key(items: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {item["key"]: item for item in items}


def instance_def(content: Content, key: str) -> Mapping[str, Any] | None:
    return by_key(content.get("instances", [])).get(key)


def instance_name(content: Content, key: str | None) -> str:
    instance = instance_def(content, key) if key else None
    return instance["name"] if instance else (key or "")


def function_labels(content: Content) -> dict[str, str]:
    return {f["key"]: f["label"] for f in content.get("functions", [])}


def level_labels(content: Content) -> dict[str, str]:
    return {level["key"]: level["label"] for level in content.get("decision_levels", [])}


def per_project_instances(content: Content) -> list[str]:
    """Instances whose members are named project by project (a working group, a lead)."""
    keys = [i["key"] for i in content.get("instances", []) if i.get("per_project")]
    conduct = content.get("project_conduct", {}).get("instance")
    if conduct and conduct not in keys:
        keys.append(conduct)
    return keys


def standing_instances(content: Content) -> list[Mapping[str, Any]]:
    per_project = set(per_project_instances(content))
    return [i for i in content.get("instances", []) if i["key"] not in per_project]


def meetings_per_year(content: Content, key: str) -> int | None:
    instance = instance_def(content, key) or {}
    return instance.get("rhythm", {}).get("meetings_per_year")


# Decision matrix -------------------------------------------------------------------------

def matrix_cell(content: Content, level: str, instance_key: str) -> Mapping[str, Any] | None:
    return next(
        (cell for cell in content.get("decision_matrix", [])
         if cell["level"] == level and cell["instance"] == instance_key),
        None,
    )


def matrix_warning(content: Content, instance_key: str, level: str, *,
                   arbitrating: bool = False) -> str | None:
    """A French warning when the decision matrix does not let this instance take a decision of
    this level (``arbitrating``: the instance decides as arbiter of a blocked decision)."""
    levels = level_labels(content)
    if level not in levels:
        return _("« %(level)s » n'est pas un niveau de décision de la charte.", level=level)
    cell = matrix_cell(content, level, instance_key)
    role = cell["role"] if cell else "none"
    if role in DECIDING_ROLES or (role == "arbitrates" and arbitrating):
        return None
    if arbitrating and _arbitrates_for_someone(content, instance_key):
        return None
    said = f" (« {cell['text'].strip()} »)" if cell and cell.get("text") else ""
    if role == "arbitrates":
        return _(
            "D'après la matrice de décision, l'instance « %(instance)s » n'intervient sur les "
            "%(level)s que pour arbitrer%(said)s : cette décision ne lui revient pas tant "
            "qu'elle ne lui est pas soumise en arbitrage.",
            instance=instance_name(content, instance_key), level=levels[level].lower(), said=said,
        )
    if role == "none":
        return _(
            "D'après la matrice de décision, l'instance « %(instance)s » n'a aucun rôle dans les "
            "%(level)s : ce n'est pas à elle de prendre cette décision.",
            instance=instance_name(content, instance_key), level=levels[level].lower())
    return _(
        "D'après la matrice de décision, pour les %(level)s, l'instance « %(instance)s » "
        "%(role)s%(said)s : ce n'est pas à elle de prendre cette décision.",
        instance=instance_name(content, instance_key), level=levels[level].lower(),
        role=MATRIX_ROLES.get(role, role), said=said,
    )


def deciding_instances(content: Content, level: str) -> list[str]:
    return [cell["instance"] for cell in content.get("decision_matrix", [])
            if cell["level"] == level and cell["role"] in DECIDING_ROLES]


def _arbitrates_for_someone(content: Content, instance_key: str) -> bool:
    return any(entry.get("escalate_to") == instance_key
               for entry in arbitration_entries(content, "escalate"))


# Arbitration -----------------------------------------------------------------------------

def arbitration_entries(content: Content, outcome: str) -> list[Mapping[str, Any]]:
    return [entry for entry in content.get("arbitration", []) if entry.get("outcome") == outcome]


def escalation_for(content: Content, instance_key: str) -> Mapping[str, Any] | None:
    """The rule that carries a decision blocked at this instance to another (or None)."""
    return next((entry for entry in arbitration_entries(content, "escalate")
                 if instance_key in entry["blocked_at"]), None)


def arbitration_step(content: Content, instance_key: str,
                     blocked_before: Iterable[str] = ()) -> Mapping[str, Any] | None:
    """What the charter says of a decision blocked at ``instance_key`` when the same decision
    was already blocked at ``blocked_before`` (the instances of its arbitration chain):

    * a « lapse » rule, when the decision is now blocked at every instance it names (Quartier
      Libre: at the Codir and at the Coprédir);
    * else the « escalate » rule of this instance, when its arbiter has not been asked yet;
    * else None: the charter provides nothing more, the discussion resumes.
    """
    blocked = set(blocked_before) | {instance_key}
    for entry in arbitration_entries(content, "lapse"):
        if instance_key in entry["blocked_at"] and set(entry["blocked_at"]) <= blocked:
            return entry
    entry = escalation_for(content, instance_key)
    if entry is not None and entry["escalate_to"] not in blocked:
        return entry
    return None


def reopening_instance(entry: Mapping[str, Any], last_instance: str) -> str:
    """The instance that may reopen a joint project made caduc by this rule."""
    return entry.get("reopened_by") or last_instance


def added_by_coordination(entry: Mapping[str, Any]) -> bool:
    """Is this arbitration rule the coordination's, filling a silence of the charter?"""
    return entry.get("origin") == "coordination"


@dataclass(frozen=True)
class ChainLine:
    text: str
    origin: str  # "charter" or "coordination"

    @property
    def origin_label(self) -> str:
        return str(ORIGINS[self.origin])


def arbitration_summary(content: Content) -> list[ChainLine]:
    """The chain in words: « Comité de pilotage → Coprédir », « Codir et Coprédir → caduc »,
    each line saying whether the charter's text says it or the coordination added it."""
    lines = []
    for entry in content.get("arbitration", []):
        names = quoted_names(content, entry["blocked_at"])
        origin = "coordination" if added_by_coordination(entry) else "charter"
        if entry.get("outcome") == "escalate":
            lines.append(ChainLine(_(
                "Décision bloquée au niveau de %(blocked)s : portée devant « %(to)s ».",
                blocked=names, to=instance_name(content, entry["escalate_to"])), origin))
            continue
        lines.append(ChainLine(_("Décision bloquée au niveau de %(blocked)s : le projet commun "
                                 "devient caduc.", blocked=names), origin))
        if entry.get("reopened_by"):
            lines.append(ChainLine(_(
                "Projet devenu caduc : sa réouverture est une décision de « %(instance)s », prise "
                "selon le processus de décision.",
                instance=instance_name(content, entry["reopened_by"])),
                entry.get("reopened_by_origin", origin)))
    return lines


def arbitrating_cell(content: Content, instance_key: str, level: str) -> Mapping[str, Any] | None:
    """The matrix cell a decision taken in arbitration refers to: the instance's « arbitrates »
    cell (« Arbitre si besoin »), at the decision's level if there is one, else at any level."""
    cells = [cell for cell in content.get("decision_matrix", [])
             if cell["instance"] == instance_key and cell["role"] == "arbitrates"]
    return next((c for c in cells if c["level"] == level), cells[0] if cells else None)


# Adoption of a new version ---------------------------------------------------------------

@dataclass(frozen=True)
class AdoptionRule:
    """Who must agree to a new version: each member structure (by ``structure_body``) or one
    instance of the charter (``instance_key``)."""

    each_structure: bool
    instance_key: str | None = None
    structure_body: str = ""
    text: str = ""


def adoption_rule(content: Content) -> AdoptionRule | None:
    revision = content.get("revision") or {}
    if revision.get("agreement_of") == "each_structure":
        return AdoptionRule(True, structure_body=revision.get("structure_body", ""),
                            text=revision.get("text", ""))
    if revision.get("adopted_by"):
        return AdoptionRule(False, instance_key=revision["adopted_by"],
                            text=revision.get("text", ""))
    return None


def quoted_names(content: Content, keys: Iterable[str]) -> str:
    """« Codir » et « Coprédir »; « A », « B » et « C »."""
    names = [f"« {instance_name(content, key)} »" for key in keys]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s et %(last)s", first=", ".join(names[:-1]), last=names[-1])


def outside_charter_message(content: Content, entry: Mapping[str, Any]) -> str:
    """The reminder that structures may still carry a lapsed project outside the charter."""
    count = entry.get("outside_charter_min_structures")
    if not count:
        return ""
    return _(
        "Cela ne remet pas en cause l'ensemble du partenariat : si %(count)s %(members)s veulent "
        "conduire ce projet, elles le peuvent, mais il ne se référera plus à la charte.",
        count=number_word(count), members=member_word(content, plural=count > 1),
    )


# Lifecycle -------------------------------------------------------------------------------

def lifecycle(content: Content) -> list[Mapping[str, Any]]:
    return list(content.get("lifecycle", []))


def step_index(content: Content, key: str | None) -> int | None:
    return next((i for i, step in enumerate(lifecycle(content)) if step["key"] == key), None)


def step_def(content: Content, key: str | None) -> Mapping[str, Any] | None:
    index = step_index(content, key)
    return None if index is None else lifecycle(content)[index]


def next_step_key(content: Content, key: str) -> str | None:
    steps = lifecycle(content)
    index = step_index(content, key)
    if index is None or index + 1 >= len(steps):
        return None
    return steps[index + 1]["key"]


def step_actor_label(content: Content, step: Mapping[str, Any]) -> str:
    """Who acts at a step, as the charter says it: an instance, the porteurs, each member
    structure, or the porteurs or a member of the instance (« présenté au comité par ses
    porteurs ou par l'un ou l'autre des membres du comité »)."""
    if "instance" in step and step.get("actor"):
        return _("%(actor)s, ou l'un des membres de « %(instance)s »",
                 actor=actor_label(content, step["actor"]),
                 instance=instance_name(content, step["instance"]))
    if "instance" in step:
        return instance_name(content, step["instance"])
    return actor_label(content, step.get("actor", ""))


def outcome_def(step: Mapping[str, Any], key: str | None) -> Mapping[str, Any] | None:
    return next((o for o in step.get("outcomes", []) if o["key"] == key), None)


def step_input_problems(step: Mapping[str, Any], *, outcome: str | None,
                        records: Mapping[str, str], options: Mapping[str, str]) -> dict[str, str]:
    """Field → French message for what a step's data lacks (its outcome, options, records)."""
    problems: dict[str, str] = {}
    outcomes = step.get("outcomes", [])
    if outcomes and outcome_def(step, outcome) is None:
        problems["outcome"] = _(
            "Indiquez l'issue de cette étape : %(choices)s.",
            choices=" ou ".join(f"« {o['label']} »" for o in outcomes),
        )
    for name, choices in step.get("options", {}).items():
        if options.get(name) not in {choice["key"] for choice in choices}:
            problems[f"option_{name}"] = _("Choisissez une des possibilités proposées par la charte.")
    for record in step.get("records", []):
        if not record.get("optional") and not (records.get(record["key"]) or "").strip():
            problems[f"record_{record['key']}"] = _(
                "La charte demande de consigner « %(label)s » à cette étape.", label=record["label"]
            )
    return problems
