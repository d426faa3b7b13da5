"""Scratch databases beside the test database, and the app's CLI run in a subprocess.

``scratch_databases(database_url)`` yields a function returning a new, empty database URL
each call: a SQLite file in a temporary folder, or a new database created with
``CREATE DATABASE`` on the same (throwaway) PostgreSQL server; they are dropped at the end.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent


def _admin_connect(url: str):
    import psycopg

    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return psycopg.connect(parsed.render_as_string(hide_password=False), autocommit=True)


@contextlib.contextmanager
def scratch_databases(database_url: str) -> Iterator:
    created: list[str] = []
    folder = tempfile.mkdtemp(prefix="scratch-db-")
    postgres = make_url(database_url).get_backend_name() == "postgresql"

    def _new() -> str:
        name = f"scratch_{uuid.uuid4().hex[:12]}"
        if not postgres:
            return f"sqlite:///{folder}/{name}.db"
        with _admin_connect(database_url) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(database_url).set(database=name).render_as_string(hide_password=False)

    try:
        yield _new
    finally:
        if created:
            with _admin_connect(database_url) as admin:
                for name in created:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def flask_cli(url: str, *args: str, check: bool = True, timeout: float = 300,
              **env: str) -> subprocess.CompletedProcess:
    """``flask --app app ARGS`` on the database ``url``, in its own process."""
    environment = dict(os.environ, DATABASE_URL=url, SECRET_KEY="scratch-secret",
                       EXTERNAL_URL="http://127.0.0.1",
                       FLASK_DEBUG="0", **env)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result
