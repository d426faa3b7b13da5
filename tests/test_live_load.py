"""The live board under load: 3 working groups × 12 phones posting, then voting, at once,
against two app processes (two gunicorn servers) on one PostgreSQL database.

Every contribution and every dot is stored exactly once, each board converges (both
servers show the same board, with every card), and the vote limits hold.
"""
import itertools
import os
import random
import re
import time

import pytest
from sqlalchemy import create_engine, text

from tests.live_load_support import (
    FACILITATOR, PASSWORD, Browser, Phone, gunicorns, run_module, run_threads,
)
from tests.scratch_db import flask_cli, scratch_databases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("TEST_DATABASE") != "postgresql",
                       reason="two app processes on one PostgreSQL (TEST_DATABASE=postgresql)"),
]

GROUPS, PHONES, POSTS, DOTS = 3, 12, 5, 3
DURATION = 40.0  # seconds at most for each phase


def _query(url, statement, **params):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(statement), params).all()
    finally:
        engine.dispose()


def test_three_groups_of_twelve_phones(database_url):
    with scratch_databases(database_url) as new:
        url = new()
        flask_cli(url, "db", "upgrade", "heads")
        scenario = run_module(url, "setup", str(GROUPS))
        with gunicorns(url, count=2, workers=2) as servers:
            phones = []
            for group, session in enumerate(scenario["sessions"]):
                for n in range(PHONES):
                    phone = Phone(servers[n % 2].base, session["code"])
                    phone.session_id, phone.name = session["id"], f"g{group}-tel{n}"
                    phone.acknowledged, phone.refused = set(), []
                    phones.append(phone)
            run_threads([lambda p=p: p.join(p.name) for p in phones])
            deadline = time.monotonic() + DURATION

            def post(phone):
                for n in range(1, POSTS + 1):
                    if time.monotonic() > deadline:
                        return
                    key = f"{phone.name}-{n}"
                    status = phone.contribute(f"Piste {key}", key)
                    if status in (200, 201):
                        phone.acknowledged.add(key)
                    if n % 2:  # a double tap: the same submission once more
                        again = phone.contribute(f"Piste {key}", key)
                        assert again in (200, 201), again
                    time.sleep(random.uniform(0, 0.2))

            run_threads([lambda p=p: post(p) for p in phones])

            # Every acknowledged contribution is stored exactly once.
            rows = _query(url, "SELECT session_id, submission_key FROM contribution")
            stored = [key for _session, key in rows]
            assert len(stored) == len(set(stored)), "a contribution was stored twice"
            acknowledged = set().union(*(p.acknowledged for p in phones))
            assert acknowledged == set(stored)
            assert len(acknowledged) == GROUPS * PHONES * POSTS

            # Each board converges: both servers show the same board, with every card.
            for session in scenario["sessions"]:
                expected = {key for sid, key in rows if sid == session["id"]}
                seen = []
                for server in servers:
                    browser = Browser(server.base)
                    browser.sign_in(FACILITATOR, PASSWORD)
                    status, headers, page = browser.request(
                        "GET", f"/t/{scenario['territory']}/sessions/{session['id']}"
                               "/board/fragment")
                    assert status == 200
                    keys = set(re.findall(r"Piste (g\d+-tel\d+-\d+)", page))
                    assert keys == expected, "a board misses cards"
                    seen.append(headers.get("etag"))
                assert seen[0] == seen[1], "the two servers show different boards"

            # Votes: each phone tries more dots than allowed, on both servers at once.
            votes = run_module(url, "votes", str(DOTS))
            deadline = time.monotonic() + DURATION

            def vote(phone):
                opened = votes[str(phone.session_id)]
                cards = itertools.cycle(random.sample(opened["cards"], len(opened["cards"])))
                for _ in range(DOTS + 2):
                    if time.monotonic() > deadline:
                        return
                    status = phone.dot(opened["vote"], next(cards))
                    if status == 200:
                        phone.acknowledged.add(("dot", len(phone.acknowledged)))
                    else:
                        phone.refused.append(status)

            run_threads([lambda p=p: vote(p) for p in phones])
            dots = _query(url, "SELECT a.name, count(*) FROM dot d JOIN session_attendee a "
                               "ON a.id = d.attendee_id GROUP BY a.name")
    per_phone = dict(dots)
    for phone in phones:
        cast = sum(1 for item in phone.acknowledged if isinstance(item, tuple))
        assert per_phone.get(phone.name, 0) == cast, f"{phone.name}: dots stored ≠ accepted"
        assert cast == DOTS, f"{phone.name} could not use its {DOTS} dots"
        assert len(phone.refused) == 2 and all(400 <= s < 500 for s in phone.refused)
