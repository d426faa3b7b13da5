"""The posted form of a section: read it back as typed (nothing is lost on a new display),
apply the list buttons (add, remove, move), and turn it into the section's value."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from territorial.charters.editor.labels import ITEM_NAMES, Path
from territorial.charters.editor.schema import (
    SectionSchema,
    field_name,
    is_blank,
    place_of,
    posted_count,
)


class PostedSection(SectionSchema):
    """Reading, list buttons and cleaning of one section's form."""

    # Reading the posted form ---------------------------------------------------------------

    def read(self, form: Mapping[str, Any]) -> Any:
        """What was typed, with every field kept as text (nothing is lost on a new display)."""
        return self._read(self.schema, (self.section_key,), form)

    def _read(self, schema: dict, path: Path, form) -> Any:
        schema, kind = self._kind(schema, path)
        name = field_name(path)
        if kind == "object":
            return {prop: self._read(sub, path + (prop,), form)
                    for prop, sub in schema["properties"].items()}
        if kind == "list":
            return [self._read(schema["items"], path + (i,), form)
                    for i in range(posted_count(form, name))]
        if kind == "map":
            entries = {}
            for i in range(posted_count(form, name)):
                key = (form.get(field_name(path + (i, "_key"))) or "").strip() or f"choix_{i + 1}"
                entries[key] = self._read(schema["additionalProperties"], path + (i, "_value"), form)
            return entries
        if kind == "multi":
            return form.getlist(name)
        if kind == "boolean":
            return name in form
        if kind == "tristate":
            return form.get(name, "")
        return (form.get(name) or "").replace("\r\n", "\n").strip()

    # List buttons ---------------------------------------------------------------------------

    def apply(self, raw: Any, action: str) -> Path | None:
        """Apply « add:… », « remove:… », « up:… » or « down:… » to what was typed; return the
        place to give the focus to, or None when the action names no list of this section."""
        verb, _sep, target = action.partition(":")
        path = place_of(target)
        if not path or path[0] != self.section_key:
            return None
        if verb == "add":
            container, schema = self._locate(raw, path)
            if isinstance(container, list):
                container.append(self._empty_value(schema["items"]))
                return path + (len(container) - 1,)
            if isinstance(container, dict):
                number = len(container) + 1
                while f"choix_{number}" in container:
                    number += 1
                container[f"choix_{number}"] = []
                return path + (len(container) - 1,)
            return None
        if verb in ("remove", "up", "down") and isinstance(path[-1], int):
            container, _schema = self._locate(raw, path[:-1])
            index = path[-1]
            items = list(container.items()) if isinstance(container, dict) else container
            if not isinstance(items, list) or not 0 <= index < len(items):
                return None
            if verb == "remove":
                items.pop(index)
                focus = path[:-1]
            else:
                other = index - 1 if verb == "up" else index + 1
                if not 0 <= other < len(items):
                    return None
                items[index], items[other] = items[other], items[index]
                focus = path[:-1] + (other,)
            if isinstance(container, dict):
                container.clear()
                container.update(items)
            return focus
        return None

    def _locate(self, raw: Any, path: Path) -> tuple[Any, dict]:
        """The value and schema at a place (path[0] is the section)."""
        value, schema = raw, self._resolve(self.schema)
        for part in path[1:]:
            schema = self._resolve(schema)
            if isinstance(value, list) and isinstance(part, int) and part < len(value):
                value, schema = value[part], schema["items"]
            elif isinstance(value, dict) and isinstance(part, str) and part in value:
                value, schema = value[part], schema["properties"][part]
            elif isinstance(value, dict) and isinstance(part, int) and part < len(value):
                value, schema = list(value.values())[part], schema["additionalProperties"]
            elif part == "_value":
                continue
            else:
                return None, {}
        return value, self._resolve(schema)

    def _empty_value(self, schema: dict) -> Any:
        schema = self._resolve(schema)
        if schema.get("type") == "object" and "properties" in schema:
            return {}
        return ""

    # From what was typed to the section's value ---------------------------------------------

    def clean(self, raw: Any) -> tuple[Any, dict[Path, str]]:
        """The section's value, and the fields that cannot be read (an integer that is not one).
        Elements left entirely blank are dropped, from ``raw`` too so that places still match;
        an empty identifier is made from the element's name."""
        errors: dict[Path, str] = {}
        value = self._clean(self.schema, (self.section_key,), raw, errors)
        return value, errors

    def _clean(self, schema: dict, path: Path, raw: Any, errors: dict) -> Any:
        schema, kind = self._kind(schema, path)
        if kind == "object":
            raw = raw if isinstance(raw, dict) else {}
            value = {}
            for prop, sub in schema["properties"].items():
                if prop not in schema.get("required", ()) and is_blank(raw.get(prop)):
                    continue
                cleaned = self._clean(sub, path + (prop,), raw.get(prop), errors)
                if cleaned not in (None, "", [], {}) or (
                        prop in schema.get("required", ()) and cleaned is not None):
                    value[prop] = cleaned
            if "key" in schema["properties"] and not value.get("key"):
                named = next((value[n] for n in ITEM_NAMES[:5] if isinstance(value.get(n), str)
                              and value.get(n)), "")
                if named:
                    value["key"] = identifier(named)
                else:  # the name is missing: that is the problem to show, not the identifier
                    value["key"] = "element"
            return value
        if kind == "list":
            raw[:] = [item for item in raw or [] if not is_blank(item)]
            items = [self._clean(schema["items"], path + (i,), item, errors)
                     for i, item in enumerate(raw)]
            _unique_keys(items)
            return items
        if kind == "map":
            return {key: self._clean(schema["additionalProperties"], path + (i, "_value"), item,
                                     errors)
                    for i, (key, item) in enumerate((raw or {}).items())}
        if kind == "lines":
            text = raw if isinstance(raw, str) else "\n".join(raw or [])
            return [line.strip() for line in text.splitlines() if line.strip()]
        if kind == "integer":
            text = str(raw if raw is not None else "").strip()
            if not text:
                return None
            if not re.fullmatch(r"\d+", text):
                errors[path] = _("Indiquez un nombre entier (par exemple 4).")
                return None
            return int(text)
        if kind == "tristate":
            return {"oui": True, "non": False}.get(raw)
        if kind == "multi":  # checkboxes come back in the page's order: keep the stored one
            stored = self._stored(path)
            return stored if isinstance(stored, list) and set(stored) == set(raw) else raw
        if kind == "boolean":
            return raw
        return raw if isinstance(raw, str) else ("" if raw is None else str(raw))


def identifier(text: str) -> str:
    """« Comité de pilotage » → ``comite_de_pilotage`` (an identifier the schema accepts)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40].strip("_")
    return key if key[:1].isalpha() else f"e_{key}" if key else "element"


def _unique_keys(items: list) -> None:
    """Suffix identifiers made twice from the same name (« groupe », « groupe_2 »)."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            key, n = item["key"], 2
            while key in seen:
                key, n = f"{item['key']}_{n}", n + 1
            item["key"] = key
            seen.add(key)
