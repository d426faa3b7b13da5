"""Who a phone may be (security findings of issue 19): dropping the device cookie to come
back as new guests again and again ends up waiting for the facilitator, who can remove a
guest and their dots; a member's name is taken only once the facilitator confirms it."""
from sqlalchemy import select, update

from extensions import db
from facilitation.sessions.live import votes
from facilitation.sessions.live.models import Attendee, Contribution
from territorial.actors.models import Person
from tests.live_support import join, live_setup, post_card, session_url


def _guest(app, code, name, address="203.0.113.7"):
    """A phone with no cookie (a new one, or one that dropped its cookie) joining as a guest
    from ``address``."""
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = address
    response = phone.post(f"/j/{code}", data={"guest-name": name, "guest-submit": "1"})
    assert response.status_code == 302
    return phone


def _dot(phone, code, vote, card):
    return phone.post(f"/j/{code}/dots", data={"vote_id": vote.id, "card_id": card.id},
                      headers={"X-Requested-With": "fetch"})


def test_guests_beyond_a_room_from_one_network_wait_and_can_be_removed_with_their_dots(
        app, factory, login, monkeypatch):
    monkeypatch.setitem(app.config, "JOIN_GUESTS_PER_NETWORK", 3)
    setup = live_setup(factory, app, kind="gt2")
    code = setup.session.join_code
    cards = [factory.card(setup.session, text, kind="piste") for text in ("Forum", "Stages")]
    with app.test_request_context():
        vote = votes.open_vote(setup.session, "Pistes", 3, [c.id for c in cards])
        db.session.commit()

    room = [_guest(app, code, f"Invité {n}") for n in range(3)]
    stuffed = _guest(app, code, "Invité 3")           # the 4th from the same network
    elsewhere = _guest(app, code, "Invitée ailleurs", address="198.51.100.2")
    for phone in [*room, elsewhere]:
        assert _dot(phone, code, vote, cards[0]).status_code == 200
    refused = _dot(stuffed, code, vote, cards[0])
    assert refused.status_code == 403
    assert "n'a pas encore confirmé votre arrivée" in refused.get_json()["error"]
    assert post_card(stuffed, code, "Encore moi").status_code == 302  # back to the page
    assert "Encore moi" not in db.session.scalars(select(Contribution.text)).all()
    page = stuffed.get(f"/j/{code}", follow_redirects=True).get_data(as_text=True)
    assert "L&#39;animateur confirme votre arrivée" in page or \
        "L'animateur confirme votre arrivée" in page

    facilitator = login(setup.facilitator, target=app.test_client())
    board = facilitator.get(session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert "Invité 3 demande à rejoindre comme invité·e" in board
    waiting = db.session.scalar(select(Attendee).where(Attendee.name == "Invité 3"))
    # A request that does not say « Accepter » admits nobody.
    waiting_id = waiting.id
    facilitator.post(session_url(setup, "/admissions"), data={"attendee_id": waiting_id})
    db.session.expire_all()
    waiting = db.session.get(Attendee, waiting_id)
    assert waiting.admission == "attente"
    assert facilitator.post(session_url(setup, "/admissions"),
                            data={"attendee_id": waiting.id, "decision": "admit"}).status_code == 302
    assert _dot(stuffed, code, vote, cards[0]).status_code == 200
    assert votes.results(vote).rows[0].dots == 5

    # The facilitator removes a guest: their dots vanish, their card stays.
    assert post_card(room[0], code, "Une idée d'Invité 0", kind="piste").status_code == 302
    guest = db.session.scalar(select(Attendee).where(Attendee.name == "Invité 0"))
    assert facilitator.post(session_url(setup, "/attendance/remove"),
                            data={"attendee_id": guest.id}).status_code == 302
    db.session.expire_all()
    assert votes.results(vote).rows[0].dots == 4
    assert "Une idée d'Invité 0" in db.session.scalars(select(Contribution.text)).all()
    assert _dot(room[0], code, vote, cards[0]).status_code == 403  # no longer in the session


def test_a_members_name_is_taken_only_once_the_facilitator_confirms_it(app, factory, login):
    setup = live_setup(factory, app)
    code, julie = setup.session.join_code, setup.people[0]
    impostor = app.test_client()
    join(impostor, code, person=julie, admit=False)
    assert post_card(impostor, code, "Au nom de Julie").status_code == 302
    assert db.session.scalars(select(Contribution.text)).all() == []
    # Julie's own phone is told her name is asked for on another phone.
    real = app.test_client()
    refused = real.post(f"/j/{code}", data={"member-person_id": julie.id, "member-submit": "1"})
    assert refused.status_code == 409

    facilitator = login(setup.facilitator, target=app.test_client())
    board = facilitator.get(session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert f"Un téléphone demande à rejoindre comme {julie.full_name}" in board
    claim = db.session.scalar(select(Attendee).where(Attendee.person_id == julie.id))
    assert facilitator.post(session_url(setup, "/admissions"),
                            data={"attendee_id": claim.id, "decision": "away"}).status_code == 302
    # The name is free again: Julie takes it, and once confirmed she posts.
    join(real, code, person=julie)
    assert post_card(real, code, "Vraiment Julie").status_code == 302
    assert post_card(impostor, code, "Encore").status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Contribution.text)).all() == ["Vraiment Julie"]


def test_a_member_signed_in_with_their_account_joins_at_once(app, factory, login):
    setup = live_setup(factory, app)
    julie = setup.people[0]
    account = factory.user(setup.territory, role="participant")
    db.session.execute(update(Person).where(Person.id == julie.id).values(user_id=account.id))
    db.session.commit()
    phone = login(account, target=app.test_client())
    joined = phone.post(f"/j/{setup.session.join_code}",
                        data={"member-person_id": julie.id, "member-submit": "1"})
    assert joined.status_code == 302, joined.get_data(as_text=True)[:3000]
    posted = post_card(phone, setup.session.join_code, "Signée")
    assert posted.status_code == 302, posted.headers
    assert db.session.scalars(select(Contribution.text)).all() == ["Signée"]
