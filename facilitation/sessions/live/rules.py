"""The rules of a live session, as plain functions the views and the tests call.

- status: préparée → ouverte → clôturée, nothing else; a closed session is read-only
  except for its minutes (enforced for every module by a flush guard, below);
- contributions: the kinds of the method for the session's kind, a text of 1 to 500
  characters, at most ``RATE_LIMIT`` per participant and minute (counted in the database,
  so that it holds across app processes);
- the participation levels and their definitions come from the charter template.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session as OrmSession

from facilitation.sessions.live.models import CARD_MAX_LENGTH, CONTRIBUTION_MAX_LENGTH
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting
from territorial.common.errors import DomainError

TRANSITIONS = {"preparee": ("ouverte",), "ouverte": ("cloturee",), "cloturee": ()}
STATUS_TONES = {"preparee": "neutral", "ouverte": "success", "cloturee": "muted"}

# At most this many contributions per participant over ``RATE_WINDOW_SECONDS``.
RATE_LIMIT = 8
RATE_WINDOW_SECONDS = 60

# Kinds for sessions whose kind the method gives none (copil, plénière…).
GENERIC_KINDS = [
    {"key": "idee", "label": _l("Idée")},
    {"key": "question", "label": _l("Question")},
    {"key": "decision", "label": _l("Proposition de décision")},
]

# Kinds a retained card can come from (GT2 pistes, GT3 actions).
RETAINABLE_KINDS = ("piste", "action", "solution_existante", "idee")

# Session fields a closed session may still change.
EDITABLE_WHEN_CLOSED = {"minutes", "minutes_sent_at", "updated_at", "version_id", "edit_version",
                        "changed_at", "changed_by_id"}


class SessionClosedError(DomainError):
    """The session is closed: nothing of it changes any more but its minutes."""

    status = 409

    def __init__(self, message: str | None = None):
        super().__init__(message or _(
            "Cette séance est clôturée : elle ne se modifie plus, sauf son compte rendu."
        ))


class StaleError(DomainError):
    """Someone changed the object since the form was displayed (optimistic locking)."""

    status = 409


# Status ------------------------------------------------------------------------------

def transition_error(current: str, new: str) -> str | None:
    if new in TRANSITIONS.get(current, ()):
        return None
    if current == "cloturee":
        return _("Cette séance est clôturée : elle ne peut plus être ouverte ni modifiée.")
    if current == new:
        return _("La séance est déjà dans cet état.")
    if current == "preparee" and new == "cloturee":
        return _("Ouvrez la séance avant de la clôturer.")
    return _("Ce changement d'état n'est pas possible.")


def is_closed(session: Meeting) -> bool:
    return session.status == "cloturee"


def ensure_open(session: Meeting) -> None:
    """Contributions and votes need the session under way."""
    if session.status == "cloturee":
        raise SessionClosedError(_(
            "La séance est clôturée : les contributions et les votes ne sont plus acceptés."
        ))
    if session.status != "ouverte":
        raise DomainError(_("La séance n'est pas encore ouverte."), status=409)


def ensure_not_closed(session: Meeting) -> None:
    if session.status == "cloturee":
        raise SessionClosedError()


# Contribution kinds ------------------------------------------------------------------------

@cache
def _method(key: str) -> Mapping[str, Any]:
    from facilitation.experiments.methods import get_method

    return get_method(key)


def method_for(session: Meeting) -> Mapping[str, Any]:
    """The method of the session's experiment (the default method otherwise). The session's
    ``experiment`` must be loaded when it has one."""
    from facilitation.experiments.methods import DEFAULT_METHOD

    key = DEFAULT_METHOD
    if session.experiment_id is not None:
        loaded = inspect(session).dict.get("experiment")
        if loaded is not None:
            key = loaded.method_key
        else:
            from extensions import db
            from facilitation.experiments.models import Experiment

            key = db.session.scalar(select(Experiment.method_key).where(
                Experiment.id == session.experiment_id)) or DEFAULT_METHOD
    return _method(key)


def kinds_for(session: Meeting) -> list[dict[str, str]]:
    """The contribution kinds of the session (key, label), in the method's order."""
    kinds = method_for(session).get("contribution_kinds", {}).get(session.kind)
    if not kinds:
        return [{"key": k["key"], "label": str(k["label"])} for k in GENERIC_KINDS]
    return [{"key": k["key"], "label": str(k["label"])} for k in kinds]


def kind_labels(session: Meeting) -> dict[str, str]:
    return {k["key"]: k["label"] for k in kinds_for(session)}


def step_kinds(session: Meeting, item: AgendaItem | None) -> list[dict[str, str]]:
    """The kinds to offer first at a step: the step's own, then the session's others."""
    kinds = kinds_for(session)
    if item is None or not item.contribution_kinds:
        return kinds
    first = [k for k in kinds if k["key"] in item.contribution_kinds]
    return first + [k for k in kinds if k["key"] not in item.contribution_kinds]


# Texts ----------------------------------------------------------------------------------

def text_error(text: str | None, limit: int = CONTRIBUTION_MAX_LENGTH) -> str | None:
    text = (text or "").strip()
    if not text:
        return _("Écrivez votre contribution avant de l'envoyer.")
    if len(text) > limit:
        return _("%(limit)d caractères au plus : le texte en compte %(count)d. "
                 "Raccourcissez-le ou découpez-le en deux contributions.",
                 limit=limit, count=len(text))
    return None


def card_text_error(text: str | None) -> str | None:
    return text_error(text, CARD_MAX_LENGTH)


# Participation levels -------------------------------------------------------------------

@cache
def participation_definitions() -> dict[str, dict[str, str]]:
    """key → {title, definition} from the Quartier Libre charter template."""
    from territorial.charters import available_charter_templates

    templates = available_charter_templates()
    charter = templates.get("quartier_libre") or next(iter(templates.values()), {})
    levels = charter.get("participation_levels", {}).get("levels", [])
    return {level["key"]: {"title": level["title"],
                           "definition": " ".join(level["definition"].split())}
            for level in levels}


# The flush guard: a closed session is read-only except for its minutes -------------------

def _session_was_closed(session: OrmSession, obj: Meeting) -> bool:
    history = inspect(obj).attrs.status.history
    before = history.deleted[0] if history.deleted else obj.status
    return before == "cloturee"


def _closed_session_ids(session: OrmSession, ids: set[int]) -> set[int]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    known = {i: session.identity_map.get((Meeting, (i,), None)) for i in ids}
    closed = {i for i, s in known.items() if s is not None and _session_was_closed(session, s)}
    unknown = [i for i, s in known.items() if s is None]
    if unknown:
        with session.no_autoflush:
            closed |= set(session.scalars(
                select(Meeting.id).where(Meeting.id.in_(unknown),
                                                Meeting.status == "cloturee")))
    return closed


def _guarded_session_ids(session: OrmSession) -> set[int]:
    from facilitation.sessions.live import models as live

    guarded = (AgendaItem, live.Contribution, live.Cluster, live.DotVote, live.DotVoteOption,
               live.Attendee, live.LiveState)
    ids = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, guarded) and (obj not in session.dirty or session.is_modified(obj)):
            ids.add(getattr(obj, "session_id", None) or _vote_session(session, obj))
    return ids


def _vote_session(session: OrmSession, obj) -> int | None:
    from facilitation.sessions.live.models import DotVote

    vote_id = getattr(obj, "vote_id", None)
    if vote_id is None:
        return None
    vote = session.identity_map.get((DotVote, (vote_id,), None))
    return vote.session_id if vote is not None else None


ALLOW_CLOSED_KEY = "live_allow_closed_changes"


@contextmanager
def closed_sessions_writable():
    """Lift the guard for a moment (demo data, data repairs by an administrator)."""
    from extensions import db

    info = db.session.info
    previous = info.get(ALLOW_CLOSED_KEY, False)
    info[ALLOW_CLOSED_KEY] = True
    try:
        yield
    finally:
        info[ALLOW_CLOSED_KEY] = previous


@event.listens_for(OrmSession, "before_flush")
def _closed_sessions_are_read_only(session: OrmSession, flush_context, instances) -> None:
    if session.info.get(ALLOW_CLOSED_KEY):
        return
    for obj in session.dirty:
        if isinstance(obj, Meeting) and session.is_modified(obj) and \
                _session_was_closed(session, obj):
            changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
            if changed - EDITABLE_WHEN_CLOSED:
                raise SessionClosedError()
    being_deleted = {obj.id for obj in session.deleted if isinstance(obj, Meeting)}
    if _closed_session_ids(session, _guarded_session_ids(session) - being_deleted):
        raise SessionClosedError()
