"""What the charter schema says about one section: the kind of field each place gets, and the
names of the posted fields (``f-instances-2-name``)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from territorial.charters.editor.labels import REFERENCES, SHORT_TEXTS, Path
from territorial.charters.loader import charter_schema


class SectionSchema:
    """The schema of one structured section, given the charter's current content."""

    def __init__(self, section_key: str, content: Mapping[str, Any]) -> None:
        self.section_key = section_key
        self.content = content
        schema = charter_schema()
        self.definitions = schema["$defs"]
        self.schema = schema["properties"][section_key]

    def _resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.definitions[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def _kind(self, schema: dict, path: Path) -> tuple[dict, str]:
        schema = self._resolve(schema)
        kind = schema.get("type")
        if pattern_of(path) in REFERENCES:
            return schema, "multi" if kind == "array" else "select"
        if "enum" in schema or (kind == "string" and property_of(path) == "rule"):
            return schema, "select"
        if kind == "object":
            return schema, "object" if "properties" in schema else "map"
        if kind == "array":
            item = self._resolve(schema["items"])
            return schema, "lines" if item.get("type") == "string" else "list"
        if kind == "integer":
            return schema, "integer"
        if kind == "boolean":
            required = path[-1] in self._parent_required(path)
            return schema, "boolean" if required else "tristate"
        short = "pattern" in schema or property_of(path) in SHORT_TEXTS
        return schema, "line" if short else "text"

    def _parent_required(self, path: Path) -> tuple:
        """The required fields of the object holding ``path``."""
        schema = self._resolve(self.schema)
        for part in path[1:-1]:
            if part == "_value":
                continue
            if isinstance(part, int):
                schema = self._resolve(schema.get("items") or schema["additionalProperties"])
            else:
                schema = self._resolve(schema["properties"][part])
        return tuple(schema.get("required", ()))

    def _stored(self, path: Path) -> Any:
        """The stored value at a place, or None."""
        value = self.content.get(self.section_key)
        for part in path[1:]:
            if isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            elif isinstance(value, dict) and part in value:
                value = value[part]
            else:
                return None
        return value


def is_blank(raw: Any) -> bool:
    if isinstance(raw, dict):
        return all(is_blank(v) for v in raw.values())
    if isinstance(raw, list):
        return all(is_blank(v) for v in raw)
    return raw in (None, "", False)


def field_name(path: Path) -> str:
    return "f-" + "-".join(str(part) for part in path)


def place_of(name: str) -> Path:
    if not name.startswith("f-"):
        return ()
    return tuple(int(p) if p.isdigit() else p for p in name[2:].split("-"))


def posted_count(form, name: str) -> int:
    text = form.get(f"{name}-n") or "0"
    return min(int(text), 500) if text.isdigit() else 0


def pattern_of(path: Path) -> str:
    return ".".join("*" if isinstance(p, int) else p for p in path if p != "_value")


def property_of(path: Path) -> str:
    """The field name of a place (the list's name for an element; « _value » for the choices
    of a list of choices)."""
    names = [p for p in path if isinstance(p, str) and p != "_key"]
    return names[-1] if names else ""
