"""Phones: joining with a code (valid, wrong, expired), a participant limited to their one
open session, posting contributions (limits, duplicates, rate, closed session, HTML)."""
import re

from sqlalchemy import func, select

from extensions import db
from facilitation.sessions.live import participation, phones
from facilitation.sessions.live.models import Attendee, Contribution
from tests.live_support import join, live_setup, post_card, session_url


def _cards(session) -> list[Contribution]:
    db.session.expire_all()
    return list(db.session.scalars(select(Contribution).where(
        Contribution.session_id == session.id).order_by(Contribution.id)))


# Joining ----------------------------------------------------------------------------------------

def test_valid_code_lists_the_members_and_joins_as_one_of_them(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    page = client.get(f"/j/{code}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert setup.people[0].full_name in text and "Mission locale des Bords de Marne" in text
    join(client, code, person=setup.people[0])
    phone = client.get(f"/j/{code}").get_data(as_text=True)
    assert f"Vous participez en tant que {setup.people[0].full_name}" in phone
    assert "Contribuer" in phone and "Constat" in phone
    # one sentence, its structure inside it
    assert re.search(rf"en tant que {setup.people[0].full_name} \([^)]+\)\.<", phone)
    attendee = db.session.scalar(select(Attendee).where(
        Attendee.session_id == setup.session.id, Attendee.person_id == setup.people[0].id))
    assert attendee.status == "present" and attendee.joined_at is not None


def test_codes_are_read_generously(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    response = client.post("/j", data={"code": f" {code.lower()[:3]} {code.lower()[3:]} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/j/{code}")
    assert client.get(f"/j/{code.lower()}").status_code == 302


def test_a_guest_joins_by_typing_their_name(app, client, factory):
    setup = live_setup(factory, app)
    join(client, setup.session.join_code, guest="Inès Moulin")
    guest = db.session.scalar(select(Attendee).where(Attendee.session_id == setup.session.id))
    assert guest.is_guest and guest.name == "Inès Moulin" and guest.organisation_name == "France Travail"
    response = client.post(f"/j/{setup.session.join_code}",
                           data={"guest-name": "", "guest-submit": "1"})
    assert response.status_code == 422
    assert "Indiquez votre nom" in response.get_data(as_text=True)


def test_a_wrong_code_says_so(app, client, factory):
    response = client.get("/j/ZZZZZZ")
    assert response.status_code == 404
    assert "Ce code ne correspond à aucune séance" in response.get_data(as_text=True)
    assert client.post("/j/ZZZZZZ/contributions", data={"text": "x"}).status_code == 404


def test_an_expired_code_of_a_closed_session_says_so(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    with app.test_request_context():
        participation.close_session(db.session.get(type(setup.session), setup.session.id))
        db.session.commit()
    response = client.get(f"/j/{code}")
    assert response.status_code == 410
    assert "Cette séance est clôturée" in response.get_data(as_text=True)
    response = post_card(client, code, "Encore une idée")
    assert response.status_code == 410
    assert client.get(f"/j/{code}/fragment").status_code == 410
    with client.session_transaction() as cookie:
        assert phones.COOKIE_KEY not in cookie
    assert len(_cards(setup.session)) == 0


def test_a_session_not_opened_yet_cannot_be_joined(app, client, factory):
    setup = live_setup(factory, app, open_session=False)
    setup.session.join_code = "ABCDEF"
    db.session.commit()
    response = client.get("/j/ABCDEF")
    assert response.status_code == 409
    assert "pas encore ouverte" in response.get_data(as_text=True)


# A participant reaches their session only -----------------------------------------------------------

def test_a_participant_reaches_only_their_session(app, client, factory):
    first = live_setup(factory, app)
    other = live_setup(factory, app)
    join(client, first.session.join_code, person=first.people[0])
    other_code = other.session.join_code
    # The other session's code leads to its join page, not to a phone page.
    page = client.get(f"/j/{other_code}").get_data(as_text=True)
    assert "Vous êtes membre du groupe" in page and "Vous participez" not in page
    assert client.get(f"/j/{other_code}/fragment").status_code == 302
    assert post_card(client, other_code, "Intrusion").status_code == 302
    assert _cards(other.session) == []
    # No account: nothing of the territory either.
    response = client.get(session_url(first, "/board"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_joining_another_session_replaces_the_first(app, client, factory):
    first = live_setup(factory, app)
    other = live_setup(factory, app)
    join(client, first.session.join_code, person=first.people[0])
    join(client, other.session.join_code, person=other.people[1])
    assert post_card(client, first.session.join_code, "Ancienne séance").status_code == 302
    assert _cards(first.session) == []


def test_leaving_forgets_the_participant(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    assert client.post(f"/j/{code}/leave").status_code == 302
    assert "Vous êtes membre du groupe" in client.get(f"/j/{code}").get_data(as_text=True)


# Posting ------------------------------------------------------------------------------------

def test_a_contribution_reaches_the_board(app, client, login, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    response = post_card(client, code, "Peu de jeunes ont le permis.")
    assert response.status_code == 302
    [card] = _cards(setup.session)
    assert card.author_name == setup.people[0].full_name
    assert card.organisation_name == "Mission locale des Bords de Marne"
    assert card.agenda_item_id is not None  # the step under way
    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    board = facilitator.get(session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert "Peu de jeunes ont le permis." in board and setup.people[0].full_name in board


def test_empty_and_over_long_contributions_are_refused_and_kept(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    response = post_card(client, code, "   ")
    assert response.status_code == 422
    assert "Écrivez votre contribution" in response.get_data(as_text=True)
    long_text = "Une contribution bien trop longue. " * 20
    response = post_card(client, code, long_text)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "500 caractères au plus" in text and "Une contribution bien trop longue." in text
    assert 'data-limit="500"' in text and 'maxlength' not in text  # never cut by the browser
    assert _cards(setup.session) == []


def test_the_same_submission_is_never_recorded_twice(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    for _ in range(3):
        assert post_card(client, code, "Un seul envoi", key="cle-unique-1").status_code == 302
    assert post_card(client, code, "Un autre envoi", key="cle-unique-2").status_code == 302
    assert [c.text for c in _cards(setup.session)] == ["Un seul envoi", "Un autre envoi"]


def test_contributions_are_rate_limited_per_participant(app, client, factory):
    from facilitation.sessions.live import rules

    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    for n in range(rules.RATE_LIMIT):
        assert post_card(client, code, f"Idée {n}").status_code == 302
    response = post_card(client, code, "Une de trop")
    assert response.status_code == 429
    assert "attendez un instant" in response.get_data(as_text=True)
    # Another phone is not slowed down.
    other = app.test_client()
    join(other, code, person=setup.people[1])
    assert post_card(other, code, "Idée d'une autre personne").status_code == 302
    assert len(_cards(setup.session)) == rules.RATE_LIMIT + 1


def test_a_kind_outside_the_method_is_refused(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    assert post_card(client, code, "Piste", kind="piste").status_code == 422


def test_html_in_a_contribution_is_shown_as_text(app, client, login, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    post_card(client, code, '<script>alert("x")</script><b>gras</b>')
    phone = client.get(f"/j/{code}/fragment?part=work").get_data(as_text=True)
    assert "<script>alert" not in phone and "&lt;script&gt;" in phone
    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    for path in ("/board/fragment", "/minutes/print"):
        page = facilitator.get(session_url(setup, path)).get_data(as_text=True)
        assert "<script>alert" not in page and "&lt;b&gt;gras&lt;/b&gt;" in page


def test_anonymous_contributions_only_when_allowed(app, client, login, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    assert post_card(client, code, "Sans nom", anonymous="y").status_code == 422
    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    facilitator.post(session_url(setup, "/anonymous"), data={"allowed": "1"})
    assert post_card(client, code, "Sans nom", anonymous="y").status_code == 302
    board = facilitator.get(session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert "Sans nom" in board and "Anonyme" in board and setup.people[0].full_name not in board


def test_the_phone_fragment_answers_304_while_nothing_changes(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    join(client, code, person=setup.people[0])
    first = client.get(f"/j/{code}/fragment?part=work")
    etag = first.headers["ETag"]
    assert client.get(f"/j/{code}/fragment?part=work",
                      headers={"If-None-Match": etag}).status_code == 304
    post_card(client, code, "Du nouveau")
    again = client.get(f"/j/{code}/fragment?part=work", headers={"If-None-Match": etag})
    assert again.status_code == 200 and "Du nouveau" in again.get_data(as_text=True)


def test_joining_counts_the_attendee_present(app, client, login, factory):
    setup = live_setup(factory, app)
    join(client, setup.session.join_code, person=setup.people[2])
    facilitator = app.test_client()
    login(setup.facilitator, target=facilitator)
    page = facilitator.get(session_url(setup, "/attendance")).get_data(as_text=True)
    assert "connecté·e à" in page
    count = db.session.scalar(select(func.count()).select_from(Attendee).where(
        Attendee.session_id == setup.session.id, Attendee.status == "present"))
    assert count == 1
