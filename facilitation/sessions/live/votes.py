"""Dot votes, their live results, and the step from retained cards to draft actions.

A participant's dots are numbered rows: casting picks the lowest free number and inserts
it; the database refuses a second row with the same number and any number above the
vote's allowance, so two requests at once can never spend more dots than given. A refused
insert (the number was taken meanwhile) retries with the next free number.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from facilitation.sessions.live import participation, revision, rules
from facilitation.sessions.live.models import (
    MAX_DOTS,
    Attendee,
    Contribution,
    Dot,
    DotVote,
    DotVoteOption,
)
from facilitation.sessions.models import Meeting
from territorial.common.charts import chart_text
from territorial.common.models import utcnow
from territorial.common.errors import DomainError


# Opening and closing ------------------------------------------------------------------------

def open_vote(session: Meeting, title: str, dots: int, card_ids: Sequence[int]
              ) -> DotVote:
    rules.ensure_open(session)
    title = (title or "").strip() or _("Vote à points")
    if len(title) > 300:
        raise DomainError(_("300 caractères au plus pour l'intitulé du vote."))
    if not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
        raise DomainError(_("Chaque participant dispose de 1 à %(max)d points.", max=MAX_DOTS))
    ids = sorted({int(i) for i in card_ids})
    cards = list(db.session.scalars(select(Contribution).where(
        Contribution.session_id == session.id, Contribution.id.in_(ids),
        Contribution.merged_into_id.is_(None), Contribution.hidden.is_(False),
        Contribution.sealed.is_(False))))
    if len(cards) < 2 or len(cards) != len(ids):
        raise DomainError(_("Choisissez au moins deux cartes visibles du tableau."))
    if current_vote(session) is not None:
        raise DomainError(_("Un vote est déjà en cours : clôturez-le avant d'en ouvrir "
                                "un autre."), status=409)
    vote = DotVote(territory_id=session.territory_id, session_id=session.id, title=title,
                   dots_per_participant=dots, status="ouvert", opened_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(vote)
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(_("Un vote est déjà en cours : clôturez-le avant d'en ouvrir "
                                "un autre."), status=409) from error
    db.session.add_all(DotVoteOption(territory_id=session.territory_id, vote_id=vote.id,
                                     contribution_id=card.id) for card in cards)
    participation.ensure_live_state(session).phase = "vote"
    db.session.flush()
    return vote


def close_vote(session: Meeting, vote: DotVote) -> DotVote:
    rules.ensure_not_closed(session)
    if vote.status != "clos":
        vote.status, vote.closed_at = "clos", utcnow()
        state = participation.live_state(session)
        if state is not None and state.phase == "vote":
            state.phase = "discussion"
        db.session.flush()
    return vote


def current_vote(session: Meeting) -> DotVote | None:
    return db.session.scalar(select(DotVote).where(
        DotVote.session_id == session.id, DotVote.status == "ouvert"))


def votes_of(session: Meeting) -> list[DotVote]:
    return list(db.session.scalars(select(DotVote).where(DotVote.session_id == session.id)
                                   .order_by(DotVote.opened_at.desc(), DotVote.id.desc())))


# Casting ---------------------------------------------------------------------------------

def _check_can_vote(session: Meeting, vote: DotVote, attendee: Attendee) -> None:
    rules.ensure_open(session)
    if vote.session_id != session.id or attendee.session_id != session.id:
        raise DomainError(_("Ce vote n'appartient pas à votre séance."), status=403)
    if not vote.is_open:
        raise DomainError(_("Ce vote est clos."), status=409)


def _is_option(vote: DotVote, card_id: int) -> bool:
    return db.session.scalar(select(DotVoteOption.id).where(
        DotVoteOption.vote_id == vote.id, DotVoteOption.contribution_id == card_id)) is not None


def used_numbers(vote: DotVote, attendee: Attendee) -> set[int]:
    return set(db.session.scalars(select(Dot.dot_number).where(
        Dot.vote_id == vote.id, Dot.attendee_id == attendee.id)))


def cast_dot(session: Meeting, vote: DotVote, attendee: Attendee, card_id: int) -> Dot:
    """Put one of the participant's dots on a card; refuses beyond their allowance."""
    _check_can_vote(session, vote, attendee)
    if not _is_option(vote, card_id):
        raise DomainError(_("Cette carte n'est pas soumise au vote."))
    allowance = vote.dots_per_participant
    for _attempt in range(allowance + 2):
        used = used_numbers(vote, attendee)
        free = [n for n in range(1, allowance + 1) if n not in used]
        if not free:
            break
        dot = Dot(territory_id=session.territory_id, vote_id=vote.id, contribution_id=card_id,
                  attendee_id=attendee.id, dot_number=free[0], dots_allowed=allowance)
        try:
            with db.session.begin_nested():
                db.session.add(dot)
        except IntegrityError:
            continue  # that number was taken by a request running at the same time
        return dot
    raise DomainError(ngettext(
        "Vous avez déjà utilisé votre point.",
        "Vous avez déjà utilisé vos %(num)d points.", allowance), status=409)


def withdraw_dot(session: Meeting, vote: DotVote, attendee: Attendee, card_id: int
                 ) -> bool:
    """Take back one of the participant's dots from a card."""
    _check_can_vote(session, vote, attendee)
    dot_id = db.session.scalar(
        select(Dot.id).where(Dot.vote_id == vote.id, Dot.attendee_id == attendee.id,
                             Dot.contribution_id == card_id)
        .order_by(Dot.dot_number.desc()).limit(1))
    if dot_id is None:
        return False
    db.session.execute(delete(Dot).where(Dot.id == dot_id))
    revision.touch(session.id)  # a bulk statement: the listener does not see it
    return True


def set_dots(session: Meeting, vote: DotVote, attendee: Attendee, card_id: int,
             target: int) -> int:
    """Bring the participant's dots on a card to ``target``: what a phone sends, so that
    sending it twice (a lost answer, a queued tap sent when back online) changes nothing
    the second time. Returns the change (+1, -1, 0…); refused beyond the allowance."""
    _check_can_vote(session, vote, attendee)
    if not _is_option(vote, card_id):
        raise DomainError(_("Cette carte n'est pas soumise au vote."))
    if not 0 <= target <= vote.dots_per_participant:
        raise DomainError(ngettext(
            "Vous avez déjà utilisé votre point.",
            "Vous avez déjà utilisé vos %(num)d points.", vote.dots_per_participant),
            status=409)
    current = participant_dots(vote, attendee).get(card_id, 0)
    for _n in range(current, target):
        cast_dot(session, vote, attendee, card_id)
    for _n in range(target, current):
        withdraw_dot(session, vote, attendee, card_id)
    return target - current


def participant_dots(vote: DotVote, attendee: Attendee) -> dict[int, int]:
    """card id → how many of the participant's dots are on it."""
    return dict(db.session.execute(
        select(Dot.contribution_id, func.count(Dot.id))
        .where(Dot.vote_id == vote.id, Dot.attendee_id == attendee.id)
        .group_by(Dot.contribution_id)).all())


# Results -----------------------------------------------------------------------------------

@dataclass
class ResultRow:
    card: Contribution
    dots: int
    rank: int
    tied: bool


@dataclass
class Results:
    vote: DotVote
    rows: list[ResultRow]
    voters: int

    @property
    def total(self) -> int:
        return sum(row.dots for row in self.rows)


def results(vote: DotVote) -> Results:
    """The cards sorted by dots, ranked « 1, 2, 2, 4 » so that ties show."""
    counts = dict(db.session.execute(
        select(DotVoteOption.contribution_id, func.count(Dot.id))
        .select_from(DotVoteOption)
        .outerjoin(Dot, (Dot.vote_id == DotVoteOption.vote_id)
                   & (Dot.contribution_id == DotVoteOption.contribution_id))
        .where(DotVoteOption.vote_id == vote.id)
        .group_by(DotVoteOption.contribution_id)).all())
    cards = {c.id: c for c in db.session.scalars(
        select(Contribution).where(Contribution.id.in_(list(counts))))}
    voters = db.session.scalar(select(func.count(func.distinct(Dot.attendee_id)))
                               .where(Dot.vote_id == vote.id))
    ordered = sorted(cards.values(), key=lambda c: (-counts[c.id], c.kind, c.position, c.id))
    tally = [counts[c.id] for c in ordered]
    rows = []
    for index, card in enumerate(ordered):
        dots = counts[card.id]
        rank = tally.index(dots) + 1
        # cards without a dot share the last place: not a tie worth saying
        rows.append(ResultRow(card, dots, rank, dots > 0 and tally.count(dots) > 1))
    return Results(vote, rows, voters or 0)


def top_card_ids(result: Results, count: int = 3) -> list[int]:
    """The cards ranked within the first ``count`` places (ties at the edge included),
    leaving out cards with no dot."""
    return [row.card.id for row in result.rows if row.rank <= count and row.dots > 0]


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def figure(result: Results) -> dict:
    """A horizontal bar chart (plotly figure dict), the first card on top."""
    rows = list(reversed(result.rows))
    most = max((row.dots for row in rows), default=0)
    labels = [f"{row.rank}. {chart_text(short(row.card.text, 50))}" + (" " + _("(ex æquo)") if row.tied else "")
              for row in rows]
    return {
        "data": [{
            "type": "bar", "orientation": "h",
            "x": [row.dots for row in rows], "y": labels,
            "text": [str(row.dots) for row in rows], "textposition": "auto",
            "marker": {"color": ["#0b5cad" if not row.tied else "#8a5a00" for row in rows]},
            "hovertext": [ngettext("%(num)d point", "%(num)d points", row.dots) for row in rows],
            "hovertemplate": "%{y}<br>%{hovertext}<extra></extra>",
        }],
        "layout": {
            # one tick per point up to 10 points; past that Plotly's own round steps
            "xaxis": {"title": {"text": _("Points")}, "rangemode": "tozero",
                      "tickformat": "d"} | ({"dtick": 1} if most <= 10 else {}),
            "yaxis": {"automargin": True},
            "margin": {"l": 10, "r": 20, "t": 10, "b": 50},
            "height": max(220, 70 + 36 * len(rows)),
            "font": {"family": "system-ui, sans-serif", "size": 14},
        },
    }


# GT2 → GT3: retained cards become draft actions ----------------------------------------------

def _plan_for_session(session: Meeting):
    from facilitation.action_plans import operations as plans

    if session.working_group_id is not None:
        group = session.working_group
        return plans.ensure_plan(session.territory_id, "working_group", session.working_group_id,
                                 _("Plan d'action – %(group)s", group=group.title))
    if session.experiment_id is not None:
        return plans.ensure_plan(session.territory_id, "experiment", session.experiment_id,
                                 _("Plan d'action – %(title)s", title=session.experiment.title))
    raise DomainError(_("Cette séance n'appartient à aucun groupe de travail ni à aucune "
                            "expérimentation : il n'y a pas de plan d'action où créer les "
                            "actions."))


def action_links(card_ids: Sequence[int]) -> dict[int, int]:
    """card id → id of the action it became (if any)."""
    from facilitation.action_plans.models import ActionSource

    ids = list(card_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        select(ActionSource.source_id, ActionSource.action_id)
        .where(ActionSource.source_type == "contribution", ActionSource.source_id.in_(ids))
        ).all())


def retain_cards(session: Meeting, card_ids: Sequence[int], *, scope: str = "participants",
                 horizon: str = "court"):
    """Turn cards into draft actions (« proposée ») of the group's action plan, each linked
    to its card. A card that already became an action is left alone. Returns (plan, new
    actions)."""
    from facilitation.action_plans import operations as plans

    cards = [c for c in db.session.scalars(
        select(Contribution).where(Contribution.session_id == session.id,
                                   Contribution.id.in_([int(i) for i in card_ids]),
                                   Contribution.merged_into_id.is_(None))
        .order_by(Contribution.kind, Contribution.position, Contribution.id))]
    if not cards:
        raise DomainError(_("Choisissez au moins une carte à retenir."))
    plan = _plan_for_session(session)
    done = action_links([c.id for c in cards])
    created = []
    for card in cards:
        if card.id in done:
            continue
        first_line = short(card.text.splitlines()[0] if card.text.strip() else card.text, 300)
        origin = _("Issue de la séance « %(title)s ».", title=session.title)
        try:
            action = plans.create_action(
                plan, title=first_line, description=f"{card.text}\n\n{origin}",
                status="proposee", scope=scope, horizon=horizon,
                owner_organisation_id=card.organisation_id,
            )
        except DomainError as error:
            raise DomainError(error.message) from error
        plans.link_source(action, "contribution", card.id, label=short(card.text, 500))
        created.append(action)
    if created:
        revision.touch(session.id)  # the board's « Devenue action » badges
    return plan, created
