"""Engine settings: SQLite gets foreign keys, WAL, a busy timeout, a larger page cache and
real savepoints, and a writing request takes the write lock when its transaction starts.

Why the last point: under WAL, a *deferred* transaction that reads and then writes cannot
wait for another writer — if someone committed since its first read, SQLite answers
SQLITE_BUSY at once, whatever the busy timeout (its snapshot is stale). Forty phones posting
at once then got « database is locked » (503). A request whose method writes (POST, PUT,
PATCH, DELETE) therefore starts with ``BEGIN IMMEDIATE`` (SQLAlchemy's documented pysqlite
recipe): it takes the write lock first, writers queue on the busy timeout, one after the
other, in every thread and every process. GET and HEAD keep a deferred ``BEGIN``, so that
reads stay concurrent with the writer (WAL). Outside a request (commands, scripts) the
transaction is deferred too: a long export must not hold the write lock.
"""
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from territorial.common import collation

# How long a writer waits for the write lock before giving up (« database is locked »,
# answered 503): far longer than a room's queue of writers needs.
BUSY_TIMEOUT_MS = 10_000
# Each connection's page cache, in KiB (SQLite's default is 2 MB). At 100 × the demo's data
# (a 1.2 GB file) the home page's counts no longer fitted in 2 MB and re-read their pages
# on every request (3.4 → 4.4 ms); 16 MB keeps one territory's working set.
PAGE_CACHE_KIB = 16_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # Let SQLAlchemy, not the driver, open transactions, so SAVEPOINTs work
    # (SQLAlchemy's documented recipe for pysqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    cursor.close()
    dbapi_connection.create_collation(collation.FRENCH, collation.compare)


def begin_statement() -> str:
    """``BEGIN IMMEDIATE`` for a request that may write, ``BEGIN`` otherwise."""
    if has_request_context() and request.method not in READ_ONLY_METHODS:
        return "BEGIN IMMEDIATE"
    return "BEGIN"


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(begin_statement())


# Indexes that migrations create on PostgreSQL alone (pg_trgm's GIN indexes of the pickers'
# search, migrations 0021 and 0023e, which puts the territory in them where btree_gin may be
# created): the models cannot declare them for both databases, so autogenerate
# (``flask db migrate``, ``tests/test_platform.py``) leaves them alone.
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_organisation_search_name_trgm",
                                     "ix_person_search_name_trgm",
                                     "ix_organisation_territory_search_name_trgm",
                                     "ix_person_territory_search_name_trgm"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's autogenerate filter: everything but ``POSTGRESQL_ONLY_INDEXES``."""
    return not (type_ == "index" and reflected and name in POSTGRESQL_ONLY_INDEXES)
