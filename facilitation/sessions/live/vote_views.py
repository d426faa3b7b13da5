"""The « Votes » tab of a live session: dot votes, their live results, and retaining the
chosen cards as proposed actions of an action plan.

Routes of the ``live`` blueprint (``facilitation.sessions.live.views``).
"""
from __future__ import annotations

from typing import NamedTuple

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import login_required

from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live import revision, rules, votes
from facilitation.sessions.live.forms import RetainForm, VoteForm
from facilitation.sessions.live.models import DotVote
from facilitation.sessions.live.views import bp
from facilitation.sessions.live.web import done, not_modified_or
from facilitation.sessions.models import Meeting
from facilitation.sessions.views import load_session
from territorial.access import get_or_404, needs
from territorial.common.errors import DomainError, refuse, show_errors


class _Cards(NamedTuple):
    """The visible cards in board order, the kinds that can become actions first, and the
    choices of the forms that list them (« kind – text »)."""
    visible: list
    choices: list


def _cards(session: Meeting) -> _Cards:
    labels = rules.kind_labels(session)
    cards = sorted(live_queries.visible_cards(session, list(labels)),
                   key=lambda c: c.kind not in rules.RETAINABLE_KINDS)
    return _Cards(cards, [(c.id, f"{labels.get(c.kind, c.kind)} – {votes.short(c.text, 140)}")
                          for c in cards])


def _vote_form(session: Meeting, cards: _Cards, formdata=True) -> VoteForm:
    form = VoteForm() if formdata else VoteForm(formdata=None)
    visible, form.cards.choices = cards
    if not formdata:
        preferred = [c.id for c in visible if c.kind in rules.RETAINABLE_KINDS]
        form.cards.data = preferred or [c.id for c in visible]
        form.title.data = _("Quelles pistes retenir ?") if session.kind == "gt2" else \
            _("Quelles contributions prioriser ?")
    return form


def _retain_form(cards: _Cards, results, formdata=True) -> RetainForm:
    form = RetainForm() if formdata else RetainForm(formdata=None)
    form.cards.choices = cards.choices
    if not formdata:
        latest = next((r for r in reversed(results) if r.total), None)
        form.cards.data = votes.top_card_ids(latest) if latest else []
        form.scope.data = "participants"
        form.horizon.data = "court"
    return form


def _render_votes(session, vote_form=None, retain_form=None, status=200, cards=None):
    cards = cards or _cards(session)
    all_votes = votes.votes_of(session)
    results = [votes.results(v) for v in reversed(all_votes)]
    return render_template(
        "sessions/live/votes.html", session=session, results=results,
        current=next((r for r in results if r.vote.is_open), None),
        figures={r.vote.id: votes.figure(r) for r in results},
        vote_form=vote_form or _vote_form(session, cards, formdata=False),
        retain_form=retain_form or _retain_form(cards, results, formdata=False),
        actions=votes.action_links([c.id for c in cards.visible]), closed=rules.is_closed(session),
        etags={r.vote.id: _vote_etag(revision.revision_of(session.id))
               for r in results if r.vote.is_open},
    ), status


def _vote_etag(current: int) -> str:
    return revision.etag(current, "v", get_locale())


@bp.route("/<int:session_id>/votes", methods=["GET", "POST"])
@login_required
@needs("view", post="facilitate")
def votes_page(session_id: int):
    session = load_session(session_id)
    if request.method == "GET":
        return _render_votes(session)
    cards = _cards(session)
    form = _vote_form(session, cards)
    if not form.validate():
        return _render_votes(session, vote_form=form, status=422, cards=cards)
    try:
        vote = votes.open_vote(session, form.title.data or "", form.dots.data,
                               form.cards.data or [])
    except DomainError as error:
        return _render_votes(session, vote_form=form, cards=cards,
                             status=show_errors(form, error, default="cards"))
    flash(_("Vote ouvert : chaque participant dispose de %(num)d points sur son téléphone.",
            num=vote.dots_per_participant), "success")
    return redirect(url_for("sessions.live.votes_page", session_id=session.id, _anchor=f"vote-{vote.id}"))


def _vote(vote_id: int) -> tuple[Meeting, DotVote]:
    vote = get_or_404(DotVote, vote_id)
    return load_session(vote.session_id), vote


@bp.route("/votes/<int:dot_vote_id>/results")
@login_required
@needs("view")
def vote_results(dot_vote_id: int):
    """The live results of a vote (fragment polled by the votes page)."""
    session, vote = _vote(dot_vote_id)

    def render():
        result = votes.results(vote)
        return render_template("sessions/live/_results.html", session=session, result=result,
                               figure=votes.figure(result),
                               actions=votes.action_links([r.card.id for r in result.rows]))
    return not_modified_or(_vote_etag(revision.revision_of(session.id)), render)


@bp.route("/votes/<int:dot_vote_id>/close", methods=["POST"])
@login_required
@needs("facilitate")
def close_vote(dot_vote_id: int):
    session, vote = _vote(dot_vote_id)
    target = url_for("sessions.live.votes_page", session_id=session.id, _anchor=f"vote-{vote.id}")
    try:
        votes.close_vote(session, vote)
    except DomainError as error:
        return refuse(error, target)
    return done(_("Vote clos."), target)


@bp.route("/<int:session_id>/retain", methods=["POST"])
@login_required
@needs("facilitate")
def retain(session_id: int):
    session = load_session(session_id)
    cards = _cards(session)
    form = _retain_form(cards, [])
    if not form.validate() or not form.cards.data:
        if not form.cards.errors:
            form.cards.errors.append(_("Choisissez au moins une carte à retenir."))
        return _render_votes(session, retain_form=form, status=422, cards=cards)
    try:
        plan, created = votes.retain_cards(session, form.cards.data, scope=form.scope.data,
                                           horizon=form.horizon.data)
    except DomainError as error:
        return _render_votes(session, retain_form=form, cards=cards,
                             status=show_errors(form, error, default="cards"))
    if created:
        flash(ngettext("%(num)d action proposée ajoutée au plan « %(plan)s ».",
                       "%(num)d actions proposées ajoutées au plan « %(plan)s ».",
                       len(created), plan=plan.title), "success")
    else:
        flash(_("Ces cartes sont déjà devenues des actions du plan « %(plan)s ».",
                plan=plan.title), "info")
    return redirect(url_for("sessions.live.votes_page", session_id=session.id, _anchor="retenir"))
