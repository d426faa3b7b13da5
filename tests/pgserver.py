"""Throwaway PostgreSQL server for the test suite (no pytest dependency).

Usage::

    from tests.pgserver import running_postgres

    with running_postgres() as url:   # postgresql+psycopg://USER@127.0.0.1:PORT/DBNAME
        ...

If the environment variable ``TEST_POSTGRES_URL`` is set, nothing is started
and its value is yielded as is.

Otherwise a fresh cluster is created with ``initdb`` in a temporary folder,
using the highest version found under ``/usr/lib/postgresql/*/bin``. When
running as root, initdb/pg_ctl are run as the ``postgres`` system user via
``runuser``. The server listens on 127.0.0.1 only (socket inside the temp
folder), trusts local connections, and runs with durability turned off for
speed. It is stopped and its folder deleted on exit, even on exceptions.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from typing import Iterator

__all__ = ["running_postgres", "find_pg_bindir", "PostgresNotFound"]

DB_NAME = "app_test"
PG_GLOB = "/usr/lib/postgresql/*/bin"


class PostgresNotFound(RuntimeError):
    pass


def find_pg_bindir() -> str:
    """Return the bin folder of the highest PostgreSQL version installed."""
    candidates = []
    for path in glob.glob(PG_GLOB):
        m = re.search(r"/postgresql/(\d+(?:\.\d+)?)/bin$", path)
        if m and os.path.exists(os.path.join(path, "initdb")):
            candidates.append((float(m.group(1)), path))
    if not candidates:
        raise PostgresNotFound(
            "No PostgreSQL server binaries found under /usr/lib/postgresql/*/bin. "
            "Install them (Debian: apt-get install -y postgresql) or set "
            "TEST_POSTGRES_URL to an existing database URL."
        )
    return max(candidates)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], as_user: str | None) -> None:
    if as_user:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    proc = subprocess.run(
        cmd, cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}"
        )


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    env_url = os.environ.get("TEST_POSTGRES_URL")
    if env_url:
        yield env_url
        return

    bindir = find_pg_bindir()
    as_user = None
    if os.geteuid() == 0:
        as_user = "postgres"
        try:
            pw = pwd.getpwnam(as_user)
        except KeyError:
            raise PostgresNotFound(
                "Running as root but there is no 'postgres' system user "
                "(install the Debian 'postgresql' package)."
            ) from None
    db_user = as_user or pwd.getpwuid(os.geteuid()).pw_name

    tmp = tempfile.mkdtemp(prefix="pgtest-")
    datadir = os.path.join(tmp, "data")
    sockdir = os.path.join(tmp, "sock")
    logfile = os.path.join(tmp, "server.log")
    started = False
    try:
        os.mkdir(sockdir)
        if as_user:
            os.chmod(tmp, 0o755)
            for p in (tmp, sockdir):
                os.chown(p, pw.pw_uid, pw.pw_gid)

        _run([os.path.join(bindir, "initdb"), "-D", datadir, "-U", db_user,
              "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
             as_user)

        port = None
        for _attempt in range(5):
            port = _free_port()
            opts = (
                f"-c listen_addresses=127.0.0.1 -c port={port} "
                f"-c unix_socket_directories={sockdir} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                started = True  # pg_ctl may have started it even if -w fails
                _run([os.path.join(bindir, "pg_ctl"), "-D", datadir, "-l", logfile,
                      "-o", opts, "-w", "-t", "60", "start"], as_user)
                break
            except RuntimeError as exc:
                _stop(bindir, datadir, as_user)
                started = False
                log = _read(logfile)
                if "already in use" not in log and "could not bind" not in log:
                    raise RuntimeError(f"{exc}\n--- server log ---\n{log}") from None
        else:
            raise RuntimeError("could not start PostgreSQL on a free port")

        _run([os.path.join(bindir, "createdb"), "-h", "127.0.0.1", "-p", str(port),
              "-U", db_user, DB_NAME], as_user)

        yield f"postgresql+psycopg://{db_user}@127.0.0.1:{port}/{DB_NAME}"
    finally:
        if started:
            _stop(bindir, datadir, as_user)
        shutil.rmtree(tmp, ignore_errors=True)


def _stop(bindir: str, datadir: str, as_user: str | None) -> None:
    """Stop the server (fast, then immediate); never raises."""
    if not os.path.exists(os.path.join(datadir, "postmaster.pid")):
        return
    for mode in ("fast", "immediate"):
        try:
            _run([os.path.join(bindir, "pg_ctl"), "-D", datadir, "-m", mode,
                  "-w", "-t", "30", "stop"], as_user)
            return
        except Exception:
            continue


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


if __name__ == "__main__":  # manual smoke test: python tests/pgserver.py
    import time

    t0 = time.monotonic()
    with running_postgres() as url:
        print(url, f"(ready in {time.monotonic() - t0:.2f}s)")
