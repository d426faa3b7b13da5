"""Participants' phones (``join`` blueprint: ``/j`` and ``/j/<code>``), without an account:
join a session by its code, contribute cards, place dots on a vote, leave.

The phone page polls a fragment that answers 304 while the board's fingerprint is unchanged.
"""
from __future__ import annotations

from flask import (
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from extensions import db, limiter
from facilitation.sessions.live import board as board_ops
from facilitation.sessions.live import participation, rules, votes
from facilitation.sessions.live.forms import (
    CodeForm,
    ContributionForm,
    GuestJoinForm,
    MemberJoinForm,
)
from facilitation.sessions.live.models import Contribution, DotVote, DotVoteOption
from facilitation.sessions.live_views import (
    _done,
    _failed,
    _is_fetch,
    _not_modified_or,
    _organisations,
    join_bp,
)
from facilitation.sessions.models import Session as MeetingSession


def _code_session(code: str) -> MeetingSession:
    """The session of a join code, or a page saying the code is unknown (404)."""
    session = participation.session_by_code(code)
    if session is None:
        form = CodeForm(formdata=None)
        form.code.data = code
        form.code.errors = [_("Ce code ne correspond à aucune séance. Vérifiez-le à l'écran.")]
        abort(make_response(render_template("sessions/live/join_enter.html", form=form), 404))
    return session


def _unavailable(session: MeetingSession):
    """A closed session (410: the code has expired) or one not opened yet (409)."""
    if session.status == "cloturee":
        participation.forget_participant()
        return render_template("sessions/live/join_unavailable.html", session=session,
                               closed=True), 410
    return render_template("sessions/live/join_unavailable.html", session=session,
                           closed=False), 409


def _joined() -> bool:
    """Phones already in a session are not slowed down by the limit on code guesses."""
    return isinstance(participation.cookie.get(participation.COOKIE_KEY), dict)


@join_bp.route("/j", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def enter():
    form = CodeForm()
    if form.validate_on_submit():
        return redirect(url_for("join.session", code=participation.normalise_code(
            form.code.data)))
    if request.args.get("code"):
        return redirect(url_for("join.session", code=participation.normalise_code(
            request.args["code"])))
    return render_template("sessions/live/join_enter.html", form=form), (
        422 if form.errors else 200)


def _join_forms(session: MeetingSession, formdata=None):
    members = participation.group_members(session)
    member_form = MemberJoinForm(formdata=formdata, prefix="member")
    member_form.person_id.choices = [("", _("— Choisissez votre nom —"))] + [
        (p.id, f"{p.full_name}" + (f" ({p.organisation.name})" if p.organisation else ""))
        for p in members]
    if formdata is None and current_user.is_authenticated:
        mine = next((p.id for p in members if p.user_id == current_user.id), None)
        member_form.person_id.data = mine
    guest_form = GuestJoinForm(formdata=formdata, prefix="guest")
    return members, member_form, guest_form


@join_bp.route("/j/<code>", methods=["GET", "POST"])
@limiter.limit("30 per minute", exempt_when=_joined)
def session(code: str):
    session = _code_session(code)
    if session.join_code != code:
        return redirect(url_for("join.session", code=session.join_code))
    if session.status != "ouverte":
        return _unavailable(session)
    attendee = participation.current_participant(session)
    if attendee is not None and request.method == "GET":
        return _render_phone(session, attendee)
    members, member_form, guest_form = _join_forms(
        session, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        attendee = None
        try:
            if "member-submit" in request.form:
                if member_form.validate() and member_form.person_id.data:
                    attendee = participation.join_as_member(session, member_form.person_id.data)
                elif not member_form.person_id.errors:
                    member_form.person_id.errors = [_("Choisissez votre nom dans la liste.")]
            elif guest_form.validate():
                attendee = participation.join_as_guest(session, guest_form.name.data,
                                                       guest_form.organisation_name.data or "")
        except rules.LiveError as error:
            db.session.rollback()
            (member_form.person_id if "member-submit" in request.form
             else guest_form.name).errors = [str(error)]
            status = error.status
        if attendee is not None and status == 200:
            participation.remember_participant(session, attendee)
            flash(_("Bienvenue, %(name)s : vous pouvez contribuer.", name=attendee.name),
                  "success")
            return redirect(url_for("join.session", code=session.join_code))
        status = status if status != 200 else 422
    return render_template("sessions/live/join.html", session=session, members=members,
                           member_form=member_form, guest_form=guest_form), status


def _participant(code: str) -> tuple[MeetingSession, object]:
    """The session of the code and this browser's attendee, or the reason why not."""
    session = _code_session(code)
    if session.status != "ouverte":
        abort(make_response(*_unavailable(session)))
    attendee = participation.current_participant(session)
    if attendee is None:
        abort(make_response(redirect(url_for("join.session", code=session.join_code))))
    return session, attendee


def _contribution_form(session, attendee, state, formdata=True) -> ContributionForm:
    form = ContributionForm() if formdata else ContributionForm(formdata=None)
    current = None
    if state is not None and state.current_agenda_item_id is not None:
        current = next((i for i in participation.agenda(session)
                        if i.id == state.current_agenda_item_id), None)
    kinds = rules.step_kinds(session, current)
    form.kind.choices = [(k["key"], k["label"]) for k in kinds]
    form.organisation_id.choices = [("", _("— En mon nom —"))] + [
        (str(i), n) for i, n in _organisations(session.territory_id)]
    if not formdata:
        form.kind.data = kinds[0]["key"] if kinds else None
        form.organisation_id.data = attendee.organisation_id
        form.organisation_name.data = "" if attendee.organisation_id else attendee.organisation_name
        form.submission_key.data = board_ops.new_submission_key()
    return form


def _phone_context(session, attendee) -> dict:
    state = participation.live_state(session)
    vote = votes.current_vote(session)
    vote_rows, mine, remaining = [], {}, 0
    if vote is not None:
        options = db.session.scalars(
            select(Contribution).join(DotVoteOption,
                                      DotVoteOption.contribution_id == Contribution.id)
            .where(DotVoteOption.vote_id == vote.id)
            .order_by(Contribution.kind, Contribution.position, Contribution.id)).all()
        mine = votes.participant_dots(vote, attendee)
        remaining = vote.dots_per_participant - sum(mine.values())
        vote_rows = options
    return {
        "session": session, "attendee": attendee, "state": state,
        "clock": participation.clock(session, state, participation.agenda(session)),
        "vote": vote, "vote_rows": vote_rows, "mine": mine, "remaining": remaining,
        "my_cards": board_ops.participant_cards(session, attendee),
        "labels": rules.kind_labels(session),
    }


def _render_phone(session, attendee, form=None, status=200):
    context = _phone_context(session, attendee)
    if form is None:
        form = _contribution_form(session, attendee, context["state"], formdata=False)
    return render_template("sessions/live/phone.html", form=form,
                           etag=_phone_etag(session, attendee),
                           anonymous_allowed=bool(context["state"] and
                                                  context["state"].anonymous_allowed),
                           **context), status


def _phone_etag(session, attendee) -> str:
    return f"p-{board_ops.fingerprint(session)}-{attendee.id}"


@join_bp.route("/j/<code>/fragment")
def fragment(code: str):
    session, attendee = _participant(code)
    return _not_modified_or(_phone_etag(session, attendee),
                            lambda: render_template("sessions/live/_phone.html",
                                                    **_phone_context(session, attendee)))


@join_bp.route("/j/<code>/contributions", methods=["POST"])
def contribute(code: str):
    session, attendee = _participant(code)
    state = participation.live_state(session)
    form = _contribution_form(session, attendee, state)
    form.kind.validate_choice = True
    if not form.validate():
        return _render_phone(session, attendee, form, 422)
    try:
        card, created = board_ops.post_contribution(
            session, attendee, kind=form.kind.data, text=form.text.data or "",
            submission_key=form.submission_key.data or None, anonymous=form.anonymous.data,
            organisation_id=form.organisation_id.data,
            organisation_name=form.organisation_name.data or "", state=state)
    except rules.LiveError as error:
        db.session.rollback()
        form.text.errors.append(str(error))
        return _render_phone(session, attendee, form, error.status)
    if _is_fetch():
        return jsonify(id=card.id, created=created), 201 if created else 200
    flash(_("Contribution envoyée : elle apparaît au tableau.") if created
          else _("Cette contribution était déjà arrivée : elle n'est pas envoyée deux fois."),
          "success")
    return redirect(url_for("join.session", code=session.join_code, _anchor="contribuer"))


@join_bp.route("/j/<code>/dots", methods=["POST"])
def dot(code: str):
    session, attendee = _participant(code)
    target = url_for("join.session", code=session.join_code, _anchor="vote")
    vote = db.session.get(DotVote, request.form.get("vote_id", type=int) or 0)
    if vote is None or vote.session_id != session.id:
        abort(404)
    card_id = request.form.get("card_id", type=int) or 0
    try:
        if request.form.get("change") == "remove":
            votes.withdraw_dot(session, vote, attendee, card_id)
            message = _("Point retiré.")
        else:
            votes.cast_dot(session, vote, attendee, card_id)
            message = _("Point posé.")
    except rules.LiveError as error:
        return _failed(error, target)
    return _done(message, target)


@join_bp.route("/j/<code>/leave", methods=["POST"])
def leave(code: str):
    participation.forget_participant()
    flash(_("Vous avez quitté la séance sur ce téléphone."), "info")
    return redirect(url_for("join.enter"))
