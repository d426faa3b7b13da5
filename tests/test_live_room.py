"""A whole room at once, on the servers the README starts: ``make run``'s server (``flask
run``, threaded) and gunicorn with 4 workers, on the suite's database (SQLite, or
PostgreSQL with TEST_DATABASE=postgresql), with the production limits on.

36 phones behind one IP open the join page, type the code, join, post 3 cards each (the
first one sent twice, as after a lost answer), then vote with one dot more than allowed —
each phase released at the same moment. Expected: 36 joined, 108 cards stored exactly
once and all on the board, each phone's dots within the limit, 0 answers 5xx, 0 answers
429.
"""
import re
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from tests.live_load_support import (
    FACILITATOR, PASSWORD, Browser, FlaskRun, Gunicorn, run_module,
)
from tests.scratch_db import flask_cli, scratch_databases

pytestmark = pytest.mark.slow

PHONES, CARDS, DOTS = 36, 3, 3


class RoomPhone(Browser):
    """A phone that records the status of every answer it gets."""

    def __init__(self, base, code, name):
        super().__init__(base)
        self.code, self.name, self.kind = code, name, ""
        self.statuses: list[int] = []
        self.dots: list[int] = []

    def ask(self, method, path, form=None, fetch=False) -> int:
        headers = {"X-Requested-With": "fetch", "Accept": "application/json"} if fetch else None
        try:
            status, _headers, page = self.request(method, path, form, headers=headers, timeout=60)
        except OSError:
            status, page = 0, ""
        self.statuses.append(status)
        self.page = page
        return status

    def join(self):
        self.ask("GET", "/j")
        self.ask("POST", "/j", {"code": self.code.lower()})
        self.ask("GET", f"/j/{self.code}")
        self.ask("POST", f"/j/{self.code}", {"guest-name": self.name, "guest-submit": "1"})
        if self.ask("GET", f"/j/{self.code}") == 200:
            kinds = re.findall(r'name="kind"[^>]*value="([^"]+)"', self.page)
            self.kind = kinds[0] if kinds else ""

    def post_cards(self):
        for n in range(CARDS):
            key = f"{self.name}-{n}"
            form = {"kind": self.kind, "text": f"Carte {key}", "submission_key": key}
            self.ask("POST", f"/j/{self.code}/contributions", form, fetch=True)
            if n == 0:  # the answer was lost: the page sends the same key again
                self.ask("POST", f"/j/{self.code}/contributions", form, fetch=True)

    def vote(self, vote_id, cards):
        self.ask("GET", f"/j/{self.code}")
        for n in range(DOTS + 1):
            self.dots.append(self.ask("POST", f"/j/{self.code}/dots",
                                      {"vote_id": vote_id, "card_id": cards[n % len(cards)]},
                                      fetch=True))


def _together(phones, action):
    """Every phone does ``action`` in its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(phones))

    def run(phone):
        barrier.wait()
        action(phone)

    threads = [threading.Thread(target=run, args=(p,)) for p in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)


def _rows(url, statement):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(statement)).all()
    finally:
        engine.dispose()


@pytest.mark.parametrize("server", ["flask-run", "gunicorn-4-workers"])
def test_a_room_of_36_phones_behind_one_ip(database_url, server):
    with scratch_databases(database_url) as new:
        url = new()
        flask_cli(url, "db", "upgrade", "heads")
        session = run_module(url, "setup", "1")["sessions"][0]
        app = FlaskRun(url) if server == "flask-run" else Gunicorn(url, workers=4, config=None)
        try:
            app.start()
            started = time.monotonic()
            phones = [RoomPhone(app.base, session["code"], f"tel{n:02d}") for n in range(PHONES)]
            _together(phones, RoomPhone.join)
            _together(phones, RoomPhone.post_cards)
            opened = run_module(url, "votes", str(DOTS))[str(session["id"])]
            _together(phones, lambda p: p.vote(opened["vote"], opened["cards"]))
            elapsed = time.monotonic() - started
            facilitator = Browser(app.base)
            facilitator.sign_in(FACILITATOR, PASSWORD)
            status, _h, board = facilitator.request(
                "GET", f"/t/banc-de-charge/sessions/{session['id']}/board/fragment")
            assert status == 200
        finally:
            app.stop()
        joined = _rows(url, "SELECT count(*) FROM session_attendee WHERE joined_at IS NOT NULL")
        keys = [k for (k,) in _rows(url, "SELECT submission_key FROM contribution")]
        dots = dict(_rows(url, "SELECT a.name, count(*) FROM dot d JOIN session_attendee a "
                               "ON a.id = d.attendee_id GROUP BY a.name"))

    statuses = Counter(s for p in phones for s in p.statuses)
    assert not [s for s in statuses if s >= 500 or s == 0], statuses
    assert statuses[429] == 0, statuses
    assert joined[0][0] == PHONES
    assert len(keys) == PHONES * CARDS and len(set(keys)) == len(keys)
    assert set(keys) == {f"{p.name}-{n}" for p in phones for n in range(CARDS)}
    assert set(re.findall(r"Carte (tel\d+-\d)", board)) == set(keys)
    for phone in phones:
        assert dots.get(phone.name) == DOTS, f"{phone.name}: {dots.get(phone.name)} dots"
        assert phone.dots.count(200) == DOTS and phone.dots.count(409) == 1, phone.dots
    print(f"\n{server}: {PHONES} phones, {sum(statuses.values())} requests in {elapsed:.1f} s")
