"""Dot votes: opening, the allowance held by the database, ties, live results, and the
step from retained pistes to draft actions of the group's action plan."""
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from facilitation.action_plans.models import Action, ActionPlan, ActionSource
from facilitation.sessions.live import phones, votes
from facilitation.sessions.live.models import Dot, DotVote, DotVoteOption
from tests.live_support import join, live_setup, session_url
from territorial.common.errors import DomainError


@pytest.fixture
def gt2(app, factory):
    setup = live_setup(factory, app, kind="gt2")
    setup.cards = [factory.card(setup.session, text, kind="piste", organisation_id=org.id)
                   for text, org in (("Forum des métiers", setup.association),
                                     ("Bourse de stages", setup.company),
                                     ("Parrainage", setup.association))]
    return setup


def _attendee(session, person):
    return phones.join_as_member(session, person.id)


def test_the_cards_offered_are_the_boards_visible_ones_pistes_first_in_its_order(
        app, client, login, factory, gt2):
    """The votes page lists the cards as the board shows them (by column, outside any
    cluster first, then each cluster's), the pistes first; never a hidden, merged or
    sealed card."""
    session, piste_ids = gt2.session, [c.id for c in gt2.cards]
    later = factory.card_cluster(session, "Plus tard")
    first = factory.card_cluster(session, "D'abord")
    later.position, first.position = 2, 1
    db.session.commit()
    in_later = factory.card(session, "Tutorat", kind="piste", cluster_id=later.id).id
    in_first = factory.card(session, "Stage d'été", kind="piste", cluster_id=first.id).id
    factory.card(session, "Carte masquée", kind="piste", hidden=True)
    factory.card(session, "Doublon", kind="piste", merged_into_id=piste_ids[0])
    factory.card(session, "Carte scellée", kind="piste", sealed=True)
    other = factory.card(session, "Une question", kind="question").id
    unknown = factory.card(session, "Hors méthode", kind="zz_autre").id
    login(gt2.facilitator)
    page = client.get(session_url(gt2, "/votes")).get_data(as_text=True)
    offered = re.findall(r'id="cards-\d+" name="cards" type="checkbox" value="(\d+)"', page)
    expected = [str(i) for i in [*piste_ids, in_first, in_later, other, unknown]]
    assert offered == expected * 2  # the vote's cards, then the cards to retain
    for text in ("Carte masquée", "Doublon", "Carte scellée"):
        assert text not in page


def test_a_vote_needs_an_open_session_and_two_cards(app, factory, ctx, gt2):
    with pytest.raises(DomainError):
        votes.open_vote(gt2.session, "Vote", 3, [gt2.cards[0].id])
    vote = votes.open_vote(gt2.session, "Quelles pistes ?", 3, [c.id for c in gt2.cards])
    assert vote.is_open and db.session.scalar(select(func.count()).select_from(DotVoteOption)
                                              .where(DotVoteOption.vote_id == vote.id)) == 3
    with pytest.raises(DomainError) as error:
        votes.open_vote(gt2.session, "Un second vote", 3, [c.id for c in gt2.cards])
    assert "déjà en cours" in str(error.value)


def test_the_database_allows_one_open_vote_per_session(app, factory, gt2):
    factory.dot_vote(gt2.session, gt2.cards[:2])
    with pytest.raises(IntegrityError):
        factory.dot_vote(gt2.session, gt2.cards[1:])
    db.session.rollback()


def test_a_participant_cannot_exceed_their_dots(app, factory, ctx, gt2):
    vote = votes.open_vote(gt2.session, "Quelles pistes ?", 3, [c.id for c in gt2.cards])
    attendee = _attendee(gt2.session, gt2.people[0])
    forum, bourse, _ = gt2.cards
    votes.cast_dot(gt2.session, vote, attendee, forum.id)
    votes.cast_dot(gt2.session, vote, attendee, forum.id)  # several dots on one card
    votes.cast_dot(gt2.session, vote, attendee, bourse.id)
    with pytest.raises(DomainError) as error:
        votes.cast_dot(gt2.session, vote, attendee, bourse.id)
    assert "déjà utilisé vos 3 points" in str(error.value)
    assert votes.participant_dots(vote, attendee) == {forum.id: 2, bourse.id: 1}
    assert votes.withdraw_dot(gt2.session, vote, attendee, forum.id)
    votes.cast_dot(gt2.session, vote, attendee, bourse.id)
    assert votes.participant_dots(vote, attendee) == {forum.id: 1, bourse.id: 2}


def test_the_allowance_is_a_database_constraint(app, factory, ctx, gt2):
    """Even code that skipped the rules could not store a 4th dot of 3, nor a dot counted
    against a wrong allowance (this holds on SQLite and PostgreSQL alike)."""
    vote = factory.dot_vote(gt2.session, gt2.cards, dots=3)
    attendee = factory.attendee(gt2.session, gt2.people[0])
    base = {"territory_id": gt2.territory.id, "vote_id": vote.id, "attendee_id": attendee.id,
            "contribution_id": gt2.cards[0].id}
    for number in (1, 2, 3):
        factory._add(Dot(**base, dot_number=number, dots_allowed=3))
    for bad in ({"dot_number": 4, "dots_allowed": 3},   # beyond the allowance
                {"dot_number": 2, "dots_allowed": 3},   # a number used twice
                {"dot_number": 4, "dots_allowed": 5}):  # an allowance that is not the vote's
        with pytest.raises(IntegrityError):
            with db.session.begin_nested():
                db.session.add(Dot(**base, **bad))
    other = factory.card(gt2.session, "Pas au vote", kind="piste")
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Dot(**(base | {"contribution_id": other.id}), dot_number=1,
                               dots_allowed=3))
    assert db.session.scalar(select(func.count()).select_from(Dot)
                             .where(Dot.vote_id == vote.id)) == 3


def test_results_are_sorted_and_show_ties(app, factory, ctx, gt2):
    vote = votes.open_vote(gt2.session, "Quelles pistes ?", 2, [c.id for c in gt2.cards])
    forum, bourse, parrainage = gt2.cards
    plan = {gt2.people[0]: [forum, bourse], gt2.people[1]: [bourse, forum],
            gt2.people[2]: [parrainage]}
    for person, cards in plan.items():
        attendee = _attendee(gt2.session, person)
        for card in cards:
            votes.cast_dot(gt2.session, vote, attendee, card.id)
    result = votes.results(vote)
    assert [(r.card.text, r.dots, r.rank, r.tied) for r in result.rows] == [
        ("Forum des métiers", 2, 1, True), ("Bourse de stages", 2, 1, True),
        ("Parrainage", 1, 3, False)]
    assert result.voters == 3 and result.total == 5
    assert set(votes.top_card_ids(result, 1)) == {forum.id, bourse.id}
    figure = votes.figure(result)
    assert figure["data"][0]["x"] == [1, 2, 2] and "(ex æquo)" in figure["data"][0]["y"][-1]


def test_phones_vote_and_the_results_refresh(app, client, login, factory, gt2):
    facilitator = app.test_client()
    login(gt2.facilitator, target=facilitator)
    response = facilitator.post(session_url(gt2, "/votes"), data={
        "title": "Quelles pistes approfondir ?", "dots": "2", "cards": [c.id for c in gt2.cards]})
    assert response.status_code == 302
    vote = db.session.scalar(select(DotVote).where(DotVote.session_id == gt2.session.id))
    code = gt2.session.join_code
    join(client, code, person=gt2.people[0])
    phone = client.get(f"/j/{code}").get_data(as_text=True)
    assert "Il vous reste 2 points" in phone and "Forum des métiers" in phone
    results_url = f"/t/{gt2.territory.slug}/sessions/votes/{vote.id}/results"
    etag = facilitator.get(results_url).headers["ETag"]
    assert facilitator.get(results_url, headers={"If-None-Match": etag}).status_code == 304
    data = {"vote_id": vote.id, "card_id": gt2.cards[1].id, "change": "add"}
    assert client.post(f"/j/{code}/dots", data=data).status_code == 302
    assert client.post(f"/j/{code}/dots", data=data).status_code == 302
    refused = client.post(f"/j/{code}/dots", data=data, headers={"X-Requested-With": "fetch"})
    assert refused.status_code == 409 and "déjà utilisé vos 2 points" in refused.json["error"]
    fresh = facilitator.get(results_url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    html = fresh.get_data(as_text=True)
    assert "Bourse de stages" in html and "<td>2</td>" in html and "application/json" in html
    page = facilitator.get(session_url(gt2, "/votes")).get_data(as_text=True)
    assert "plotly-cartesian.min.js" in page and "Résultats" in page


def test_closing_the_vote_stops_the_dots(app, client, login, factory, gt2):
    vote = factory.dot_vote(gt2.session, gt2.cards)
    code = gt2.session.join_code
    join(client, code, person=gt2.people[0])
    facilitator = app.test_client()
    login(gt2.facilitator, target=facilitator)
    assert facilitator.post(f"/t/{gt2.territory.slug}/sessions/votes/{vote.id}/close"
                            ).status_code == 302
    response = client.post(f"/j/{code}/dots", data={"vote_id": vote.id,
                                                    "card_id": gt2.cards[0].id},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 409 and response.json["error"] == "Ce vote est clos."


def test_retained_pistes_become_draft_actions_linked_to_their_cards(app, client, login, factory,
                                                                    gt2):
    login(gt2.facilitator)
    retained = gt2.cards[:2]
    response = client.post(session_url(gt2, "/retain"), data={
        "cards": [c.id for c in retained], "scope": "territoire", "horizon": "moyen"})
    assert response.status_code == 302
    plan = db.session.scalar(select(ActionPlan).where(
        ActionPlan.owner_type == "working_group", ActionPlan.owner_id == gt2.group.id))
    assert plan is not None and plan.title == "Plan d'action – GT Insertion des jeunes"
    actions = db.session.scalars(select(Action).where(Action.plan_id == plan.id)
                                 .order_by(Action.position)).all()
    assert [(a.title, a.status, a.scope, a.horizon) for a in actions] == [
        ("Forum des métiers", "proposee", "territoire", "moyen"),
        ("Bourse de stages", "proposee", "territoire", "moyen")]
    assert actions[0].owner_organisation_id == gt2.association.id
    sources = db.session.scalars(select(ActionSource).where(
        ActionSource.action_id.in_([a.id for a in actions]))).all()
    assert {(s.source_type, s.source_id) for s in sources} == {
        ("contribution", retained[0].id), ("contribution", retained[1].id)}
    # Retaining again creates nothing twice.
    client.post(session_url(gt2, "/retain"), data={"cards": [c.id for c in gt2.cards],
                                                    "scope": "participants", "horizon": "court"})
    assert db.session.scalar(select(func.count()).select_from(Action)
                             .where(Action.plan_id == plan.id)) == 3
    board = client.get(session_url(gt2, "/board/fragment")).get_data(as_text=True)
    assert board.count("Devenue action") == 3


def test_retaining_nothing_says_so(app, client, login, factory, gt2):
    login(gt2.facilitator)
    response = client.post(session_url(gt2, "/retain"), data={"scope": "participants",
                                                              "horizon": "court"})
    assert response.status_code == 422
    assert "Choisissez au moins une carte" in response.get_data(as_text=True)
