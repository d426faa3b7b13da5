"""``make bench`` (``make bench DB=postgresql``): pages and exports at 1× and 10×, then
the room scenario (36 phones and the board, ``bench/room.py``).

For each scale: a fresh database (SQLite file, or a database on a throwaway PostgreSQL
server started by tests/pgserver.py), migrated, demo-seeded, grown by bench.generate;
the app under gunicorn (2 workers) on a loopback port; bench.loadgen in another process
measures /healthz (the floor) and each main page that exists; SQL queries per page are
counted in-process with the test client; the plan's document (Word, OpenDocument, PDF) of 100 and
1,000 actions is timed (bench/action_plan_exports.py); the RSS of each worker is
read from /proc. Prints ONE JSON document (ratios and verdict) on standard output;
progress goes to standard error.
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

from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.action_plan_exports import export_timings as plan_export_timings  # noqa: E402
from bench.generate import generate, log  # noqa: E402

ADMIN = "admin@demo.territoires.fr"
PASSWORD = "Partenariats-demo-2026"
BUDGETS = {"scale_ratio": 1.5, "floor_ratio": 15.0, "export_ratio": 12.0, "rss_mb": 200.0}
# name → (endpoint, table of the object shown, URL argument); the object is the first
# row of the table (a demo object: copies and duplicates come after it).
PAGES = {
    "territory_home": ("territory.home", None, None),
    "organisations": ("actors.organisations", None, None),
    "experiment_workspace": ("experiments.workspace", "experiment", "experiment_id"),
    "session_board_fragment": ("sessions.live.board_fragment", "session", "session_id"),
    "action_plan": ("action_plans.plan", "action_plan", "plan_id"),
    "raci_grid": ("raci.grid", "raci_grid", "grid_id"),
    "frise": ("timelines.show", "partner_timeline", "timeline_id"),
    "charter": ("charters.charter", "charter", "charter_id"),
    "convention_dashboard": ("conventions.show", "convention", "convention_id"),
    "portfolio": ("conventions.portfolio", "convention", None),
}


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


def page_urls(app) -> tuple[dict[str, str], dict[str, str]]:
    """The URL of each page that exists, and why the others are left out."""
    from flask import url_for

    from extensions import db
    from territorial.backup import backup_tables

    urls, missing = {}, {}
    with app.app_context():
        with db.engine.connect() as connection:
            tables = {t.name: t for t in backup_tables(connection)}
            territory = tables["territory"]
            first_slug = connection.scalar(select(territory.c.slug).order_by(territory.c.id))
            for name, (endpoint, table_name, argument) in PAGES.items():
                if endpoint not in app.view_functions:
                    missing[name] = f"no endpoint {endpoint} yet"
                    continue
                slug, values = first_slug, {}
                if table_name:
                    if table_name not in tables:
                        missing[name] = f"no table {table_name} yet"
                        continue
                    table = tables[table_name]
                    statement = select(table.c.id, table.c.territory_id).order_by(table.c.id)
                    if table_name == "session" and "contribution" in tables:
                        # a session whose board has cards
                        contribution = tables["contribution"]
                        statement = statement.where(table.c.id == select(
                            func.min(contribution.c.session_id)).scalar_subquery())
                    row = connection.execute(statement).first()
                    if row is None:
                        missing[name] = f"table {table_name} is empty in the demo data"
                        continue
                    slug = connection.scalar(
                        select(territory.c.slug).where(territory.c.id == row.territory_id))
                    if argument:
                        values[argument] = row.id
                with app.test_request_context():
                    urls[name] = url_for(endpoint, territory=slug, **values)
    return urls, missing


def query_counts(app, urls: dict[str, str]) -> dict[str, int | str]:
    """SQL statements per page, counted in-process (after one warm-up request)."""
    from extensions import db

    client = app.test_client()
    response = client.post("/login", data={"email": ADMIN, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError("bench: the admin could not sign in")
    counts: dict[str, int | str] = {}
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    for name, url in urls.items():
        client.get(url)
        statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            status = client.get(url).status_code
        finally:
            event.remove(engine, "before_cursor_execute", record)
        counts[name] = len(statements) if status == 200 else f"HTTP {status}"
    return counts


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


def load(base: str, urls: dict[str, str], requests: int, concurrency: int,
         time_limit: float) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", "--base", base, "--email", ADMIN,
         "--password", PASSWORD, "--requests", str(requests), "--concurrency",
         str(concurrency), "--time-limit", str(time_limit)],
        cwd=ROOT, input=json.dumps(urls), capture_output=True, text=True,
        timeout=time_limit * (len(urls) + 1) + 120,
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


def run_scale(new_database, scale: int, args) -> dict:
    url = new_database()
    log(f"scale {scale}×: migrating and seeding {make_url(url).get_backend_name()}")
    _flask(url, "db", "upgrade", "heads")
    _flask(url, "seed-demo")
    app = _make_app(url)
    from extensions import db

    with app.app_context():
        generated = generate(db.engine, scale)
    urls, missing = page_urls(app)
    counts = query_counts(app, urls)
    exports = export_timings(app) if scale == 1 else None
    with app.app_context():
        db.engine.dispose()
    log(f"scale {scale}×: gunicorn (2 workers) and the load generator")
    with gunicorn(url) as (base, master):
        timings = load(base, {"healthz": "/healthz", **urls}, args.requests,
                       args.concurrency, args.time_limit)
        rss = worker_rss_mb(master)
    return {"generated": generated, "urls": urls, "missing_pages": missing,
            "queries": counts, "latency": timings, "worker_rss_mb": rss,
            "export": exports}


def queries_only(args) -> int:
    """SQL statements per page at two scales (no server, no load): for the test that
    fails when a page's query count grows with the data."""
    counts, missing = {}, {}
    with databases(args.db) as new_database:
        for scale in args.scales:
            url = new_database()
            _flask(url, "db", "upgrade", "heads")
            _flask(url, "seed-demo")
            app = _make_app(url)
            from extensions import db

            with app.app_context():
                generate(db.engine, scale)
            urls, missing[scale] = page_urls(app)
            counts[scale] = query_counts(app, urls)
            with app.app_context():
                db.engine.dispose()
    low, high = (counts[s] for s in args.scales)
    growing = sorted(name for name in low if low[name] != high.get(name))
    print(json.dumps({"queries": {f"{s}x": counts[s] for s in args.scales},
                      "not_measured": missing[args.scales[0]], "growing": growing},
                     ensure_ascii=False))
    return 1 if growing else 0


def verdict(scales: dict[int, dict]) -> dict:
    one, ten = scales[1], scales[10]
    floor = {s: scales[s]["latency"]["healthz"]["p50_ms"] for s in scales}
    pages = {}
    failures = []
    for name in one["urls"]:
        if name not in ten["latency"]:
            continue
        p1, p10 = one["latency"][name]["p50_ms"], ten["latency"][name]["p50_ms"]
        bad_status = [s for s in (one["latency"][name]["statuses"],
                                  ten["latency"][name]["statuses"]) if set(s) != {"200"}]
        entry = {
            "p50_ms_1x": p1, "p50_ms_10x": p10,
            "scale_ratio": round(p10 / p1, 2),
            "floor_ratio_1x": round(p1 / floor[1], 1),
            "floor_ratio_10x": round(p10 / floor[10], 1),
            "queries_1x": one["queries"].get(name), "queries_10x": ten["queries"].get(name),
        }
        problems = []
        if entry["scale_ratio"] > BUDGETS["scale_ratio"]:
            problems.append("10× slower than 1× beyond budget")
        if max(entry["floor_ratio_1x"], entry["floor_ratio_10x"]) > BUDGETS["floor_ratio"]:
            problems.append("p50 over 15× the floor")
        if entry["queries_1x"] != entry["queries_10x"]:
            problems.append("query count grows with the data")
        if bad_status:
            problems.append(f"non-200 answers: {bad_status}")
        entry["ok"] = not problems
        if problems:
            entry["problems"] = problems
            failures.append(name)
        pages[name] = entry
    export = one.get("export") or {}
    export_ok = export.get("ratio") is not None and export["ratio"] <= BUDGETS["export_ratio"]
    rss = max(one["worker_rss_mb"] + ten["worker_rss_mb"], default=0)
    rss_ok = 0 < rss < BUDGETS["rss_mb"]
    return {
        "budgets": BUDGETS,
        "floor_p50_ms": floor,
        "pages": pages,
        "export": export | {"ok": export_ok},
        "worker_rss_mb": {"1x": one["worker_rss_mb"], "10x": ten["worker_rss_mb"],
                          "max": rss, "ok": rss_ok},
        "pages_failing": failures,
        "pages_not_measured": sorted(set(one["missing_pages"]) | set(ten["missing_pages"])),
        "verdict": "PASS" if not failures and export_ok and rss_ok else "FAIL",
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark at 1× and 10×.")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=15.0, help="seconds per page")
    parser.add_argument("--output", help="also write the JSON document to this file")
    parser.add_argument("--queries-only", action="store_true",
                        help="only count SQL statements per page at --scales")
    parser.add_argument("--scales", default="1,10",
                        help="two scales, e.g. 1,3 (with --queries-only)")
    args = parser.parse_args(argv)
    args.scales = [int(s) for s in args.scales.split(",")]
    if args.queries_only:
        return queries_only(args)
    started = time.perf_counter()
    scales = {}
    with databases(args.db) as new_database:
        for scale in (1, 10):
            scales[scale] = run_scale(new_database, scale, args)
        from bench.room import run_room

        log("room: 36 phones and the board (bench/room.py)")
        room_url = new_database()
        _flask(room_url, "db", "upgrade", "heads")
        room = run_room(room_url)
    document = {
        "database": args.db,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_average": [round(x, 2) for x in os.getloadavg()]},
        "settings": {"requests_per_page": args.requests, "concurrency": args.concurrency,
                     "gunicorn_workers": 2},
        "scales": {f"{s}x": {k: v for k, v in data.items() if k != "export"}
                   for s, data in scales.items()},
        **verdict(scales),
        "room": room,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if not room["ok"]:
        document["verdict"] = "FAIL"
    output = json.dumps(document, indent=2, ensure_ascii=False)
    print(output)
    if args.output:
        Path(args.output).write_text(output + "\n", encoding="utf-8")
    return 0 if document["verdict"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
