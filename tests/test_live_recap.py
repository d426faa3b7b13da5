"""Issue 19, item 4: once the session is closed, a phone that took part finds a recap —
what was said, what was retained, its own cards and the group's next session; a phone that
did not take part learns only that the session is closed."""
import html
from datetime import timedelta

from extensions import db
from facilitation.sessions.live import board, participation, votes
from facilitation.sessions.live.models import Attendee, Contribution
from tests.live_support import join, live_setup, post_card


def _close(app, session):
    with app.test_request_context():
        participation.close_session(db.session.get(type(session), session.id))
        db.session.commit()


def test_a_phone_that_took_part_finds_the_recap_of_the_closed_session(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    following = factory.meeting_session(
        setup.territory, kind="gt2", title="GT2 : pistes de solution",
        working_group_id=setup.group.id, starts_at=setup.session.starts_at + timedelta(days=14))
    db.session.commit()
    join(client, code, person=setup.people[0])
    assert post_card(client, code, "Un guichet unique pour les jeunes").status_code in (200, 302)
    other = app.test_client()
    join(other, code, guest="Awa Diallo")
    answer = post_card(other, code, "Des stages dans les entreprises du BTP")
    assert answer.status_code in (200, 302), answer.get_data(as_text=True)[:3000]
    post_card(other, code, "Un carnet d'adresses partagé")
    cards = {c.text: c for c in db.session.query(Contribution).filter_by(
        session_id=setup.session.id)}
    assert len(cards) == 3, [(c.text, c.sealed, c.hidden) for c in cards.values()]
    with app.test_request_context():
        session = db.session.get(type(setup.session), setup.session.id)
        vote = votes.open_vote(session, "Priorités", 3, [c.id for c in cards.values()])
        guest = db.session.query(Attendee).filter_by(session_id=session.id,
                                                     name="Awa Diallo").one()
        votes.set_dots(session, vote, guest, cards["Un carnet d'adresses partagé"].id, 2)
        votes.close_vote(session, vote)
        board.set_flags(session, cards["Un carnet d'adresses partagé"], highlighted=True)
        db.session.commit()
    _close(app, setup.session)

    page = client.get(f"/j/{code}")
    assert page.status_code == 410
    text = html.unescape(page.get_data(as_text=True))
    assert "Ce qu'il faut retenir de la séance" in text
    retained = text.split("Ce qui a été retenu", 1)[1].split("La séance suivante", 1)[0]
    assert "Un carnet d'adresses partagé (2 points)" in retained
    assert "Des stages dans les entreprises" not in retained
    assert retained.count("Un carnet d'adresses partagé") == 1  # highlighted and first: once
    assert "GT2 : pistes de solution" in text.split("La séance suivante", 1)[1]
    own = text.split("Votre contribution", 1)[1].split("Ce qui a été dit", 1)[0]
    assert "Un guichet unique pour les jeunes" in own and "carnet" not in own
    said = text.split("Ce qui a été dit", 1)[1]
    assert all(card in said for card in cards)
    assert "Awa Diallo" not in text  # the recap names no author
    assert following.title in text


def test_a_phone_that_did_not_take_part_sees_no_recap(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    member = app.test_client()
    join(member, code, person=setup.people[0])
    post_card(member, code, "Un guichet unique pour les jeunes")
    _close(app, setup.session)
    text = html.unescape(client.get(f"/j/{code}").get_data(as_text=True))
    assert "Cette séance est clôturée" in text
    assert "Ce qu'il faut retenir" not in text and "guichet unique" not in text
