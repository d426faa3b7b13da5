"""The compte rendu leads with the conclusions and is sent by e-mail to the attendees who
gave an address when joining, the Word file attached, through a real SMTP server (aiosmtpd,
started by the test on a free port)."""
import socket
from email import message_from_bytes
from email.policy import default
from io import BytesIO

import pytest
from aiosmtpd.controller import Controller
from docx import Document as WordDocument

from facilitation.sessions.live import participation
from tests.live_support import join, live_setup, post_card, session_url


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                    policy=default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
                       "MAIL_USERNAME": None, "MAIL_SENDER": "animation@exemple.fr"}.items():
        monkeypatch.setitem(app.config, key, value)
    yield inbox
    controller.stop()


def test_the_minutes_are_emailed_with_the_word_file_and_lead_with_the_conclusions(
        app, factory, login, smtp_server):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    alice, bruno = app.test_client(), app.test_client()
    alice.post(f"/j/{code}", data={"guest-name": "Alice Martin", "guest-email":
                                   "alice@exemple.fr", "guest-submit": "1"})
    join(bruno, code, guest="Bruno Sansadresse")
    post_card(alice, code, "Les jeunes ruraux n'ont pas de moyen de transport")
    facilitator = login(setup.facilitator, target=app.test_client())
    assert facilitator.post(session_url(setup, "/close")).status_code == 302

    page = facilitator.get(session_url(setup, "/minutes")).get_data(as_text=True)
    assert "à la personne présente qui a donné son adresse" in page
    assert facilitator.post(session_url(setup, "/minutes/email")).status_code == 302

    [(to, message)] = smtp_server.messages
    assert to == ["alice@exemple.fr"]
    assert setup.session.title in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename().endswith(".docx")
    word = WordDocument(BytesIO(attachment.get_content()))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    order = [next(i for i, h in enumerate(headings) if h.startswith(start))
             for start in ("Synthèse", "Décisions", "Prochaines étapes", "Présences",
                           "Annexe")]
    assert order == sorted(order), headings
    assert "Marquer comme non envoyé" in facilitator.get(
        session_url(setup, "/minutes")).get_data(as_text=True)


def test_without_an_smtp_server_the_facilitator_is_told_to_download(app, factory, login,
                                                                    monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    setup = live_setup(factory, app)
    with app.test_request_context():
        participation.close_session(setup.session)
    facilitator = login(setup.facilitator, target=app.test_client())
    answer = facilitator.post(session_url(setup, "/minutes/email"), follow_redirects=True)
    assert "n&#39;est pas configuré" in answer.get_data(as_text=True) or \
        "n'est pas configuré" in answer.get_data(as_text=True)
