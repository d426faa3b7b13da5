"""``make bench`` (``make bench DB=postgresql``): every page of a territory at 1×, 10× and
100× the data, then the room scenario (phones and the board, ``bench/room.py``).

For each scale: a fresh database (SQLite file, or a database on a throwaway PostgreSQL
server started by tests/pgserver.py), migrated, demo-seeded, grown by bench.generate (its
time reported); every GET page of a territory found by bench.sweep (ids from the data) with
its SQL query count, counted in-process. Then the scales are timed **side by side**: one
gunicorn (2 workers) per scale on loopback ports, and bench.loadgen in another process
times /healthz (the floor) and every page in ``--repeats`` passes, each page at every scale
back to back (bench.verdict takes the medians), so that a page's 1× and 100× times are
taken seconds apart; the organisation picker's search when the app has it; the RSS of each
worker after the load. At the smallest scale, the plan's document (Word, OpenDocument, PDF)
of 100 and 1,000 actions (bench/action_plan_exports.py).
Prints ONE JSON document (verdict included) on standard output and a table of every page on
standard error, with the progress.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.action_plan_exports import export_timings as plan_export_timings  # noqa: E402
from bench.generate import generate, log  # noqa: E402
from bench.sweep import ADMIN, PASSWORD, sweep  # noqa: E402
from bench.verdict import FLOOR_END, SEARCH, print_table, verdict  # noqa: E402

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(url: str) -> dict:
    return dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-key", FLASK_DEBUG="0",
                EXTERNAL_URL="http://127.0.0.1",
                SESSION_COOKIE_SECURE="0", LOGIN_RATE_LIMIT="10000 per minute")


def _flask(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                   env=_environment(url), check=True, capture_output=True, timeout=600)


@contextlib.contextmanager
def databases(kind: str):
    """Yield a function making a new empty database URL."""
    folder = tempfile.mkdtemp(prefix="bench-db-")
    if kind == "sqlite":
        yield lambda: f"sqlite:///{folder}/{uuid.uuid4().hex[:8]}.db"
        shutil.rmtree(folder, ignore_errors=True)
        return
    from tests.pgserver import running_postgres
    import psycopg

    with running_postgres() as server_url:
        admin_url = make_url(server_url).set(drivername="postgresql", database="postgres")

        def _new() -> str:
            name = f"bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(admin_url.render_as_string(hide_password=False),
                                 autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            return make_url(server_url).set(database=name).render_as_string(
                hide_password=False)

        yield _new
    shutil.rmtree(folder, ignore_errors=True)


def _make_app(url: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key",
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "SESSION_COOKIE_SECURE": False, "SERVER_NAME": "localhost",
                       "EXTERNAL_URL": "http://localhost"})


def worker_rss_mb(master_pid: int) -> list[float]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.M):
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                children.append(round(int(match.group(1)) / 1024, 1))
    return sorted(children)


@contextlib.contextmanager
def gunicorn(url: str, workers: int = 2):
    port = _free_port()
    log_file = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--timeout", "120", "app:create_app()"],
        cwd=ROOT, env=_environment(url), stdout=log_file, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn stopped; see {log_file.name}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not answer; see {log_file.name}")
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()
        os.unlink(log_file.name)


def load(targets: dict[str, dict], args) -> dict:
    """One pass of bench.loadgen over ``{label: {"base": …, "urls": {…}}}``."""
    pages = max(len(target["urls"]) for target in targets.values())
    result = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", "--email", ADMIN, "--password", PASSWORD,
         "--requests", str(args.requests), "--concurrency", str(args.concurrency),
         "--time-limit", str(args.time_limit)],
        cwd=ROOT, input=json.dumps(targets), capture_output=True, text=True,
        timeout=args.time_limit * (pages + 1) * len(targets) + 120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"loadgen failed: {result.stderr}")
    return json.loads(result.stdout)


def export_timings(app) -> dict:
    runs = [plan_export_timings(app) for _ in range(3)]
    result = {}
    for fmt in runs[0]:
        best = {size: min(run[fmt][size] for run in runs) for size in ("100", "1000")}
        result[fmt] = {"100_s": round(best["100"], 3), "1000_s": round(best["1000"], 3),
                       "ratio": round(best["1000"] / best["100"], 2)}
    # the verdict reads the worst format's ratio
    result["ratio"] = max(entry["ratio"] for entry in result.values())
    return result


def search_url(app, urls: dict[str, str]) -> str | None:
    """The organisation picker's search (another branch builds it), if the app has it:
    the first letters of an organisation's name, in the first territory."""
    if SEARCH not in app.view_functions:
        return None
    from flask import url_for

    from extensions import db
    from territorial.actors.models import Organisation
    from territorial.territories.models import Territory

    with app.app_context():
        territory = db.session.scalar(select(Territory).order_by(Territory.id))
        name = db.session.scalar(select(Organisation.name).where(
            Organisation.territory_id == territory.id).order_by(Organisation.id))
        with app.test_request_context():
            return url_for(SEARCH, territory=territory.slug, q=(name or "a")[:4],
                           kind="organisations")


def prepare(new_database, scale: int) -> tuple[str, object, dict, float]:
    """A database at ``scale``: migrated, seeded, generated; the app and the time taken."""
    url = new_database()
    log(f"scale {scale}×: migrating and seeding {make_url(url).get_backend_name()}")
    started = time.perf_counter()
    _flask(url, "db", "upgrade", "heads")
    _flask(url, "seed-demo")
    app = _make_app(url)
    from extensions import db

    with app.app_context():
        generated = generate(db.engine, scale)
    generated["seconds_with_migration_and_seed"] = round(time.perf_counter() - started, 1)
    return url, app, generated, generated["seconds"]


def prepare_scale(new_database, scale: int, args) -> dict:
    """A scale's database, its pages (ids, query counts) and, at the smallest, the exports."""
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    url, app, generated, _seconds = prepare(new_database, scale)
    urls, counts, skipped = sweep(app)
    search = search_url(app, urls)
    if search:
        from bench.sweep import query_counts

        counts |= query_counts(app, {SEARCH: search})
    exports = export_timings(app) if scale == min(args.scales) else None
    from extensions import db

    with app.app_context():
        db.engine.dispose()
    timed = {"healthz": "/healthz", **urls} | ({SEARCH: search} if search else {}) \
        | {FLOOR_END: "/healthz"}
    return {"load_average_at_start": load_at_start, "cores": os.cpu_count(),
            "generated": generated, "url": url, "urls": urls, "timed": timed,
            "skipped": skipped, "queries": counts, "search_url": search, "export": exports}


def time_scales(scales: dict[int, dict], args) -> list[float]:
    """Every scale's gunicorn side by side; ``--repeats`` passes, each timing every page at
    every scale back to back; then each worker's RSS. Returns the load average at the start
    of the timing."""
    with contextlib.ExitStack() as stack:
        servers = {s: stack.enter_context(gunicorn(data["url"])) for s, data in scales.items()}
        targets = {f"{s}x": {"base": servers[s][0], "urls": data["timed"]}
                   for s, data in scales.items()}
        load_at_timing = [round(x, 2) for x in os.getloadavg()]
        log(f"gunicorn (2 workers) per scale, {len(targets)} scales side by side, "
            f"{max(len(d['urls']) for d in scales.values())} pages × {args.repeats} passes")
        for data in scales.values():
            data["passes"] = []
        for number in range(args.repeats):
            timed = load(targets, args)
            for s, data in scales.items():
                data["passes"].append(timed[f"{s}x"])
            log(f"pass {number + 1} done")
        for s, data in scales.items():
            data["worker_rss_mb"] = worker_rss_mb(servers[s][1])
    return load_at_timing


def queries_only(args) -> int:
    """SQL statements of every page at two scales (no server, no load): for the test that
    fails when a page's query count grows with the data."""
    counts, skipped = {}, {}
    with databases(args.db) as new_database:
        for scale in args.scales:
            _url, app, _generated, _seconds = prepare(new_database, scale)
            _urls, counts[scale], skipped[scale] = sweep(app)
            from extensions import db

            with app.app_context():
                db.engine.dispose()
    low, high = (counts[s] for s in args.scales[:2])
    growing = sorted(name for name in low if low[name] != high.get(name))
    print(json.dumps({"queries": {f"{s}x": counts[s] for s in args.scales},
                      "skipped": skipped[args.scales[0]], "growing": growing},
                     ensure_ascii=False))
    return 1 if growing else 0


def room_costs(new_database, counts: list[int]) -> dict:
    """The room (budgets at ``bench.room.PHONES``) and the room at another count of phones:
    what one more phone costs in server CPU and in post → board latency."""
    from bench.room import PHONES, run_room

    rooms = {}
    for count in sorted({PHONES, *counts}):
        log(f"room: {count} phones and the board (bench/room.py)")
        url = new_database()
        _flask(url, "db", "upgrade", "heads")
        rooms[count] = run_room(url, count)
    main_room = rooms[PHONES]
    other = next((n for n in sorted(rooms) if n != PHONES), None)
    if other is None:
        return main_room
    low, high = sorted((other, PHONES))
    extra = high - low

    def per_phone(phase: str) -> float:
        total = {n: rooms[n]["server_cpu_ms_per_phone_per_s"][phase] * n for n in (low, high)}
        return round((total[high] - total[low]) / extra, 2)

    return main_room | {"one_more_phone": {
        "phones": [low, high],
        "server_cpu_ms_per_s_idle": per_phone("idle"),
        "server_cpu_ms_per_s_burst": per_phone("burst"),
        "post_to_board_p50_ms_per_phone": round(
            (rooms[high]["post_to_board_ms"]["p50"] - rooms[low]["post_to_board_ms"]["p50"])
            / extra, 1),
        f"room_{other}": rooms[other]}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Every page at 1×, 10× and 100×.")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scales", default="1,10,100", help="e.g. 1,3 while developing")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--repeats", type=int, default=5, help="passes over every page")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per page")
    parser.add_argument("--output", help="also write the JSON document to this file")
    parser.add_argument("--queries-only", action="store_true",
                        help="only count SQL statements per page at --scales")
    parser.add_argument("--no-room", action="store_true", help="skip the room scenario")
    parser.add_argument("--phones", default="30", help="the room at this count of phones too "
                        "(besides 36): the cost of one more phone")
    args = parser.parse_args(argv)
    args.scales = sorted(int(s) for s in args.scales.split(","))
    if args.queries_only:
        return queries_only(args)
    started = time.perf_counter()
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(),
               "platform": platform.platform(),
               "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    scales, room = {}, None
    with databases(args.db) as new_database:
        for scale in args.scales:
            scales[scale] = prepare_scale(new_database, scale, args)
        machine["load_average_at_timing"] = time_scales(scales, args)
        if not args.no_room:
            room = room_costs(new_database, [int(n) for n in args.phones.split(",")])
    document = {
        "database": args.db, "machine": machine,
        "settings": {"scales": args.scales, "requests_per_page": args.requests,
                     "passes": args.repeats, "concurrency": args.concurrency,
                     "gunicorn_workers": 2},
        "scales": {f"{s}x": {k: v for k, v in data.items()
                             if k not in ("export", "passes", "timed", "url")}
                   for s, data in scales.items()},
        **verdict(scales),
        "room": room,
        "seconds": round(time.perf_counter() - started, 1),
    }
    document["skipped"] = document["scales"][f"{args.scales[0]}x"]["skipped"]
    if room is not None and not room["ok"]:
        document["verdict"] = "FAIL"
    output = json.dumps(document, indent=2, ensure_ascii=False)
    print(output)
    print_table(document)
    if args.output:
        Path(args.output).write_text(output + "\n", encoding="utf-8")
    return 0 if document["verdict"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
