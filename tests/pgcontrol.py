"""A PostgreSQL server of its own for the fault test that stops and restarts it (the
suite's server, tests/pgserver.py, must stay up for the other tests). Same approach:
initdb in a temporary folder, loopback only, trust authentication, as ``postgres`` when
run as root; stopped and deleted at exit."""
from __future__ import annotations

import os
import pwd
import shutil
import tempfile

from tests.pgserver import _free_port, _run, _stop, find_pg_bindir


class RestartablePostgres:
    def __init__(self, database: str = "faults"):
        self.bindir = find_pg_bindir()
        self.as_user = "postgres" if os.geteuid() == 0 else None
        self.db_user = self.as_user or pwd.getpwuid(os.geteuid()).pw_name
        self.database = database
        self.folder = tempfile.mkdtemp(prefix="pgfault-")
        self.datadir = os.path.join(self.folder, "data")
        self.sockdir = os.path.join(self.folder, "sock")
        self.port = _free_port()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.db_user}@127.0.0.1:{self.port}/{self.database}"

    def __enter__(self) -> "RestartablePostgres":
        os.mkdir(self.sockdir)
        if self.as_user:
            account = pwd.getpwnam(self.as_user)
            os.chmod(self.folder, 0o755)
            for path in (self.folder, self.sockdir):
                os.chown(path, account.pw_uid, account.pw_gid)
        _run([os.path.join(self.bindir, "initdb"), "-D", self.datadir, "-U", self.db_user,
              "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], self.as_user)
        self.start()
        _run([os.path.join(self.bindir, "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
              "-U", self.db_user, self.database], self.as_user)
        return self

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.sockdir} -c fsync=off "
                   "-c full_page_writes=off")
        _run([os.path.join(self.bindir, "pg_ctl"), "-D", self.datadir, "-l",
              os.path.join(self.folder, "server.log"), "-o", options, "-w", "-t", "60",
              "start"], self.as_user)

    def stop(self) -> None:
        """A fast shutdown: sessions are cut, as in a crash of the database server."""
        _run([os.path.join(self.bindir, "pg_ctl"), "-D", self.datadir, "-m", "fast", "-w",
              "-t", "60", "stop"], self.as_user)

    def __exit__(self, *exc) -> None:
        _stop(self.bindir, self.datadir, self.as_user)
        shutil.rmtree(self.folder, ignore_errors=True)
