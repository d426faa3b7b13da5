"""The NUL character in a backup: SQLite stored it (before the platform refused it at input),
PostgreSQL cannot. Where it is, never what the values are; and the document without it."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def nul_places(document: dict) -> list[str]:
    """Where the backup holds the NUL character (« table (id 3) : colonne »), never what."""
    places = []
    for name, saved in document.get("tables", {}).items():
        columns = saved["columns"]
        key = columns.index("id") if "id" in columns else None
        for number, raw in enumerate(saved["rows"], start=1):
            for column, value in zip(columns, raw):
                if any("\x00" in text for text in _strings(value)):
                    row = f"id {raw[key]}" if key is not None else f"ligne {number}"
                    places.append(f"{name} ({row}) : {column}")
    return places


def without_nul(document: dict) -> dict:
    """The backup document with every NUL character taken out of its values."""
    return {**document, "tables": {name: {**saved, "rows": _without_nul(saved["rows"])}
                                   for name, saved in document["tables"].items()}}
