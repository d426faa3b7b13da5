"""Full JSON backup: ``export-all`` / ``import-all`` round trip, refusals, lossless values.

Runs on the engine of the suite (SQLite, or PostgreSQL with TEST_DATABASE=postgresql: the
scratch databases are then created on the same throwaway server).
"""
import datetime as dt
import decimal
import io
import json
import uuid

import pytest
from sqlalchemy import (
    Column, Date, DateTime, ForeignKey, Integer, Interval, LargeBinary, MetaData, Numeric,
    String, Table, Time, create_engine, func, insert, select,
)

from territorial import backup
from tests.scratch_db import flask_cli, scratch_databases


@pytest.fixture
def scratch(database_url):
    with scratch_databases(database_url) as new:
        yield new


@pytest.mark.slow
def test_demo_round_trip_gives_the_same_document(scratch, tmp_path):
    source, target = scratch(), scratch()
    first = tmp_path / "first.json"
    flask_cli(source, "db", "upgrade", "heads")
    flask_cli(source, "seed-demo")
    out = flask_cli(source, "export-all", str(first))
    assert "Sauvegarde écrite" in out.stdout
    flask_cli(target, "db", "upgrade", "heads")
    restored = flask_cli(target, "import-all", str(first))
    assert "Sauvegarde restaurée" in restored.stdout

    engine = create_engine(target)
    try:
        with engine.connect() as connection:
            second = io.StringIO()
            backup.write_backup(connection, second)
        assert first.read_text(encoding="utf-8") == second.getvalue()
        document = json.loads(second.getvalue())
        assert document["alembic_revisions"]
        tables = document["tables"]
        for name in ("territory", "user", "membership", "organisation", "person",
                     "audit_entry"):
            assert tables[name]["rows"], f"{name} is empty in the demo backup"
        # Every table the models declare is in the document.
        from extensions import db

        assert set(db.metadata.tables) <= set(tables)
        # The versions of what people edit together travel too (territorial.common.versions).
        for name in ("raci_cell", "timeline_entry", "action", "indicator_target", "session"):
            assert {"edit_version", "changed_at", "changed_by_id"} <= set(tables[name]["columns"])
            assert all(row[tables[name]["columns"].index("changed_at")]
                       for row in tables[name]["rows"]), name

        # A second import into the now non-empty database is refused, nothing changes.
        with pytest.raises(backup.BackupError, match="La base n'est pas vide"):
            with engine.begin() as connection:
                backup.restore(connection, document)
        # A backup from another revision is refused with a French message.
        document["alembic_revisions"] = ["0000_autre"]
        with pytest.raises(backup.BackupError, match="révision"):
            with engine.begin() as connection:
                backup.restore(connection, document)
    finally:
        engine.dispose()

    # The restored database works: its sequences continue after the restored ids.
    created = flask_cli(target, "create-user", "nouvelle@exemple.fr",
                        "--password", "Une-phrase-tres-longue-7")
    assert "Compte créé" in created.stdout


def test_not_a_backup_is_refused(scratch, tmp_path):
    target = scratch()
    flask_cli(target, "db", "upgrade", "heads")
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    result = flask_cli(target, "import-all", str(bad), check=False)
    assert result.returncode != 0 and "format inconnu" in result.stderr + result.stdout


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 1, 12, 30),
    dt.date(2026, 2, 28),
    dt.time(9, 15, 30),
    decimal.Decimal("12345678901.25"),
    b"\x00\xffimage",
    dt.timedelta(days=2, seconds=5, microseconds=7),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
])
def test_values_travel_losslessly(value):
    kind = {
        dt.datetime: "datetime", dt.date: "date", dt.time: "time", decimal.Decimal: "decimal",
        bytes: "binary", dt.timedelta: "interval", uuid.UUID: "uuid",
    }[type(value)]
    encoded = backup.encode(value)
    assert json.loads(json.dumps(encoded)) == encoded
    assert backup.decode(kind, encoded) == value


def test_a_table_no_model_declares_is_saved_and_restored(scratch):
    """Generic over the schema: binary, decimals, dates and a self-referencing row whose
    parent comes after it are restored exactly (the table is read by reflection)."""
    metadata = MetaData()
    Table(
        "extra_thing", metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", ForeignKey("extra_thing.id"), nullable=True),
        Column("label", String(50)),
        Column("amount", Numeric(14, 2)),
        Column("blob", LargeBinary),
        Column("on_day", Date),
        Column("at", DateTime(timezone=True)),
        Column("at_time", Time),
        Column("lasting", Interval),
    )
    engines = [create_engine(scratch()), create_engine(scratch())]
    try:
        source, target = engines
        metadata.create_all(source)
        metadata.create_all(target)
        table = metadata.tables["extra_thing"]
        with source.begin() as connection:
            connection.execute(insert(table), [
                {"id": 1, "parent_id": None, "label": "enfant d'abord", "amount": None,
                 "blob": None, "on_day": None, "at": None, "at_time": None, "lasting": None},
                {"id": 2, "parent_id": None, "label": "parent", "amount": decimal.Decimal("10.50"),
                 "blob": b"\x89PNG\x00", "on_day": dt.date(2026, 1, 31),
                 "at": dt.datetime(2026, 1, 31, 8, 0, tzinfo=dt.UTC), "at_time": dt.time(8, 5),
                 "lasting": dt.timedelta(hours=3)},
            ])
            connection.execute(table.update().where(table.c.id == 1).values(parent_id=2))
        with source.connect() as connection:
            document = backup.export_document(connection)
        with target.begin() as connection:
            counts = backup.restore(connection, document)
        assert counts == {"extra_thing": 2}
        with target.connect() as connection:
            assert backup.export_document(connection) == document
            assert connection.scalar(select(table.c.blob).where(table.c.id == 2)) == b"\x89PNG\x00"
            if target.dialect.name == "postgresql":
                # the sequence continues after the restored ids
                next_id = connection.execute(insert(table).values(label="nouveau")
                                             .returning(table.c.id)).scalar()
                assert next_id == 3
            assert connection.scalar(select(func.count()).select_from(table)) >= 2
    finally:
        for engine in engines:
            engine.dispose()


def test_failed_restore_writes_nothing(scratch):
    """One transaction: a row that breaks a constraint leaves the database empty."""
    metadata = MetaData()
    table = Table("extra_unique", metadata, Column("id", Integer, primary_key=True),
                  Column("code", String(10), unique=True))
    engine = create_engine(scratch())
    try:
        metadata.create_all(engine)
        document = {
            "format": backup.FORMAT, "format_version": backup.FORMAT_VERSION,
            "alembic_revisions": [],
            "tables": {"extra_unique": {"columns": ["id", "code"],
                                        "rows": [[1, "a"], [2, "a"]]}},
        }
        with pytest.raises(Exception):
            with engine.begin() as connection:
                backup.restore(connection, document)
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(table)) == 0
    finally:
        engine.dispose()


def _document_with_a_nul():
    return {
        "format": backup.FORMAT, "format_version": backup.FORMAT_VERSION,
        "alembic_revisions": [],
        "tables": {"extra_text": {"columns": ["id", "label", "secret_hash"],
                                  "rows": [[1, "propre", "a" * 64],
                                           [2, "valeur\x00cachee", "b" * 64]]}},
    }


def test_a_backup_holding_nul_is_refused_by_postgresql_with_a_clear_message(scratch):
    """SQLite stored NUL typed before the input check; PostgreSQL cannot. The import names
    where, never the values (no token hash in a traceback), and can drop the character."""
    metadata = MetaData()
    table = Table("extra_text", metadata, Column("id", Integer, primary_key=True),
                  Column("label", String(50)), Column("secret_hash", String(64)))
    engine = create_engine(scratch())
    try:
        metadata.create_all(engine)
        if engine.dialect.name != "postgresql":
            with engine.begin() as connection:  # SQLite keeps the backup as it is
                backup.restore(connection, _document_with_a_nul())
                assert connection.scalar(select(table.c.label).where(table.c.id == 2)) \
                    == "valeur\x00cachee"
            return
        with pytest.raises(backup.BackupError) as refused:
            with engine.begin() as connection:
                backup.restore(connection, _document_with_a_nul())
        message = str(refused.value.message)
        assert "NUL" in message and "extra_text" in message and "label" in message
        assert "--remove-nul" in message
        assert "b" * 64 not in message and "cachee" not in message
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(table)) == 0
        with engine.begin() as connection:
            backup.restore(connection, _document_with_a_nul(), remove_nul=True)
        with engine.connect() as connection:
            assert connection.scalar(select(table.c.label).where(table.c.id == 2)) == "valeurcachee"
    finally:
        engine.dispose()


def test_a_database_error_during_import_shows_no_row_values(scratch, tmp_path):
    target = scratch()
    flask_cli(target, "db", "upgrade", "heads")
    document = json.loads(flask_cli(target, "export-all", "-").stdout)
    columns = document["tables"]["user"]["columns"]
    row = {name: None for name in columns} | {
        "id": 1, "email": "a@exemple.fr", "display_name": "A", "password_hash": "SECRET-HASH-1",
        "is_admin": False, "is_active_account": True, "session_token": "SECRET-TOKEN-1"}
    twin = row | {"id": 2, "password_hash": "SECRET-HASH-2", "session_token": "SECRET-TOKEN-2"}
    document["tables"]["user"]["rows"] = [[row[n] for n in columns], [twin[n] for n in columns]]
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = flask_cli(target, "import-all", str(path), check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "SECRET" not in output
    assert "restauration" in output.lower()
