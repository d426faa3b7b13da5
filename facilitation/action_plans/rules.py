"""Rules of actions: allowed status changes, the progress of a reopened action, what a
valid action is, SMART advice."""
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _

from facilitation.action_plans.models import HORIZONS, SCOPES, STATUSES
from territorial.indicators.rules import smart_advice

# From each status, where an action may go. « Réalisée » can be reopened (en cours);
# an abandoned action can be reconsidered (proposée or retenue).
TRANSITIONS = {
    "proposee": {"retenue", "abandonnee"},
    "retenue": {"proposee", "en_cours", "realisee", "abandonnee"},
    "en_cours": {"retenue", "realisee", "abandonnee"},
    "realisee": {"en_cours"},
    "abandonnee": {"proposee", "retenue"},
}


def allowed_statuses(current: str) -> list[str]:
    """The statuses an action in ``current`` may move to (``current`` included), in the
    order of the lifecycle."""
    reachable = TRANSITIONS.get(current, set()) | {current}
    return [status for status in STATUSES if status in reachable]


def transition_error(current: str, new: str, reason: str | None = None) -> str | None:
    """Why an action cannot go from ``current`` to ``new`` (None when it can)."""
    if new not in STATUSES:
        return _("Statut inconnu.")
    if new != current and new not in TRANSITIONS.get(current, set()):
        return _(
            "Une action « %(current)s » ne peut pas passer directement à « %(new)s ».",
            current=STATUSES[current], new=STATUSES[new],
        )
    if new == "abandonnee" and not (reason or "").strip():
        return _("Indiquez pourquoi l'action est abandonnée : le motif est obligatoire.")
    return None


# The progress of a « Réalisée » action reopened when its history does not say the one it
# had before (created done, or marked done at 100 %): most of the work was done, not all.
REOPENED_PROGRESS = 90


def progress_before_done(changes: Iterable[dict]) -> int | None:
    """The progress an action had before it was last marked « Réalisée », read from its
    history: ``changes``, its journal's changes ({field: [old, new]}), most recent first.
    None when the history does not say it, or says 100 %."""
    for change in changes:
        status = change.get("status")
        if isinstance(status, list) and status[-1:] == ["realisee"]:
            progress = change.get("progress")
            before = progress[0] if isinstance(progress, list) and progress else None
            return before if isinstance(before, int) and 0 <= before < 100 else None
    return None


def reopened_progress(changes: Iterable[dict]) -> tuple[int, str]:
    """The progress of a « Réalisée » action that leaves that status, and the words that
    tell the user: the progress it had before it was marked done when its history
    (``changes``, as ``progress_before_done``) says it, else ``REOPENED_PROGRESS``."""
    before = progress_before_done(changes)
    if before is not None:
        return before, _("Avancement revenu à %(progress)s %%, celui d'avant « Réalisée ».",
                         progress=before)
    return REOPENED_PROGRESS, _(
        "Avancement mis à %(progress)s %% : l'historique ne dit pas celui d'avant "
        "« Réalisée » ; corrigez-le si besoin.", progress=REOPENED_PROGRESS)


def progress_error(progress, status: str | None = None) -> str | None:
    """Why ``progress`` is not a valid percentage, or not that of an action in ``status``
    (a « Réalisée » action is at 100 %); None when it is."""
    if progress is None or str(progress).strip() == "":
        return _("Indiquez un avancement entre 0 et 100 %.")
    try:
        value = int(str(progress).strip())
    except ValueError:
        return _("L'avancement est un nombre entier entre 0 et 100 %.")
    if not 0 <= value <= 100:
        return _("L'avancement doit être compris entre 0 et 100 %% (%(value)s reçu).", value=value)
    if status == "realisee" and value != 100:
        return _("Une action réalisée est avancée à 100 %% : changez d'abord son statut pour "
                 "indiquer %(value)s %%.", value=value)
    return None


def action_errors(*, title: str, horizon: str, scope: str, status: str,
                  abandon_reason: str = "", progress=0, start_date: date | None = None,
                  due_date: date | None = None, budget_amount=None) -> dict[str, str]:
    """Why an action cannot be saved, by field (empty when it can)."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Donnez un intitulé à l'action.")
    if horizon not in HORIZONS:
        errors["horizon"] = _("Choisissez un horizon : court, moyen ou long terme.")
    if scope not in SCOPES:
        errors["scope"] = _(
            "Choisissez la portée : engagement des participants ou proposition pour le territoire."
        )
    if status not in STATUSES:
        errors["status"] = _("Statut inconnu.")
    elif status == "abandonnee" and not (abandon_reason or "").strip():
        errors["abandon_reason"] = _(
            "Indiquez pourquoi l'action est abandonnée : le motif est obligatoire."
        )
    if (message := progress_error(progress, status)) is not None:
        errors["progress"] = message
    if start_date and due_date and due_date < start_date:
        errors["due_date"] = _(
            "L'échéance est antérieure au début : corrigez l'une des deux dates.")
    if budget_amount is not None and budget_amount < 0:
        errors["budget_amount"] = _("Le budget ne peut pas être négatif.")
    return errors


def action_smart_advice(action, *, indicator_count: int) -> list[str]:
    """SMART advice on an action seen as an objective."""
    return smart_advice(
        f"{action.title} {action.description or ''}",
        has_measure=indicator_count > 0,
        has_date=action.due_date is not None,
        has_owner=action.owner_organisation_id is not None or action.contact_person_id is not None,
        has_means=bool(action.budget_amount or (action.means or "").strip()
                       or (action.funders or "").strip()),
    )
