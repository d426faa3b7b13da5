"""Participants' phones (blueprint ``join``: ``/j`` and ``/j/<code>``), without an account:
join a session by its code, contribute cards, place dots on a vote, leave.

Limits that fit a room behind one IP: guessing codes is limited by *wrong* codes per IP
(``JOIN_CODE_LIMIT``, on every ``/j/<code>…`` route, joined or not); posting and voting
per phone (``PHONE_RATE_LIMIT``), never per IP. Who may join as whom: ``live.phones``.
The phone page polls a fragment that answers 304 while the session's live revision is
unchanged (one query).
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from extensions import db, limiter
from facilitation.sessions.live import board as board_ops
from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live import (own_cards, participation, phases, phones, revision,
                                         rules, votes)
from facilitation.sessions.live.forms import (
    CodeForm,
    ContributionForm,
    GuestJoinForm,
    MemberJoinForm,
)
from facilitation.sessions.live.models import DotVote
from facilitation.sessions.live.recap import recap
from facilitation.sessions.live.web import done, not_modified_or
from facilitation.sessions.models import Meeting
from territorial.actors import queries as actor_queries
from territorial.common.errors import (DomainError, json_refusal, mark_refused, refuse,
                                       show_errors, wants_json)

bp = Blueprint("join", __name__)


# Limits ---------------------------------------------------------------------------------

def _wrong_code(response) -> bool:
    return bool(g.get("wrong_join_code"))


def _own_code() -> bool:
    return phones.is_own_code((request.view_args or {}).get("code"))


def _phone_key() -> str:
    return phones.device_key() or request.remote_addr or "?"


# Wrong codes per IP, shared by every route that reads a code: only failures count, joined
# or not; a phone reaching the session it joined is never slowed down by its IP's guesses.
code_guesses = limiter.shared_limit(lambda: current_app.config["JOIN_CODE_LIMIT"],
                                    scope="join-code", deduct_when=_wrong_code,
                                    exempt_when=_own_code)
# Posting and voting per phone.
phone_actions = limiter.shared_limit(lambda: current_app.config["PHONE_RATE_LIMIT"],
                                     scope="phone-actions", key_func=_phone_key)

bp.after_request(phones.set_device_cookie)


def _code_session(code: str) -> Meeting:
    """The session of a join code, or a page saying the code is unknown (404)."""
    session = phones.session_by_code(code)
    if session is None:
        g.wrong_join_code = True
        form = CodeForm(formdata=None)
        form.code.data = code
        form.code.errors = [_("Ce code ne correspond à aucune séance. Vérifiez-le à l'écran.")]
        abort(make_response(render_template("join/enter.html", form=form), 404))
    return session


def _unavailable(session: Meeting):
    """A closed session (410: the code has expired) or one not opened yet (409)."""
    if session.status == "cloturee":
        attendee = phones.device_attendee(session, phones.device_key())
        phones.forget_participant()
        return render_template("join/unavailable.html", session=session, closed=True,
                               recap=recap(session, attendee) if attendee else None), 410
    return render_template("join/unavailable.html", session=session,
                           closed=False), 409


@bp.route("/j", methods=["GET", "POST"])
def enter():
    """The code typed here is looked up (and counted if wrong) at ``/j/<code>``."""
    form = CodeForm()
    if form.validate_on_submit():
        return redirect(url_for("join.session", code=phones.normalise_code(form.code.data)))
    if request.args.get("code"):
        return redirect(url_for("join.session", code=phones.normalise_code(
            request.args["code"])))
    return render_template("join/enter.html", form=form), (
        422 if form.errors else 200)


def _join_forms(session: Meeting, formdata=None):
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


@bp.route("/j/<code>", methods=["GET", "POST"])
@code_guesses
def session(code: str):
    session = _code_session(code)
    if session.join_code != code:
        return redirect(url_for("join.session", code=session.join_code))
    if session.status != "ouverte":
        return _unavailable(session)
    attendee = phones.current_participant(session)
    if attendee is not None and request.method == "GET":
        return _render_phone(session, attendee)
    key = phones.device_key(create=True)
    returning = attendee or phones.device_attendee(session, key)
    members, member_form, guest_form = _join_forms(
        session, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        attendee = None
        try:
            if "resume" in request.form and returning is not None:
                attendee = returning
            elif "member-submit" in request.form:
                if member_form.validate() and member_form.person_id.data:
                    attendee = phones.join_as_member(session, member_form.person_id.data, key)
                elif not member_form.person_id.errors:
                    member_form.person_id.errors = [_("Choisissez votre nom dans la liste.")]
            elif guest_form.validate():
                attendee = phones.join_as_guest(session, guest_form.name.data,
                                                guest_form.organisation_name.data or "", key)
        except DomainError as error:
            mark_refused()
            (member_form.person_id if "member-submit" in request.form
             else guest_form.name).errors = [error.message]
            status = error.status
        if attendee is not None and status == 200:
            used = member_form if "member-submit" in request.form else guest_form
            phones.keep_email(attendee, used.email.data)
            phones.remember_participant(session)
            if attendee.waiting:
                flash(_("%(name)s : l'animateur confirme votre arrivée dans un instant.",
                        name=attendee.name), "info")
            else:
                flash(_("Bienvenue, %(name)s : vous pouvez contribuer.", name=attendee.name),
                      "success")
            return redirect(url_for("join.session", code=session.join_code))
        status = status if status != 200 else 422
    return render_template("join/join.html", session=session, members=members,
                           member_form=member_form, guest_form=guest_form,
                           returning=returning), status


def _waiting_message() -> str:
    return _("L'animateur n'a pas encore confirmé votre arrivée : votre texte reste sur ce "
             "téléphone et pourra partir dès qu'il l'aura fait.")


def _participant(code: str, admitted: bool = True) -> tuple[Meeting, object]:
    """The session of the code and this phone's attendee (admitted by the facilitator,
    unless ``admitted`` is false), or the reason why not (in JSON for the page's script:
    it keeps what was not sent and says why)."""
    session = _code_session(code)
    if session.status != "ouverte":
        if wants_json():
            abort(make_response(jsonify(
                error=_("Cette séance est clôturée : votre texte n'a pas pu être envoyé. Il "
                        "reste sur ce téléphone pour que vous puissiez le transmettre.")
                if session.status == "cloturee" else
                _("Cette séance n'est pas encore ouverte."),
                closed=session.status == "cloturee"),
                410 if session.status == "cloturee" else 409))
        abort(make_response(*_unavailable(session)))
    attendee = phones.current_participant(session)
    if attendee is None:
        if wants_json():
            abort(make_response(jsonify(
                error=_("Ce téléphone ne participe plus à la séance : rejoignez-la de nouveau "
                        "avec le code ; votre texte reste sur ce téléphone."),
                rejoin=url_for("join.session", code=session.join_code)), 403))
        abort(make_response(redirect(url_for("join.session", code=session.join_code))))
    if admitted and attendee.waiting:
        if wants_json():
            abort(make_response(jsonify(error=_waiting_message(), waiting=True), 403))
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
        (str(i), n) for i, n in actor_queries.live_organisations(session.territory_id)]
    if not formdata:
        form.kind.data = kinds[0]["key"] if kinds else None
        form.organisation_id.data = attendee.organisation_id
        form.organisation_name.data = "" if attendee.organisation_id else attendee.organisation_name
        form.submission_key.data = board_ops.new_submission_key()
    return form


def _form_error(form: ContributionForm) -> str:
    return next((str(errors[0]) for errors in form.errors.values() if errors),
                _("La contribution n'est pas partie : corrigez ce qui est signalé."))


def _phone_context(session, attendee) -> dict:
    state = participation.live_state(session)
    vote = votes.current_vote(session)
    vote_rows, mine, remaining, result = [], {}, 0, None
    if vote is not None:
        vote_rows = live_queries.vote_cards(vote)
        mine = votes.participant_dots(vote, attendee)
        remaining = vote.dots_per_participant - sum(mine.values())
    else:
        closed = next((v for v in votes.votes_of(session) if not v.is_open), None)
        result = votes.results(closed) if closed is not None else None
    my_cards = live_queries.participant_cards(session, attendee)
    return {
        "session": session, "attendee": attendee, "state": state,
        "phase": phases.phase_of(state),
        "phase_label": state.phase_label if state is not None else "",
        "clock": participation.step_clock(session, state),
        "vote": vote, "vote_rows": vote_rows, "mine": mine, "remaining": remaining,
        "result": result, "my_cards": my_cards, "locked": own_cards.locks(my_cards),
        "retained": votes.action_links([c.id for c in my_cards]),
        "board_cards": live_queries.phone_board(session, state.phone_view if state else "tout"),
        "phone_view": state.phone_view if state else "tout",
        "labels": rules.kind_labels(session),
    }


def _render_phone(session, attendee, form=None, status=200):
    context = _phone_context(session, attendee)
    if form is None:
        form = _contribution_form(session, attendee, context["state"], formdata=False)
    current = revision.revision_of(session.id)
    return render_template("join/phone.html", form=form,
                           etag=_phone_etag(current, attendee.id),
                           work_etag=_phone_etag(current, attendee.id, "work"),
                           anonymous_allowed=bool(context["state"] and
                                                  context["state"].anonymous_allowed),
                           **context), status


PHONE_PARTS = {"top": "join/_phone.html", "work": "join/_phone_work.html"}


def _phone_etag(current: int, attendee_id: int, part: str = "top") -> str:
    return revision.etag(current, "p", part, attendee_id, get_locale())


@bp.route("/j/<code>/fragment")
@code_guesses
def fragment(code: str):
    """Polled every second by the phone: 304 after one query while nothing changed. The
    page of a phone waiting for the facilitator asks with ``?waiting=1``: once admitted,
    the answer (409) makes it reload as a full phone page."""
    found = phones.probe(code)
    if found is None or found.status != "ouverte" or found.attendee_id is None \
            or not phones.remembers(found.session_id):
        _participant(code)  # answers why not: unknown code, closed session, not joined

    part = request.args.get("part") if request.args.get("part") in PHONE_PARTS else "top"

    def render():
        session, attendee = _participant(code, admitted=False)
        if request.args.get("waiting") and not attendee.waiting:
            return make_response("", 409)
        return render_template(PHONE_PARTS[part], **_phone_context(session, attendee))

    return not_modified_or(_phone_etag(found.revision, found.attendee_id, part), render)


@bp.route("/j/<code>/contributions", methods=["POST"])
@code_guesses
@phone_actions
def contribute(code: str):
    session, attendee = _participant(code)
    state = participation.live_state(session)
    form = _contribution_form(session, attendee, state)
    form.kind.validate_choice = True
    if not form.validate():
        if wants_json():
            return jsonify(error=_form_error(form)), 422
        return _render_phone(session, attendee, form, 422)
    try:
        card, created = board_ops.post_contribution(
            session, attendee, kind=form.kind.data, text=form.text.data or "",
            submission_key=form.submission_key.data or None, anonymous=form.anonymous.data,
            organisation_id=form.organisation_id.data,
            organisation_name=form.organisation_name.data or "", state=state)
    except DomainError as error:
        if wants_json():
            return json_refusal(error)
        return _render_phone(session, attendee, form, show_errors(form, error, default="text"))
    sent = (_("Contribution envoyée : elle reste cachée au tableau jusqu'à la fin de "
              "l'écriture silencieuse.") if card.sealed
            else _("Contribution envoyée : elle apparaît au tableau."))
    if wants_json():
        return jsonify(id=card.id, created=created, message=sent), 201 if created else 200
    flash(sent if created
          else _("Cette contribution était déjà arrivée : elle n'est pas envoyée deux fois."),
          "success")
    return redirect(url_for("join.session", code=session.join_code, _anchor="contribuer"))


@bp.route("/j/<code>/dots", methods=["POST"])
@code_guesses
@phone_actions
def dot(code: str):
    session, attendee = _participant(code)
    target = url_for("join.session", code=session.join_code, _anchor="vote")
    vote = db.session.get(DotVote, request.form.get("vote_id", type=int) or 0)
    if vote is None or vote.session_id != session.id:
        abort(404)
    card_id = request.form.get("card_id", type=int) or 0
    target_dots = request.form.get("target", type=int)
    try:
        if target_dots is not None:  # the phone's script: idempotent
            change = votes.set_dots(session, vote, attendee, card_id, target_dots)
            message = _("Point retiré.") if change < 0 else _("Point posé.")
        elif request.form.get("change") == "remove":
            votes.withdraw_dot(session, vote, attendee, card_id)
            message = _("Point retiré.")
        else:
            votes.cast_dot(session, vote, attendee, card_id)
            message = _("Point posé.")
    except DomainError as error:
        return refuse(error, target)
    return done(message, target)


@bp.route("/j/<code>/leave", methods=["POST"])
@code_guesses
def leave(code: str):
    phones.leave(_code_session(code))
    flash(_("Vous avez quitté la séance sur ce téléphone."), "info")
    return redirect(url_for("join.enter"))

# The phone's own cards (corrected, withdrawn): routes of this blueprint.
from facilitation.join import own_cards_views  # noqa: E402,F401
