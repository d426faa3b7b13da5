"""The facilitator's « Tableau » tab of a live session: the board, its cards and clusters.

Routes of the ``live`` blueprint (``facilitation.sessions.live.views``); the board fragment
answers 304 while the board's fingerprint is unchanged.
"""
from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import login_required

from extensions import db
from facilitation.sessions.live import board as board_ops
from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live import participation, projector_views, revision, rules, votes
from facilitation.sessions.live.forms import (
    CardForm,
    ClusterForm,
    MergeForm,
    NewCardForm,
    RenameClusterForm,
)
from facilitation.sessions.live.models import (
    Cluster,
    Contribution,
)
from facilitation.sessions.live.views import bp
from facilitation.sessions.live.web import done, int_or_none, not_modified_or
from facilitation.sessions.models import Meeting
from facilitation.sessions.views import load_session
from territorial.access import can, get_or_404, needs
from territorial.common.errors import DomainError, json_refusal, refuse, show_errors


def _card(card_id: int) -> tuple[Meeting, Contribution]:
    card = get_or_404(Contribution, card_id)
    return load_session(card.session_id), card


def _board_url(session: Meeting, card: Contribution | None = None) -> str:
    return url_for("sessions.live.board", session_id=session.id,
                   _anchor=f"card-{card.id}" if card is not None else None)


def _board_context(session: Meeting, projection: bool) -> dict:
    facilitating = can("facilitate") and not projection
    closed = rules.is_closed(session)
    board = live_queries.load_board(session, include_hidden=facilitating)
    state = participation.live_state(session)
    # a closed session has no vote under way (its closing closed them) and shows no count
    # of people connected
    vote = None if closed else votes.current_vote(session)
    vote_ids = live_queries.vote_card_ids(vote) if vote is not None else set()
    return {
        "session": session, "board": board, "state": state, "facilitating": facilitating,
        "projection": projection, "closed": closed,
        "clock": participation.step_clock(session, state),
        "actions": votes.action_links(list(board.cards)), "vote": vote,
        "vote_card_ids": vote_ids,
        "connected": 0 if closed else live_queries.joined_count(session),
    }


def _board_etag(current: int, projection: bool) -> str:
    """The board's HTML depends on the revision, on what the viewer may do and on the
    language."""
    view = ("f" if can("facilitate") and not projection else "v") + str(int(projection))
    return revision.etag(current, "b", view, g.get("role") or "a", get_locale(),
                         request.args.get("focus", "") if projection else "")


@bp.route("/<int:session_id>/board")
@login_required
@needs("view")
def board(session_id: int):
    session = load_session(session_id)
    projection = request.args.get("projection") == "1"
    context = _board_context(session, projection)
    etag = _board_etag(revision.revision_of(session.id), projection)
    if projection:
        return projector_views.render_board(context, etag)
    new_card_form = card_form = None
    if context["facilitating"] and not context["closed"]:
        new_card_form = _new_card_form(session, formdata=None)
        card_form = ClusterForm(formdata=None)
    return render_template(
        "sessions/live/board.html",
        etag=etag, new_card_form=new_card_form, cluster_form=card_form, **context)


@bp.route("/<int:session_id>/board/fragment")
@login_required
@needs("view")
def board_fragment(session_id: int):
    """Polled every second by the board: 304 after one query while nothing changed."""
    current = revision.probe(session_id, g.territory.id)
    if current is None:
        abort(404)
    projection = request.args.get("projection") == "1"

    def render():
        context = _board_context(load_session(session_id), projection)
        if projection:
            return projector_views.render_board_fragment(context)
        return render_template("sessions/live/_board.html", **context)
    return not_modified_or(_board_etag(current, projection), render)


def _new_card_form(session: Meeting, formdata=True) -> NewCardForm:
    form = NewCardForm() if formdata else NewCardForm(formdata=None)
    form.kind.choices = [(k["key"], k["label"]) for k in rules.kinds_for(session)]
    if not formdata:  # the names a search without JavaScript found (``add_card``)
        form.organisation_id.query = request.args.get("organisation_id-q", "")[:200]
    return form


@bp.route("/<int:session_id>/board/cards", methods=["POST"])
@login_required
@needs("facilitate")
def add_card(session_id: int):
    session = load_session(session_id)
    form = _new_card_form(session)
    target = url_for("sessions.live.board", session_id=session.id)
    if form.organisation_id.search_pressed:
        return redirect(url_for("sessions.live.board", session_id=session.id,
                                _anchor="add-card-title",
                                **{"organisation_id-q": form.organisation_id.query}))
    if not form.validate():
        return refuse(DomainError(_("Le formulaire n'est pas valide.")), target)
    try:
        card = board_ops.add_card(session, kind=form.kind.data, text=form.text.data or "",
                                  author_name=form.author_name.data or "",
                                  organisation_id=form.organisation_id.data,
                                  state=participation.live_state(session))
    except DomainError as error:
        return refuse(error, target)
    return done(_("Carte ajoutée au tableau."), _board_url(session, card))


@bp.route("/<int:session_id>/board/clusters", methods=["POST"])
@login_required
@needs("facilitate")
def add_cluster(session_id: int):
    session = load_session(session_id)
    form = ClusterForm()
    target = url_for("sessions.live.board", session_id=session.id)
    form.validate()
    try:
        board_ops.create_cluster(session, form.title.data or "")
    except DomainError as error:
        return refuse(error, target)
    return done(_("Regroupement « %(title)s » créé.", title=form.title.data), target)


@bp.route("/<int:session_id>/board/reorder", methods=["POST"])
@login_required
@needs("facilitate")
def reorder(session_id: int):
    """Drag and drop (SortableJS): ``{kind, cluster_id, ids}`` in JSON."""
    session = load_session(session_id)
    data = request.get_json(silent=True) or {}
    try:
        ids = [int(i) for i in data.get("ids", [])]
        cluster_id = int(data["cluster_id"]) if data.get("cluster_id") else None
    except (TypeError, ValueError):
        return jsonify(error=_("Ordre des cartes illisible.")), 400
    try:
        placed = board_ops.reorder(session, str(data.get("kind", "")), cluster_id, ids)
    except DomainError as error:
        return json_refusal(error)
    return jsonify(message=ngettext("%(num)d carte placée.", "%(num)d cartes placées.", placed))


def _render_card_form(session, card, form, status=200, stale=False):
    return render_template("sessions/live/card_form.html", session=session, card=card,
                           form=form, stale=stale), status


@bp.route("/cards/<int:card_id>/edit", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def edit_card(card_id: int):
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
                            version=int_or_none(form.version.data))
    except rules.StaleError as error:
        card = db.session.get(Contribution, card_id, populate_existing=True)
        form.version.data = card.version_id
        return _render_card_form(session, card, form, show_errors(form, error, default="text"),
                                 stale=True)
    except DomainError as error:
        return _render_card_form(session, card, form, show_errors(form, error, default="text"))
    flash(_("Carte enregistrée."), "success")
    return redirect(_board_url(session, card))


def _bool(value: str | None) -> bool | None:
    return None if value is None else value == "1"


@bp.route("/cards/<int:card_id>/flags", methods=["POST"])
@login_required
@needs("facilitate")
def card_flags(card_id: int):
    session, card = _card(card_id)
    try:
        board_ops.set_flags(session, card, highlighted=_bool(request.form.get("highlighted")),
                            hidden=_bool(request.form.get("hidden")))
    except DomainError as error:
        return refuse(error, _board_url(session, card))
    return done(_("Carte mise à jour."), _board_url(session, card))


@bp.route("/cards/<int:card_id>/move", methods=["POST"])
@login_required
@needs("facilitate")
def move_card(card_id: int):
    session, card = _card(card_id)
    try:
        moved = board_ops.move_card(session, card, -1 if request.form.get("direction") == "up"
                                    else 1)
    except DomainError as error:
        return refuse(error, _board_url(session, card))
    return done(_("Carte déplacée.") if moved else _("La carte est déjà au bout de la liste."),
                 _board_url(session, card))


@bp.route("/cards/<int:card_id>/cluster", methods=["POST"])
@login_required
@needs("facilitate")
def card_cluster(card_id: int):
    session, card = _card(card_id)
    cluster = None
    cluster_id = request.form.get("cluster_id", type=int)
    if cluster_id:
        cluster = get_or_404(Cluster, cluster_id)
        if cluster.session_id != session.id:
            abort(404)
    try:
        board_ops.assign_cluster(session, card, cluster)
    except DomainError as error:
        return refuse(error, _board_url(session, card))
    return done(_("Carte rangée dans « %(title)s ».", title=cluster.title) if cluster
                 else _("Carte sortie de son regroupement."), _board_url(session, card))


@bp.route("/cards/<int:card_id>/merge", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def merge_card(card_id: int):
    session, card = _card(card_id)
    board = live_queries.load_board(session)
    candidates = [c for c in board.cards.values() if c.id != card.id]
    form = MergeForm()
    form.sources.choices = [(c.id, votes.short(c.text, 140)) for c in candidates]
    status, stale = 200, False
    if request.method == "GET":
        form.version.data = card.version_id
        form.text.data = card.text
    elif form.validate():
        sources = live_queries.cards_of(session, form.sources.data or [])
        try:
            board_ops.merge_cards(session, card, sources, text=form.text.data,
                                  version=int_or_none(form.version.data))
        except rules.StaleError as error:
            card = db.session.get(Contribution, card_id, populate_existing=True)
            form.version.data = card.version_id
            status, stale = show_errors(form, error, default="text"), True
        except DomainError as error:
            status = show_errors(form, error, default="sources")
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


def _cluster(cluster_id: int) -> tuple[Meeting, Cluster]:
    cluster = get_or_404(Cluster, cluster_id)
    return load_session(cluster.session_id), cluster


@bp.route("/clusters/<int:card_cluster_id>/edit", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def edit_cluster(card_cluster_id: int):
    session, cluster = _cluster(card_cluster_id)
    form = RenameClusterForm(obj=cluster if request.method == "GET" else None)
    status = 200
    if request.method == "GET":
        form.version.data = cluster.version_id
    elif form.validate():
        try:
            board_ops.rename_cluster(session, cluster, form.title.data,
                                     int_or_none(form.version.data))
        except DomainError as error:
            cluster = db.session.get(Cluster, card_cluster_id, populate_existing=True)
            form.version.data = cluster.version_id
            status = show_errors(form, error, default="title")
        else:
            flash(_("Regroupement renommé."), "success")
            return redirect(url_for("sessions.live.board", session_id=session.id))
    else:
        status = 422
    return render_template("sessions/live/cluster_form.html", session=session, cluster=cluster,
                           form=form), status


@bp.route("/clusters/<int:card_cluster_id>/delete", methods=["POST"])
@login_required
@needs("facilitate")
def delete_cluster(card_cluster_id: int):
    session, cluster = _cluster(card_cluster_id)
    target = url_for("sessions.live.board", session_id=session.id)
    try:
        board_ops.delete_cluster(session, cluster)
    except DomainError as error:
        return refuse(error, target)
    return done(_("Regroupement supprimé ; ses cartes restent au tableau."), target)
