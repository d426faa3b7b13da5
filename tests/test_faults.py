"""Faults: a worker killed in the middle of writes, PostgreSQL restarted under load.

The app runs under gunicorn on a scratch database; phones post contributions with a
submission key (so a retry after a lost answer is not stored twice) and remember which
ones the server acknowledged. Nothing acknowledged may be lost, nothing may be stored
twice, nothing half-written may be visible (each contribution has the audit entry written
in its transaction).
"""
import itertools
import os
import signal
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from tests.live_load_support import Phone, gunicorns, run_module, run_threads
from tests.scratch_db import flask_cli, scratch_databases


@pytest.fixture
def scratch(database_url):
    with scratch_databases(database_url) as new:
        yield new


def _stored(url: str, session_id: int) -> tuple[list[str], int]:
    """Submission keys stored for the session, and how many have no audit entry."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            keys = list(connection.scalars(text(
                "SELECT submission_key FROM contribution WHERE session_id = :s"),
                {"s": session_id}))
            orphans = connection.scalar(text(
                "SELECT count(*) FROM contribution c WHERE c.session_id = :s AND NOT EXISTS "
                "(SELECT 1 FROM audit_entry a WHERE a.object_type = 'Contribution' "
                "AND a.object_id = c.id AND a.action = 'create')"), {"s": session_id})
        return keys, orphans
    finally:
        engine.dispose()


class Poster:
    """A phone that posts until told to stop, retrying a key whose answer was lost."""

    def __init__(self, base: str, code: str, name: str, limit: int = 7):
        self.phone = Phone(base, code)
        self.name, self.limit = name, limit
        self.sent: set[str] = set()
        self.acknowledged: set[str] = set()
        self.statuses: list[int] = []

    def run(self, stop: threading.Event, pause: float = 0.05, seconds: float = 60) -> None:
        counter = itertools.count(1)
        pending: str | None = None
        deadline = time.monotonic() + seconds
        while (not stop.is_set() and len(self.acknowledged) < self.limit
               and time.monotonic() < deadline):
            key = pending or f"{self.name}-{next(counter)}"
            self.sent.add(key)
            try:
                status = self.phone.contribute(f"Idée {key}", key)
            except OSError:
                status = 0
            self.statuses.append(status)
            if status in (200, 201):
                self.acknowledged.add(key)
                pending = None
            else:
                pending = key  # the same submission again, as the page's script does
                time.sleep(0.2)
            time.sleep(pause)


def test_worker_killed_mid_writes_loses_nothing_committed(scratch):
    url = scratch()
    flask_cli(url, "db", "upgrade", "heads")
    scenario = run_module(url, "setup", "1")
    session = scenario["sessions"][0]
    with gunicorns(url, count=1, workers=2) as (server,):
        posters = [Poster(server.base, session["code"], f"tel{n}") for n in range(8)]
        run_threads([lambda p=p: p.phone.join(p.name) for p in posters])
        stop = threading.Event()

        def killer():
            time.sleep(0.5)
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)

        started = time.monotonic()
        run_threads([lambda p=p: p.run(stop) for p in posters] + [killer])
        stop.set()
        # gunicorn's master replaces the killed worker.
        server.wait_until(lambda: len(server.worker_pids()) == 2 and server.health() == 200,
                          30, "the killed worker was not replaced")
        assert time.monotonic() - started < 120
        keys, orphans = _stored(url, session["id"])

    acknowledged = set().union(*(p.acknowledged for p in posters))
    sent = set().union(*(p.sent for p in posters))
    statuses = sorted(set().union(*(p.statuses for p in posters)))
    assert len(acknowledged) == 8 * 7, f"phones could not post everything: {statuses}"
    assert acknowledged <= set(keys), "an acknowledged contribution was lost"
    assert len(keys) == len(set(keys)), "a contribution was stored twice"
    assert set(keys) <= sent
    assert orphans == 0, "a half-written contribution is visible"


@pytest.mark.skipif(os.environ.get("TEST_DATABASE") != "postgresql",
                    reason="restarts a PostgreSQL server (run with TEST_DATABASE=postgresql)")
def test_postgresql_restarted_during_a_burst_loses_nothing_and_stores_nothing_twice():
    """Phones are posting when the database stops (a fast shutdown cuts every session)
    and comes back 2 s later: during the outage the app answers 503 (its health check
    included), the phones send the same keys again, and in the end every acknowledged
    contribution is stored exactly once; the app recovers by itself (pool_pre_ping)."""
    from tests.pgcontrol import RestartablePostgres

    with RestartablePostgres() as server:
        url = server.url
        flask_cli(url, "db", "upgrade", "heads")
        scenario = run_module(url, "setup", "1")
        session = scenario["sessions"][0]
        with gunicorns(url, count=1, workers=2) as (app_server,):
            posters = [Poster(app_server.base, session["code"], f"tel{n}") for n in range(6)]
            run_threads([lambda p=p: p.phone.join(p.name) for p in posters])
            stop = threading.Event()
            outage = []

            def restart():
                time.sleep(1.0)
                server.stop()
                outage.append(app_server.health())
                time.sleep(2.0)
                outage.append(app_server.health())
                server.start()

            run_threads([lambda p=p: p.run(stop, pause=0.4, seconds=90) for p in posters]
                        + [restart])
            app_server.wait_until(lambda: app_server.health() == 200, 60,
                                  "the app did not recover after the database came back")
            keys, orphans = _stored(url, session["id"])
    acknowledged = set().union(*(p.acknowledged for p in posters))
    statuses = [s for p in posters for s in p.statuses]
    assert outage == [503, 503], outage
    assert 503 in statuses, "the burst did not meet the outage"
    assert len(acknowledged) == 6 * 7, f"phones could not post everything: {sorted(set(statuses))}"
    assert acknowledged <= set(keys), "a committed contribution was lost"
    assert len(keys) == len(set(keys)), "a contribution was stored twice"
    assert orphans == 0
