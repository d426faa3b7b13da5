"""Composition of a working group: the method's recommendations, as warnings that
never block (the coordinator decides).

The method asks for 8 to 12 participants per group, mixed associations and companies,
and a person should not sit in too many groups of the same experiment.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

# Which organisation kinds count for each family of the mix the method asks for.
KIND_FAMILIES = {
    "association": {"association", "centre_social"},
    "entreprise": {"entreprise", "commerce"},
}
FAMILY_LABELS = {"association": "associations", "entreprise": "entreprises"}


@dataclass(frozen=True)
class CompositionRules:
    min_size: int = 8
    max_size: int = 12
    mix: tuple[str, ...] = ("association", "entreprise")
    max_groups_per_person: int = 2

    @classmethod
    def from_method(cls, method: Mapping[str, Any]) -> CompositionRules:
        defaults = method["defaults"]
        return cls(
            min_size=defaults["working_group_size"]["min"],
            max_size=defaults["working_group_size"]["max"],
            mix=tuple(defaults["working_group_mix"]),
            max_groups_per_person=defaults["max_groups_per_person"],
        )


@dataclass(frozen=True)
class Warning:
    code: str  # too_small, too_large, missing_association, missing_entreprise, too_many_groups
    message: str


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about a member."""

    person_id: int
    name: str
    organisation_kind: str | None
    group_count: int  # groups of the same experiment this person sits in (this one included)


def composition_warnings(members: Iterable[MemberFacts], rules: CompositionRules) -> list[Warning]:
    members = list(members)
    warnings = []
    size = len(members)
    if size < rules.min_size:
        warnings.append(Warning("too_small", ngettext(
            "Le groupe compte %(num)d membre : la méthode recommande de %(min)d à %(max)d "
            "participants pour que les échanges soient riches.",
            "Le groupe compte %(num)d membres : la méthode recommande de %(min)d à %(max)d "
            "participants pour que les échanges soient riches.",
            size, min=rules.min_size, max=rules.max_size)))
    elif size > rules.max_size:
        warnings.append(Warning("too_large", _(
            "Le groupe compte %(num)d membres : au-delà de %(max)d participants, chacun "
            "peine à prendre la parole (la méthode recommande de %(min)d à %(max)d).",
            num=size, min=rules.min_size, max=rules.max_size)))
    kinds = {member.organisation_kind for member in members}
    for family in rules.mix:
        if not kinds & KIND_FAMILIES.get(family, {family}):
            label = FAMILY_LABELS.get(family, family)
            warnings.append(Warning(f"missing_{family}", _(
                "Aucun membre ne vient d'une structure de type « %(family)s » : la méthode "
                "recommande des groupes mixtes associations et entreprises.", family=label)))
    for member in members:
        if member.group_count > rules.max_groups_per_person:
            warnings.append(Warning("too_many_groups", _(
                "%(name)s siège dans %(count)d groupes de travail de l'expérimentation "
                "(%(max)d au plus recommandés) : sa disponibilité risque de manquer.",
                name=member.name, count=member.group_count, max=rules.max_groups_per_person)))
    return warnings
