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


def test_failures_from_elsewhere_do_not_lock_the_owner_out_of_a_known_browser(other_app,
                                                                             factory):
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute",
                    LOGIN_ACCOUNT_RATE_LIMIT="5 per minute")
    owner = factory.user()
    browser = app.test_client()
    assert _attempt(browser, owner.email, TEST_PASSWORD, ip="192.0.2.1") == 302
    browser.post("/logout")
    # Someone else fails five times from five IPs: the account is locked for them...
    attacker = [_attempt(app.test_client(), owner.email, f"essai-{n}", ip=f"198.51.100.{n}")
                for n in range(5)]
    assert attacker == [200] * 5
    assert _attempt(app.test_client(), owner.email, TEST_PASSWORD, ip="198.51.100.9") == 429
    # ...but not for the owner's browser, from any IP.
    assert _attempt(browser, owner.email, TEST_PASSWORD, ip="192.0.2.77") == 302


def test_a_known_browser_is_still_limited_and_a_forged_cookie_is_not_known(other_app, factory):
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute",
                    LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    owner = factory.user()
    browser = app.test_client()
    assert _attempt(browser, owner.email, TEST_PASSWORD) == 302
    browser.post("/logout")
    cookie = browser.get_cookie("known_device")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert owner.email not in cookie.value
    # Guessing from the known browser stops after the account's number of failures.
    assert [_attempt(browser, owner.email, f"essai-{n}") for n in range(3)] == [200] * 3
    assert _attempt(browser, owner.email, TEST_PASSWORD) == 429
    # A cookie made up (or copied for another account) counts against the account.
    forger = app.test_client()
    forger.set_cookie("known_device", cookie.value[:-2] + "xx", domain="localhost")
    assert [_attempt(forger, owner.email, f"faux-{n}") for n in range(3)] == [200] * 3
    assert _attempt(forger, owner.email, TEST_PASSWORD) == 429
    other = factory.user()
    stranger = app.test_client()
    stranger.set_cookie("known_device", cookie.value, domain="localhost")
    assert [_attempt(stranger, other.email, f"faux-{n}") for n in range(3)] == [200] * 3
    assert _attempt(app.test_client(), other.email, TEST_PASSWORD) == 429


def test_password_reset_mails_are_bounded_per_account_with_the_same_answer(other_app, factory,
                                                                           monkeypatch):
    from territorial.accounts import operations

    sent = []
    monkeypatch.setattr(operations, "send_mail", lambda to, subject, body: sent.append(to))
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                    PASSWORD_RESET_ACCOUNT_LIMIT="2 per hour")
    user = factory.user()
    client = app.test_client()
    pages = [client.post("/password/forgot", data={"email": user.email},
                         environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}, follow_redirects=True)
             for n in range(5)]
    assert [page.status_code for page in pages] == [200] * 5
    assert all("Si un compte existe pour cette adresse" in page.get_data(as_text=True)
               for page in pages)
    assert sent == [user.email] * 2
    # Per IP as well: the fourth request from one address is refused.
    statuses = [client.post("/password/forgot", data={"email": f"x{n}@exemple.fr"},
                            environ_base={"REMOTE_ADDR": "203.0.113.50"}).status_code
                for n in range(4)]
    assert statuses == [302, 302, 302, 429]
