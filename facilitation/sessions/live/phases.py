"""The phases of a session, like the facilitation tools people know: silent writing
(cards sealed: their author sees them, the board and the other phones do not, until the
facilitator reveals them), discussion and grouping, the vote. The phone says which phase
it is, and shows of the board what the facilitator allows (all cards, the highlighted
ones, none)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import update

from extensions import db
from facilitation.sessions.live import participation, revision, rules
from facilitation.sessions.live.models import PHASES, PHONE_VIEWS, Contribution, LiveState
from facilitation.sessions.models import Meeting
from territorial.common.errors import DomainError


def phase_of(state: LiveState | None) -> str:
    return state.phase if state is not None else "discussion"


def is_silent(state: LiveState | None) -> bool:
    return phase_of(state) == "ecriture"


def reveal(session: Meeting) -> int:
    """Every sealed card of the session shows on the board and the phones."""
    count = db.session.execute(
        update(Contribution).where(Contribution.session_id == session.id,
                                   Contribution.sealed.is_(True))
        .values(sealed=False).execution_options(synchronize_session="fetch")).rowcount
    revision.touch(session.id)
    return count


def set_phase(session: Meeting, phase: str) -> LiveState:
    """Leaving silent writing reveals the cards written in it."""
    rules.ensure_open(session)
    if phase not in PHASES:
        raise DomainError(_("Choisissez une phase de la séance."))
    state = participation.ensure_live_state(session)
    if state.phase == "ecriture" and phase != "ecriture":
        reveal(session)
    state.phase = phase
    db.session.flush()
    return state


def set_phone_view(session: Meeting, view: str) -> LiveState:
    rules.ensure_open(session)
    if view not in PHONE_VIEWS:
        raise DomainError(_("Choisissez ce que les téléphones montrent du tableau."))
    state = participation.ensure_live_state(session)
    state.phone_view = view
    db.session.flush()
    return state
