"""Concurrent requests against the app on PostgreSQL: a participant firing many « +1 »
at once never spends more dots than the vote gives; twelve phones posting at once lose
nothing and duplicate nothing.

These tests commit for real (each thread's request runs in its own connection, as with
several app processes) and delete what they made at the end. Run them with
``TEST_DATABASE=postgresql``; on SQLite they are skipped: SQLite serialises writers, so
requests cannot race there (the database constraint itself is tested on every engine in
test_live_votes.py).
"""
import os
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select

from extensions import db
from facilitation.experiments.methods import get_method
from facilitation.sessions.live import participation
from facilitation.sessions.live.models import Contribution, Dot, DotVote, DotVoteOption
from facilitation.sessions.operations import agenda_from_method, create_session
from facilitation.working_groups.models import WorkingGroup, WorkingGroupMember
from territorial.actors.models import Organisation, Person
from territorial.territories.models import Territory
from tests.live_support import join, post_card

pytestmark = pytest.mark.skipif(
    os.environ.get("TEST_DATABASE") != "postgresql",
    reason="needs PostgreSQL (TEST_DATABASE=postgresql): SQLite serialises writers, so "
           "concurrent requests cannot race; the dot constraint is tested on SQLite in "
           "test_live_votes.py")

PHONES = 12


@pytest.fixture
def committed(app, transaction):
    """A group of 12 and an open GT2 with three pistes and a vote of 3 dots, committed
    through the app's own sessions (not the test's rolled-back transaction)."""
    from datetime import UTC, datetime, timedelta

    saved = db.session
    db.session = db._make_scoped_session({})
    territory_id = None
    try:
        with app.app_context():
            territory = Territory(name="Concurrence", slug="concurrence-live", level="commune")
            db.session.add(territory)
            db.session.flush()
            territory_id = territory.id
            organisation = Organisation(territory_id=territory.id, name="Association",
                                        kind="association")
            db.session.add(organisation)
            db.session.flush()
            people = [Person(territory_id=territory.id, organisation_id=organisation.id,
                             first_name=f"Personne{n}", last_name="Test") for n in range(PHONES)]
            group = WorkingGroup(territory_id=territory.id, title="GT concurrence")
            db.session.add_all([*people, group])
            db.session.flush()
            db.session.add_all(WorkingGroupMember(territory_id=territory.id,
                                                  working_group_id=group.id, person_id=p.id)
                               for p in people)
            start = datetime.now(UTC) - timedelta(minutes=10)
            session = create_session(territory.id, kind="gt2", title="GT2 concurrente",
                                     starts_at=start, ends_at=start + timedelta(hours=2),
                                     working_group_id=group.id,
                                     agenda=agenda_from_method(get_method("agir_ensemble"), "gt2"))
            participation.open_session(session)
            cards = [Contribution(territory_id=territory.id, session_id=session.id, kind="piste",
                                  text=f"Piste {n}", position=n) for n in range(3)]
            db.session.add_all(cards)
            db.session.flush()
            vote = DotVote(territory_id=territory.id, session_id=session.id, title="Vote",
                           dots_per_participant=3, status="ouvert")
            db.session.add(vote)
            db.session.flush()
            db.session.add_all(DotVoteOption(territory_id=territory.id, vote_id=vote.id,
                                             contribution_id=c.id) for c in cards)
            db.session.commit()
            data = SimpleNamespace(session_id=session.id, code=session.join_code,
                                   vote_id=vote.id, card_ids=[c.id for c in cards],
                                   people=[p.id for p in people])
        yield data
    finally:
        try:
            with app.app_context():
                db.session.rollback()
                if territory_id is not None:
                    db.session.execute(delete(Territory).where(Territory.id == territory_id))
                    db.session.commit()
                db.session.remove()
        finally:
            db.session = saved


def _at_once(calls):
    """Run the calls in threads released together; return their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def _phone(app, code, person_id):
    client = app.test_client()
    with app.app_context():  # the facilitator admits the member (tests.live_support.join)
        join(client, code, person=SimpleNamespace(id=person_id))
    return client


def test_concurrent_dots_never_exceed_the_allowance(app, committed):
    phones = [_phone(app, committed.code, person) for person in committed.people[:4]]

    def add_dot(client, card_id):
        return lambda: client.post(
            f"/j/{committed.code}/dots",
            data={"vote_id": committed.vote_id, "card_id": card_id, "change": "add"},
            headers={"X-Requested-With": "fetch"}).status_code

    # Each phone fires 8 « +1 » at once on the three cards: 32 requests for 12 dots.
    calls = [add_dot(client, committed.card_ids[n % 3]) for client in phones for n in range(8)]
    statuses = _at_once(calls)
    assert statuses.count(200) == 4 * 3
    assert set(statuses) <= {200, 409}
    with app.app_context():
        per_voter = db.session.execute(
            select(Dot.attendee_id, func.count(Dot.id), func.max(Dot.dot_number))
            .where(Dot.vote_id == committed.vote_id).group_by(Dot.attendee_id)).all()
    assert len(per_voter) == 4
    assert all(count == 3 and highest == 3 for _attendee, count, highest in per_voter)


def test_twelve_phones_posting_at_once_lose_nothing_and_duplicate_nothing(app, committed):
    phones = [_phone(app, committed.code, person) for person in committed.people]

    def send(index, client):
        # Each phone's form is sent twice (a double tap): same submission key.
        return lambda: post_card(client, committed.code, f"Contribution du téléphone {index}",
                                 kind="piste", key=f"envoi-{index}").status_code

    calls = [send(i, client) for i, client in enumerate(phones)] * 2
    statuses = _at_once(calls)
    assert set(statuses) == {302}
    with app.app_context():
        texts = db.session.scalars(select(Contribution.text).where(
            Contribution.session_id == committed.session_id,
            Contribution.text.like("Contribution du téléphone %"))).all()
    assert sorted(texts) == sorted(f"Contribution du téléphone {i}" for i in range(PHONES))
