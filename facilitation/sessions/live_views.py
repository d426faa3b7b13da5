"""Views of a session under way.

- ``live`` (``/t/<territory>/sessions/…``): the facilitator's tabs Présences · Tableau ·
  Votes · Compte rendu, the status and the clock, card shaping, votes, minutes;
- ``join`` (``/j``, ``/j/<code>``): participants' phones, without an account.

The live pages poll fragment endpoints that answer 304 while the board's fingerprint (one
query) is unchanged: no state lives in the app process, any number of processes serve.
"""
from __future__ import annotations

import io

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from extensions import db, limiter
from facilitation.sessions.live import board as board_ops
from facilitation.sessions.live import minutes as minutes_ops
from facilitation.sessions.live import participation, rules, votes
from facilitation.sessions.live.forms import (
    CardForm,
    ClusterForm,
    CodeForm,
    ContributionForm,
    GuestForm,
    GuestJoinForm,
    MemberJoinForm,
    MergeForm,
    MinutesForm,
    NewCardForm,
    RenameClusterForm,
    RetainForm,
    VoteForm,
)
from facilitation.sessions.live.models import (
    ATTENDANCE_STATUSES,
    Attendee,
    Cluster,
    Contribution,
    DotVote,
    DotVoteOption,
)
from facilitation.sessions.models import Session as MeetingSession
from facilitation.sessions.views import load_session
from territorial.access import can, get_or_404, require
from territorial.actors.models import Organisation
from territorial.common.blueprints import territory_blueprint
from territorial.common.downloads import send_download
from territorial.common.models import utcnow
from territorial.common.panels import Panel, home_panels
from territorial.common.text import slugify

bp = territory_blueprint("live", __name__, url_prefix="/sessions")
join_bp = Blueprint("join", __name__)


# Shared helpers --------------------------------------------------------------------------

def _is_fetch() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _failed(error: rules.LiveError, target: str):
    """A refused action: JSON for the page's script, else a message and back."""
    db.session.rollback()
    if _is_fetch():
        return jsonify(error=str(error)), error.status
    flash(str(error), "error")
    return redirect(target)


def _done(message: str, target: str):
    if _is_fetch():
        return jsonify(message=message), 200
    flash(message, "success")
    return redirect(target)


def _not_modified_or(etag: str, render):
    """304 when the client already holds ``etag``, else the fragment with its ETag."""
    if etag in request.if_none_match:
        response = make_response("", 304)
    else:
        response = make_response(render())
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache, private"
    response.headers["Vary"] = "Cookie"
    return response


def _organisations(territory_id: int) -> list[tuple[int, str]]:
    return list(db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == territory_id, Organisation.archived_at.is_(None))
        .order_by(Organisation.name)).all())


def _card(card_id: int) -> tuple[MeetingSession, Contribution]:
    card = get_or_404(Contribution, card_id)
    return load_session(card.session_id), card


def _board_url(session: MeetingSession, card: Contribution | None = None) -> str:
    return url_for("live.board", session_id=session.id,
                   _anchor=f"card-{card.id}" if card is not None else None)


@bp.app_errorhandler(rules.LiveError)
def live_error(error: rules.LiveError):
    """Raised by a rule anywhere (the closed-session guard included): a clear message."""
    db.session.rollback()
    if _is_fetch():
        return jsonify(error=str(error)), error.status
    return render_template("errors/error.html", code=error.status, message=str(error)), \
        error.status


@bp.app_template_global()
def live_panel(session: MeetingSession) -> dict:
    """What the session's header shows on every tab: status, join code, clock, level."""
    state = participation.live_state(session)
    items = participation.agenda(session)
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
    rows = db.session.scalars(
        select(MeetingSession)
        .where(MeetingSession.territory_id == territory.id,
               (MeetingSession.status == "ouverte")
               | ((MeetingSession.status == "cloturee")
                  & MeetingSession.minutes_sent_at.is_(None)))
        .order_by(MeetingSession.status.desc(), MeetingSession.starts_at.desc()).limit(6)).all()
    if not rows:
        return None
    items = []
    for s in rows:
        if s.status == "ouverte":
            items.append((_("En cours : %(title)s – ouvrir le tableau", title=s.title),
                          url_for("live.board", session_id=s.id)))
        else:
            items.append((_("Compte rendu à envoyer : %(title)s", title=s.title),
                          url_for("live.minutes", session_id=s.id)))
    return Panel(title=_("Séances en cours et comptes rendus"), items=items, order=15)


# Status, clock, join code -------------------------------------------------------------------

@bp.route("/<int:session_id>/open", methods=["POST"])
@login_required
def open_session(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    try:
        participation.open_session(session)
    except rules.LiveError as error:
        return _failed(error, url_for("sessions.detail", session_id=session_id))
    flash(_("Séance ouverte. Les participants la rejoignent avec le code %(code)s.",
            code=session.join_code), "success")
    return redirect(url_for("live.board", session_id=session.id))


@bp.route("/<int:session_id>/close", methods=["POST"])
@login_required
def close_session(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    try:
        participation.close_session(session)
    except rules.LiveError as error:
        return _failed(error, url_for("sessions.detail", session_id=session_id))
    flash(_("Séance clôturée. Le brouillon du compte rendu est prêt."), "success")
    return redirect(url_for("live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/step", methods=["POST"])
@login_required
def step(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    back = request.form.get("next") or ""
    target = back if back.startswith("/") and not back.startswith("//") else \
        url_for("live.board", session_id=session.id)
    try:
        if request.form.get("step") == "next":
            participation.next_step(session)
        else:
            item_id = request.form.get("agenda_item_id", type=int)
            participation.set_step(session, item_id)
    except rules.LiveError as error:
        return _failed(error, target)
    return _done(_("Point de l'ordre du jour en cours mis à jour."), target)


@bp.route("/<int:session_id>/anonymous", methods=["POST"])
@login_required
def anonymous(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    allowed = request.form.get("allowed") == "1"
    try:
        participation.set_anonymous_allowed(session, allowed)
    except rules.LiveError as error:
        return _failed(error, url_for("live.board", session_id=session.id))
    return _done(_("Les participants peuvent contribuer de façon anonyme.") if allowed
                 else _("Les contributions sont signées."),
                 url_for("live.board", session_id=session.id))


@bp.route("/<int:session_id>/join-code")
@login_required
def join_code(session_id: int):
    """The code and the QR code, large, for the projector."""
    session = load_session(session_id)
    return render_template("sessions/live/join_code.html", session=session)


@bp.route("/<int:session_id>/qr.svg")
@login_required
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

def _render_attendance(session, guest_form=None, status=200):
    rows = participation.attendance_rows(session)
    if guest_form is None:
        guest_form = GuestForm(formdata=None)
    guest_form.organisation_id.choices = [("", _("— Aucune / autre —"))] + [
        (str(i), n) for i, n in _organisations(session.territory_id)]
    return render_template(
        "sessions/live/attendance.html", session=session, rows=rows,
        counts=participation.attendance_counts(rows), statuses=ATTENDANCE_STATUSES,
        guest_form=guest_form, closed=rules.is_closed(session),
    ), status


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int):
    session = load_session(session_id)
    if request.method == "POST":
        require("facilitate")
        statuses = {key.removeprefix("status-"): value for key, value in request.form.items()
                    if key.startswith("status-")}
        try:
            changed = participation.record_attendance(session, statuses)
        except rules.LiveError as error:
            return _failed(error, url_for("live.attendance", session_id=session.id))
        flash(ngettext("%(num)d présence enregistrée.", "%(num)d présences enregistrées.",
                       changed), "success")
        return redirect(url_for("live.attendance", session_id=session.id))
    return _render_attendance(session)


@bp.route("/<int:session_id>/attendance/guests", methods=["POST"])
@login_required
def add_guest(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    form = GuestForm()
    form.organisation_id.choices = [("", "")]
    if not form.validate():
        return _render_attendance(session, form, 422)
    try:
        participation.add_guest(session, form.name.data, form.organisation_name.data or "",
                                form.organisation_id.data, form.status.data)
    except rules.LiveError as error:
        db.session.rollback()
        form.name.errors.append(str(error))
        return _render_attendance(session, form, error.status)
    flash(_("%(name)s ajouté·e aux présences.", name=form.name.data), "success")
    return redirect(url_for("live.attendance", session_id=session.id, _anchor="presences"))


# Board -----------------------------------------------------------------------------------------

def _board_context(session: MeetingSession, projection: bool) -> dict:
    facilitating = can("facilitate") and not projection
    board = board_ops.load_board(session, include_hidden=facilitating)
    state = participation.live_state(session)
    vote = votes.current_vote(session)
    vote_ids = set()
    if vote is not None:
        vote_ids = set(db.session.scalars(select(DotVoteOption.contribution_id)
                                          .where(DotVoteOption.vote_id == vote.id)))
    attendees = db.session.scalar(
        select(func.count()).select_from(Attendee)
        .where(Attendee.session_id == session.id, Attendee.joined_at.is_not(None)))
    return {
        "session": session, "board": board, "state": state, "facilitating": facilitating,
        "projection": projection, "closed": rules.is_closed(session),
        "clock": participation.clock(session, state, participation.agenda(session)),
        "actions": votes.action_links(list(board.cards)), "vote": vote,
        "vote_card_ids": vote_ids, "connected": attendees or 0,
    }


def _board_etag(session: MeetingSession, projection: bool) -> str:
    role = "f" if can("facilitate") and not projection else "v"
    return f"{board_ops.fingerprint(session)}-{role}{int(projection)}-{g.get('role') or 'a'}"


@bp.route("/<int:session_id>/board")
@login_required
def board(session_id: int):
    session = load_session(session_id)
    projection = request.args.get("projection") == "1"
    context = _board_context(session, projection)
    new_card_form = card_form = None
    if context["facilitating"] and not context["closed"]:
        new_card_form = _new_card_form(session, formdata=None)
        card_form = ClusterForm(formdata=None)
    return render_template(
        "sessions/live/board.html", etag=_board_etag(session, projection),
        new_card_form=new_card_form, cluster_form=card_form, **context)


@bp.route("/<int:session_id>/board/fragment")
@login_required
def board_fragment(session_id: int):
    session = load_session(session_id)
    projection = request.args.get("projection") == "1"
    return _not_modified_or(
        _board_etag(session, projection),
        lambda: render_template("sessions/live/_board.html",
                                **_board_context(session, projection)))


def _new_card_form(session: MeetingSession, formdata=True) -> NewCardForm:
    form = NewCardForm() if formdata else NewCardForm(formdata=None)
    form.kind.choices = [(k["key"], k["label"]) for k in rules.kinds_for(session)]
    form.organisation_id.choices = [("", _("— Aucune —"))] + [
        (str(i), n) for i, n in _organisations(session.territory_id)]
    return form


@bp.route("/<int:session_id>/board/cards", methods=["POST"])
@login_required
def add_card(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    form = _new_card_form(session)
    target = url_for("live.board", session_id=session.id)
    if not form.validate():
        return _failed(rules.LiveError(_("Le formulaire n'est pas valide.")), target)
    try:
        card = board_ops.add_card(session, kind=form.kind.data, text=form.text.data or "",
                                  author_name=form.author_name.data or "",
                                  organisation_id=form.organisation_id.data,
                                  state=participation.live_state(session))
    except rules.LiveError as error:
        return _failed(error, target)
    return _done(_("Carte ajoutée au tableau."), _board_url(session, card))


@bp.route("/<int:session_id>/board/clusters", methods=["POST"])
@login_required
def add_cluster(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    form = ClusterForm()
    target = url_for("live.board", session_id=session.id)
    form.validate()
    try:
        board_ops.create_cluster(session, form.title.data or "")
    except rules.LiveError as error:
        return _failed(error, target)
    return _done(_("Regroupement « %(title)s » créé.", title=form.title.data), target)


@bp.route("/<int:session_id>/board/reorder", methods=["POST"])
@login_required
def reorder(session_id: int):
    """Drag and drop (SortableJS): ``{kind, cluster_id, ids}`` in JSON."""
    require("facilitate")
    session = load_session(session_id)
    data = request.get_json(silent=True) or {}
    try:
        ids = [int(i) for i in data.get("ids", [])]
        cluster_id = int(data["cluster_id"]) if data.get("cluster_id") else None
    except (TypeError, ValueError):
        return jsonify(error=_("Ordre des cartes illisible.")), 400
    try:
        placed = board_ops.reorder(session, str(data.get("kind", "")), cluster_id, ids)
    except rules.LiveError as error:
        db.session.rollback()
        return jsonify(error=str(error)), error.status
    return jsonify(message=ngettext("%(num)d carte placée.", "%(num)d cartes placées.", placed))


def _render_card_form(session, card, form, status=200, stale=False):
    return render_template("sessions/live/card_form.html", session=session, card=card,
                           form=form, stale=stale), status


@bp.route("/cards/<int:card_id>/edit", methods=["GET", "POST"])
@login_required
def edit_card(card_id: int):
    require("facilitate")
    session, card = _card(card_id)
    form = CardForm(obj=card if request.method == "GET" else None)
    form.kind.choices = [(k["key"], k["label"]) for k in rules.kinds_for(session)]
    if request.method == "GET":
        form.version.data = card.version_id
        return _render_card_form(session, card, form)
    if not form.validate():
        return _render_card_form(session, card, form, 422)
    try:
        board_ops.edit_card(session, card, text=form.text.data or "", kind=form.kind.data,
                            version=_int(form.version.data))
    except rules.StaleError as error:
        db.session.rollback()
        card = db.session.get(Contribution, card_id, populate_existing=True)
        form.version.data = card.version_id
        form.text.errors.append(str(error))
        return _render_card_form(session, card, form, 409, stale=True)
    except rules.LiveError as error:
        db.session.rollback()
        form.text.errors.append(str(error))
        return _render_card_form(session, card, form, error.status)
    flash(_("Carte enregistrée."), "success")
    return redirect(_board_url(session, card))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bool(value: str | None) -> bool | None:
    return None if value is None else value == "1"


@bp.route("/cards/<int:card_id>/flags", methods=["POST"])
@login_required
def card_flags(card_id: int):
    require("facilitate")
    session, card = _card(card_id)
    try:
        board_ops.set_flags(session, card, highlighted=_bool(request.form.get("highlighted")),
                            hidden=_bool(request.form.get("hidden")))
    except rules.LiveError as error:
        return _failed(error, _board_url(session, card))
    return _done(_("Carte mise à jour."), _board_url(session, card))


@bp.route("/cards/<int:card_id>/move", methods=["POST"])
@login_required
def move_card(card_id: int):
    require("facilitate")
    session, card = _card(card_id)
    try:
        moved = board_ops.move_card(session, card, -1 if request.form.get("direction") == "up"
                                    else 1)
    except rules.LiveError as error:
        return _failed(error, _board_url(session, card))
    return _done(_("Carte déplacée.") if moved else _("La carte est déjà au bout de la liste."),
                 _board_url(session, card))


@bp.route("/cards/<int:card_id>/cluster", methods=["POST"])
@login_required
def card_cluster(card_id: int):
    require("facilitate")
    session, card = _card(card_id)
    cluster = None
    cluster_id = request.form.get("cluster_id", type=int)
    if cluster_id:
        cluster = get_or_404(Cluster, cluster_id)
        if cluster.session_id != session.id:
            abort(404)
    try:
        board_ops.assign_cluster(session, card, cluster)
    except rules.LiveError as error:
        return _failed(error, _board_url(session, card))
    return _done(_("Carte rangée dans « %(title)s ».", title=cluster.title) if cluster
                 else _("Carte sortie de son regroupement."), _board_url(session, card))


@bp.route("/cards/<int:card_id>/merge", methods=["GET", "POST"])
@login_required
def merge_card(card_id: int):
    require("facilitate")
    session, card = _card(card_id)
    board = board_ops.load_board(session)
    candidates = [c for c in board.cards.values() if c.id != card.id]
    form = MergeForm()
    form.sources.choices = [(c.id, votes.short(c.text, 140)) for c in candidates]
    status, stale = 200, False
    if request.method == "GET":
        form.version.data = card.version_id
        form.text.data = card.text
    elif form.validate():
        sources = board_ops.cards_of(session, form.sources.data or [])
        try:
            board_ops.merge_cards(session, card, sources, text=form.text.data,
                                  version=_int(form.version.data))
        except rules.StaleError as error:
            db.session.rollback()
            card = db.session.get(Contribution, card_id, populate_existing=True)
            form.version.data = card.version_id
            form.text.errors.append(str(error))
            status, stale = 409, True
        except rules.LiveError as error:
            db.session.rollback()
            form.sources.errors.append(str(error))
            status = error.status
        else:
            flash(ngettext("%(num)d carte fusionnée ; ses auteurs sont conservés.",
                           "%(num)d cartes fusionnées ; leurs auteurs sont conservés.",
                           len(sources)), "success")
            return redirect(_board_url(session, card))
    else:
        status = 422
    return render_template("sessions/live/merge.html", session=session, card=card, form=form,
                           candidates=candidates, stale=stale,
                           current=board.cards.get(card.id)), status


def _cluster(cluster_id: int) -> tuple[MeetingSession, Cluster]:
    cluster = get_or_404(Cluster, cluster_id)
    return load_session(cluster.session_id), cluster


@bp.route("/clusters/<int:card_cluster_id>/edit", methods=["GET", "POST"])
@login_required
def edit_cluster(card_cluster_id: int):
    require("facilitate")
    session, cluster = _cluster(card_cluster_id)
    form = RenameClusterForm(obj=cluster if request.method == "GET" else None)
    status = 200
    if request.method == "GET":
        form.version.data = cluster.version_id
    elif form.validate():
        try:
            board_ops.rename_cluster(session, cluster, form.title.data,
                                     _int(form.version.data))
        except rules.LiveError as error:
            db.session.rollback()
            cluster = db.session.get(Cluster, card_cluster_id, populate_existing=True)
            form.version.data = cluster.version_id
            form.title.errors.append(str(error))
            status = error.status
        else:
            flash(_("Regroupement renommé."), "success")
            return redirect(url_for("live.board", session_id=session.id))
    else:
        status = 422
    return render_template("sessions/live/cluster_form.html", session=session, cluster=cluster,
                           form=form), status


@bp.route("/clusters/<int:card_cluster_id>/delete", methods=["POST"])
@login_required
def delete_cluster(card_cluster_id: int):
    require("facilitate")
    session, cluster = _cluster(card_cluster_id)
    target = url_for("live.board", session_id=session.id)
    try:
        board_ops.delete_cluster(session, cluster)
    except rules.LiveError as error:
        return _failed(error, target)
    return _done(_("Regroupement supprimé ; ses cartes restent au tableau."), target)


# Votes ------------------------------------------------------------------------------------------

def _ordered_cards(board) -> list:
    """Visible cards in board order, the kinds that can become actions first."""
    cards = [card for column in board.columns for group in column.groups
             for card in group.cards if not card.hidden]
    return sorted(cards, key=lambda c: c.kind not in rules.RETAINABLE_KINDS)


def _vote_form(session: MeetingSession, board, formdata=True) -> VoteForm:
    form = VoteForm() if formdata else VoteForm(formdata=None)
    labels = rules.kind_labels(session)
    visible = _ordered_cards(board)
    form.cards.choices = [(c.id, f"{labels.get(c.kind, c.kind)} – {votes.short(c.text, 140)}")
                          for c in visible]
    if not formdata:
        preferred = [c.id for c in visible if c.kind in rules.RETAINABLE_KINDS]
        form.cards.data = preferred or [c.id for c in visible]
        form.title.data = _("Quelles pistes retenir ?") if session.kind == "gt2" else \
            _("Quelles contributions prioriser ?")
    return form


def _retain_form(session, board, results, formdata=True) -> RetainForm:
    form = RetainForm() if formdata else RetainForm(formdata=None)
    labels = rules.kind_labels(session)
    form.cards.choices = [(c.id, f"{labels.get(c.kind, c.kind)} – {votes.short(c.text, 140)}")
                          for c in _ordered_cards(board)]
    if not formdata:
        latest = next((r for r in reversed(results) if r.total), None)
        form.cards.data = votes.top_card_ids(latest) if latest else []
        form.scope.data = "participants"
        form.horizon.data = "court"
    return form


def _render_votes(session, vote_form=None, retain_form=None, status=200):
    board = board_ops.load_board(session)
    all_votes = votes.votes_of(session)
    results = [votes.results(v) for v in reversed(all_votes)]
    return render_template(
        "sessions/live/votes.html", session=session, results=results,
        current=next((r for r in results if r.vote.is_open), None),
        figures={r.vote.id: votes.figure(r) for r in results},
        vote_form=vote_form or _vote_form(session, board, formdata=False),
        retain_form=retain_form or _retain_form(session, board, results, formdata=False),
        actions=votes.action_links(list(board.cards)), closed=rules.is_closed(session),
        etags={r.vote.id: _vote_etag(session) for r in results if r.vote.is_open},
    ), status


def _vote_etag(session: MeetingSession) -> str:
    return f"v-{board_ops.fingerprint(session)}"


@bp.route("/<int:session_id>/votes", methods=["GET", "POST"])
@login_required
def votes_page(session_id: int):
    session = load_session(session_id)
    if request.method == "GET":
        return _render_votes(session)
    require("facilitate")
    board = board_ops.load_board(session)
    form = _vote_form(session, board)
    if not form.validate():
        return _render_votes(session, vote_form=form, status=422)
    try:
        vote = votes.open_vote(session, form.title.data or "", form.dots.data,
                               form.cards.data or [])
    except rules.LiveError as error:
        db.session.rollback()
        form.cards.errors.append(str(error))
        return _render_votes(session, vote_form=form, status=error.status)
    flash(_("Vote ouvert : chaque participant dispose de %(num)d points sur son téléphone.",
            num=vote.dots_per_participant), "success")
    return redirect(url_for("live.votes_page", session_id=session.id, _anchor=f"vote-{vote.id}"))


def _vote(vote_id: int) -> tuple[MeetingSession, DotVote]:
    vote = get_or_404(DotVote, vote_id)
    return load_session(vote.session_id), vote


@bp.route("/votes/<int:dot_vote_id>/results")
@login_required
def vote_results(dot_vote_id: int):
    """The live results of a vote (fragment polled by the votes page)."""
    session, vote = _vote(dot_vote_id)

    def render():
        result = votes.results(vote)
        return render_template("sessions/live/_results.html", session=session, result=result,
                               figure=votes.figure(result),
                               actions=votes.action_links([r.card.id for r in result.rows]))
    return _not_modified_or(_vote_etag(session), render)


@bp.route("/votes/<int:dot_vote_id>/close", methods=["POST"])
@login_required
def close_vote(dot_vote_id: int):
    require("facilitate")
    session, vote = _vote(dot_vote_id)
    target = url_for("live.votes_page", session_id=session.id, _anchor=f"vote-{vote.id}")
    try:
        votes.close_vote(session, vote)
    except rules.LiveError as error:
        return _failed(error, target)
    return _done(_("Vote clos."), target)


@bp.route("/<int:session_id>/retain", methods=["POST"])
@login_required
def retain(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    board = board_ops.load_board(session)
    form = _retain_form(session, board, [])
    if not form.validate() or not form.cards.data:
        if not form.cards.errors:
            form.cards.errors.append(_("Choisissez au moins une carte à retenir."))
        return _render_votes(session, retain_form=form, status=422)
    try:
        plan, created = votes.retain_cards(session, form.cards.data, scope=form.scope.data,
                                           horizon=form.horizon.data)
    except rules.LiveError as error:
        db.session.rollback()
        form.cards.errors.append(str(error))
        return _render_votes(session, retain_form=form, status=error.status)
    if created:
        flash(ngettext("%(num)d action proposée ajoutée au plan « %(plan)s ».",
                       "%(num)d actions proposées ajoutées au plan « %(plan)s ».",
                       len(created), plan=plan.title), "success")
    else:
        flash(_("Ces cartes sont déjà devenues des actions du plan « %(plan)s ».",
                plan=plan.title), "info")
    return redirect(url_for("live.votes_page", session_id=session.id, _anchor="retenir"))


# Minutes ----------------------------------------------------------------------------------------

def _render_minutes(session, form=None, status=200, stale=False):
    if form is None:
        form = MinutesForm(formdata=None)
        form.minutes.data = session.minutes
        form.version.data = session.version_id
    data = minutes_ops.load(session)
    return render_template("sessions/live/minutes.html", session=session, form=form,
                           data=data, stale=stale, blocks=minutes_ops.grouped_blocks(session.minutes),
                           closed=rules.is_closed(session)), status


@bp.route("/<int:session_id>/minutes", methods=["GET", "POST"])
@login_required
def minutes(session_id: int):
    session = load_session(session_id)
    if request.method == "GET":
        return _render_minutes(session)
    require("facilitate")
    form = MinutesForm()
    if not form.validate():
        return _render_minutes(session, form, 422)
    try:
        minutes_ops.set_minutes(session, form.minutes.data or "", _int(form.version.data))
    except rules.StaleError as error:
        db.session.rollback()
        db.session.refresh(session)
        form.minutes.errors.append(str(error))
        form.version.data = session.version_id
        return _render_minutes(session, form, 409, stale=True)
    except rules.LiveError as error:
        db.session.rollback()
        form.minutes.errors.append(str(error))
        return _render_minutes(session, form, error.status)
    flash(_("Compte rendu enregistré."), "success")
    return redirect(url_for("live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/minutes/draft", methods=["POST"])
@login_required
def redraft_minutes(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    minutes_ops.redraft(session)
    flash(_("Brouillon du compte rendu rédigé à partir de la séance."), "success")
    return redirect(url_for("live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/minutes/sent", methods=["POST"])
@login_required
def minutes_sent(session_id: int):
    require("facilitate")
    session = load_session(session_id)
    sent = request.form.get("sent", "1") == "1"
    try:
        minutes_ops.mark_sent(session, sent)
    except rules.LiveError as error:
        return _failed(error, url_for("live.minutes", session_id=session.id))
    flash(_("Compte rendu marqué comme envoyé.") if sent
          else _("Compte rendu marqué comme non envoyé."), "success")
    return redirect(url_for("live.minutes", session_id=session.id))


@bp.route("/<int:session_id>/minutes.docx")
@login_required
def minutes_docx(session_id: int):
    session = load_session(session_id)
    data = minutes_ops.build_minutes_docx(minutes_ops.load(session))
    return send_download(data, f"compte-rendu-{slugify(session.title, 60)}.docx")


@bp.route("/<int:session_id>/minutes/print")
@login_required
def minutes_print(session_id: int):
    session = load_session(session_id)
    return render_template("sessions/live/minutes_print.html", session=session,
                           data=minutes_ops.load(session),
                           blocks=minutes_ops.grouped_blocks(session.minutes))


# Phones: /j and /j/<code> ------------------------------------------------------------------------

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
