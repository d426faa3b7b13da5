"""Secrets on disk and in caches: the instance folder 0700, the SQLite database and the
development copy's .env 0600; no page kept by a browser or a proxy unless its view says so
(the signed-in pages, the reset and invitation links, a phone's page under its code), and a
photo asked again each time so that its access check runs."""
import stat
import subprocess
from pathlib import Path

from sqlalchemy import text

from extensions import db
from territorial.accounts import operations
from territorial.common.private_files import keep_files_private
from tests.conftest import make_app
from tests.live_support import join, live_setup
from tests.route_walk import make_ids, page_urls

ROOT = Path(__file__).resolve().parent.parent


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_sqlite_database_is_created_readable_by_its_owner_only(tmp_path):
    database = tmp_path / "instance" / "territorial.db"
    app = make_app(f"sqlite:///{database}")
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        wal = database.with_name(database.name + "-wal")
        assert _mode(database) == 0o600
        assert not wal.exists() or _mode(wal) == 0o600
        db.engine.dispose()


def test_an_instance_folder_open_to_others_is_closed(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    key = folder / "secret_key"  # written 0644 by an older `make run`
    key.write_text("0123456789abcdef")
    key.chmod(0o644)
    keep_files_private(folder, "postgresql+psycopg://localhost/territorial")
    assert _mode(folder) == 0o700 and _mode(key) == 0o600
    keep_files_private(tmp_path / "new", f"sqlite:///{tmp_path / 'new' / 'base.db'}")
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "base.db") == 0o600


def test_make_run_writes_its_secret_key_readable_by_its_owner_only(tmp_path):
    made = subprocess.run(["make", "--no-print-directory", "-f", str(ROOT / "Makefile"),
                           f"VENV={ROOT / '.venv'}", ".env"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    assert "SECRET_KEY=" in (tmp_path / ".env").read_text()
    assert _mode(tmp_path / ".env") == 0o600
    assert _mode(tmp_path / "instance") == 0o700


def _no_store(response) -> bool:
    return response.headers.get("Cache-Control") == "no-store"


def test_pages_carrying_a_secret_are_not_stored(app, client, factory, territory):
    user = factory.user(territory)
    with app.test_request_context():
        reset = operations.password_reset_token(user)
        invitation = operations.invitation_token(
            operations.invite(territory.id, "nouvelle@exemple.fr", "participant", user))
        db.session.commit()
    for url in (f"/password/reset/{reset}", f"/invitations/{invitation}", "/login",
                "/password/forgot"):
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url


def test_a_phones_page_under_its_code_is_not_stored(app, client, factory):
    setup = live_setup(factory, app)
    code = setup.session.join_code
    assert _no_store(client.get(f"/j/{code}"))
    join(client, code, guest="Invitée Cache")
    page = client.get(f"/j/{code}")
    assert page.status_code == 200 and _no_store(page)


def test_a_photo_is_asked_again_each_time(client, factory, login, territory):
    user = factory.user(territory, role="coordinator")
    objects = factory.issue6_objects(territory)
    review, photo = objects["review"], objects["photo"]
    login(user)
    url = (f"/t/{territory.slug}/projects/{review.project_id}/reviews/{review.id}"
           f"/photos/{photo.id}")
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, no-cache" and first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    client.post("/logout")
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 302


def test_every_signed_in_page_is_private(app, client, factory, login, territory):
    user = factory.user(territory, role="coordinator", is_admin=True)
    urls = page_urls(app, territory, make_ids(factory, territory, user))
    login(user)
    public = []
    for url in urls:
        with client.get(url) as response:
            if url.startswith("/static/") or url == "/favicon.ico":  # files, the same for all
                continue
            cache = response.headers.get("Cache-Control", "")
            if "no-store" not in cache and "private" not in cache:
                public.append(f"{url} → {cache or 'no Cache-Control'}")
    assert not public, "\n".join(public)
