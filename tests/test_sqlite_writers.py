"""The embedded database (SQLite, the default install) under concurrent writers: a
writing request takes the write lock when its transaction starts and waits its turn, so
that twelve phones posting at once (a read, then a write, in each request) all succeed.

Before: deferred transactions that read and then write got « database is locked » at
once (503), whatever the busy timeout. The app runs in this process, its requests in
threads (as under ``flask run``), on a SQLite file of its own, committing for real.
"""
import os
import threading

import pytest
from sqlalchemy import create_engine, text

from extensions import db
from territorial.database import PAGE_CACHE_KIB
from tests.conftest import make_app
from tests.live_load_support import run_module, run_threads
from tests.scratch_db import flask_cli, scratch_databases

pytestmark = pytest.mark.skipif(os.environ.get("TEST_DATABASE") == "postgresql",
                                reason="the SQLite write lock (PostgreSQL: test_live_room)")

PHONES, POSTS = 12, 3


@pytest.fixture
def sqlite_app():
    """An app on a migrated SQLite file with one open session, and the real
    ``db.session`` (not the test's rolled-back transaction)."""
    with scratch_databases("sqlite://") as new:
        url = new()
        flask_cli(url, "db", "upgrade", "heads")
        scenario = run_module(url, "setup", "1")
        saved = db.session
        db.session = db._make_scoped_session({})
        app = make_app(url, SERVER_NAME=None)
        try:
            yield app, url, scenario["sessions"][0]
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            db.session = saved


def test_twelve_phones_posting_at_once_all_succeed(sqlite_app):
    app, url, session = sqlite_app
    code = session["code"]
    phones = [app.test_client() for _ in range(PHONES)]
    for n, phone in enumerate(phones):
        assert phone.post(f"/j/{code}", data={"guest-name": f"Téléphone {n}",
                                              "guest-submit": "1"}).status_code == 302
        phone.kind = "constat"
    barrier = threading.Barrier(PHONES)
    statuses: list[int] = []
    lock = threading.Lock()

    def post(n, phone):
        barrier.wait()
        for k in range(POSTS):
            status = phone.post(f"/j/{code}/contributions",
                                data={"kind": phone.kind, "text": f"Idée {n}-{k}",
                                      "submission_key": f"k{n}-{k}"},
                                headers={"X-Requested-With": "fetch"}).status_code
            with lock:
                statuses.append(status)

    run_threads([lambda n=n, p=p: post(n, p) for n, p in enumerate(phones)])
    assert sorted(set(statuses)) == [201], statuses
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.scalar(text("SELECT count(*) FROM contribution"))
    finally:
        engine.dispose()
    assert stored == PHONES * POSTS


def test_reads_do_not_wait_for_a_writer(sqlite_app):
    """A GET keeps a deferred transaction: it answers while another connection holds the
    write lock (WAL), instead of queueing behind it."""
    app, url, session = sqlite_app
    engine = create_engine(url, connect_args={"timeout": 0})
    try:
        with engine.connect() as writer:
            writing = writer.begin()
            writer.exec_driver_sql("UPDATE session SET title = title")  # the write lock
            phone = app.test_client()
            assert phone.get(f"/j/{session['code']}").status_code == 200
            writing.rollback()
    finally:
        engine.dispose()


def test_connections_keep_a_territorys_pages_in_cache(sqlite_app):
    """Each connection caches 16 MB of pages, not SQLite's 2 MB: at 100 × the demo's data the
    home page's counts re-read their pages on every request with 2 MB (docs/benchmarks.md)."""
    app, _, _ = sqlite_app
    with app.app_context():
        assert db.session.execute(text("PRAGMA cache_size")).scalar() == -PAGE_CACHE_KIB
    assert PAGE_CACHE_KIB >= 16_000
