"""The phone shows the work (issue 19, items 3 and 4): the phase, silent writing (cards
hidden from the board and the other phones until revealed), the board as the facilitator
allows, the vote's result, one's own cards corrected or withdrawn — never another's."""
from markupsafe import escape
from sqlalchemy import func, select

from extensions import db
from facilitation.sessions.live import board, votes
from facilitation.sessions.live.models import Contribution, Dot, DotVote
from tests.live_support import join, live_setup, post_card, reload, session_url


def _card(text):
    return db.session.scalar(select(Contribution).where(Contribution.text == text))


def _work(phone, code):
    return phone.get(f"/j/{code}/fragment?part=work").get_data(as_text=True)


def _mine(phone, code):
    """The phone's « Vos contributions » list."""
    return _work(phone, code).split('class="my-cards"', 1)[1].split("</ul>", 1)[0]


def _item(mine, text):
    """The list item of the card that reads ``text``."""
    return next(li for li in mine.split("<li>") if str(escape(text)) in li)


def test_silent_writing_hides_cards_from_the_board_and_other_phones_until_revealed(
        app, factory, login):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    facilitator = login(setup.facilitator, target=app.test_client())
    assert facilitator.post(session_url(setup, "/phase"),
                            data={"phase": "ecriture"}).status_code == 302
    alice, bruno = app.test_client(), app.test_client()
    join(alice, code, guest="Alice Martin")
    join(bruno, code, guest="Bruno Petit")
    assert "Écriture silencieuse" in alice.get(f"/j/{code}/fragment").get_data(as_text=True)
    sent = alice.post(f"/j/{code}/contributions", data={"kind": "constat",
                      "text": "Idée secrète Alice"}, headers={"Accept": "application/json"})
    assert sent.status_code == 201
    assert "reste cachée au tableau jusqu'à la fin de l'écriture silencieuse" in sent.json[
        "message"]

    board = facilitator.get(session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert "Idée secrète Alice" not in board
    assert "1 carte écrite en silence" in board
    assert "Idée secrète Alice" not in _work(bruno, code)
    mine = _work(alice, code)
    assert "Idée secrète Alice" in mine and "cachée jusqu'à la révélation" in mine

    assert facilitator.post(session_url(setup, "/phase"),
                            data={"phase": "discussion"}).status_code == 302
    assert "Idée secrète Alice" in facilitator.get(
        session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert "Idée secrète Alice" in _work(bruno, code)
    assert "Discussion et regroupement" in bruno.get(f"/j/{code}/fragment").get_data(as_text=True)


def test_the_phones_show_the_board_as_the_facilitator_allows(app, factory, login):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    phone = app.test_client()
    join(phone, code, guest="Alice Martin")
    factory.card(setup.session, "Carte ordinaire")
    factory.card(setup.session, "Carte mise en avant", highlighted=True)
    factory.card(setup.session, "Carte masquée", hidden=True)
    page = _work(phone, code)
    assert "Carte ordinaire" in page and "Carte mise en avant" in page
    assert "Carte masquée" not in page
    facilitator = login(setup.facilitator, target=app.test_client())
    facilitator.post(session_url(setup, "/phase"), data={"phone_view": "en_avant"})
    page = _work(phone, code)
    assert "Carte mise en avant" in page and "Carte ordinaire" not in page
    facilitator.post(session_url(setup, "/phase"), data={"phone_view": "rien"})
    assert "Carte mise en avant" not in _work(phone, code)


def test_a_phone_corrects_and_withdraws_its_own_card_and_never_anothers(app, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    alice, bruno = app.test_client(), app.test_client()
    join(alice, code, guest="Alice Martin")
    join(bruno, code, guest="Bruno Petit")
    post_card(alice, code, "Mobilité des jeunes")
    post_card(bruno, code, "Carte de Bruno")
    card, theirs = _card("Mobilité des jeunes"), _card("Carte de Bruno")

    edit = alice.get(f"/j/{code}/cards/{card.id}/edit")
    assert edit.status_code == 200 and "Mobilité des jeunes" in edit.get_data(as_text=True)
    saved = alice.post(f"/j/{code}/cards/{card.id}/edit",
                       data={"text": "Mobilité des jeunes ruraux", "version": card.version_id})
    assert saved.status_code == 302
    db.session.expire_all()
    assert _card("Mobilité des jeunes ruraux") is not None

    # Bruno's card: not Alice's to read, correct or withdraw.
    assert alice.get(f"/j/{code}/cards/{theirs.id}/edit").status_code == 404
    assert alice.post(f"/j/{code}/cards/{theirs.id}/edit",
                      data={"text": "Piraté", "version": 1}).status_code == 404
    assert alice.post(f"/j/{code}/cards/{theirs.id}/withdraw").status_code == 404
    db.session.expire_all()
    assert _card("Carte de Bruno") is not None

    assert alice.post(f"/j/{code}/cards/{card.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert _card("Mobilité des jeunes ruraux") is None
    assert "rien envoyé" in _work(alice, code)


def test_a_card_put_to_the_vote_is_locked_because_the_vote_is_open_not_worked_on(
        app, factory):
    setup = live_setup(factory, app, kind="gt2")
    code = setup.session.join_code
    alice = app.test_client()
    join(alice, code, guest="Alice Martin")
    post_card(alice, code, "Forum des métiers", kind="piste")
    post_card(alice, code, "Une question hors vote", kind="piste")
    card = _card("Forum des métiers")
    other = factory.card(setup.session, "Bourse de stages")
    with app.test_request_context():
        vote = votes.open_vote(setup.session, "Pistes", 3, [card.id, other.id])
        db.session.commit()
        vote_id = vote.id
    mine = _mine(alice, code)
    voted, outside = _item(mine, "Forum des métiers"), _item(mine, "Une question hors vote")
    assert "le vote est ouvert : pas de correction pendant le vote" in voted
    assert "Corriger" not in voted and "travaillée par l" not in mine
    assert "Corriger" in outside and "Retirer" in outside  # not in the vote: still hers
    refused = alice.post(f"/j/{code}/cards/{card.id}/withdraw", follow_redirects=True)
    assert "le vote est ouvert" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert _card("Forum des métiers") is not None

    with app.test_request_context():
        votes.close_vote(setup.session, db.session.get(DotVote, vote_id))
        db.session.commit()
    voted = _item(_mine(alice, code), "Forum des métiers")
    assert "mise au vote : les points donnés portent sur ce texte" in voted
    assert "Corriger" not in voted


def test_a_card_stays_its_authors_until_the_facilitator_changes_it(app, factory, login):
    setup = live_setup(factory, app, kind="gt2")
    code = setup.session.join_code
    alice = app.test_client()
    join(alice, code, guest="Alice Martin")
    post_card(alice, code, "Bus de l'emploi", kind="piste")
    card = _card("Bus de l'emploi")
    facilitator = login(setup.facilitator, target=app.test_client())
    facilitator.post(session_url(setup, "/phase"), data={"phase": "vote"})
    with app.test_request_context():
        board.set_flags(setup.session, card, highlighted=True)
        db.session.commit()
    mine = _item(_mine(alice, code), "Bus de l'emploi")
    assert "Corriger" in mine and "par l&#39;animateur" not in mine

    edited = facilitator.post(
        f"/t/{setup.territory.slug}/sessions/cards/{card.id}/edit",
        data={"kind": "piste", "text": "Un bus de l'emploi par quartier",
              "version": reload(card).version_id})
    assert edited.status_code == 302
    mine = _item(_mine(alice, code), "Un bus de l'emploi par quartier")
    assert "modifiée par l&#39;animateur" in mine and "Corriger" not in mine
    refused = alice.post(f"/j/{code}/cards/{card.id}/withdraw", follow_redirects=True)
    assert "modifiée par l&#39;animateur" in refused.get_data(as_text=True)


def test_the_phone_shows_the_result_once_the_vote_is_closed(app, factory):
    setup = live_setup(factory, app, kind="gt2")
    code = setup.session.join_code
    alice = app.test_client()
    join(alice, code, guest="Alice Martin")
    cards = [factory.card(setup.session, t) for t in ("Forum des métiers", "Bourse de stages")]
    with app.test_request_context():
        vote = votes.open_vote(setup.session, "Pistes", 2, [c.id for c in cards])
        db.session.commit()
        vote_id = vote.id
    assert alice.post(f"/j/{code}/dots", data={"vote_id": vote_id, "card_id": cards[1].id,
                                               "target": 1}).status_code == 302
    # The same tap sent again (a lost answer) changes nothing.
    alice.post(f"/j/{code}/dots", data={"vote_id": vote_id, "card_id": cards[1].id, "target": 1})
    with app.test_request_context():
        closed = votes.close_vote(setup.session, db.session.get(DotVote, vote_id))
        db.session.commit()
        assert not closed.is_open
    db.session.expire_all()
    top = _work(alice, code)
    assert "Résultat du vote : Pistes" in top
    assert top.index("Bourse de stages") < top.index("Forum des métiers")
    assert "1 point" in top
    assert db.session.scalar(select(func.count()).select_from(Dot)) == 1  # not 2


def test_a_card_the_facilitator_grouped_is_no_longer_the_participants_to_change(app, factory):
    setup = live_setup(factory, app, kind="gt2")
    code = setup.session.join_code
    alice = app.test_client()
    join(alice, code, guest="Alice Martin")
    post_card(alice, code, "Bus de l'emploi", kind="piste")
    card = _card("Bus de l'emploi")
    with app.test_request_context():
        cluster = board.create_cluster(setup.session, "Mobilité")
        board.assign_cluster(setup.session, card, cluster)
        db.session.commit()
    mine = _work(alice, code)
    assert "Corriger" not in mine and "regroupée par l&#39;animateur" in mine
    refused = alice.post(f"/j/{code}/cards/{card.id}/withdraw", follow_redirects=True)
    assert "regroupée par l&#39;animateur" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert _card("Bus de l'emploi") is not None
