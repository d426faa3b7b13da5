"""Login limits: failed attempts are counted per account and per IP; successful logins are
not counted, so a training room of thirty people logs in from one office IP."""
from werkzeug.security import generate_password_hash

from territorial.accounts.models import User
from tests.factories import TEST_PASSWORD

ROOM = 30


def _attempt(client, email, password, ip="203.0.113.7"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip}).status_code


def test_a_room_of_thirty_logs_in_from_one_ip(other_app, factory):
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="5 per minute",
                    LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    shared_hash = generate_password_hash(TEST_PASSWORD)
    users = []
    for n in range(ROOM):
        user = User(email=f"formation{n}@exemple.fr", display_name=f"Stagiaire {n}")
        user.password_hash = shared_hash
        user.rotate_session_token()
        users.append(factory._add(user))
    # A few typos first: under the limit, and not in the way of anyone else.
    for user in users[:3]:
        assert _attempt(app.test_client(), user.email, "mauvais-mot-de-passe") == 200
    statuses = [_attempt(app.test_client(), user.email, TEST_PASSWORD) for user in users]
    assert statuses == [302] * ROOM


def test_failed_attempts_are_limited_per_account_from_any_ip(other_app, factory):
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute",
                    LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    user = factory.user()
    client = app.test_client()
    tries = [_attempt(client, user.email, f"essai-{n}", ip=f"198.51.100.{n}") for n in range(3)]
    assert tries == [200, 200, 200]
    # The fourth, from yet another IP and with the address typed differently: refused.
    assert _attempt(client, f" {user.email.upper()} ", "essai-4", ip="198.51.100.99") == 429
    assert _attempt(client, user.email, TEST_PASSWORD, ip="198.51.100.100") == 429
    # Another account is not affected.
    other = factory.user()
    assert _attempt(client, other.email, TEST_PASSWORD, ip="198.51.100.1") == 302


def test_failed_attempts_are_limited_per_ip_across_accounts(other_app, factory):
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                    LOGIN_ACCOUNT_RATE_LIMIT="100 per minute")
    users = [factory.user() for _ in range(4)]
    client = app.test_client()
    assert [_attempt(client, u.email, "faux-faux-faux") for u in users[:3]] == [200] * 3
    page = client.post("/login", data={"email": users[3].email, "password": TEST_PASSWORD},
                       environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert page.status_code == 429
    assert "Trop de tentatives" in page.get_data(as_text=True)
    # Another IP logs in.
    assert _attempt(client, users[3].email, TEST_PASSWORD, ip="203.0.113.8") == 302
