"""Fixtures: one migrated database per run (SQLite, or PostgreSQL when
TEST_DATABASE=postgresql), each test inside a transaction rolled back at its end."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from extensions import db, limiter
from tests.factories import Factory
from tests.pgserver import running_postgres

# The .env that `make run` writes for a development copy must not reach the servers and
# commands the tests start.
os.environ["FLASK_SKIP_DOTENV"] = "1"

TEST_PASSWORD = "Un-mot-de-passe-solide-42"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if os.environ.get("TEST_DATABASE") == "postgresql":
        with running_postgres() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "SERVER_NAME": "localhost",
        "EXTERNAL_URL": "http://localhost",
    }
    config.update(overrides)
    return create_app(config)


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def app(database_url):
    app = make_app(database_url)
    with app.app_context():
        upgrade(revision="heads")
    yield app
    _dispose(app)


@pytest.fixture
def other_app(database_url):
    """``other_app(**config)``: another app on the test database with other settings
    (CSRF or rate limits on, production cookies…); its connections are closed after."""
    apps = []

    def _make(**overrides):
        apps.append(make_app(database_url, **overrides))
        return apps[-1]

    yield _make
    for made in apps:
        _dispose(made)
    # The limiter is one object: an app made with limits switched them on for every app.
    limiter.enabled = False


@pytest.fixture(autouse=True)
def transaction(request, app):
    """Bind db.session to a connection whose transaction is rolled back after the test;
    commits made by the code under test only release SAVEPOINTs."""
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    )
    try:
        yield connection
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def territory(factory):
    return factory.territory()


@pytest.fixture
def signed_in(client, factory, territory, login):
    """The test client, signed in as a coordinator of ``territory``."""
    login(factory.user(territory, role="coordinator"))
    return client


@pytest.fixture
def ctx(app):
    """A request context for tests that call operations directly. Don't combine it
    with ``client`` requests in one test: they would share its ``g`` (and its user)."""
    with app.test_request_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app, transaction):
    """Objects written in the test's transaction. No app context stays pushed, so that
    each test-client request gets its own context, session and user, as in production."""
    return Factory(db.session)


@pytest.fixture
def login(client):
    def _login(user, password=TEST_PASSWORD, target=client):
        response = target.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return target

    return _login


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: ...`` then ``len(queries)``."""

    @contextmanager
    def _count():
        statements = []

        def _record(conn, cursor, statement, *args):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", statement):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", _record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", _record)

    return _count


# Browser tests ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "Partenariats-demo-2026"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serving(url: str, tries: int = 600) -> bool:
    """Whether ``url`` answers within ``tries`` tenths of a second (a server starting)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app in its own process on a migrated, demo-seeded SQLite database,
    with CSRF and every protection on, as a user would meet it."""
    database = tmp_path_factory.mktemp("live") / "live.db"
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{database}",
        EXTERNAL_URL=f"http://127.0.0.1:{port}",
        SECRET_KEY="browser-test-secret",
        SESSION_COOKIE_SECURE="0",
        FLASK_DEBUG="0",
        LOGIN_RATE_LIMIT="200 per minute",
    )
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([*flask, "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(tmp_path_factory.mktemp("live-log") / "server.log", "w")
    server = subprocess.Popen(
        [*flask, "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        if not serving(f"{base_url}/healthz"):
            raise RuntimeError("the app did not start; see " + log.name)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context and page; ``page.base_url`` is the live server."""
    context = chromium.new_context(base_url=live_server, locale="fr-FR",
                                   viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in():
    """``sign_in(page, "coordination@charenton.demo")`` with the demo password."""

    def _sign_in(page, email, password=DEMO_PASSWORD):
        page.goto("/login")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, "login failed"
        return page

    return _sign_in


@pytest.fixture
def facilitator(chromium, live_server, sign_in):
    """The demo's facilitator signed in, on a desktop-sized page."""
    context = chromium.new_context(base_url=live_server, locale="fr-FR",
                                   viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "animation@charenton.demo")
    yield page
    context.close()
