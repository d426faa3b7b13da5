"""Files that hold secrets stay readable by the platform's own account only: the instance
folder (0700), the embedded SQLite database (0600; SQLite gives its journal and WAL files
the database's mode) and the development copy's ``.env`` (written 0600 by ``make run``).
An existing file or folder open to others is closed on start-up."""
import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def keep_files_private(instance_path: str | Path, database_url: str) -> None:
    """On start-up: the instance folder 0700 and its files 0600, the SQLite database 0600
    (created so, before SQLite creates it with the default mode)."""
    private_folder(instance_path)
    for child in Path(instance_path).iterdir():  # an older copy's secret_key, database…
        if child.is_file() and not child.is_symlink():
            _close_to_others(child, PRIVATE_FILE)
    database = sqlite_file(database_url)
    if database is not None:
        private_file(database)


def private_folder(path: str | Path) -> None:
    os.makedirs(path, mode=PRIVATE_FOLDER, exist_ok=True)
    _close_to_others(Path(path), PRIVATE_FOLDER)


def private_file(path: str | Path) -> None:
    """Create ``path`` empty (0600) when missing, before anything else creates it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    _close_to_others(path, PRIVATE_FILE)


def sqlite_file(database_url: str) -> Path | None:
    """The file of an SQLite database URL (None for another database or in memory)."""
    url = make_url(database_url)
    name = url.database
    if url.get_backend_name() != "sqlite" or not name or name == ":memory:" \
            or name.startswith("file:"):
        return None
    return Path(name)


def _close_to_others(path: Path, mode: int) -> None:
    details = path.stat()
    if details.st_uid == os.getuid() and stat.S_IMODE(details.st_mode) & 0o077:
        path.chmod(mode)
