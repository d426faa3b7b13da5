"""Full JSON backup of the database: ``flask --app app export-all FILE`` / ``import-all FILE``.

Generic over the schema: every table of ``db.metadata`` (plus any table the database holds
that no imported model declares, read by reflection) is written, rows ordered by primary key,
values encoded losslessly in JSON:

- dates, times and timestamps → ISO 8601 strings; ``Decimal`` → string; binary → base64;
  intervals → seconds (string of a Decimal); UUID → string; JSON columns → as they are.

The document carries the Alembic revision(s) of the database. ``import-all`` restores it
into an EMPTY database migrated to the SAME revision(s), in foreign-key order, in one
transaction; columns that close a foreign-key cycle (a table pointing at itself, such as a
territory's parent) are inserted empty and filled once every row exists; PostgreSQL
sequences are then moved past the restored ids. A table added later needs nothing here.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterator
from typing import IO, Any

import click
from flask import Flask
from sqlalchemy import MetaData, Table, bindparam, func, inspect, select, text, update
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import sort_tables_and_constraints

from extensions import db
from territorial.backup_nul import nul_places, without_nul

FORMAT = "territorial-backup"
FORMAT_VERSION = 1
ALEMBIC_TABLE = "alembic_version"
BATCH = 1000


class BackupError(click.ClickException):
    """A backup that cannot be restored here; the message is for the user (French)."""


# Encoding of values ------------------------------------------------------------------


def _kind(column_type: sqltypes.TypeEngine) -> str:
    """How a column's values travel in JSON."""
    t = column_type
    if isinstance(t, sqltypes.TypeDecorator):
        t = t.impl_instance if hasattr(t, "impl_instance") else t.impl
    if isinstance(t, sqltypes.JSON):
        return "json"
    if isinstance(t, sqltypes.DateTime):
        return "datetime"
    if isinstance(t, sqltypes.Date):
        return "date"
    if isinstance(t, sqltypes.Time):
        return "time"
    if isinstance(t, sqltypes.Interval):
        return "interval"
    if isinstance(t, sqltypes._Binary):
        return "binary"
    if isinstance(t, sqltypes.Uuid):
        return "uuid"
    if isinstance(t, sqltypes.Numeric) and not isinstance(t, sqltypes.Float):
        return "decimal"
    return "plain"


def encode(value: Any) -> Any:
    """A Python value read from the database → a JSON value (lossless)."""
    if value is None or isinstance(value, bool | int | str | float | dict | list):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.timedelta):
        return str(decimal.Decimal(value.days * 86400 + value.seconds)
                   + decimal.Decimal(value.microseconds) / 1_000_000)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"no JSON encoding for {type(value).__name__}")


def decode(kind: str, value: Any) -> Any:
    """The inverse of :func:`encode` for a column of the given kind."""
    if value is None or kind in {"plain", "json"}:
        return value
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "decimal":
        return decimal.Decimal(value)
    if kind == "binary":
        return base64.b64decode(value)
    if kind == "interval":
        return dt.timedelta(seconds=float(decimal.Decimal(value)))
    if kind == "uuid":
        return uuid.UUID(value)
    raise ValueError(kind)


# Schema ------------------------------------------------------------------------------


def backup_tables(connection: Connection) -> list[Table]:
    """The tables to save, parents before children: the models' tables the database
    holds, and any other table it holds (reflected), but Alembic's own."""
    present = set(inspect(connection).get_table_names()) - {ALEMBIC_TABLE}
    tables = {name: table for name, table in db.metadata.tables.items() if name in present}
    unknown = sorted(present - set(tables))
    if unknown:
        # Reflect beside copies of the known tables, so that foreign keys resolve to them.
        reflected = MetaData()
        for table in tables.values():
            table.to_metadata(reflected)
        reflected.reflect(connection, only=unknown)
        tables = {name: reflected.tables[name] for name in present}
    ordered = []
    for table, _fks in sort_tables_and_constraints(
        sorted(tables.values(), key=lambda t: t.name)
    ):
        if table is not None:
            ordered.append(table)
    return ordered


def deferred_columns(tables: list[Table]) -> dict[str, set[str]]:
    """Per table, the foreign-key columns that point at the table itself or at a table
    restored after it (a cycle): inserted as NULL, filled once every row exists."""
    position = {table.name: index for index, table in enumerate(tables)}
    deferred: dict[str, set[str]] = {}
    for table in tables:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target in position and position[target] >= position[table.name]:
                deferred.setdefault(table.name, set()).add(fk.parent.name)
    return deferred


def _columns(table: Table) -> list:
    return [c for c in table.columns if c.computed is None]


def _order(table: Table) -> list:
    return list(table.primary_key.columns) or _columns(table)


def alembic_revisions(connection: Connection) -> list[str]:
    if ALEMBIC_TABLE not in inspect(connection).get_table_names():
        return []
    return sorted(connection.scalars(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")))


# Export ------------------------------------------------------------------------------


def _rows(connection: Connection, table: Table) -> Iterator[list]:
    columns = _columns(table)
    result = connection.execute(
        select(*columns).order_by(*_order(table)).execution_options(yield_per=BATCH)
    )
    for row in result:
        yield [encode(value) for value in row]


def write_backup(connection: Connection, out: IO[str]) -> dict[str, int]:
    """Stream the backup document to ``out``; return the number of rows per table."""
    counts: dict[str, int] = {}
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "alembic_revisions": alembic_revisions(connection),
    }
    out.write(json.dumps(header, ensure_ascii=False)[:-1])
    out.write(', "tables": {')
    for index, table in enumerate(backup_tables(connection)):
        columns = [c.name for c in _columns(table)]
        out.write(("," if index else "") + f"\n{json.dumps(table.name)}: ")
        out.write(f'{{"columns": {json.dumps(columns)}, "rows": [')
        count = 0
        for row in _rows(connection, table):
            out.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("]}")
        counts[table.name] = count
    out.write("\n}}\n")
    return counts


def export_document(connection: Connection) -> dict:
    """The backup as a Python dict (tests, small databases)."""
    import io

    buffer = io.StringIO()
    write_backup(connection, buffer)
    return json.loads(buffer.getvalue())


# Import ------------------------------------------------------------------------------


def check_restorable(connection: Connection, document: dict) -> list[Table]:
    """Refuse, with a French message, what cannot be restored here."""
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise BackupError("Ce fichier n'est pas une sauvegarde de la plateforme (format inconnu).")
    wanted = sorted(document.get("alembic_revisions") or [])
    current = alembic_revisions(connection)
    if wanted != current:
        raise BackupError(
            "La sauvegarde a été faite sur une base à la révision "
            f"« {', '.join(wanted) or 'aucune'} » mais cette base est à la révision "
            f"« {', '.join(current) or 'aucune'} ». Migrez la base à la même révision "
            "(flask --app app db upgrade) avant de restaurer."
        )
    tables = backup_tables(connection)
    known = {table.name for table in tables}
    missing = sorted(set(document["tables"]) - known)
    if missing:
        raise BackupError(
            "Tables de la sauvegarde absentes de cette base : " + ", ".join(missing) + "."
        )
    filled = [
        table.name for table in tables
        if connection.scalar(select(func.count()).select_from(table))
    ]
    if filled:
        raise BackupError(
            "La base n'est pas vide (tables : " + ", ".join(filled[:8])
            + ("…" if len(filled) > 8 else "")
            + "). Restaurez dans une base neuve, migrée et vide."
        )
    return tables


def _refuse_or_remove_nul(connection: Connection, document: dict, remove_nul: bool) -> dict:
    """PostgreSQL stores no NUL character (SQLite did, before the platform refused it at
    input): say where it is, or restore without it when asked to."""
    if connection.dialect.name != "postgresql":
        return document
    places = nul_places(document)
    if not places:
        return document
    if not remove_nul:
        shown = " ; ".join(places[:10]) + (" ; …" if len(places) > 10 else "")
        raise BackupError(
            f"La sauvegarde contient le caractère NUL, que PostgreSQL ne peut pas enregistrer, "
            f"dans {len(places)} valeur{'s' if len(places) > 1 else ''} : {shown}. Relancez avec --remove-nul pour les "
            "restaurer sans ce caractère invisible (rien d'autre ne change)."
        )
    return without_nul(document)


def restore(connection: Connection, document: dict, *, remove_nul: bool = False) -> dict[str, int]:
    """Insert every row of ``document`` into the (empty) database of ``connection``.
    The caller owns the transaction: nothing is written unless it commits."""
    tables = check_restorable(connection, document)
    document = _refuse_or_remove_nul(connection, document, remove_nul)
    deferred = deferred_columns(tables)
    counts: dict[str, int] = {}
    later: list[tuple[Table, list, list[dict]]] = []
    for table in tables:
        saved = document["tables"].get(table.name)
        if not saved:
            continue
        names = saved["columns"]
        unknown = set(names) - set(table.columns.keys())
        if unknown:
            raise BackupError(
                f"Colonnes inconnues dans la table {table.name} : {', '.join(sorted(unknown))}."
            )
        kinds = [_kind(table.columns[name].type) for name in names]
        postponed = deferred.get(table.name, set())
        # The fix-up UPDATE must not stamp ``onupdate`` columns (updated_at) anew.
        stamped = [c.name for c in table.columns if c.onupdate is not None and c.name in names]
        rows = []
        fixes = []
        for raw in saved["rows"]:
            row = {name: decode(kind, value) for name, kind, value in zip(names, kinds, raw)}
            if postponed:
                fix = {name: row[name] for name in postponed if row.get(name) is not None}
                if fix:
                    fixes.append({**{f"pk_{c.name}": row[c.name] for c in table.primary_key},
                                  **{f"keep_{name}": row[name] for name in stamped},
                                  **fix})
                    row.update({name: None for name in fix})
            rows.append(row)
        for start in range(0, len(rows), BATCH):
            connection.execute(table.insert(), rows[start:start + BATCH])
        counts[table.name] = len(rows)
        if fixes:
            later.append((table, sorted(postponed), fixes, stamped))
    for table, columns, fixes, stamped in later:
        for column in columns:
            selected = [fix for fix in fixes if column in fix]
            if not selected:
                continue
            statement = (
                update(table)
                .where(*[c == bindparam(f"pk_{c.name}") for c in table.primary_key])
                .values({column: bindparam(column),
                         **{name: bindparam(f"keep_{name}") for name in stamped}})
            )
            keys = ([f"pk_{c.name}" for c in table.primary_key] + [column]
                    + [f"keep_{name}" for name in stamped])
            connection.execute(statement, [{k: fix[k] for k in keys} for fix in selected])
    if connection.dialect.name == "postgresql":
        reset_sequences(connection, tables)
    return counts


def reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Move each serial / identity sequence past the highest restored id."""
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sqltypes.Integer):
                continue
            quoted = connection.dialect.identifier_preparer.format_table(table)
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": quoted, "column": column.name},
            )
            if sequence:
                connection.execute(
                    text(
                        f"SELECT setval(:sequence, COALESCE(MAX({column.name}), 1), "
                        f"MAX({column.name}) IS NOT NULL) FROM {quoted}"
                    ),
                    {"sequence": sequence},
                )


def import_file(engine: Engine, source: IO[str], *, remove_nul: bool = False) -> dict[str, int]:
    document = json.load(source)
    try:
        with engine.begin() as connection:
            return restore(connection, document, remove_nul=remove_nul)
    except DBAPIError as error:  # the database's reason, without the rows' values
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise BackupError(f"La restauration a échoué, rien n'a été écrit : {reason}") from None


# Commands ----------------------------------------------------------------------------


def register(app: Flask) -> None:
    app.cli.add_command(export_all)
    app.cli.add_command(import_all)


@click.command("export-all")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_all(path: str):
    """Write a full JSON backup of the database to PATH (« - » for the standard output)."""
    with db.engine.connect() as connection:
        if path == "-":
            counts = write_backup(connection, click.get_text_stream("stdout"))
        else:
            with open(path, "w", encoding="utf-8") as out:
                counts = write_backup(connection, out)
    if path != "-":
        click.echo(
            f"Sauvegarde écrite dans {path} : {len(counts)} tables, "
            f"{sum(counts.values())} lignes."
        )


@click.command("import-all")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--remove-nul", is_flag=True,
              help="Drop the NUL characters PostgreSQL refuses (from an old SQLite base).")
def import_all(path: str, remove_nul: bool):
    """Restore the backup PATH into this empty, migrated database (one transaction)."""
    with open(path, encoding="utf-8") as source:
        try:
            counts = import_file(db.engine, source, remove_nul=remove_nul)
        except json.JSONDecodeError as error:
            raise BackupError(f"Fichier de sauvegarde illisible : {error}.") from None
    click.echo(
        f"Sauvegarde restaurée : {len(counts)} tables, {sum(counts.values())} lignes."
    )
