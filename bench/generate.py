"""Synthetic data set for the benchmark, generic over the schema.

1. The demo data (``flask seed-demo``: the four stories, every capability's seeder) is
   **cloned** a whole number of times, about ``5 × scale`` territories in all and exactly
   ten times more at 10× than at 1× (4 and 40 with the four demo territories): every
   table is copied with its ids shifted by a per-table stride, foreign keys (and the
   ``<x>_type`` / ``<x>_id`` pairs that name a table) shifted the same way, unique text
   values suffixed. Each copy is a whole, consistent set of stories.
2. The big tables are then **amplified** to the volumes of ``TARGETS`` (× scale / 10) by
   duplicating their rows inside each territory; ``REPARENT`` spreads the children over
   all the parents of their territory (so a session's board, a plan's actions or an
   experiment's sessions keep the same size at every scale: the data grows, not each object).

Raw bulk inserts in one transaction per table, in batches of ``BATCH`` rows: ``executemany``
on SQLite, ``COPY`` on PostgreSQL (``RawTable``). A table that the
schema does not have yet, or that the demo leaves empty, is reported, not invented.
"""
from __future__ import annotations

import sys
import time
from collections import defaultdict

from sqlalchemy import Integer, String, Table, func, select
from sqlalchemy.engine import Connection, Engine

from territorial.backup import backup_tables, reset_sequences

# Volumes at 10× (issue 9); at 1× a tenth.
TERRITORIES_AT_10X = 50
TARGETS = {
    "organisation": 20_000,
    "experiment": 250,       # « 500 experiments or projects »: half each
    "project": 250,
    "working_group": 2_000,  # before the plans: a duplicated plan goes to another group
    "action_plan": 500,
    "session": 10_000,
    "contribution": 200_000,
    "action": 50_000,
    "convention": 5_000,
}
# Duplicates of these tables are spread over every parent of their territory.
REPARENT = {"contribution": "session_id", "action": "plan_id", "session": "experiment_id",
            "working_group": "experiment_id"}
TERRITORY_LEVEL = {"organisation", "person", "user"}
NOT_CLONED = {"audit_entry", "api_token"}
BATCH = 50_000


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _int_pk(table: Table):
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and isinstance(keys[0].type, Integer):
        return keys[0]
    return None


def _key_target(column) -> str | None:
    """The table whose integer id a foreign-key column holds, following composite keys
    (``dot.vote_id`` → ``dot_vote_option.vote_id`` → ``dot_vote.id``); None for a key
    onto a plain value (``dot.dots_allowed`` → ``dot_vote.dots_per_participant``)."""
    for fk in column.foreign_keys:
        referenced, seen = fk.column, 0
        while seen < 10:
            if _int_pk(referenced.table) is referenced:
                return referenced.table.name
            if not referenced.foreign_keys:
                break
            referenced, seen = next(iter(referenced.foreign_keys)).column, seen + 1
    return None


def _suffixed(value: str, suffix: str, length: int | None) -> str:
    if "@" in value:  # an e-mail address stays one
        local, _at, domain = value.partition("@")
        value, tail = local, "@" + domain
    else:
        tail = ""
    if length:
        value = value[: max(1, length - len(suffix) - len(tail))]
    return f"{value}{suffix}{tail}"


def _unique_sets(table: Table) -> list[list]:
    sets = [list(c.columns) for c in table.constraints if c.__class__.__name__ ==
            "UniqueConstraint"]
    sets += [list(i.columns) for i in table.indexes if i.unique]
    sets += [[c] for c in table.columns if c.unique]
    return sets


def _values_to_change(table: Table, keep: set[str]) -> list:
    """Columns of unique sets that nothing else (a primary or remapped key) makes unique."""
    changed = []
    for columns in _unique_sets(table):
        if any(c.primary_key or c.name in keep for c in columns):
            continue
        changed += [c for c in columns if c not in changed]
    return changed


class RawTable:
    """Rows as the database stores them, read and written without type conversion: tuples
    through the DB-API on SQLite (``executemany``), text through ``COPY`` on PostgreSQL
    (psycopg's ``cursor.copy``). Values are lists; ``None`` is NULL; an integer column that
    the generator changes is read with ``integer``."""

    def __init__(self, connection: Connection, table: Table):
        self.connection, self.table = connection, table
        self.names = [c.name for c in table.columns]
        self.position = {name: i for i, name in enumerate(self.names)}
        self.postgresql = connection.dialect.name == "postgresql"
        quote = connection.dialect.identifier_preparer.quote
        self.sql_table = quote(table.name)
        self.sql_columns = ", ".join(quote(n) for n in self.names)
        self.order = ", ".join(quote(c.name) for c in table.primary_key.columns)
        self.inserted = 0

    def read(self) -> list[list]:
        query = f"SELECT {self.sql_columns} FROM {self.sql_table} ORDER BY {self.order}"
        if not self.postgresql:
            return [list(row) for row in self.connection.exec_driver_sql(query)]
        cursor = self.connection.connection.driver_connection.cursor()
        text = bytearray()
        with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
            for data in copy:
                text += data
        return [[None if v == "\\N" else v for v in line.split("\t")]
                for line in text.decode().split("\n") if line]

    @staticmethod
    def integer(value) -> int | None:
        return None if value is None else int(value)

    def write(self, rows: list[list]) -> None:
        self.inserted += len(rows)
        if not self.postgresql:
            marks = ", ".join("?" for _ in self.names)
            self.connection.exec_driver_sql(
                f"INSERT INTO {self.sql_table} ({self.sql_columns}) VALUES ({marks})",
                [tuple(row) for row in rows])
            return
        cursor = self.connection.connection.driver_connection.cursor()
        text = "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n"
                       for row in rows)
        with cursor.copy(f"COPY {self.sql_table} ({self.sql_columns}) FROM STDIN") as copy:
            copy.write(text)


def clone_territories(engine: Engine, copies: int) -> dict[str, int]:
    """Add ``copies - 1`` copies of everything that belongs to the database's territories."""
    inserted: dict[str, int] = {}
    if copies <= 1:
        return inserted
    with engine.begin() as connection:
        tables = [t for t in backup_tables(connection) if t.name not in NOT_CLONED]
        stride = {}
        for table in tables:
            key = _int_pk(table)
            if key is not None:
                stride[table.name] = (connection.scalar(select(func.max(key))) or 0) + 1
        for table in tables:
            raw = RawTable(connection, table)
            rows = raw.read()
            if not rows:
                continue
            at = raw.position
            fks = {at[c.name]: _key_target(c) for c in table.columns if c.foreign_keys}
            fks = {i: stride[target] for i, target in fks.items() if target in stride}
            key = _int_pk(table)
            if key is not None and at[key.name] not in fks:
                fks[at[key.name]] = stride[table.name]
            polymorphic = {
                at[c.name]: at[c.name[:-3] + "_type"] for c in table.columns
                if c.name.endswith("_id") and not c.foreign_keys
                and c.name[:-3] + "_type" in table.columns
            }
            fk_names = {c.name for c in table.columns if c.foreign_keys}
            change = [(at[c.name], c.type.length) for c in _values_to_change(table, fk_names)
                      if isinstance(c.type, String)]
            for k in range(1, copies):
                out = []
                for row in rows:
                    new = list(row)
                    for i, step in fks.items():
                        if new[i] is not None:
                            new[i] = int(new[i]) + k * step
                    for i, kind in polymorphic.items():
                        if new[i] is not None and row[kind] in stride:
                            new[i] = int(new[i]) + k * stride[row[kind]]
                    for i, length in change:
                        if new[i] is not None:
                            new[i] = _suffixed(new[i], f"-c{k}", length)
                    out.append(new)
                raw.write(out)
            inserted[table.name] = raw.inserted
        if connection.dialect.name == "postgresql":
            reset_sequences(connection, tables)
    return inserted


def _owners_by_territory(connection: Connection, tables: dict, table: Table) -> dict:
    """For each ``<x>_id`` / ``<x>_type`` pair of ``table`` (an owner named by its table):
    position of the id → (position of the type, {type: {territory id: owner ids}})."""
    position = {c.name: i for i, c in enumerate(table.columns)}
    if "territory_id" not in position:
        return {}
    pairs = {}
    for column in table.columns:
        kind = column.name[:-3] + "_type"
        if not column.name.endswith("_id") or column.foreign_keys or kind not in position:
            continue
        kinds = [row[0] for row in connection.execute(select(table.c[kind]).distinct())]
        by_kind = {}
        for name in kinds:
            owner = tables.get(name)
            if owner is None or "territory_id" not in owner.c or _int_pk(owner) is None:
                continue
            found = defaultdict(list)
            for owner_id, territory_id in connection.execute(
                    select(_int_pk(owner), owner.c.territory_id).order_by(_int_pk(owner))):
                found[str(territory_id)].append(owner_id)
            by_kind[name] = found
        pairs[position[column.name]] = (position[kind], by_kind)
    return pairs


def amplify(engine: Engine, name: str, target: int) -> dict:
    """Duplicate rows of table ``name`` until it holds ``target`` rows (in batches)."""
    with engine.begin() as connection:
        tables = {t.name: t for t in backup_tables(connection)}
        if name not in tables:
            return {"status": "absent (no such table yet)"}
        table = tables[name]
        key = _int_pk(table)
        existing = connection.scalar(select(func.count()).select_from(table))
        if not existing:
            return {"status": "empty in the demo data: not generated"}
        if existing >= target:
            return {"status": "ok", "rows": existing}
        raw = RawTable(connection, table)
        rows, at = raw.read(), raw.position
        parent_column = REPARENT.get(name)
        parents: dict[str, list[int]] = defaultdict(list)
        if parent_column:
            parent_table = next(iter(table.columns[parent_column].foreign_keys)).column.table
            for parent_id, territory_id in connection.execute(
                select(_int_pk(parent_table), parent_table.c.territory_id)
                .order_by(_int_pk(parent_table))
            ):
                parents[str(territory_id)].append(parent_id)
        owners, turn = _owners_by_territory(connection, tables, table), defaultdict(int)
        # Links that only make sense for the original row are dropped from duplicates; a
        # duplicate stays in its territory, so it keeps its links to the territory's actors
        # (an action keeps its porteur).
        dropped = [
            at[c.name] for c in table.columns
            if c.foreign_keys and c.nullable and c.name != parent_column and (
                parent_column or next(iter(c.foreign_keys)).column.table is table)
            and next(iter(c.foreign_keys)).column.table.name not in TERRITORY_LEVEL
        ]
        change = [(at[c.name], c.nullable, isinstance(c.type, String), c.type)
                  for c in _values_to_change(table, {parent_column} if parent_column else set())]
        next_id = (connection.scalar(select(func.max(key))) or 0) + 1
        key_at = at[key.name]
        parent_at = at.get(parent_column)
        territory_at = at.get("territory_id")
        out = []
        for index in range(target - existing):
            source = rows[index % len(rows)]
            new = list(source)
            new[key_at] = next_id
            if parent_column:
                choices = parents[str(source[territory_at])]
                if choices and source[parent_at] is not None:
                    new[parent_at] = choices[index // len(rows) % len(choices)]
            for id_at, (type_at, by_kind) in owners.items():
                # a duplicate of an owned row (a plan) goes to another owner of the same
                # kind in the territory (another group), not to its original's owner
                place = (source[type_at], str(source[territory_at]))
                choices = by_kind.get(place[0], {}).get(place[1])
                if choices:
                    turn[place] += 1
                    new[id_at] = choices[turn[place] % len(choices)]
            for i in dropped:
                new[i] = None
            for i, nullable, is_text, kind in change:
                if nullable:
                    new[i] = None
                elif is_text:
                    new[i] = _suffixed(source[i], f"-a{next_id}", kind.length)
            out.append(new)
            next_id += 1
            if len(out) >= BATCH:
                raw.write(out)
                out = []
        raw.write(out)
        if connection.dialect.name == "postgresql":
            reset_sequences(connection, [table])
        return {"status": "ok", "rows": existing + raw.inserted}


def generate(engine: Engine, scale: int) -> dict:
    """Clone then amplify; returns what was made, table by table."""
    started = time.perf_counter()
    with engine.connect() as connection:
        territory = backup_tables_by_name(connection)["territory"]
        demo_territories = connection.scalar(select(func.count()).select_from(territory))
    # Exactly ten times more territories at 10× than at 1×, so that each territory holds
    # about the same data at both scales (the data grows, not each territory).
    copies = max(1, round(TERRITORIES_AT_10X / 10 / max(demo_territories, 1))) * scale
    log(f"scale {scale}×: {demo_territories} demo territories cloned {copies} times")
    t0 = time.perf_counter()
    clone_territories(engine, copies)
    report = {"territories": {"status": "ok", "rows": demo_territories * copies},
              "clone_seconds": round(time.perf_counter() - t0, 1)}
    log(f"  cloned in {report['clone_seconds']} s")
    for name, at_10x in TARGETS.items():
        target = at_10x * scale // 10
        t0 = time.perf_counter()
        report[name] = amplify(engine, name, target) | {"target": target}
        log(f"  {name}: {report[name]} ({time.perf_counter() - t0:.1f} s)")
    if engine.dialect.name == "postgresql":
        # the planner's statistics and the visibility map, as autovacuum would leave them
        # after such a load: done now, autovacuum would vacuum the largest tables during
        # the first timed pass
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def backup_tables_by_name(connection: Connection) -> dict[str, Table]:
    return {t.name: t for t in backup_tables(connection)}
