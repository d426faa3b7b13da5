"""Who joins as whom from a phone: one phone is one attendee of a session; a member's name
taken on another phone is refused with a French message; a listed guest or a member typing
their name is recognised (no « Julie Marchand » twice); names show only after a valid code;
the facilitator frees a phone and merges two attendees."""
from sqlalchemy import func, select

from extensions import db
from facilitation.sessions.live import participation
from facilitation.sessions.live.models import Attendee, Contribution, Dot
from facilitation.sessions.models import Meeting
from tests.live_support import join, live_setup, post_card, session_url


def _attendees(session) -> list[Attendee]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attendee).where(Attendee.session_id == session.id)
                                   .order_by(Attendee.id)))


def _join_as_member(client, code, person):
    return client.post(f"/j/{code}", data={"member-person_id": person.id, "member-submit": "1"})


def _join_as_guest(client, code, name, organisation=""):
    return client.post(f"/j/{code}", data={"guest-name": name,
                                           "guest-organisation_name": organisation,
                                           "guest-submit": "1"})


def test_a_name_taken_on_another_phone_is_refused_until_the_facilitator_frees_it(
        app, client, login, factory):
    setup = live_setup(factory, app)
    code, julie = setup.session.join_code, setup.people[0]
    join(client, code, person=julie)
    other_phone = app.test_client()
    refused = _join_as_member(other_phone, code, julie)
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "a déjà rejoint la séance depuis un autre téléphone" in text
    assert "demandez à l&#39;animateur" in text
    assert other_phone.get(f"/j/{code}/fragment").status_code == 302  # not in
    # Typing the same name as a guest is the same person: refused as well.
    assert _join_as_guest(other_phone, code, julie.full_name.upper()).status_code == 409

    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    [attendee] = _attendees(setup.session)
    assert "Libérer le téléphone" in facilitator.get(session_url(setup, "/attendance")).get_data(
        as_text=True)
    assert facilitator.post(session_url(setup, "/attendance/phones"),
                            data={"attendee_id": attendee.id}).status_code == 302
    assert _join_as_member(other_phone, code, julie).status_code == 302
    # The facilitator confirms that this phone is Julie's.
    assert facilitator.post(session_url(setup, "/admissions"),
                            data={"attendee_id": attendee.id, "decision": "admit"}
                            ).status_code == 302
    assert post_card(other_phone, code, "Depuis mon nouveau téléphone").status_code == 302
    # The first phone is no longer Julie.
    assert post_card(client, code, "Ancien téléphone").status_code == 302
    db.session.expire_all()
    texts = db.session.scalars(select(Contribution.text).where(
        Contribution.session_id == setup.session.id)).all()
    assert texts == ["Depuis mon nouveau téléphone"]
    assert len(_attendees(setup.session)) == 1


def test_one_phone_cannot_make_itself_several_guests(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    assert _join_as_guest(client, code, "Inès Moulin").status_code == 302
    assert post_card(client, code, "Une idée").status_code == 302
    again = _join_as_guest(client, code, "Quelqu'un d'autre")
    assert again.status_code == 409
    assert "Ce téléphone participe déjà à la séance comme Inès Moulin" in again.get_data(
        as_text=True)
    assert _join_as_member(client, code, setup.people[1]).status_code == 409
    # Leaving after taking part does not free the phone either.
    client.post(f"/j/{code}/leave")
    page = client.get(f"/j/{code}").get_data(as_text=True)
    assert "Reprendre la séance comme Inès Moulin" in page
    assert _join_as_guest(client, code, "Troisième nom").status_code == 409
    assert [a.name for a in _attendees(setup.session)] == ["Inès Moulin"]
    assert client.post(f"/j/{code}", data={"resume": "1"}).status_code == 302
    assert post_card(client, code, "De retour").status_code == 302


def test_leaving_before_taking_part_frees_the_phone_and_the_name(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])  # the wrong name
    client.post(f"/j/{code}/leave")
    [mistaken] = _attendees(setup.session)
    assert mistaken.status == "absent" and mistaken.joined_at is None
    assert _join_as_member(client, code, setup.people[1]).status_code == 302
    assert _join_as_member(app.test_client(), code, setup.people[0]).status_code == 302
    present = [a for a in _attendees(setup.session) if a.status == "present"]
    assert len(present) == 2


def test_a_listed_guest_and_a_member_are_recognised_not_duplicated(app, client, login, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    facilitator.post(session_url(setup, "/attendance/guests"),
                     data={"name": "Julie Marchand", "organisation_name": "France Travail",
                           "status": "absent"})
    assert _join_as_guest(client, code, "  julie MARCHAND ").status_code == 302
    member = setup.people[1]
    assert _join_as_guest(app.test_client(), code, f"{member.last_name} {member.first_name}",
                          "Autre structure").status_code == 302
    attendees = _attendees(setup.session)
    assert sorted(a.name for a in attendees) == sorted(["Julie Marchand", member.full_name])
    julie = next(a for a in attendees if a.name == "Julie Marchand")
    assert julie.status == "present" and julie.joined_at is not None and julie.is_guest
    recognised = next(a for a in attendees if a.person_id == member.id)
    assert not recognised.is_guest and recognised.status == "present"
    page = facilitator.get(session_url(setup, "/attendance")).get_data(as_text=True)
    assert "2 présent·es" in page


def test_member_names_show_only_after_a_valid_code(app, client, factory):
    setup = live_setup(factory, app)
    prepared = live_setup(factory, app, open_session=False)
    names = [p.full_name for p in setup.people]
    hidden = names + [p.full_name for p in prepared.people]
    prepared.session.join_code = "PREPAR"
    db.session.commit()
    for path, status in (("/j/ZZZZZZ", 404), ("/j/PREPAR", 409)):
        response = client.get(path)
        assert response.status_code == status
        text = response.get_data(as_text=True)
        assert not any(name in text for name in hidden)
        assert "Mission locale des Bords de Marne" not in text
    valid = client.get(f"/j/{setup.session.join_code}").get_data(as_text=True)
    assert all(name in valid for name in names)


def test_the_facilitator_merges_a_guest_into_the_member_they_are(app, client, login, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    member = setup.people[0]
    cards = [factory.card(setup.session, text=f"Carte {n}") for n in range(3)]
    vote = factory.dot_vote(setup.session, cards, dots=3)
    join(client, code, guest="J. Marchand")          # on a phone, as a guest
    for card in cards[:2]:
        assert client.post(f"/j/{code}/dots", data={"vote_id": vote.id,
                                                    "card_id": card.id}).status_code == 302
    assert post_card(client, code, "Idée du téléphone").status_code == 302
    with app.test_request_context():
        session = db.session.get(Meeting, setup.session.id)
        listed = participation.attendee_for_person(
            session, participation.person_of_territory(session, member.id))
        listed.status = "present"
        db.session.flush()
        db.session.add_all(Dot(territory_id=session.territory_id, vote_id=vote.id,
                               contribution_id=cards[2].id, attendee_id=listed.id,
                               dot_number=n, dots_allowed=3) for n in (1, 2))
        db.session.commit()
    guest = next(a for a in _attendees(setup.session) if a.is_guest)
    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    response = facilitator.post(session_url(setup, "/attendance/merge"),
                                data={"keep_id": guest.id, "other_id": listed.id},
                                follow_redirects=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Présences fusionnées" in text and "1 point au-delà" in text
    [kept] = _attendees(setup.session)
    assert kept.person_id == member.id and kept.status == "present"
    assert kept.device_key is not None  # the phone is now the member's
    card = db.session.scalar(select(Contribution).where(Contribution.text == "Idée du téléphone"))
    assert card.author_attendee_id == kept.id and card.author_name == member.full_name
    dots = db.session.scalar(select(func.count()).select_from(Dot).where(
        Dot.vote_id == vote.id, Dot.attendee_id == kept.id))
    assert dots == 3
    # The phone goes on as the member, with no dot left.
    page = client.get(f"/j/{code}").get_data(as_text=True)
    assert f"Vous participez en tant que {member.full_name}" in page
    assert client.post(f"/j/{code}/dots", data={"vote_id": vote.id, "card_id": cards[0].id}
                       ).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Dot).where(
        Dot.attendee_id == kept.id)) == 3


def test_two_members_cannot_be_merged(app, login, factory):
    setup = live_setup(factory, app)
    with app.test_request_context():
        session = db.session.get(Meeting, setup.session.id)
        first, second = (participation.attendee_for_person(
            session, participation.person_of_territory(session, p.id)) for p in setup.people[:2])
        db.session.commit()
    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    response = facilitator.post(session_url(setup, "/attendance/merge"),
                                data={"keep_id": first.id, "other_id": second.id})
    assert response.status_code == 422
    assert "ne peuvent pas être fusionnés" in response.get_data(as_text=True)
    assert len(_attendees(setup.session)) == 2


def test_a_contribution_sent_after_the_session_closed_is_refused_and_kept(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    with app.test_request_context():
        participation.close_session(db.session.get(Meeting, setup.session.id))
        db.session.commit()
    response = client.post(f"/j/{code}/contributions",
                           data={"kind": "constat", "text": "Tapé pendant la clôture",
                                 "submission_key": "tardive"},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 410
    assert "clôturée" in response.json["error"] and "reste sur ce téléphone" in \
        response.json["error"]
    # The page of the closed session lists, on the phone, what could not be sent.
    page = client.get(f"/j/{code}").get_data(as_text=True)
    assert f'data-kept-for="{code}"' in page and "js/live_phone.js" in page
    assert db.session.scalar(select(func.count()).select_from(Contribution).where(
        Contribution.session_id == setup.session.id)) == 0
