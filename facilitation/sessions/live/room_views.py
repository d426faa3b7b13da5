"""The facilitator's word on the room (on the board, in the small « Salle » block): who
waits to be admitted, the phase of the session, what the phones show of the board; and
removing a guest from the attendance page."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from facilitation.sessions.live import admission, participation, phases
from facilitation.sessions.live.models import PHASES, PHONE_VIEWS
from facilitation.sessions.live.views import bp, on_attendee
from facilitation.sessions.live.web import done, int_or_none
from facilitation.sessions.models import Meeting
from facilitation.sessions.views import load_session
from territorial.access import needs
from territorial.common.errors import DomainError, refuse
from territorial.common.text import elide


def live_room(session: Meeting) -> dict:
    """What the « Salle » block shows (a template global: the board's fragment includes it)."""
    state = participation.live_state(session)
    return {"waiting": admission.waiting(session), "state": state,
            "phase": phases.phase_of(state), "phases": PHASES, "phone_views": PHONE_VIEWS}


def _board(session_id: int) -> str:
    return url_for("sessions.live.board", session_id=session_id)


@bp.route("/<int:session_id>/admissions", methods=["POST"])
@login_required
@needs("facilitate")
def admissions(session_id: int):
    session = load_session(session_id)
    try:
        if request.form.get("all"):
            count = admission.admit_all(session)
            return done(ngettext("%(num)d personne admise.", "%(num)d personnes admises.",
                                 count), _board(session.id))
        attendee = participation.attendee_of(session, int_or_none(request.form.get("attendee_id")))
        decision = request.form.get("decision")
        if decision == "away":
            admission.turn_away(session, attendee)
            return done(elide(_("Demande de %(name)s refusée.", name=attendee.name), attendee.name),
                        _board(session.id))
        if decision != "admit":  # admitting is never what a request that says nothing means
            raise DomainError(_("Choisissez « Accepter » ou « Refuser »."))
        admission.admit(session, attendee)
    except DomainError as error:
        return refuse(error, _board(session_id))
    return done(_("%(name)s est admis·e.", name=attendee.name), _board(session.id))


@bp.route("/<int:session_id>/attendance/remove", methods=["POST"])
@login_required
@needs("facilitate")
def remove_guest(session_id: int):
    """A guest out for good: their dots vanish, their cards stay."""
    return on_attendee(session_id, admission.remove_guest, lambda attendee: _(
        "%(name)s est retiré·e de la séance, ses points avec.", name=attendee.name))


@bp.route("/<int:session_id>/phase", methods=["POST"])
@login_required
@needs("facilitate")
def phase(session_id: int):
    session = load_session(session_id)
    try:
        if "phone_view" in request.form:
            phases.set_phone_view(session, request.form["phone_view"])
            message = _("Les téléphones montrent : %(what)s.",
                        what=PHONE_VIEWS[request.form["phone_view"]])
        else:
            state = phases.set_phase(session, request.form.get("phase", ""))
            message = _("Phase : %(phase)s.", phase=state.phase_label)
    except DomainError as error:
        return refuse(error, _board(session_id))
    return done(message, _board(session.id))
