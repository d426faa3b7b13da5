"""Support of the load and fault tests: the app under gunicorn, phones that join a live
session and post contributions and dots over HTTP (with their cookies and CSRF tokens,
like a browser), and the scenario's data, written by a subprocess on its own database
(the test suite's ``db.session`` is bound to the test transaction).

    python -m tests.live_load_support setup GROUPS   # DATABASE_URL in the environment
    python -m tests.live_load_support votes DOTS
"""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
FACILITATOR = "animation-charge@exemple.fr"
PASSWORD = "Une-phrase-de-passe-solide-2026"
GUNICORN_CONFIG = {"RATELIMIT_ENABLED": False}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(url: str) -> dict:
    return dict(os.environ, DATABASE_URL=url, SECRET_KEY="load-test-secret", FLASK_DEBUG="0",
                EXTERNAL_URL="http://127.0.0.1",
                SESSION_COOKIE_SECURE="0", LOGIN_RATE_LIMIT="1000 per minute")


def run_module(url: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "tests.live_load_support", *args],
                            cwd=ROOT, env=environment(url), capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Gunicorn:
    """``gunicorn 'app:create_app(...)'`` on a loopback port, started and stopped by us.
    ``config`` is passed to ``create_app`` (rate limits off by default; ``None``: the
    production configuration, limits included)."""

    def __init__(self, url: str, workers: int = 2, config: dict | None = GUNICORN_CONFIG,
                 env: dict | None = None):
        self.url, self.workers, self.config = url, workers, config
        self.env = environment(url) | (env or {})
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        factory = f"app:create_app({self.config!r})" if self.config else "app:create_app()"
        return [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind",
                f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "5", factory]

    def start(self) -> "Gunicorn":
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until(lambda: self.health() == 200, 60, "the server did not start")
        return self

    def health(self) -> int:
        try:
            return urllib.request.urlopen(f"{self.base}/healthz", timeout=5).status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    status = (entry / "status").read_text()
                except OSError:
                    continue
                if re.search(rf"^PPid:\s+{self.process.pid}$", status, re.M):
                    pids.append(int(entry.name))
        return sorted(pids)

    def wait_until(self, condition, seconds: float, message: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.read_log()}")
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"{message}\n{self.read_log()}")

    def read_log(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)


class FlaskRun(Gunicorn):
    """The server ``make run`` starts: ``flask run`` (Werkzeug, threaded, development
    mode), without the reloader so that we stop what we started."""

    def __init__(self, url: str, env: dict | None = None):
        super().__init__(url, workers=1, config=None, env={"FLASK_DEBUG": "1", **(env or {})})

    def command(self) -> list[str]:
        return [sys.executable, "-m", "flask", "--app", "app", "run", "--host", "127.0.0.1",
                "--port", str(self.port), "--no-reload"]


@contextlib.contextmanager
def gunicorns(url: str, count: int = 1, workers: int = 2):
    servers = [Gunicorn(url, workers) for _ in range(count)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


class Browser:
    """A cookie jar and a CSRF token: what a phone's browser keeps between requests."""

    def __init__(self, base: str):
        self.base = base
        host, port = base.rsplit("//", 1)[1].split(":")
        self.host, self.port = host, int(port)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, form: dict | None = None,
                headers: dict | None = None, timeout: float = 20) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        sent = {"Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrf_token": self.csrf, **form})
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            answer = {k.lower(): v for k, v in response.getheaders()}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _eq, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
            if token:
                self.csrf = token.group(1)
            return response.status, answer, text
        finally:
            connection.close()

    def sign_in(self, email: str, password: str) -> None:
        self.request("GET", "/login")
        status, _h, _t = self.request("POST", "/login", {"email": email, "password": password})
        assert status == 302, f"sign-in failed: {status}"


class Phone(Browser):
    """A participant's phone in a live session (``/j/<code>``)."""

    def __init__(self, base: str, code: str):
        super().__init__(base)
        self.code = code
        self.kind = ""

    def join(self, name: str, attempts: int = 5) -> None:
        for attempt in range(attempts):
            # A server restarting (a killed worker, the database coming back) may answer
            # 503 or drop the connection: try again, as a participant would.
            try:
                self.request("GET", f"/j/{self.code}")
                status, _h, _t = self.request("POST", f"/j/{self.code}", {
                    "guest-name": name, "guest-organisation_name": ""})
            except OSError:
                status, _t = 0, ""
            if status == 302:
                break
            time.sleep(0.2 * (attempt + 1))
        assert status == 302, f"join failed: {status} {_t[:300]}"
        status, _h, page = self.request("GET", f"/j/{self.code}")
        kinds = re.findall(r'name="kind"[^>]*value="([^"]+)"', page) or re.findall(
            r'value="([^"]+)"[^>]*name="kind"', page)
        assert status == 200 and kinds, f"phone page without contribution kinds: {status}"
        self.kind = kinds[0]

    def contribute(self, text: str, key: str) -> int:
        status, _h, _body = self.request(
            "POST", f"/j/{self.code}/contributions",
            {"kind": self.kind, "text": text, "submission_key": key, "organisation_id": "",
             "organisation_name": ""},
            headers={"X-Requested-With": "fetch", "Accept": "application/json"})
        return status

    def dot(self, vote_id: int, card_id: int) -> int:
        self.request("GET", f"/j/{self.code}")  # a fresh CSRF token, as the page would have
        status, _h, _body = self.request(
            "POST", f"/j/{self.code}/dots", {"vote_id": vote_id, "card_id": card_id},
            headers={"X-Requested-With": "fetch", "Accept": "application/json"})
        return status


def run_threads(targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


# The scenario's data (run in a subprocess) -----------------------------------------


def _setup(groups: int) -> dict:
    from datetime import UTC, datetime, timedelta

    from app import create_app
    from extensions import db
    from facilitation.sessions.live import participation
    from facilitation.sessions.operations import create_session
    from territorial.accounts import operations as accounts
    from territorial.territories.models import Territory

    app = create_app()
    with app.app_context():
        territory = Territory(slug="banc-de-charge", name="Banc de charge", level="commune")
        db.session.add(territory)
        db.session.flush()
        user = accounts.create_user(FACILITATOR, "Animation", PASSWORD)
        accounts.set_membership(user, territory.id, "facilitator")
        sessions = []
        now = datetime.now(UTC)
        for n in range(groups):
            session = create_session(territory.id, kind="gt1", title=f"GT {n + 1}",
                                     starts_at=now - timedelta(minutes=5),
                                     ends_at=now + timedelta(hours=2),
                                     agenda=["Échanges"])
            participation.open_session(session)
            sessions.append(session)
        db.session.commit()
        return {"territory": territory.slug,
                "sessions": [{"id": s.id, "code": s.join_code} for s in sessions]}


def _votes(dots: int) -> dict:
    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from facilitation.sessions.live import votes
    from facilitation.sessions.live.models import Contribution
    from facilitation.sessions.models import Meeting
    from territorial.territories.models import Territory

    app = create_app()
    with app.app_context():
        opened = {}
        territory_id = db.session.scalar(select(Territory.id).where(
            Territory.slug == "banc-de-charge"))
        for session in db.session.scalars(select(Meeting).where(
                Meeting.territory_id == territory_id).order_by(Meeting.id)):
            cards = db.session.scalars(select(Contribution.id).where(
                Contribution.session_id == session.id).order_by(Contribution.id).limit(6)).all()
            vote = votes.open_vote(session, "Priorités", dots, cards)
            opened[str(session.id)] = {"vote": vote.id, "cards": list(cards)}
        db.session.commit()
        return opened


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        print(json.dumps(_setup(int(sys.argv[2]))))
    elif command == "votes":
        print(json.dumps(_votes(int(sys.argv[2]))))
    else:
        raise SystemExit(f"unknown command {command}")
