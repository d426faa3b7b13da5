"""Sign-in and cookies: no timing difference between known and unknown addresses, SameSite
on every cookie, a remember-me cookie that does not last a year, CSRF tokens that expire."""
import statistics
import time
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

from itsdangerous.timed import TimestampSigner

from tests.conftest import TEST_PASSWORD


def _login_time(client, email: str) -> float:
    started = time.perf_counter()
    response = client.post("/login", data={"email": email, "password": "pas-le-bon-mot-de-passe"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200  # refused, the form shown again
    return elapsed


def test_login_takes_as_long_for_unknown_addresses(client, factory):
    known = factory.user().email
    unknown = "personne-inconnue@exemple.fr"
    _login_time(client, known), _login_time(client, unknown)  # warm up
    times = {known: [], unknown: []}
    for _ in range(5):
        for email in (known, unknown):
            times[email].append(_login_time(client, email))
    known_time, unknown_time = statistics.median(times[known]), statistics.median(times[unknown])
    assert max(known_time, unknown_time) < 2 * min(known_time, unknown_time), times


def test_login_takes_as_long_for_a_deactivated_account(client, factory):
    active = factory.user().email
    inactive = factory.user(is_active_account=False).email
    times = {active: [], inactive: []}
    for _ in range(5):
        for email in (active, inactive):
            times[email].append(_login_time(client, email))
    medians = [statistics.median(values) for values in times.values()]
    assert max(medians) < 2 * min(medians), times


def _cookies(response) -> dict[str, dict]:
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            found[name] = {"morsel": morsel, "header": header}
    return found


def test_every_cookie_is_samesite_httponly_and_secure_in_production(other_app, factory):
    app = other_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = app.test_client()
    user = factory.user()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                           "remember": "y"}, base_url="https://localhost")
    cookies = _cookies(response)
    assert {"session", "remember_token"} <= set(cookies)
    for name, cookie in cookies.items():
        morsel = cookie["morsel"]
        assert morsel["samesite"] == "Lax", cookie["header"]
        assert morsel["httponly"] and morsel["secure"], cookie["header"]


def test_remember_me_lasts_weeks_not_a_year(client, factory):
    user = factory.user()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                           "remember": "y"})
    remember = _cookies(response)["remember_token"]["morsel"]
    expires = datetime.strptime(remember["expires"], "%a, %d %b %Y %H:%M:%S GMT")
    lifetime = expires.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(days=7) <= lifetime <= timedelta(days=31)


def test_an_old_csrf_token_is_refused(other_app, factory, monkeypatch):
    app = other_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = factory.user()
    real_timestamp = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: real_timestamp(self) - 13 * 3600)
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real_timestamp)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 400
    assert "expiré" in response.get_data(as_text=True)
    fresh = client.get("/login").get_data(as_text=True)
    token = fresh.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                       "csrf_token": token}).status_code == 302
