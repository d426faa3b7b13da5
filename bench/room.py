"""The room scenario of ``make bench``: a session, 36 phones behind one IP, the projected
board, under gunicorn (4 workers, the production configuration with its limits).

    python -m bench.room --db sqlite        # or postgresql; prints one JSON document

1. The phones join together, then poll their fragment every second (ETag, as
   ``static/js/live.js`` does) and the facilitator's board polls its own.
2. **Idle**: 10 s of polling only — the server's CPU per connected phone.
3. **Burst**: each phone posts 3 cards at random moments over 15 s. For every card, the
   post → board latency is the time from the phone's POST to the first board answer that
   shows it; cards per second; every answer that is not a success (5xx, 429, lost).
4. **Cost of a 304**: server CPU per request (and p50) of ``/healthz``, of a phone's and of
   the board's unchanged poll, 300 requests each, one at a time.

CPU is read from ``/proc`` (the gunicorn master and its workers): it does not depend on
how loaded the machine is, unlike latencies.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import log  # noqa: E402
from bench.loadgen import percentile  # noqa: E402
from tests.live_load_support import (  # noqa: E402
    FACILITATOR, PASSWORD, Browser, Gunicorn, run_module, run_threads,
)

PHONES, CARDS, WORKERS = 36, 3, 4
IDLE_S, BURST_S, POLL_S, COST_REQUESTS = 10.0, 15.0, 1.0, 1000
# The room's latency; a phone's unchanged poll (paid once a second per connected phone)
# at most twice /healthz. The board's is reported: one per room, it also pays the sign-in
# and the territory check every facilitator request makes.
BUDGETS = {"p50_ms": 1000, "p95_ms": 2000, "errors": 0, "phone_304_vs_healthz": 2.0}
TICK = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of the gunicorn master and its workers."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid, parent = int(entry.name), int(fields[1])
        if pid == master or parent == master:
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


class Poller(Browser):
    """A page that polls a fragment every second with If-None-Match, like live.js."""

    def __init__(self, base, path):
        super().__init__(base)
        self.path, self.etag, self.page = path, "", ""
        self.statuses: dict[str, int] = {}
        self.lock = threading.Lock()

    def get(self, path, headers=None) -> int:
        try:
            status, answer, page = self.request("GET", path, headers=headers, timeout=30)
        except OSError:
            status, answer, page = 0, {}, ""
        with self.lock:
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        if status == 200:
            self.page = page
            if path == self.path:
                self.etag = answer.get("etag", "")
        return status

    def poll(self) -> int:
        return self.get(self.path, {"If-None-Match": self.etag} if self.etag else None)

    def post(self, path, form) -> int:
        try:
            status, _answer, _page = self.request(
                "POST", path, form, headers={"X-Requested-With": "fetch"}, timeout=30)
        except OSError:
            status = 0
        with self.lock:
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        return status


def _polling(pollers, stop, on_answer=None):
    """Each poller asks every POLL_S seconds (from the start of one poll to the next, as
    live.js schedules them), starting at a random moment like phones opened at random."""
    def run(poller):
        stop.wait(random.uniform(0, POLL_S))
        while not stop.is_set():
            started = time.monotonic()
            status = poller.poll()
            if on_answer is not None:
                on_answer(poller, status)
            stop.wait(max(0.05, POLL_S - (time.monotonic() - started)))
    threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in pollers]
    for thread in threads:
        thread.start()
    return threads


def _costs(requests: dict, master: int, rounds: int = 10) -> dict:
    """Server CPU per request and p50 latency of each kind of request, in alternating
    rounds so that a busy moment of the (shared) machine weighs on all of them; the CPU
    per request is the median over the rounds."""
    cpu = {name: [] for name in requests}
    latencies = {name: [] for name in requests}
    statuses = {name: set() for name in requests}
    per_round = COST_REQUESTS // rounds
    for _ in range(rounds):
        for name, (poller, path, headers) in requests.items():
            before = server_cpu_seconds(master)
            for _ in range(per_round):
                started = time.perf_counter()
                statuses[name].add(poller.get(path, headers))
                latencies[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((server_cpu_seconds(master) - before) * 1000 / per_round)
    return {name: {"cpu_ms_per_request": round(statistics.median(cpu[name]), 3),
                   "p50_ms": round(percentile(latencies[name], 50), 2),
                   "statuses": sorted(statuses[name])} for name in requests}


def run_room(url: str, phones_count: int = PHONES) -> dict:
    session = run_module(url, "setup", "1")["sessions"][0]
    code, sid = session["code"], session["id"]
    server = Gunicorn(url, workers=WORKERS, config=None)
    server.start()
    try:
        master = server.process.pid
        phones = [Poller(server.base, f"/j/{code}/fragment") for _ in range(phones_count)]
        joined = []

        def join(n, phone):
            phone.get(f"/j/{code}")
            status = phone.post(f"/j/{code}", {"guest-name": f"Téléphone {n:02d}",
                                               "guest-submit": "1"})
            phone.get(f"/j/{code}")
            kinds = re.findall(r'name="kind"[^>]*value="([^"]+)"', phone.page)
            phone.kind = kinds[0] if kinds else ""
            if status == 302:
                joined.append(n)

        run_threads([lambda n=n, p=p: join(n, p) for n, p in enumerate(phones)])
        for phone in phones:  # the page's first ETag
            phone.poll()
        board = Poller(server.base, f"/t/banc-de-charge/sessions/{sid}/board/fragment")
        board.sign_in(FACILITATOR, PASSWORD)
        seen: dict[str, float] = {}

        def on_board(poller, status):
            if status == 200:
                now = time.monotonic()
                for key in re.findall(r"Carte (tel\d+-\d)", poller.page):
                    seen.setdefault(key, now)

        stop = threading.Event()
        log(f"room: {len(joined)} phones joined; {IDLE_S:.0f} s of polling only")
        pollers = _polling(phones, stop) + _polling([board], stop, on_board)
        time.sleep(1.0)
        cpu_before, idle_started = server_cpu_seconds(master), time.monotonic()
        time.sleep(IDLE_S)
        idle_cpu = server_cpu_seconds(master) - cpu_before
        idle_wall = time.monotonic() - idle_started

        log(f"room: burst, {phones_count} phones × {CARDS} cards over {BURST_S:.0f} s")
        sent: dict[str, float] = {}
        acknowledged = []

        def post_cards(n, phone):
            moments = sorted(random.uniform(0, BURST_S) for _ in range(CARDS))
            started = time.monotonic()
            for k, moment in enumerate(moments):
                time.sleep(max(0.0, started + moment - time.monotonic()))
                key = f"tel{n:02d}-{k}"
                sent[key] = time.monotonic()
                status = phone.post(f"/j/{code}/contributions", {
                    "kind": phone.kind, "text": f"Carte {key}", "submission_key": key})
                if status in (200, 201):
                    acknowledged.append(key)

        cpu_before, burst_started = server_cpu_seconds(master), time.monotonic()
        run_threads([lambda n=n, p=p: post_cards(n, p) for n, p in enumerate(phones)])
        posting = time.monotonic() - burst_started
        deadline = time.monotonic() + 10
        while len(seen) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.1)
        burst_cpu = server_cpu_seconds(master) - cpu_before
        burst_wall = time.monotonic() - burst_started
        stop.set()
        for thread in pollers:
            thread.join(10)

        log("room: cost of an unchanged poll against /healthz")
        probe = phones[0]
        probe.poll()  # the latest ETags
        board.poll()
        costs = _costs({"healthz": (probe, "/healthz", None),
                        "phone_304": (probe, probe.path, {"If-None-Match": probe.etag}),
                        "board_304": (board, board.path, {"If-None-Match": board.etag})},
                       master)
    finally:
        server.stop()

    latencies = [(seen[k] - sent[k]) * 1000 for k in sent if k in seen] or [float("nan")]
    statuses: dict[str, int] = {}
    for poller in [*phones, board]:
        for status, count in poller.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    errors = sum(count for status, count in statuses.items()
                 if status in ("0", "429") or status.startswith("5"))
    floor = costs["healthz"]["cpu_ms_per_request"] or 1e-9
    room = {
        "phones": phones_count, "joined": len(joined), "gunicorn_workers": WORKERS,
        "poll_interval_s": POLL_S,
        "cards_sent": len(sent), "cards_acknowledged": len(acknowledged),
        "cards_on_board": len(seen),
        "cards_per_s": round(len(acknowledged) / posting, 2),
        "post_to_board_ms": {"p50": round(percentile(latencies, 50), 1),
                             "p95": round(percentile(latencies, 95), 1),
                             "max": round(max(latencies), 1)},
        "errors": errors, "statuses": statuses,
        "server_cpu_ms_per_phone_per_s": {
            "idle": round(idle_cpu * 1000 / idle_wall / phones_count, 2),
            "burst": round(burst_cpu * 1000 / burst_wall / phones_count, 2)},
        "cost_per_request": costs,
        "not_modified_vs_healthz": {
            "phone": round(costs["phone_304"]["cpu_ms_per_request"] / floor, 2),
            "board": round(costs["board_304"]["cpu_ms_per_request"] / floor, 2)},
    }
    problems = []
    if not room["post_to_board_ms"]["p50"] <= BUDGETS["p50_ms"]:
        problems.append("post → board p50 over 1 s")
    if not room["post_to_board_ms"]["p95"] <= BUDGETS["p95_ms"]:
        problems.append("post → board p95 over 2 s")
    if errors or room["cards_on_board"] != phones_count * CARDS or len(joined) != phones_count:
        problems.append("errors or cards missing")
    if room["not_modified_vs_healthz"]["phone"] > BUDGETS["phone_304_vs_healthz"]:
        problems.append("a phone's 304 costs more than twice /healthz")
    room["budgets"] = BUDGETS
    room["ok"] = not problems
    if problems:
        room["problems"] = problems
    return room


def main(argv=None) -> int:
    from bench.run import databases, _flask

    parser = argparse.ArgumentParser(description="The room scenario alone.")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    with databases(args.db) as new_database:
        url = new_database()
        _flask(url, "db", "upgrade", "heads")
        room = run_room(url)
    print(json.dumps({"database": args.db, "load_average": os.getloadavg(), "room": room},
                     indent=2, ensure_ascii=False))
    return 0 if room["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
