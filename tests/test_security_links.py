"""Links that leave the platform come from EXTERNAL_URL, never from the request's Host
header; forwarded headers count only when TRUSTED_PROXIES says a proxy sets them."""
import pytest
from flask import request

from app import create_app
from territorial.accounts import operations
from tests.conftest import TEST_PASSWORD

PUBLIC = "https://partenariats.exemple.fr"
FORGED = {"base_url": "http://evil.example", "headers": {"X-Forwarded-Host": "evil.example"}}


@pytest.fixture
def public_app(other_app):
    """As in production: no SERVER_NAME, the public address in EXTERNAL_URL."""
    return other_app(EXTERNAL_URL=PUBLIC, SERVER_NAME=None)


@pytest.fixture
def mails(monkeypatch):
    sent = []
    monkeypatch.setattr(operations, "send_mail",
                        lambda to, subject, body: sent.append((to, body)) or True)
    return sent


def test_password_reset_link_ignores_a_forged_host(public_app, factory, mails):
    user = factory.user()
    client = public_app.test_client()
    response = client.post("/password/forgot", data={"email": user.email}, **FORGED)
    assert response.status_code == 302
    [(to, body)] = mails
    assert to == user.email
    assert f"{PUBLIC}/password/reset/" in body
    assert "evil.example" not in body


def _signed_in(app, user):
    """A client of ``app`` signed in through the forged host (its cookies belong to it)."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                           **FORGED)
    assert response.status_code == 302
    return client


def test_invitation_link_ignores_a_forged_host(public_app, factory, mails):
    territory = factory.territory()
    client = _signed_in(public_app, factory.user(territory))
    page = client.post(f"/t/{territory.slug}/members", **FORGED,
                       data={"email": "invitee@exemple.fr", "role": "participant"})
    [(_to, body)] = mails
    assert f"{PUBLIC}/invitations/" in body
    assert "evil.example" not in body + page.get_data(as_text=True)


def test_openapi_servers_come_from_configuration(public_app):
    document = public_app.test_client().get("/api/v1/openapi.json", **FORGED).get_json()
    assert document["servers"] == [{"url": PUBLIC}]


def test_join_address_shown_to_participants_is_the_public_one(public_app, factory):
    territory = factory.territory()
    session = factory.meeting_session(territory)
    client = _signed_in(public_app, factory.user(territory))
    client.post(f"/t/{territory.slug}/sessions/{session.id}/open", **FORGED)
    page = client.get(f"/t/{territory.slug}/sessions/{session.id}/join-code",
                      **FORGED).get_data(as_text=True)
    # The projected address is the public one, written as people type it (no « https:// »).
    assert PUBLIC.split("://")[1] + "/j<" in page and "evil.example" not in page


def test_external_url_is_required_outside_development(database_url):
    with pytest.raises(RuntimeError, match="EXTERNAL_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x",
                    "DEBUG": False, "TESTING": False, "EXTERNAL_URL": None})


@pytest.mark.parametrize("value", ["javascript://x", "partenariats.exemple.fr",
                                   "https://exemple.fr/?q=1", "ftp://exemple.fr"])
def test_a_malformed_external_url_stops_start_up(database_url, value):
    with pytest.raises(RuntimeError, match="EXTERNAL_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x",
                    "EXTERNAL_URL": value})


def _address_seen_by(app):
    @app.get("/_test/seen")
    def seen():
        return {"remote": request.remote_addr, "scheme": request.scheme}

    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    return app.test_client().get("/_test/seen", headers=headers,
                                 environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_json()


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(other_app):
    assert _address_seen_by(other_app()) == {"remote": "10.0.0.2", "scheme": "http"}


def test_forwarded_headers_count_behind_a_trusted_proxy(other_app):
    seen = _address_seen_by(other_app(TRUSTED_PROXIES=1))
    assert seen == {"remote": "203.0.113.9", "scheme": "https"}
