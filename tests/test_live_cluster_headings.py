"""Cards outside any cluster are shown under their own heading (« Sans regroupement »),
before the clusters: never under the last cluster's title, on the board, the projection,
the minutes page and the Word minutes."""
import re
from io import BytesIO

import pytest
from docx import Document

from extensions import db
from facilitation.sessions.live import board, participation
from facilitation.sessions.models import Meeting
from tests.documents_support import paragraphs_text
from tests.live_support import live_setup, session_url


@pytest.fixture
def clustered(app, factory):
    """Three pistes: one in the cluster « Emploi », two outside any cluster."""
    setup = live_setup(factory, app, kind="gt2")
    session = setup.session
    with app.test_request_context():
        inside = factory.card(session, "Forum des métiers", kind="piste")
        factory.card(session, "Bourse de stages partagée", kind="piste")
        factory.card(session, "Parrainage par des retraités", kind="piste")
        cluster = board.create_cluster(session, "Emploi")
        board.assign_cluster(session, inside, cluster)
        db.session.commit()
    return setup


def _in_order(text: str, *parts: str) -> bool:
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


SHOWN = re.compile(r'<h[34] class="cluster-title[^"]*"[^>]*>([^<]*)</h[34]>'
                   r'|<p class="card-text">([^<]*)</p>')


def _headings_and_cards(html: str) -> str:
    """The board's cluster headings and card texts, in the order they are shown."""
    return "\n".join(heading or card for heading, card in SHOWN.findall(html))


@pytest.mark.parametrize("path", ["/board/fragment", "/board/fragment?projection=1"])
def test_loose_cards_have_their_own_heading_on_the_board(client, login, clustered, path):
    login(clustered.facilitator)
    html = client.get(session_url(clustered, path)).get_data(as_text=True)
    text = _headings_and_cards(html)
    # Loose cards first under « Sans regroupement », then the cluster and its card.
    assert _in_order(text, "Sans regroupement", "Bourse de stages partagée",
                     "Parrainage par des retraités", "Emploi", "Forum des métiers")
    assert not _in_order(text, "Emploi", "Bourse de stages partagée")


def test_without_clusters_no_heading_is_added(app, client, login, factory):
    setup = live_setup(factory, app, kind="gt2")
    factory.card(setup.session, "Une piste seule", kind="piste")
    db.session.commit()
    login(setup.facilitator)
    html = client.get(session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert "Une piste seule" in html and "Sans regroupement" not in html


def test_loose_cards_have_their_own_heading_in_the_minutes(app, client, login, clustered):
    with app.test_request_context():
        participation.close_session(clustered.session)
        db.session.commit()
    login(clustered.facilitator)
    page = _visible_text(client.get(session_url(clustered, "/minutes")).get_data(as_text=True))
    assert _in_order(page, "Sans regroupement", "Bourse de stages partagée", "Emploi",
                     "Forum des métiers")
    response = client.get(session_url(clustered, "/minutes.docx"))
    assert response.status_code == 200
    paragraphs = paragraphs_text(Document(BytesIO(response.data)))
    annex = paragraphs[paragraphs.index("Annexe : les contributions"):]
    assert _in_order(annex, "Sans regroupement", "Bourse de stages partagée",
                     "Parrainage par des retraités", "Emploi", "Forum des métiers")


def test_the_board_stops_counting_connected_people_once_closed(app, client, login, factory):
    setup = live_setup(factory, app, kind="gt2")
    login(setup.facilitator)
    for path in ("/board/fragment", "/board/fragment?projection=1"):
        assert "connecté" in client.get(session_url(setup, path)).get_data(as_text=True)
    with app.test_request_context():
        participation.close_session(db.session.get(Meeting, setup.session.id))
        db.session.commit()
    for path in ("/board/fragment", "/board/fragment?projection=1"):
        page = client.get(session_url(setup, path)).get_data(as_text=True)
        assert "connecté" not in page and "Séance clôturée" in page
