"""The compte rendu: drafted at closing, edited (with optimistic locking), marked as
sent, downloaded as Word (attendance, every contribution, vote results), printable."""
from io import BytesIO

import pytest
from docx import Document

from extensions import db
from facilitation.sessions.live import board, participation, phones, votes
from facilitation.sessions.models import Meeting
from tests.documents_support import paragraphs_text, plain, rows_text
from tests.live_support import live_setup, reload, session_url


@pytest.fixture
def held(app, factory):
    """A GT2 that took place: attendance, a guest, cards in a cluster, a merge, a vote."""
    setup = live_setup(factory, app, kind="gt2")
    session = setup.session
    with app.test_request_context():
        state = participation.live_state(session)
        attendees = [phones.join_as_member(session, p.id) for p in setup.people[:3]]
        participation.record_attendance(session, {f"p{setup.people[3].id}": "excuse"})
        guest = phones.join_as_guest(session, "Inès Moulin", "France Travail")
        texts = [("solution_existante", "Visites d'entreprises chaque trimestre"),
                 ("piste", "Forum des métiers du territoire"),
                 ("piste", "Bourse de stages partagée"),
                 ("piste", "Parrainage salarié – jeune")]
        cards = [board.post_contribution(session, attendees[i % 3], kind=kind, text=text,
                                         state=state)[0] for i, (kind, text) in enumerate(texts)]
        extra, _ = board.post_contribution(session, guest, kind="piste",
                                           text="Parrainage par des retraités", state=state)
        board.merge_cards(session, cards[3], [extra])
        cluster = board.create_cluster(session, "Rapprocher jeunes et entreprises")
        board.assign_cluster(session, cards[1], cluster)
        vote = votes.open_vote(session, "Quelles pistes approfondir ?", 2,
                               [c.id for c in cards[1:]])
        for attendee, card in zip(attendees, (cards[1], cards[1], cards[2])):
            votes.cast_dot(session, vote, attendee, card.id)
        db.session.commit()
    setup.cards, setup.guest_card = cards, extra
    return setup


def _close(app, setup):
    with app.test_request_context():
        participation.close_session(db.session.get(Meeting, setup.session.id))
        db.session.commit()


def _docx_text(data: bytes) -> tuple[str, dict, list[str]]:
    """(text, {first header: table rows}, headings) of the Word minutes."""
    document = Document(BytesIO(data))
    tables = {rows[0][0]: rows for rows in map(rows_text, document.tables)}
    headings = [plain(p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    return paragraphs_text(document), tables, headings


def test_closing_drafts_the_minutes(app, factory, held):
    _close(app, held)
    text = reload(held.session).minutes
    assert "## Synthèse des échanges" in text
    assert "5 contributions" not in text and "4 contributions" in text  # one was merged
    assert "Vote « Quelles pistes approfondir ? » : en tête, « Forum des métiers du territoire » (2 points)." in text
    assert "## Prochaines étapes" in text and "Envoi du compte rendu aux participants." in text


def test_the_word_minutes_hold_attendance_contributions_and_votes(app, client, login, factory,
                                                                   held):
    _close(app, held)
    login(held.facilitator)
    response = client.get(session_url(held, "/minutes.docx"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    paragraphs, tables, headings = _docx_text(response.data)
    assert headings[0] == f"Compte rendu – {held.session.title}"
    # The conclusions first, then the attendance, the agenda, the votes, the cards as annex.
    order = ["Synthèse des échanges", "Décisions", "Prochaines étapes", "Présences",
             "Ordre du jour", "Résultats des votes", "Annexe : les contributions"]
    assert [heading for heading in headings if heading in order] == order
    attendance = tables["Nom"]
    assert attendance[0] == ["Nom", "Structure", "Présence"]
    rows = {row[0]: row[2] for row in attendance[1:]}
    assert rows[held.people[0].full_name] == "Présent·e"
    assert rows[held.people[3].full_name] == "Excusé·e"
    assert rows["Inès Moulin"] == "Présent·e"
    for card in held.cards:
        assert card.text in paragraphs
    assert "Rapprocher jeunes et entreprises" in paragraphs
    # The merged card keeps both authors.
    merged = next(p for p in paragraphs.splitlines() if p.startswith("Parrainage salarié"))
    assert held.people[0].full_name in merged and "Inès Moulin" in merged
    votes_table = tables["Rang"]
    assert votes_table[0] == ["Rang", "Carte", "Points"]
    assert votes_table[1] == ["1", "Forum des métiers du territoire", "2"]
    assert votes_table[2] == ["2", "Bourse de stages partagée", "1"]
    assert votes_table[3] == ["3", "Parrainage salarié – jeune", "0"]


def test_ties_are_visible_in_the_word_minutes(app, client, login, factory, held):
    with app.test_request_context():
        session = db.session.get(Meeting, held.session.id)
        vote = votes.current_vote(session)
        attendee = phones.join_as_member(session, held.people[2].id)
        votes.cast_dot(session, vote, attendee, held.cards[2].id)
        db.session.commit()
    login(held.facilitator)
    _paragraphs, tables, _ = _docx_text(client.get(session_url(held, "/minutes.docx")).data)
    assert tables["Rang"][1][0] == "1 ex æquo" and tables["Rang"][2][0] == "1 ex æquo"


def test_minutes_are_edited_and_a_stale_edit_is_refused(app, client, login, factory, held):
    _close(app, held)
    login(held.facilitator)
    version = reload(held.session).edit_version
    response = client.post(session_url(held, "/minutes"), data={
        "minutes": "## Synthèse\nLe groupe retient deux pistes.", "edit_version": version})
    assert response.status_code == 302
    stale = client.post(session_url(held, "/minutes"), data={
        "minutes": "## Synthèse\nAutre version.", "edit_version": version})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Autre version." in page and "Le groupe retient deux pistes." in page
    assert reload(held.session).minutes == "## Synthèse\nLe groupe retient deux pistes."
    paragraphs, _tables, headings = _docx_text(client.get(session_url(held, "/minutes.docx")).data)
    assert "Synthèse" in headings and "Le groupe retient deux pistes." in paragraphs


def test_minutes_are_marked_as_sent(app, client, login, factory, held):
    login(held.facilitator)
    empty = client.post(session_url(held, "/minutes/sent"), data={"sent": "1"})
    assert empty.status_code == 302 and reload(held.session).minutes_sent_at is None
    _close(app, held)
    client.post(session_url(held, "/minutes/sent"), data={"sent": "1"})
    assert reload(held.session).minutes_sent_at is not None
    assert "Envoyé le" in client.get(session_url(held, "/minutes")).get_data(as_text=True)


def test_the_printable_minutes(app, client, login, factory, held):
    _close(app, held)
    login(held.facilitator)
    page = client.get(session_url(held, "/minutes/print")).get_data(as_text=True)
    assert "<h1>Compte rendu – " in page
    for text in ("Présences", "Inès Moulin", "Forum des métiers du territoire",
                 "Résultats des votes", "Prochaines étapes"):
        assert text in page
    assert "<script" not in page  # nothing to run on a printed page


def test_the_minutes_tab_offers_the_documents(app, client, login, factory, held):
    login(factory.user(held.territory, role="observer"))
    page = client.get(session_url(held, "/minutes")).get_data(as_text=True)
    assert "minutes.docx" in page and "Version imprimable" in page
    assert "Enregistrer le compte rendu" not in page
    assert client.post(session_url(held, "/minutes"), data={"minutes": "x"}).status_code == 403


def test_minutes_data_loads_in_constant_queries(app, client, login, factory, count_queries):
    small, large = live_setup(factory, app), live_setup(factory, app)
    for setup, count in ((small, 3), (large, 30)):
        for n in range(count):
            factory.card(setup.session, f"Constat {n}")
    counts = []
    for setup in (small, large):
        login(setup.facilitator)
        client.get(session_url(setup, "/minutes"))
        with count_queries() as queries:
            client.get(session_url(setup, "/minutes"))
        counts.append(len(queries))
        client.post("/logout")
    assert counts[0] == counts[1]
