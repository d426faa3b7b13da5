"""``make screenshots``: the README's pictures, made from the demo data so that they stay
true. A fresh SQLite database (migrated, demo-seeded), the app on a free loopback port,
Debian's Chromium through Playwright: the join screen and the projected board of the
demo's GT2 under way, a phone that joined it, the frise, the experiment's action plan,
and the first page of the GT1's Word minutes (LibreOffice → PDF → pdftoppm). PNGs, 1280
px wide, in the folder given (``docs/screenshots`` by default).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import launch_chromium  # noqa: E402

PASSWORD = "Partenariats-demo-2026"  # territorial/demo.py
FACILITATOR = "animation@charenton.demo"
ADMIN = "admin@demo.territoires.fr"
WIDE = {"width": 1280, "height": 720}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(workdir: Path):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{workdir / 'demo.db'}",
               EXTERNAL_URL=f"http://127.0.0.1:{port}", SECRET_KEY="screenshots",
               SESSION_COOKIE_SECURE="0", FLASK_DEBUG="0", FLASK_SKIP_DOTENV="1")
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([*flask, "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(workdir / "server.log", "w")
    server = subprocess.Popen([*flask, "run", "--host", "127.0.0.1", "--port", str(port),
                               "--no-reload"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"the app did not start; see {log.name}")


ADDRESSES = """
import json
from sqlalchemy import func, select
from app import create_app
from extensions import db
from facilitation.action_plans.models import Action, ActionPlan
from facilitation.sessions.models import Meeting
from territorial.territories.models import Territory
from territorial.timelines.models import PartnerTimeline, TimelineEntry

def slug(territory_id):
    return db.session.get(Territory, territory_id).slug

with create_app().app_context():
    minutes = db.session.scalar(select(Meeting).where(Meeting.status == "cloturee",
                                                      Meeting.minutes != "").order_by(Meeting.id))
    timeline = db.session.scalar(select(PartnerTimeline).join(
        TimelineEntry, TimelineEntry.timeline_id == PartnerTimeline.id)
        .group_by(PartnerTimeline.id).order_by(func.count().desc()))
    plan = db.session.scalar(select(ActionPlan).join(Action, Action.plan_id == ActionPlan.id)
                             .group_by(ActionPlan.id).order_by(func.count().desc()))
    print(json.dumps({
        "minutes": f"/t/{slug(minutes.territory_id)}/sessions/{minutes.id}/minutes.docx",
        "frise": f"/t/{slug(timeline.territory_id)}/frises/{timeline.id}",
        "plan-d-action": f"/t/{slug(plan.territory_id)}/action-plans/{plan.id}",
    }))
"""


def _addresses(workdir: Path) -> dict:
    """Where the demo's frise, fullest action plan and first minutes are."""
    import json

    env = dict(os.environ, DATABASE_URL=f"sqlite:///{workdir / 'demo.db'}",
               EXTERNAL_URL="http://127.0.0.1", SECRET_KEY="screenshots", FLASK_DEBUG="0",
               FLASK_SKIP_DOTENV="1")
    found = subprocess.run([sys.executable, "-c", ADDRESSES], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    if found.returncode:
        raise RuntimeError(found.stderr[-2000:])
    return json.loads(found.stdout.strip().splitlines()[-1])


def _sign_in(page, email):
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _word_page(page, url: str, target: Path, workdir: Path) -> None:
    """The first page of a Word document, as a reader sees it."""
    docx = workdir / "document.docx"
    docx.write_bytes(page.request.get(url).body())
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{workdir}/lo",
                    "--convert-to", "pdf", "--outdir", str(workdir), str(docx)],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to-x", "1280",
                    "-scale-to-y", "-1", "-singlefile", str(workdir / "document.pdf"),
                    str(target.with_suffix(""))], check=True, timeout=60)


def make(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        workdir = Path(tmp)
        server, base = _serve(workdir)
        browser = launch_chromium(playwright)
        try:
            def shot(page, name):
                path = out / f"{name}.png"
                page.screenshot(path=str(path))
                made.append(path)
                print(f"  {path}", file=sys.stderr)

            room = browser.new_context(base_url=base, locale="fr-FR", viewport=WIDE)
            page = room.new_page()
            _sign_in(page, FACILITATOR)
            page.goto("/t/charenton-saint-maurice")
            page.get_by_role("link", name="En cours : GT2").first.click()
            page.wait_for_url("**/board")
            session = page.url.removesuffix("/board")
            code = page.locator(".live-panel .join-code").inner_text().strip()
            page.goto(session + "/join-code")
            shot(page, "rejoindre")
            page.goto(session + "/board?projection=1")
            shot(page, "tableau-projete")

            phone = browser.new_context(base_url=base, locale="fr-FR", is_mobile=True,
                                        has_touch=True, viewport={"width": 390, "height": 844},
                                        device_scale_factor=2)
            mobile = phone.new_page()
            mobile.goto(f"/j/{code}")
            mobile.get_by_label("Vos prénom et nom").fill("Chloé Martin")
            mobile.get_by_role("button", name="Je rejoins la séance comme invité·e").click()
            mobile.get_by_text("Vous participez en tant que Chloé Martin").wait_for()
            shot(mobile, "telephone")
            phone.close()

            urls = _addresses(workdir)
            _word_page(page, urls["minutes"], out / "compte-rendu-word.png", workdir)
            made.append(out / "compte-rendu-word.png")
            room.close()

            admin = browser.new_context(base_url=base, locale="fr-FR",
                                        viewport={"width": 1280, "height": 800})
            page = admin.new_page()
            _sign_in(page, ADMIN)
            for name in ("frise", "plan-d-action"):
                page.goto(urls[name])
                page.wait_for_load_state("networkidle")
                shot(page, name)
            admin.close()
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=10)
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        sys.exit("soffice (libreoffice-writer-nogui) and pdftoppm (poppler-utils) are needed.")
    make(target)
