"""Who sits in an instance, checked against the charter's composition rules (its data
only: ``Charter.content``); French messages of what is missing or wrong."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from territorial.charters.rules import Content, function_labels, instance_def
from territorial.common.text import elide


@dataclass(frozen=True)
class Seat:
    """Someone sitting in an instance: for which structure, with which function."""

    person_name: str
    organisation_id: int | None
    function: str


def composition_problems(
    content: Content, instance_key: str, seats: Iterable[Seat], structures: Mapping[int, str]
) -> list[str]:
    """What is missing or wrong in an instance's membership, as the charter's rules say.

    ``structures`` maps each member structure's organisation id to its name, in order.
    An empty list means the instance is composed as the charter asks.
    """
    instance = instance_def(content, instance_key)
    if instance is None:
        return [_("« %(key)s » n'est pas une instance de la charte.", key=instance_key)]
    seats = list(seats)
    labels = function_labels(content)
    problems: list[str] = []
    for seat in seats:
        if seat.organisation_id not in structures:
            problems.append(_(
                "%(person)s ne représente aucune structure membre du partenariat.",
                person=seat.person_name,
            ))
    allowed = instance.get("allowed_functions")
    if allowed:
        for seat in seats:
            if seat.function not in allowed:
                problems.append(_(
                    "%(person)s siège comme « %(function)s », fonction que la charte ne prévoit "
                    "pas pour l'instance « %(instance)s » (fonctions prévues : %(allowed)s).",
                    person=seat.person_name, function=labels.get(seat.function, seat.function),
                    instance=instance["name"],
                    allowed=", ".join(labels.get(key, key) for key in allowed),
                ))
    for rule in instance["composition"]["rules"]:
        problems.extend(_rule_problems(rule, instance["name"], seats, structures, labels))
    return problems


def _count_by_structure(seats: list[Seat], function: str | None) -> Counter:
    return Counter(
        seat.organisation_id for seat in seats if function is None or seat.function == function
    )


def _who(count: int, function: str | None, labels: Mapping[str, str]) -> str:
    if function:
        return f"{count} × {labels.get(function, function)}"
    return ngettext("%(num)d membre", "%(num)d membres", count)


def _rule_problems(rule: Mapping[str, Any], instance: str, seats: list[Seat],
                   structures: Mapping[int, str], labels: Mapping[str, str]) -> list[str]:
    kind = rule["rule"]
    function = rule.get("function")
    problems = []
    if kind in ("per_structure_exact", "per_structure_min"):
        counts = _count_by_structure(seats, function)
        wanted = rule["count"]
        for organisation_id, name in structures.items():
            have = counts.get(organisation_id, 0)
            if have < wanted:
                problems.append(_(
                    "%(instance)s : il manque %(missing)s pour %(structure)s "
                    "(%(have)d sur %(wanted)d demandés par la charte).",
                    instance=instance, missing=_who(wanted - have, function, labels),
                    structure=name, have=have, wanted=wanted,
                ))
            elif kind == "per_structure_exact" and have > wanted:
                problems.append(_(
                    "%(instance)s : %(structure)s compte %(have)d membres, la charte en "
                    "demande exactement %(wanted)d par structure.",
                    instance=instance, structure=name, have=have, wanted=wanted,
                ))
    elif kind == "function_required":
        label = labels.get(rule["function"], rule["function"])
        counts = _count_by_structure(seats, rule["function"])
        if rule["per_structure"]:
            for organisation_id, name in structures.items():
                if not counts.get(organisation_id):
                    problems.append(elide(_(
                        "%(instance)s : il manque la personne « %(function)s » de %(structure)s.",
                        instance=instance, function=label, structure=name,
                    ), name))
        elif not sum(counts.values()):
            problems.append(_(
                "%(instance)s : la charte demande un(e) « %(function)s », personne n'est nommé.",
                instance=instance, function=label,
            ))
    elif kind == "total_exact":
        if len(seats) != rule["count"]:
            problems.append(ngettext(
                "%(instance)s : la charte demande exactement %(num)d membre, "
                "il y en a %(have)d.",
                "%(instance)s : la charte demande exactement %(num)d membres, "
                "il y en a %(have)d.",
                rule["count"], instance=instance, have=len(seats),
            ))
    elif kind == "total_range":
        if not rule["min"] <= len(seats) <= rule["max"]:
            problems.append(_(
                "%(instance)s : la charte demande de %(min)d à %(max)d membres, "
                "il y en a %(have)d.",
                instance=instance, min=rule["min"], max=rule["max"], have=len(seats),
            ))
    return problems


