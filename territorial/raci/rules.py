"""Validation of a RACI grid: a pure function, no database.

Rules (explained to the user in French):
- every activity has exactly one A (the actor who answers for it);
- every activity has at least one R (an actor who does the work);
- an actor who is A on more than ``MAX_ACCOUNTABLE`` activities is flagged as overloaded;
- an actor with no letter at all is flagged as unused;
- a column of only I's is allowed (an actor kept informed is a real role).
Saving an invalid grid is allowed: it is a work in progress.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _

LETTER_ORDER = ("R", "A", "C", "I")
MAX_ACCOUNTABLE = 3  # more A's than this on one actor: overloaded

NO_ACCOUNTABLE = "no_accountable"
MANY_ACCOUNTABLE = "many_accountable"
NO_RESPONSIBLE = "no_responsible"
OVERLOADED = "overloaded"
UNUSED = "unused"


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str
    activity_id: int | None = None
    actor_id: int | None = None


@dataclass
class GridReport:
    problems: list[Problem] = field(default_factory=list)
    # actor id → {"R": n, "A": n, "C": n, "I": n}
    per_actor: dict[int, dict[str, int]] = field(default_factory=dict)
    # activity id → {"R": n, …}
    per_activity: dict[int, dict[str, int]] = field(default_factory=dict)
    per_letter: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def overloaded_actor_ids(self) -> set[int]:
        return {p.actor_id for p in self.problems if p.kind == OVERLOADED}

    @property
    def unused_actor_ids(self) -> set[int]:
        return {p.actor_id for p in self.problems if p.kind == UNUSED}

    def for_activity(self, activity_id: int) -> list[Problem]:
        return [p for p in self.problems if p.activity_id == activity_id]

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "problems": [
                {"kind": p.kind, "message": p.message, "activity_id": p.activity_id,
                 "actor_id": p.actor_id}
                for p in self.problems
            ],
            "per_actor": {str(k): v for k, v in self.per_actor.items()},
            "per_activity": {str(k): v for k, v in self.per_activity.items()},
            "per_letter": self.per_letter,
        }


def _zero() -> dict[str, int]:
    return {letter: 0 for letter in LETTER_ORDER}


def check_grid(activities: Iterable, actors: Iterable, cells: Iterable) -> GridReport:
    """``activities`` and ``actors`` have ``id`` and ``label``; ``cells`` have
    ``activity_id``, ``actor_id`` and ``letter``. Cells of unknown rows or columns
    are ignored."""
    activities, actors = list(activities), list(actors)
    actor_labels = {actor.id: actor.label for actor in actors}
    report = GridReport(
        per_actor={actor.id: _zero() for actor in actors},
        per_activity={activity.id: _zero() for activity in activities},
        per_letter=_zero(),
    )
    accountable: dict[int, list[int]] = {activity.id: [] for activity in activities}
    for cell in cells:
        if cell.activity_id not in report.per_activity or cell.actor_id not in actor_labels:
            continue
        if cell.letter not in report.per_letter:
            continue
        report.per_actor[cell.actor_id][cell.letter] += 1
        report.per_activity[cell.activity_id][cell.letter] += 1
        report.per_letter[cell.letter] += 1
        if cell.letter == "A":
            accountable[cell.activity_id].append(cell.actor_id)

    for activity in activities:
        counts = report.per_activity[activity.id]
        holders = accountable[activity.id]
        if not holders:
            report.problems.append(Problem(NO_ACCOUNTABLE, _(
                "L'activité « %(activity)s » n'a pas de A : désignez l'acteur qui en rend "
                "compte (un seul).", activity=activity.label), activity_id=activity.id))
        elif len(holders) > 1:
            names = ", ".join(actor_labels[actor_id] for actor_id in holders)
            report.problems.append(Problem(MANY_ACCOUNTABLE, _(
                "L'activité « %(activity)s » a %(count)d A (%(names)s) : un seul acteur doit "
                "en rendre compte.", activity=activity.label, count=len(holders), names=names),
                activity_id=activity.id))
        if counts["R"] == 0:
            report.problems.append(Problem(NO_RESPONSIBLE, _(
                "L'activité « %(activity)s » n'a pas de R : désignez au moins un acteur qui "
                "la réalise.", activity=activity.label), activity_id=activity.id))

    for actor in actors:
        counts = report.per_actor[actor.id]
        if counts["A"] > MAX_ACCOUNTABLE:
            report.problems.append(Problem(OVERLOADED, _(
                "« %(actor)s » rend compte de %(count)d activités (plus de %(max)d) : cet "
                "acteur risque d'être surchargé.", actor=actor.label, count=counts["A"],
                max=MAX_ACCOUNTABLE), actor_id=actor.id))
        if not any(counts.values()):
            report.problems.append(Problem(UNUSED, _(
                "« %(actor)s » n'a aucun rôle dans la grille : attribuez-lui une lettre ou "
                "retirez-le.", actor=actor.label), actor_id=actor.id))
    return report
