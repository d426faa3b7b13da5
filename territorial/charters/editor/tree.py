"""The form of a section as a tree of nodes for the template (``charters/_editor.html``):
fieldsets, lists with their buttons, fields with their labels, choices, errors and focus."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from territorial.charters import versioning
from territorial.charters.editor.labels import (
    ENUM_LABELS,
    ITEM_NAMES,
    LIST_ITEMS,
    REFERENCED_NAME,
    REFERENCES,
    TRISTATE,
    Path,
    field_label,
)
from territorial.charters.editor.posted import PostedSection
from territorial.charters.editor.schema import field_name, pattern_of, property_of


@dataclass
class Node:
    """One field, fieldset or list of the form, with what it shows."""

    kind: str  # object, list, map, entry, line, text, lines, integer, boolean, tristate,
    #            select, multi
    path: Path
    label: str
    value: Any = None
    required: bool = False
    hint: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    add_label: str = ""
    focus: bool = False
    focus_add: bool = False

    @property
    def name(self) -> str:
        return field_name(self.path)

    @property
    def open(self) -> bool:
        """Whether a folded element must be shown open: it holds an error or the focus."""
        return any(n.errors or n.focus or n.focus_add for n in self.walk())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class SectionEditor(PostedSection):
    """The form editor of one structured section."""

    # The form's tree ---------------------------------------------------------------------------

    def tree(self, value: Any, errors: Mapping[Path, str] | None = None,
             focus: Path | None = None) -> tuple[Node, list[tuple[Node | None, str, str]]]:
        """The form for a value (stored, or as typed), with errors placed on their fields;
        also the list of (field, message, other section) for the summary at the top: a
        problem in another part of the charter names that part, for a link to it."""
        self.references = self._references(value)
        self.value = value
        label = versioning.section_label(self.section_key)
        root = self._node(self.schema, value, (self.section_key,), label, required=True)
        summary = []
        nodes = {node.path: node for node in root.walk()}
        for place, message in (errors or {}).items():
            node = next((nodes[place[:n]] for n in range(len(place), 0, -1)
                         if place[:n] in nodes), None)
            if node is None:
                other = str(place[0]) if place and place[0] in versioning.SECTIONS_BY_KEY else ""
                summary.append((None, message, other))
                continue
            node.errors.append(message)
            summary.append((node, message, ""))
        if focus is not None and focus in nodes:
            target = nodes[focus]
            if target.kind in ("list", "map"):
                target.focus_add = True
            else:
                first = next((n for n in target.walk() if n.path[-1] != "key" and n.kind not in
                              ("object", "list", "map", "entry")), None)
                if first is not None:
                    first.focus = True
        return root, summary

    def _node(self, schema: dict, value: Any, path: Path, label: str, required: bool) -> Node:
        schema, kind = self._kind(schema, path)
        node = Node(kind, path, str(label), required=required)
        prop = property_of(path)
        if kind == "object":
            value = value if isinstance(value, dict) else {}
            wanted = schema.get("required", ())
            node.children = [self._node(sub, value.get(name), path + (name,), field_label(name),
                                        name in wanted)
                             for name, sub in schema["properties"].items()]
            key = next((c for c in node.children if c.path[-1] == "key"), None)
            if key is not None:
                key.required = False
            if key is not None and len(path) <= 2:
                key.hint = _("Identifiant court (minuscules, chiffres et « _ ») par lequel les "
                             "autres parties y renvoient. Laissé vide, il est tiré du nom.")
            return node
        if kind in ("list", "map"):
            noun, node.add_label = LIST_ITEMS.get(prop, (_l("Élément"), _l("Ajouter un élément")))
            if kind == "list":
                items = value if isinstance(value, list) else []
                node.children = [
                    self._node(schema["items"], item, path + (i,),
                               self._item_label(noun, path + (i,), item), True)
                    for i, item in enumerate(items)]
            else:
                items = value if isinstance(value, dict) else {}
                for i, (key, item) in enumerate(items.items()):
                    entry = Node("entry", path + (i,), f"{noun} {i + 1} : {key}", required=True)
                    entry.children = [
                        Node("line", path + (i, "_key"), _("Nom de la liste de choix"), key, True),
                        self._node(schema["additionalProperties"], item, path + (i, "_value"),
                                   _("Choix"), True)]
                    node.children.append(entry)
            return node
        node.value = value
        if kind == "integer":
            node.value = "" if value is None else str(value)
        elif kind == "lines":
            node.value = value if isinstance(value, str) else "\n".join(value or [])
            node.hint = _("Un élément par ligne.")
        elif kind == "select":
            node.choices = self._choices(schema, path, value)
            node.choices.insert(0, ("", _("— Choisir —") if required else _("— Aucune —")))
        elif kind == "multi":
            node.value = list(value or [])
            node.choices = self._choices(schema, path, None)
            node.choices += [(v, _("« %(key)s » (inconnu)", key=v)) for v in node.value
                             if v not in dict(node.choices)]
        elif kind == "tristate":
            node.value = value if value in ("oui", "non") else {True: "oui", False: "non"}.get(value, "")
            node.choices = [(v, str(text)) for v, text in TRISTATE]
        elif kind in ("line", "text"):
            node.value = "" if value is None else str(value)
        return node

    def _choices(self, schema: dict, path: Path, value: Any) -> list[tuple[str, str]]:
        reference = REFERENCES.get(pattern_of(path))
        if reference:
            choices = self.references.get(reference, [])
            if reference == self.section_key:  # an element does not refer to itself
                own = self._element(path).get("key")
                choices = [choice for choice in choices if choice[0] != own]
        else:
            labels = ENUM_LABELS.get(property_of(path), {})
            options = schema.get("enum") or list(labels)
            choices = [(str(v), str(labels.get(v, v))) for v in options]
        if value and value not in dict(choices):
            choices = choices + [(value, _("« %(key)s » (inconnu)", key=value))]
        return choices

    def _item_label(self, noun, path: Path, item: Any) -> str:
        """« Instance 2 : Comité de pilotage », « Case 3 : Stratégique × Codir »."""
        label = f"{noun} {path[-1] + 1}"
        if not isinstance(item, dict):
            return label
        names = ["level", "instance"] if item.get("level") and item.get("instance") else [
            next((n for n in ITEM_NAMES if isinstance(item.get(n), str) and item[n]), None)]
        shown = " × ".join(self._shown(path + (n,), item[n]) for n in names if n)
        if shown and item.get("role"):
            shown += f" — {self._shown(path + ('role',), item['role'])}"
        return f"{label} : {shown}" if shown else label

    def _shown(self, path: Path, value: str) -> str:
        """A value as people read it: the name of the instance, level or rule it stands for."""
        reference = REFERENCES.get(pattern_of(path))
        if reference:
            return dict(self.references.get(reference, [])).get(value, value)
        return str(ENUM_LABELS.get(path[-1], {}).get(value, value))

    def _element(self, path: Path) -> dict:
        """The element of the section's list that holds ``path``."""
        items = self.value if isinstance(self.value, list) else []
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        found = items[index] if index is not None and index < len(items) else None
        return found if isinstance(found, dict) else {}

    def _references(self, value: Any) -> dict[str, list[tuple[str, str]]]:
        """Instances, functions and levels to choose from: the section being edited counts."""
        content = {**self.content, self.section_key: value}
        found = {}
        for part, name in REFERENCED_NAME.items():
            items = content.get(part) or []
            found[part] = [(item["key"], f"{item.get(name) or item['key']}")
                           for item in items if isinstance(item, dict) and item.get("key")]
        return found
