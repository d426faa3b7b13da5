"""Validation of a RACI grid: a pure function, no database.

Rules (explained to the user in French):
- a grid without activities, actors or any letter is « vide », never « complète »;
- « A/R » is one actor who answers for the activity and does it: it counts as its A and as
  one of its R;
- every activity has exactly one A (A or A/R: the actor who answers for it);
- every activity has at least one R (R or A/R: an actor who does the work);
- an actor is flagged as overloaded when it answers for more than ``accountable`` activities,
  or carries (R, A or A/R) more than ``load`` activities; both thresholds are the grid's
  (the coordination sets them), ``MAX_ACCOUNTABLE`` and ``MAX_LOAD`` by default;
- an actor with no letter at all is flagged as unused;
- a column of only I's is allowed (an actor kept informed is a real role).
Saving an invalid grid is allowed: it is a work in progress.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _

BOTH = "A/R"
LETTER_ORDER = ("R", "A", BOTH, "C", "I")
ACCOUNTABLE_LETTERS = ("A", BOTH)
RESPONSIBLE_LETTERS = ("R", BOTH)
MAX_ACCOUNTABLE = 3  # more A (or A/R) than this on one actor: overloaded
MAX_LOAD = 5  # more activities carried (R, A or A/R) than this on one actor: overloaded

NO_ACCOUNTABLE = "no_accountable"
MANY_ACCOUNTABLE = "many_accountable"
NO_RESPONSIBLE = "no_responsible"
OVERLOADED = "overloaded"
UNUSED = "unused"


@dataclass(frozen=True)
class Thresholds:
    """When an actor is overloaded: more A than ``accountable``, more R/A than ``load``."""

    accountable: int = MAX_ACCOUNTABLE
    load: int = MAX_LOAD

    @classmethod
    def of(cls, grid) -> "Thresholds":
        """The grid's own thresholds (``max_accountable``, ``max_load``), or the defaults."""
        return cls(getattr(grid, "max_accountable", None) or MAX_ACCOUNTABLE,
                   getattr(grid, "max_load", None) or MAX_LOAD)


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
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def empty(self) -> bool:
        """No activity, no actor or no letter: nothing to call complete."""
        return not self.per_activity or not self.per_actor or not any(self.per_letter.values())

    @property
    def ok(self) -> bool:
        return not self.empty and not self.problems

    @property
    def status(self) -> str:
        """« empty », « complete » or « to_correct »."""
        return "empty" if self.empty else "complete" if self.ok else "to_correct"

    def load(self, actor_id: int) -> int:
        """The activities an actor carries (R, A or A/R)."""
        counts = self.per_actor[actor_id]
        return counts["R"] + counts["A"] + counts[BOTH]

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
            "empty": self.empty,
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


def check_grid(activities: Iterable, actors: Iterable, cells: Iterable,
               thresholds: Thresholds | None = None) -> GridReport:
    """``activities`` and ``actors`` have ``id`` and ``label``; ``cells`` have
    ``activity_id``, ``actor_id`` and ``letter``. Cells of unknown rows or columns
    are ignored."""
    activities, actors = list(activities), list(actors)
    limits = thresholds or Thresholds()
    actor_labels = {actor.id: actor.label for actor in actors}
    report = GridReport(
        per_actor={actor.id: _zero() for actor in actors},
        per_activity={activity.id: _zero() for activity in activities},
        per_letter=_zero(),
        thresholds=limits,
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
        if cell.letter in ACCOUNTABLE_LETTERS:
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
        if counts["R"] + counts[BOTH] == 0:
            report.problems.append(Problem(NO_RESPONSIBLE, _(
                "L'activité « %(activity)s » n'a pas de R : désignez au moins un acteur qui "
                "la réalise.", activity=activity.label), activity_id=activity.id))

    for actor in actors:
        counts = report.per_actor[actor.id]
        answers, load = counts["A"] + counts[BOTH], report.load(actor.id)
        if answers > limits.accountable:
            report.problems.append(Problem(OVERLOADED, _(
                "« %(actor)s » rend compte de %(count)d activités (plus de %(max)d) : cet "
                "acteur risque d'être surchargé.", actor=actor.label, count=answers,
                max=limits.accountable), actor_id=actor.id))
        elif load > limits.load:
            report.problems.append(Problem(OVERLOADED, _(
                "« %(actor)s » réalise ou rend compte de %(count)d activités sur %(total)d "
                "(plus de %(max)d) : cet acteur risque d'être surchargé.", actor=actor.label,
                count=load, total=len(activities), max=limits.load), actor_id=actor.id))
        if not any(counts.values()):
            report.problems.append(Problem(UNUSED, _(
                "« %(actor)s » n'a aucun rôle dans la grille : attribuez-lui une lettre ou "
                "retirez-le.", actor=actor.label), actor_id=actor.id))
    return report
