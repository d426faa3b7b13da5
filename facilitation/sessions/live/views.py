"""A session under way (blueprint ``sessions.live``, nested in ``sessions``:
``/t/<territory>/sessions/…``): the facilitator's tabs Présences · Tableau · Votes · Compte
rendu. This module holds the status, the clock, the join code and the attendance; the board
is in ``board_views``, the votes in ``vote_views``, the minutes in ``minutes_views``; the
participants' phones are the ``join`` blueprint (``facilitation.join``). It also holds the
session header (template global) and the home panel.

The live pages poll fragment endpoints that answer 304 while the session's live revision
(``live.revision``, one query) is unchanged: no state lives in the app process, any number
of processes serve.
"""
from __future__ import annotations

import io

import segno
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from facilitation.sessions.live import participation, revision, rules
from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live.forms import GuestForm, MergeAttendeesForm
from facilitation.sessions.live.models import ATTENDANCE_STATUSES
from facilitation.sessions.live.web import done, int_or_none
from facilitation.sessions.models import Meeting
from facilitation.sessions.views import load_session
from territorial.access import needs
from territorial.common.models import utcnow
from territorial.common.panels import Panel, home_panels
from territorial.common.urls import url_for_ids
from territorial.common.errors import DomainError, next_url, refuse, show_errors
from territorial.common.text import elide


bp = Blueprint("live", __name__)  # registered in the sessions blueprint (app.py)


def live_poll_interval() -> int:
    """How often live regions poll (``data-poll-interval``), in milliseconds."""
    return revision.POLL_INTERVAL_MS


def live_panel(session: Meeting) -> dict:
    """What the session's header shows on every tab: status, join code, clock, level. The
    clock and the agenda are read only while the session is open (shown only then)."""
    under_way = session.status == "ouverte"
    state = participation.live_state(session) if under_way else None
    items = participation.agenda(session) if under_way else []
    clock = participation.clock(session, state, items)
    elapsed = 0
    if clock.started_at is not None:
        elapsed = max(0, int((utcnow() - clock.started_at).total_seconds() // 60))
    return {
        "state": state,
        "clock": clock,
        "elapsed_minutes": elapsed,
        "agenda": items,
        "level": rules.participation_definitions().get(session.participation_level or ""),
        "status_tone": rules.STATUS_TONES.get(session.status, "neutral"),
        "join_url": url_for("join.session", code=session.join_code, _external=True)
        if session.join_code else None,
        "short_url": url_for("join.enter", _external=True),
    }


@home_panels.register
def live_sessions_panel(territory) -> Panel | None:
    """Sessions under way, and closed sessions whose compte rendu is not sent yet."""
    rows = live_queries.sessions_to_follow(territory.id)
    if not rows:
        return None
    board_url = url_for_ids("sessions.live.board", "session_id")
    minutes_url = url_for_ids("sessions.live.minutes", "session_id")
    items = []
    for session_id, title, status in rows:
        if status == "ouverte":
            items.append((_("En cours : %(title)s – ouvrir le tableau", title=title),
                          board_url(session_id)))
        else:
            items.append((_("Compte rendu à envoyer : %(title)s", title=title),
                          minutes_url(session_id)))
    return Panel(title=_("Séances en cours et comptes rendus"), items=items, order=15)


# Status, clock, join code -------------------------------------------------------------------

@bp.route("/<int:session_id>/open", methods=["POST"])
@login_required
@needs("facilitate")
def open_session(session_id: int):
    session = load_session(session_id)
    try:
        participation.open_session(session)
    except DomainError as error:
        return refuse(error, url_for("sessions.detail", session_id=session_id))
    flash(_("Séance ouverte. Les participants la rejoignent avec le code %(code)s.",
            code=session.join_code), "success")
    return redirect(url_for("sessions.live.board", session_id=session.id))


@bp.route("/<int:session_id>/close", methods=["POST"])
@login_required
@needs("facilitate")
def close_session(session_id: int):
    session = load_session(session_id)
    try:
        participation.close_session(session)
    except DomainError as error:
        return refuse(error, url_for("sessions.detail", session_id=session_id))
    flash(_("Séance clôturée. Le brouillon du compte rendu est prêt."), "success")
    return redirect(url_for("sessions.live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/step", methods=["POST"])
@login_required
@needs("facilitate")
def step(session_id: int):
    session = load_session(session_id)
    target = next_url(url_for("sessions.live.board", session_id=session.id))
    try:
        if request.form.get("step") == "next":
            participation.next_step(session)
        else:
            item_id = request.form.get("agenda_item_id", type=int)
            participation.set_step(session, item_id)
    except DomainError as error:
        return refuse(error, target)
    return done(_("Point de l'ordre du jour en cours mis à jour."), target)


@bp.route("/<int:session_id>/anonymous", methods=["POST"])
@login_required
@needs("facilitate")
def anonymous(session_id: int):
    session = load_session(session_id)
    allowed = request.form.get("allowed") == "1"
    try:
        participation.set_anonymous_allowed(session, allowed)
    except DomainError as error:
        return refuse(error, url_for("sessions.live.board", session_id=session.id))
    return done(_("Les participants peuvent contribuer de façon anonyme.") if allowed
                 else _("Les contributions sont signées."),
                 url_for("sessions.live.board", session_id=session.id))


@bp.route("/<int:session_id>/qr.svg")
@login_required
@needs("view")
def qr(session_id: int):
    session = load_session(session_id)
    # Before opening there is no code yet: the QR code leads to the page where one types it.
    target = (url_for("join.session", code=session.join_code, _external=True)
              if session.join_code else url_for("join.enter", _external=True))
    code = segno.make(target, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=8, border=2, xmldecl=False,
              title=_("Rejoindre la séance"))
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "image/svg+xml"
    return response


# Attendance ----------------------------------------------------------------------------------

def _merge_form(session, formdata=None) -> MergeAttendeesForm:
    form = MergeAttendeesForm(formdata=formdata)
    choices = [("", _("— Choisissez —"))] + [
        (a.id, a.name + (f" ({a.organisation_name})" if a.organisation_name else ""))
        for a in participation.attendees(session)]
    form.keep_id.choices = form.other_id.choices = choices
    return form


def _render_attendance(session, guest_form=None, status=200, merge_form=None):
    rows = participation.attendance_rows(session)
    if guest_form is None:
        guest_form = GuestForm(formdata=None)
    return render_template(
        "sessions/live/attendance.html", session=session, rows=rows,
        counts=participation.attendance_counts(rows), statuses=ATTENDANCE_STATUSES,
        guest_form=guest_form, merge_form=merge_form or _merge_form(session),
        phones=[row.attendee for row in rows if row.attendee and row.attendee.device_key],
        closed=rules.is_closed(session),
    ), status


def _attendance_refused(session, form, field: str, error: DomainError, **forms):
    """A refused change: nothing written, the message beside the field, what was typed kept."""
    status = show_errors(form, error, default=field)
    return _render_attendance(session, status=status, **forms)


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
@needs("view", post="facilitate")
def attendance(session_id: int):
    session = load_session(session_id)
    if request.method == "POST":
        statuses = {key.removeprefix("status-"): value for key, value in request.form.items()
                    if key.startswith("status-")}
        try:
            changed = participation.record_attendance(session, statuses)
        except DomainError as error:
            return refuse(error, url_for("sessions.live.attendance", session_id=session.id))
        flash(ngettext("%(num)d présence enregistrée.", "%(num)d présences enregistrées.",
                       changed), "success")
        return redirect(url_for("sessions.live.attendance", session_id=session.id))
    return _render_attendance(session)


@bp.route("/<int:session_id>/attendance/guests", methods=["POST"])
@login_required
@needs("facilitate")
def add_guest(session_id: int):
    session = load_session(session_id)
    form = GuestForm()
    if not form.validate():
        return _render_attendance(session, form, 422)
    try:
        participation.add_guest(session, form.name.data, form.organisation_name.data or "",
                                form.organisation_id.data, form.status.data)
    except DomainError as error:
        return _attendance_refused(session, form, "name", error, guest_form=form)
    flash(_("%(name)s ajouté·e aux présences.", name=form.name.data), "success")
    return redirect(url_for("sessions.live.attendance", session_id=session.id, _anchor="presences"))


@bp.route("/<int:session_id>/attendance/merge", methods=["POST"])
@login_required
@needs("facilitate")
def merge_attendees(session_id: int):
    """Two lines for one person (a phone and the list, a guest who is a member)."""
    session = load_session(session_id)
    form = _merge_form(session, request.form)
    if not form.validate():
        return _render_attendance(session, merge_form=form, status=422)
    try:
        keep = participation.attendee_of(session, form.keep_id.data)
        other = participation.attendee_of(session, form.other_id.data)
        name = (other if other.person_id else keep).name
        removed = participation.merge_attendees(session, keep, other)
    except DomainError as error:
        return _attendance_refused(session, form, "other_id", error, merge_form=form)
    flash(_("Présences fusionnées : %(name)s garde les contributions et les points des deux "
            "lignes.", name=name), "success")
    if removed:
        flash(ngettext("%(num)d point au-delà de ce que le vote accorde à une personne a été "
                       "retiré.", "%(num)d points au-delà de ce que le vote accorde à une "
                       "personne ont été retirés.", removed), "info")
    return redirect(url_for("sessions.live.attendance", session_id=session.id, _anchor="doublons"))


@bp.route("/<int:session_id>/attendance/phones", methods=["POST"])
@login_required
@needs("facilitate")
def release_phone(session_id: int):
    """Free the phone that joined as someone: their name can be chosen again."""
    return on_attendee(session_id, participation.release_phone, lambda attendee: elide(_(
        "Le téléphone de %(name)s est libéré : ce nom peut être choisi de nouveau.",
        name=attendee.name), attendee.name))


def on_attendee(session_id: int, operation, message):
    """A facilitator's change to one attendee of the « Téléphones connectés » list (the
    form's ``attendee_id``): done, or refused with the rule's message."""
    session = load_session(session_id)
    target = url_for("sessions.live.attendance", session_id=session.id, _anchor="telephones")
    try:
        attendee = participation.attendee_of(session, int_or_none(request.form.get("attendee_id")))
        operation(session, attendee)
    except DomainError as error:
        return refuse(error, target)
    return done(message(attendee), target)


# The blueprint's routes written in the other view modules of the capability.
from facilitation.sessions.live import (  # noqa: E402,F401
    board_views,
    minutes_views,
    projector_views,
    room_views,
    vote_views,
)
