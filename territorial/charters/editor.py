"""Form editor for the structured parts of a charter, generated from the template schema.

People who do not write YAML edit the instances, the decision matrix, the lifecycle… as
ordinary fields: one fieldset per element of a list, buttons to add, remove and move elements,
drop-down lists where a part names an instance, a function or a decision level. The schema
(``schema.json``) says which fields exist and which are required; this module adds the French
labels, reads the posted fields back (``read``), applies the list buttons (``apply``) and turns
what was typed into the section's value (``clean``). Nothing is saved here: the operations check
the whole charter and create the version.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from territorial.charters import rules, versioning
from territorial.charters.loader import charter_schema

Path = tuple[str | int, ...]

FIELD_LABELS = {
    "actor": _l("Qui agit, hors instances"),
    "after": _l("Placée après la partie"),
    "allowed_functions": _l("Fonctions possibles dans l'instance"),
    "appoints": _l("Nomination à cette étape"),
    "axes": _l("Axes"),
    "blocked_at": _l("Blocage dans l'instance"),
    "commitments": _l("Engagements"),
    "composition": _l("Composition"),
    "consensus_conditions": _l("Conditions du consensus"),
    "consensus_definition": _l("Définition du consensus"),
    "count": _l("Nombre"),
    "criteria": _l("Critères"),
    "decision_by": _l("Qui décide"),
    "definition": _l("Définition"),
    "description": _l("Description"),
    "dissensus_definition": _l("Définition du dissensus"),
    "document": _l("Document remis"),
    "ends_project": _l("Cette issue met fin au projet"),
    "escalate_to": _l("Remonte à l'instance"),
    "essentials": _l("Les incontournables"),
    "examples": _l("Exemples"),
    "forms_body_with": _l("Forme une même instance avec"),
    "function": _l("Fonction"),
    "initiators": _l("Qui lance la démarche"),
    "instance": _l("Instance"),
    "instances": _l("Instances"),
    "items": _l("Points"),
    "key": _l("Identifiant"),
    "label": _l("Libellé"),
    "letter": _l("Lettre"),
    "level": _l("Niveau de décision"),
    "levels": _l("Niveaux"),
    "max": _l("Maximum"),
    "meaning": _l("Signification"),
    "meetings_per_year": _l("Réunions par an"),
    "min": _l("Minimum"),
    "name": _l("Nom"),
    "optional": _l("Facultatif"),
    "options": _l("Choix proposés"),
    "outcome": _l("Issue du blocage"),
    "outcomes": _l("Issues possibles"),
    "outside_charter_min_structures": _l("Structures nécessaires pour porter le projet hors charte"),
    "per_project": _l("Une instance par projet commun"),
    "per_structure": _l("Par structure"),
    "principles": _l("Principes"),
    "records": _l("Ce qui est consigné"),
    "refers_to": _l("Se réfère à"),
    "rhythm": _l("Rythme des réunions"),
    "role": _l("Rôle"),
    "rule": _l("Règle"),
    "rules": _l("Règles"),
    "smart": _l("Objectifs SMART"),
    "steps": _l("Étapes"),
    "summary": _l("Résumé"),
    "term": _l("Terme"),
    "text": _l("Texte"),
    "title": _l("Titre"),
}

# A list's element: (its name in a legend, the label of the button that adds one).
LIST_ITEMS = {
    "signatories": (_l("Signataire"), _l("Ajouter un signataire")),
    "glossary": (_l("Terme"), _l("Ajouter un terme")),
    "values": (_l("Valeur"), _l("Ajouter une valeur")),
    "axes": (_l("Axe"), _l("Ajouter un axe")),
    "functions": (_l("Fonction"), _l("Ajouter une fonction")),
    "instances": (_l("Instance"), _l("Ajouter une instance")),
    "rules": (_l("Règle"), _l("Ajouter une règle")),
    "decision_levels": (_l("Niveau"), _l("Ajouter un niveau de décision")),
    "decision_matrix": (_l("Case"), _l("Ajouter une case à la matrice")),
    "lifecycle": (_l("Étape"), _l("Ajouter une étape")),
    "outcomes": (_l("Issue"), _l("Ajouter une issue")),
    "records": (_l("Élément consigné"), _l("Ajouter un élément consigné")),
    "options": (_l("Liste de choix"), _l("Ajouter une liste de choix")),
    "_value": (_l("Choix"), _l("Ajouter un choix")),
    "steps": (_l("Étape"), _l("Ajouter une étape")),
    "levels": (_l("Niveau"), _l("Ajouter un niveau")),
    "arbitration": (_l("Règle d'arbitrage"), _l("Ajouter une règle d'arbitrage")),
    "essentials": (_l("Incontournable"), _l("Ajouter un incontournable")),
    "smart": (_l("Lettre"), _l("Ajouter une lettre")),
    "action_plan_axes": (_l("Axe"), _l("Ajouter un axe")),
    "other_sections": (_l("Partie"), _l("Ajouter une partie")),
}

COMPOSITION_RULE_LABELS = {
    "per_structure_exact": _l("Nombre exact de membres par structure (« Nombre »)"),
    "per_structure_min": _l("Nombre minimum de membres par structure (« Nombre »)"),
    "function_required": _l("Une fonction doit être représentée (« Fonction », « Par structure »)"),
    "total_exact": _l("Nombre total exact de membres (« Nombre »)"),
    "total_range": _l("Nombre total de membres entre un minimum et un maximum"),
    "open": _l("Ouverte : pas de règle de nombre"),
}

# Labels of the values a field may take, by field name.
ENUM_LABELS: dict[str, Mapping[str, Any]] = {
    "role": rules.MATRIX_ROLES,
    "actor": rules.ACTORS,
    "rule": COMPOSITION_RULE_LABELS,
    "decision_by": {"initiator": _l("Celui qui lance la démarche"),
                    "meeting": _l("La réunion")},
    "outcome": {"escalate": _l("Remonte à une autre instance, qui arbitre"),
                "lapse": _l("Le projet commun devient caduc")},
    "after": {section.key: section.label for section in versioning.SECTIONS},
}

# Places that name another part of the charter (indices written « * ») → which part.
REFERENCES = {
    "instances.*.forms_body_with": "instances",
    "instances.*.allowed_functions": "functions",
    "instances.*.composition.rules.*.function": "functions",
    "decision_matrix.*.level": "decision_levels",
    "decision_matrix.*.instance": "instances",
    "decision_matrix.*.refers_to": "instances",
    "lifecycle.*.instance": "instances",
    "lifecycle.*.appoints.function": "functions",
    "lifecycle.*.appoints.instances": "instances",
    "arbitration.*.blocked_at": "instances",
    "arbitration.*.escalate_to": "instances",
    "project_conduct.instance": "instances",
}
REFERENCED_NAME = {"instances": "name", "functions": "label", "decision_levels": "label"}

# Text fields written on one line; the others are paragraphs.
SHORT_TEXTS = {"name", "title", "label", "term", "letter", "document", "meaning"}
# What an element is called in its legend, in this order of preference.
ITEM_NAMES = ("name", "title", "label", "term", "letter", "key", "rule", "level")
_TRISTATE = (("", _l("— Non précisé —")), ("oui", _l("Oui")), ("non", _l("Non")))


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
        return _name(self.path)

    @property
    def open(self) -> bool:
        """Whether a folded element must be shown open: it holds an error or the focus."""
        return any(n.errors or n.focus or n.focus_add for n in self.walk())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class SectionEditor:
    """The form of one structured section, given the charter's current content."""

    def __init__(self, section_key: str, content: Mapping[str, Any]) -> None:
        self.section_key = section_key
        self.content = content
        schema = charter_schema()
        self.definitions = schema["$defs"]
        self.schema = schema["properties"][section_key]

    # Reading the posted form ---------------------------------------------------------------

    def read(self, form: Mapping[str, Any]) -> Any:
        """What was typed, with every field kept as text (nothing is lost on a new display)."""
        return self._read(self.schema, (self.section_key,), form)

    def _read(self, schema: dict, path: Path, form) -> Any:
        schema, kind = self._kind(schema, path)
        name = _name(path)
        if kind in ("object",):
            return {prop: self._read(sub, path + (prop,), form)
                    for prop, sub in schema["properties"].items()}
        if kind == "list":
            return [self._read(schema["items"], path + (i,), form) for i in range(_count(form, name))]
        if kind == "map":
            entries = {}
            for i in range(_count(form, name)):
                key = (form.get(_name(path + (i, "_key"))) or "").strip() or f"choix_{i + 1}"
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
        path = _path(target)
        if not path or path[0] != self.section_key:
            return None
        if verb == "add":
            container, schema = self._locate(raw, path)
            if isinstance(container, list):
                container.append(self._blank(schema["items"]))
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

    def _blank(self, schema: dict) -> Any:
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
                if prop not in schema.get("required", ()) and _blank(raw.get(prop)):
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
            raw[:] = [item for item in raw or [] if not _blank(item)]
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
        prop = _property(path)
        if kind == "object":
            value = value if isinstance(value, dict) else {}
            wanted = schema.get("required", ())
            node.children = [self._node(sub, value.get(name), path + (name,), _label(name),
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
            node.choices = [(v, str(text)) for v, text in _TRISTATE]
        elif kind in ("line", "text"):
            node.value = "" if value is None else str(value)
        return node

    def _choices(self, schema: dict, path: Path, value: Any) -> list[tuple[str, str]]:
        reference = REFERENCES.get(_pattern(path))
        if reference:
            choices = self.references.get(reference, [])
            if reference == self.section_key:  # an element does not refer to itself
                own = self._element(path).get("key")
                choices = [choice for choice in choices if choice[0] != own]
        else:
            labels = ENUM_LABELS.get(_property(path), {})
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
        reference = REFERENCES.get(_pattern(path))
        if reference:
            return dict(self.references.get(reference, [])).get(value, value)
        return str(ENUM_LABELS.get(path[-1], {}).get(value, value))

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

    # Schema --------------------------------------------------------------------------------

    def _resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.definitions[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def _kind(self, schema: dict, path: Path) -> tuple[dict, str]:
        schema = self._resolve(schema)
        kind = schema.get("type")
        if _pattern(path) in REFERENCES:
            return schema, "multi" if kind == "array" else "select"
        if "enum" in schema or (kind == "string" and _property(path) == "rule"):
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
        short = "pattern" in schema or _property(path) in SHORT_TEXTS
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


def _blank(raw: Any) -> bool:
    if isinstance(raw, dict):
        return all(_blank(v) for v in raw.values())
    if isinstance(raw, list):
        return all(_blank(v) for v in raw)
    return raw in (None, "", False)


def _name(path: Path) -> str:
    return "f-" + "-".join(str(part) for part in path)


def _path(name: str) -> Path:
    if not name.startswith("f-"):
        return ()
    return tuple(int(p) if p.isdigit() else p for p in name[2:].split("-"))


def _count(form, name: str) -> int:
    text = form.get(f"{name}-n") or "0"
    return min(int(text), 500) if text.isdigit() else 0


def _pattern(path: Path) -> str:
    return ".".join("*" if isinstance(p, int) else p for p in path if p != "_value")


def _property(path: Path) -> str:
    """The field name of a place (the list's name for an element; « _value » for the choices
    of a list of choices)."""
    names = [p for p in path if isinstance(p, str) and p != "_key"]
    return names[-1] if names else ""


def _label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))




def place_label(place: Path) -> str:
    """The place of a problem inside its section, in words: « Case 6 → Se réfère à → 3 »."""
    parts = []
    for previous, part in zip(place, place[1:]):
        if isinstance(part, int):
            noun = LIST_ITEMS.get(previous, (None,))[0] if isinstance(previous, str) else None
            parts.append(f"{noun} {part + 1}" if noun else str(part + 1))
        else:
            parts.append(_label(part))
    return " → ".join(parts)
