"""What the room sees on the projector: the join screen, the board and a vote's results.

Pages without the app's menus or buttons, made to fit 1280×720 and 1920×1080 without
scrolling (``static/js/projector.js`` scales the board's type and columns to the screen).
Each polls its fragment like the other live views (``live.revision``: 304 while nothing
changed), so that the count of people joined, the cards, the clock and the results follow
the room. The QR code is drawn by the server (``views.qr``).
"""
from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_babel import get_locale
from flask_login import login_required

from facilitation.sessions.live import participation, revision, rules, votes
from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live.models import DotVote
from facilitation.sessions.live.views import bp
from facilitation.sessions.live.web import not_modified_or
from facilitation.sessions.models import Meeting
from facilitation.sessions.views import load_session
from territorial.access import get_or_404, needs


def short_address() -> str:
    """The join page's address as people type it: no « https:// »."""
    address = url_for("join.enter", _external=True)
    return address.split("://", 1)[-1]


def room(session: Meeting) -> dict:
    """What every projector view shows around its content: the way in (short address, code,
    QR code) while the session is open, the point under way and its clock, who joined."""
    state = participation.live_state(session)
    return {
        "session": session, "closed": rules.is_closed(session),
        "joinable": session.status == "ouverte" and bool(session.join_code),
        "clock": participation.step_clock(session, state),
        "joined": live_queries.joined_count(session), "short_address": short_address(),
    }


def _etag(current: int, *variant) -> str:
    return revision.etag(current, "p", *variant, get_locale())


# The join screen --------------------------------------------------------------------------

@bp.route("/<int:session_id>/join-code")
@login_required
@needs("view")
def join_code(session_id: int):
    """The code and the QR code, large, for the projector; the count of people joined
    follows the room."""
    session = load_session(session_id)
    return render_template("sessions/live/projector/join.html",
                           etag=_etag(revision.revision_of(session.id), "j"), **room(session))


@bp.route("/<int:session_id>/join-code/fragment")
@login_required
@needs("view")
def join_code_fragment(session_id: int):
    current = revision.probe(session_id, g.territory.id)
    session = load_session(session_id)
    return not_modified_or(
        _etag(current, "j"),
        lambda: render_template("sessions/live/projector/_join.html", **room(session)))


# The board -----------------------------------------------------------------------------------

def focus_kind(session: Meeting) -> str | None:
    """The one kind of card shown alone (« ?focus=piste »), if the address asks for one."""
    kind = request.args.get("focus") or None
    return kind if kind in rules.kind_labels(session) else None


def board_context(context: dict) -> dict:
    """The facilitator's board context (``board_views``) with what the projector adds."""
    session = context["session"]
    focus = focus_kind(session)
    columns = [c for c in context["board"].columns if focus is None or c.key == focus]
    return context | room(session) | {"focus": focus, "columns": columns,
                                      "kinds": rules.kinds_for(session)}


def render_board(context: dict, etag: str):
    return render_template("sessions/live/projector/board.html", etag=etag,
                           **board_context(context))


def render_board_fragment(context: dict):
    return render_template("sessions/live/projector/_board.html", **board_context(context))


# A vote's results ------------------------------------------------------------------------------

def _vote(vote_id: int) -> tuple[Meeting, DotVote]:
    vote = get_or_404(DotVote, vote_id)
    return load_session(vote.session_id), vote


def _vote_context(session: Meeting, vote: DotVote) -> dict:
    result = votes.results(vote)
    top = max((row.dots for row in result.rows), default=0)
    return room(session) | {"result": result, "vote": vote, "top": top}


@bp.route("/votes/<int:dot_vote_id>/projection")
@login_required
@needs("view")
def vote_projection(dot_vote_id: int):
    """A vote's results for the projector: bars and card texts, ties shown."""
    session, vote = _vote(dot_vote_id)
    return render_template("sessions/live/projector/vote.html",
                           etag=_etag(revision.revision_of(session.id), "v", vote.id),
                           **_vote_context(session, vote))


@bp.route("/votes/<int:dot_vote_id>/projection/fragment")
@login_required
@needs("view")
def vote_projection_fragment(dot_vote_id: int):
    session, vote = _vote(dot_vote_id)
    return not_modified_or(
        _etag(revision.revision_of(session.id), "v", vote.id),
        lambda: render_template("sessions/live/projector/_vote.html",
                                **_vote_context(session, vote)))
