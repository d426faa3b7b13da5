"""The live revision of a session: what every live page polls.

One integer per session (``session_revision``) that goes up in the same transaction as any
change of what its live pages show — a card posted, moved, merged, hidden; a cluster; a
vote, an option, a dot; an attendee; the clock; the session itself. A poll reads it in one
query (``probe`` / ``revision_of``) and answers 304 while the client holds the same
revision (``etag``): an unchanged board costs a primary-key lookup, whatever its size,
in any number of app processes (nothing lives in a process).

Nobody calls ``bump`` by hand for ORM changes: a session listener collects the sessions
touched by each flush and bumps them just before the commit (the row lock is held for the
last moment only). A change made with a bulk statement (``delete(Dot)…``) calls
``touch(session_id)``.

To build a live view on top of it: compute ``etag(revision, …what else the view's HTML
depends on…)`` from a probe, and answer with ``live_views.not_modified_or(etag, render)``;
the page's region carries ``data-poll-url`` and ``data-etag`` and ``static/js/live.js``
polls it every ``POLL_INTERVAL_MS``.
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import bindparam, event, func, select, text
from sqlalchemy.orm import Session as OrmSession

from extensions import db
from facilitation.sessions.live.models import (
    Attendee,
    Cluster,
    Contribution,
    Dot,
    DotVote,
    DotVoteOption,
    LiveState,
    SessionRevision,
)
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting

# How often the live pages ask (milliseconds): a card shows within about a second.
POLL_INTERVAL_MS = 1000

PENDING_KEY = "live_revision_sessions"
_BY_SESSION = (Contribution, Cluster, DotVote, Attendee, LiveState, AgendaItem)
_BY_VOTE = (Dot, DotVoteOption)

_BUMP = text(
    "INSERT INTO session_revision (session_id, revision) "
    "SELECT id, 1 FROM session WHERE id IN :ids ORDER BY id "
    "ON CONFLICT (session_id) DO UPDATE SET revision = session_revision.revision + 1"
).bindparams(bindparam("ids", expanding=True))


def touch(session_id: int) -> None:
    """Mark the session as changed by this transaction (for changes the ORM does not
    see, such as bulk statements)."""
    db.session.info.setdefault(PENDING_KEY, set()).add(session_id)


def revision_of(session_id: int) -> int:
    return db.session.scalar(select(SessionRevision.revision).where(
        SessionRevision.session_id == session_id)) or 0


def revision_subquery(session_id_column):
    """The revision of the session ``session_id_column`` names, to add to a probe's
    select (0 before the first change). Core columns (``Table.c``) keep the probe on
    SQLAlchemy's light path: a poll is mostly this statement."""
    table = SessionRevision.__table__
    return func.coalesce(select(table.c.revision).where(
        table.c.session_id == session_id_column).scalar_subquery(), 0)


_SESSION = Meeting.__table__
_PROBE = select(revision_subquery(_SESSION.c.id)).where(
    _SESSION.c.id == bindparam("session_id"), _SESSION.c.territory_id == bindparam("territory"))


def probe(session_id: int, territory_id: int) -> int | None:
    """The revision of a session of this territory, or None if there is none: what a
    facilitator's poll needs before deciding to answer 304 (one query, built once)."""
    return db.session.connection().scalar(
        _PROBE, {"session_id": session_id, "territory": territory_id})


def etag(revision: int, *variant) -> str:
    """An ETag for a live view at ``revision``; ``variant`` names what else its HTML
    depends on (the viewer's role, language, attendee…)."""
    return "-".join(["live", str(revision), *(str(v) for v in variant)])


# The listener ------------------------------------------------------------------------------

def _touched(session: OrmSession) -> tuple[set[int], set[int]]:
    sessions, votes = set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, _BY_SESSION):
            sessions.add(obj.session_id)
        elif isinstance(obj, _BY_VOTE):
            votes.add(obj.vote_id)
        elif isinstance(obj, Meeting):
            sessions.add(obj.id)
    return sessions, votes


@event.listens_for(OrmSession, "after_flush")
def _collect(session: OrmSession, flush_context) -> None:
    sessions, votes = _touched(session)
    if not sessions and not votes:
        return
    pending = session.info.setdefault(PENDING_KEY, set())
    pending |= {s for s in sessions if s is not None}
    pending |= {("vote", v) for v in votes if v is not None}


@event.listens_for(OrmSession, "before_commit")
def _bump(session: OrmSession) -> None:
    session.flush()  # what the commit would flush next, so that it is counted
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    ids = {p for p in pending if isinstance(p, int)}
    vote_ids = [p[1] for p in pending if isinstance(p, tuple)]
    if vote_ids:
        ids |= set(session.scalars(select(DotVote.session_id).where(DotVote.id.in_(vote_ids))))
    if ids:
        session.execute(_BUMP, {"ids": sorted(ids)})


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(PENDING_KEY, None)
