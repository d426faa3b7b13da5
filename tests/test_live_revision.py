"""The live revision: every change of what a session's live pages show moves it, in the
same transaction; a poll that finds it unchanged answers 304 after one query (plus, for
the facilitator, the sign-in and territory checks every page makes)."""
from sqlalchemy import select

from extensions import db
from facilitation.sessions.live import board, participation, phones, revision, votes
from facilitation.sessions.live import queries as live_queries
from facilitation.sessions.live.models import Cluster, Contribution, DotVote
from facilitation.sessions.models import Meeting
from tests.live_support import join, live_setup, post_card, session_url


def test_every_live_change_moves_the_revision(app, factory):
    setup = live_setup(factory, app, kind="gt2")
    with app.test_request_context():
        session = phones.session_by_code(setup.session.join_code)  # with its group
        state = participation.live_state(session)
        ids = {}

        def card(n):
            return db.session.get(Contribution, ids[f"card{n}"])

        def post(n):
            attendee = ids.setdefault("attendee", phones.join_as_guest(
                session, "Inès Moulin", "", key="a" * 64))
            made, _ = board.post_contribution(session, attendee, kind="piste",
                                              text=f"Piste {n}", state=state)
            ids[f"card{n}"] = made.id

        def cluster():
            ids["cluster"] = board.create_cluster(session, "Mobilité").id

        def vote():
            ids["vote"] = votes.open_vote(session, "Priorités", 2,
                                          [ids["card1"], ids["card2"]]).id

        def dot(change):
            vote = db.session.get(DotVote, ids["vote"])
            attendee = ids["attendee"]
            if change == "add":
                votes.cast_dot(session, vote, attendee, ids["card1"])
            else:
                votes.withdraw_dot(session, vote, attendee, ids["card1"])

        changes = [
            ("a phone joins", lambda: ids.setdefault("attendee", phones.join_as_guest(
                session, "Inès Moulin", "", key="a" * 64))),
            ("a card is posted", lambda: post(1)),
            ("another card", lambda: post(2)),
            ("the facilitator types a card", lambda: board.add_card(
                session, kind="piste", text="Dit à l'oral", state=state)),
            ("a card is edited", lambda: board.edit_card(session, card(1), text="Piste 1 bis",
                                                         kind="piste", version=None)),
            ("a card is highlighted", lambda: board.set_flags(session, card(1), highlighted=True)),
            ("a card is hidden", lambda: board.set_flags(session, card(2), hidden=True)),
            ("a card is shown again", lambda: board.set_flags(session, card(2), hidden=False)),
            ("a card moves", lambda: board.move_card(session, card(2), -1)),
            ("a cluster is made", cluster),
            ("a card joins it", lambda: board.assign_cluster(
                session, card(1), db.session.get(Cluster, ids["cluster"]))),
            ("the cluster is renamed", lambda: board.rename_cluster(
                session, db.session.get(Cluster, ids["cluster"]), "Se déplacer", None)),
            ("cards are reordered", lambda: board.reorder(
                session, "piste", ids["cluster"], [ids["card2"], ids["card1"]])),
            ("the clock moves on", lambda: participation.next_step(session)),
            ("anonymous allowed", lambda: participation.set_anonymous_allowed(session, True)),
            ("a vote opens", vote),
            ("a dot is placed", lambda: dot("add")),
            ("a dot is taken back", lambda: dot("remove")),
            ("the vote closes", lambda: votes.close_vote(
                session, db.session.get(DotVote, ids["vote"]))),
            ("a card becomes an action", lambda: votes.retain_cards(session, [ids["card1"]])),
            ("the cluster is deleted", lambda: board.delete_cluster(
                session, db.session.get(Cluster, ids["cluster"]))),
            ("attendance is recorded", lambda: participation.record_attendance(
                session, {f"p{setup.people[0].id}": "excuse"})),
            ("the session closes", lambda: participation.close_session(session)),
        ]
        for label, change in changes:
            before = revision.revision_of(session.id)
            change()
            db.session.commit()
            assert revision.revision_of(session.id) > before, label
        # Reading changes nothing.
        before = revision.revision_of(session.id)
        live_queries.load_board(session)
        db.session.commit()
        assert revision.revision_of(session.id) == before


def test_a_refused_change_does_not_move_the_revision(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    before = revision.revision_of(setup.session.id)
    assert post_card(client, code, "   ").status_code == 422
    assert revision.revision_of(setup.session.id) == before


def test_an_unchanged_board_costs_one_query_beyond_the_sign_in(app, client, login, factory,
                                                              count_queries):
    setup = live_setup(factory, app)
    for n in range(5):
        factory.card(setup.session, text=f"Carte {n}")
    login(setup.facilitator)
    url = session_url(setup, "/board/fragment")
    etag = client.get(url).headers["ETag"]
    with count_queries() as queries:
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    # The user with the territory and the user's role in it, in one query: what every page
    # of a territory reads; then the revision (which also checks that the session is of
    # this territory).
    assert len(queries) == 2, queries
    assert "session_revision" in queries[-1]


def test_an_unchanged_phone_costs_one_query(app, client, factory, count_queries):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    etag = client.get(f"/j/{code}/fragment").headers["ETag"]
    with count_queries() as queries:
        response = client.get(f"/j/{code}/fragment", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert len(queries) == 1, queries
    # Another phone's card moves it: the next poll gets the new fragment.
    other = app.test_client()
    join(other, code, person=setup.people[1])
    post_card(other, code, "Du nouveau ailleurs")
    assert client.get(f"/j/{code}/fragment", headers={"If-None-Match": etag}).status_code == 200


def test_a_session_of_another_territory_is_not_found(app, client, login, factory):
    setup = live_setup(factory, app)
    other = live_setup(factory, app)
    login(setup.facilitator)
    url = f"/t/{setup.territory.slug}/sessions/{other.session.id}/board/fragment"
    assert client.get(url).status_code == 404
    assert db.session.scalar(select(Meeting.id).where(
        Meeting.id == other.session.id)) is not None
