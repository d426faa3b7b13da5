"""Synthetic data set for the benchmark, generic over the schema.

1. The demo data (``flask seed-demo``: the four stories, every capability's seeder) is
   **cloned** a whole number of times, about ``5 × scale`` territories in all and exactly
   ten times more at 10× than at 1× (4 and 40 with the four demo territories): every
   table is copied with its ids shifted by a per-table stride, foreign keys (and the
   ``<x>_type`` / ``<x>_id`` pairs that name a table) shifted the same way, unique text
   values suffixed. Each copy is a whole, consistent set of stories.
2. The big tables are then **amplified** to the volumes of ``TARGETS`` (× scale / 10) by
   duplicating their rows inside each territory; ``REPARENT`` spreads the children over
   all the parents of their territory (so a session's board or a plan's actions keep the
   same size at 1× and 10×: the data grows, not each object).

Bulk Core inserts (executemany) only, in one transaction per table. A table that the
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
    "action_plan": 500,
    "working_group": 2_000,
    "session": 10_000,
    "contribution": 200_000,
    "action": 50_000,
    "convention": 5_000,
}
# Duplicates of these tables are spread over every parent of their territory.
REPARENT = {"contribution": "session_id", "action": "plan_id"}
NOT_CLONED = {"audit_entry", "api_token"}
BATCH = 5_000


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


def _insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start:start + BATCH])


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
            rows = [dict(r) for r in connection.execute(
                select(table).order_by(*table.primary_key.columns)).mappings()]
            if not rows:
                continue
            fks = {c.name: _key_target(c) for c in table.columns if c.foreign_keys}
            key = _int_pk(table)
            polymorphic = {
                c.name: c.name[:-3] + "_type" for c in table.columns
                if c.name.endswith("_id") and not c.foreign_keys
                and c.name[:-3] + "_type" in table.columns
            }
            change = [c for c in _values_to_change(table, set(fks)) if isinstance(c.type, String)]
            out = []
            for k in range(1, copies):
                for row in rows:
                    new = dict(row)
                    for name, target in fks.items():
                        if new[name] is not None and target in stride:
                            new[name] += k * stride[target]
                    if key is not None and key.name not in fks:
                        new[key.name] += k * stride[table.name]
                    for name, kind in polymorphic.items():
                        target = row.get(kind)
                        if new[name] is not None and target in stride:
                            new[name] += k * stride[target]
                    for column in change:
                        if new[column.name] is not None:
                            new[column.name] = _suffixed(new[column.name], f"-c{k}",
                                                         column.type.length)
                    out.append(new)
            _insert(connection, table, out)
            inserted[table.name] = len(out)
        if connection.dialect.name == "postgresql":
            reset_sequences(connection, tables)
    return inserted


def amplify(engine: Engine, name: str, target: int) -> dict:
    """Duplicate rows of table ``name`` until it holds ``target`` rows."""
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
        rows = [dict(r) for r in connection.execute(
            select(table).order_by(key)).mappings()]
        parent_column = REPARENT.get(name)
        parents: dict[int, list[int]] = defaultdict(list)
        if parent_column:
            parent_table = next(iter(table.columns[parent_column].foreign_keys)).column.table
            for parent_id, territory_id in connection.execute(
                select(_int_pk(parent_table), parent_table.c.territory_id)
                .order_by(_int_pk(parent_table))
            ):
                parents[territory_id].append(parent_id)
        # Links that only make sense for the original row are dropped from duplicates.
        dropped = [
            c.name for c in table.columns
            if c.foreign_keys and c.nullable and c.name != parent_column and (
                parent_column or next(iter(c.foreign_keys)).column.table is table)
        ]
        change = _values_to_change(table, {parent_column} if parent_column else set())
        next_id = (connection.scalar(select(func.max(key))) or 0) + 1
        out = []
        for index in range(target - existing):
            source = rows[index % len(rows)]
            new = dict(source)
            new[key.name] = next_id
            if parent_column:
                choices = parents[source["territory_id"]]
                new[parent_column] = choices[index // len(rows) % len(choices)] if choices \
                    else source[parent_column]
            for column_name in dropped:
                new[column_name] = None
            for column in change:
                if column.nullable:
                    new[column.name] = None
                elif isinstance(column.type, String):
                    new[column.name] = _suffixed(source[column.name], f"-a{next_id}",
                                                 column.type.length)
            out.append(new)
            next_id += 1
        _insert(connection, table, out)
        if connection.dialect.name == "postgresql":
            reset_sequences(connection, [table])
        return {"status": "ok", "rows": existing + len(out)}


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
    clone_territories(engine, copies)
    report = {"territories": {"status": "ok", "rows": demo_territories * copies}}
    for name, at_10x in TARGETS.items():
        target = at_10x * scale // 10
        t0 = time.perf_counter()
        report[name] = amplify(engine, name, target) | {"target": target}
        log(f"  {name}: {report[name]} ({time.perf_counter() - t0:.1f} s)")
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def backup_tables_by_name(connection: Connection) -> dict[str, Table]:
    return {t.name: t for t in backup_tables(connection)}
