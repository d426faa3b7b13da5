"""Two versions of a charter compared in words: field by field, in the charter's own labels
(« Codir — Rythme des réunions : deux fois par an → une fois par mois »), elements of a list
matched by what identifies them (so that changing one field of an instance is one change, not
an instance removed and another added), unchanged parts folded. Bounded: past ``LIMITS`` the
rest is counted, not rendered, whatever the size of the versions.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from territorial.charters import versioning
from territorial.charters.editor.labels import (
    ENUM_LABELS,
    ITEM_NAMES,
    LIST_ITEMS,
    REFERENCED_NAME,
    REFERENCES,
    field_label,
)
from territorial.charters.editor.schema import pattern_of

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    changes: int = 300  # changes rendered in all
    characters: int = 600  # of one value shown
    nodes: int = 30_000  # values walked in both versions
    words: int = 3_000  # a text longer than this is shown whole, without word-by-word marks


LIMITS = Limits()


@dataclass
class Change:
    """One change: where (labels from the section down), what kind, and the values in words.
    ``words`` marks a text's changes word by word: [(« same » | « added » | « removed », text)]."""

    where: list[str]
    kind: str  # "changed", "added", "removed", "moved"
    before: str = ""
    after: str = ""
    words: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SectionChanges:
    key: str
    label: str
    changes: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # elements of its lists left as they were


@dataclass
class Comparison:
    sections: list[SectionChanges]
    unchanged: list[str]  # parts of the charter left as they were
    hidden: int = 0  # changes found past the limit, not rendered

    @property
    def empty(self) -> bool:
        return not self.sections


def compare(old: Mapping[str, Any], new: Mapping[str, Any], limits: Limits = LIMITS
            ) -> Comparison:
    """What changes from ``old`` to ``new``, part by part, in words."""
    walker = _Walker(old, new, limits)
    keys = [section.key for section in versioning.SECTIONS]
    keys += [key for key in [*old, *new] if key not in keys and key not in ("key", "version")]
    sections, unchanged = [], []
    for key in dict.fromkeys(keys):
        if key not in old and key not in new:
            continue
        label = versioning.section_label(key)
        if old.get(key) == new.get(key):
            unchanged.append(label)
            continue
        section = SectionChanges(key, label)
        walker.section = section
        walker.walk(old.get(key), new.get(key), (key,), [])
        if section.changes:
            sections.append(section)
    return Comparison(sections, unchanged, walker.hidden)


class _Walker:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any], limits: Limits) -> None:
        self.old, self.new, self.limits = old, new, limits
        self.section: SectionChanges | None = None
        self.count = self.hidden = self.nodes = 0

    # Recording ---------------------------------------------------------------------------------

    def add(self, change: Change) -> None:
        if self.count >= self.limits.changes:
            self.hidden += 1
            return
        self.count += 1
        self.section.changes.append(change)

    def walk(self, a: Any, b: Any, path: Path, where: list[str]) -> None:
        self.nodes += 1
        if a == b:
            return
        if self.nodes > self.limits.nodes:
            self.hidden += 1
            return
        if a is None or b is None:
            kind = "added" if a is None else "removed"
            self.add(Change(where, kind, self.shown(path, a), self.shown(path, b)))
        elif isinstance(a, dict) and isinstance(b, dict):
            for name in dict.fromkeys([*b, *a]):
                label = [] if name == "text" and len(path) > 1 and isinstance(path[-1], str) \
                    else [field_label(name)]
                self.walk(a.get(name), b.get(name), path + (name,), where + label)
        elif isinstance(a, list) and isinstance(b, list):
            self.walk_list(a, b, path, where)
        elif isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > 80:
            self.add(Change(where, "changed", self.cut(a), self.cut(b), self.word_marks(a, b)))
        else:
            self.add(Change(where, "changed", self.shown(path, a), self.shown(path, b)))

    # Lists -----------------------------------------------------------------------------------

    def walk_list(self, a: list, b: list, path: Path, where: list[str]) -> None:
        if not all(isinstance(item, dict) for item in [*a, *b]):
            self.walk_values(a, b, path, where)
            return
        old = {self.identity(item, i): (i, item) for i, item in enumerate(a)}
        new = {self.identity(item, i): (i, item) for i, item in enumerate(b)}
        for ident, (i, item) in new.items():
            name = self.item_name(path, item, i)
            if ident not in old:
                self.add(Change(where + [name], "added", after=name))
            elif old[ident][1] == item:
                if len(path) == 1:
                    self.section.unchanged.append(name)
            else:
                self.walk(old[ident][1], item, path + (i,), where + [name])
        for ident, (i, item) in old.items():
            if ident not in new:
                name = self.item_name(path, item, i)
                self.add(Change(where + [name], "removed", before=name))
        common_old = [ident for ident in old if ident in new]
        common_new = [ident for ident in new if ident in old]
        if common_old != common_new:
            self.add(Change(where, "moved",
                            " · ".join(self.item_name(path, old[k][1], old[k][0]) for k in common_old),
                            " · ".join(self.item_name(path, new[k][1], new[k][0]) for k in common_new)))

    def walk_values(self, a: list, b: list, path: Path, where: list[str]) -> None:
        """A list of texts or of names: each text added or removed, or the list before → after."""
        if REFERENCES.get(pattern_of(path)) or all(len(str(v)) <= 40 for v in [*a, *b]):
            self.add(Change(where, "changed", self.shown(path, a), self.shown(path, b)))
            return
        matcher = difflib.SequenceMatcher(None, [str(v) for v in a], [str(v) for v in b])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                for value in a[i1:i2]:
                    self.add(Change(where, "removed", before=self.cut(str(value))))
            if tag in ("replace", "insert"):
                for value in b[j1:j2]:
                    self.add(Change(where, "added", after=self.cut(str(value))))

    def identity(self, item: dict, index: int) -> Any:
        if "level" in item and "instance" in item:
            return ("cell", item.get("level"), item.get("instance"))
        if "blocked_at" in item:
            return ("arbitration", tuple(item.get("blocked_at") or ()), item.get("outcome"))
        for name in ("key", "term", "letter"):
            if isinstance(item.get(name), str | int):
                return (name, item[name])
        return ("position", index)

    # Words -------------------------------------------------------------------------------------

    def item_name(self, path: Path, item: dict, index: int) -> str:
        """« Codir », « Décisions stratégiques × Codir », « Étape 3 »."""
        if "level" in item and "instance" in item:
            return " × ".join(self.referenced(kind, item.get(name)) for name, kind in
                              (("level", "decision_levels"), ("instance", "instances")))
        if "blocked_at" in item:
            names = ", ".join(self.referenced("instances", key) for key in item["blocked_at"] or [])
            return _("Blocage : %(names)s", names=names)
        name = next((item[n] for n in ITEM_NAMES if isinstance(item.get(n), str) and item[n]),
                    None)
        if name is not None:
            return self.cut(name, 80)
        noun = LIST_ITEMS.get(str(path[-1]), (None,))[0]
        return f"{noun} {index + 1}" if noun else str(index + 1)

    def referenced(self, kind: str, key: Any) -> str:
        attribute = REFERENCED_NAME[kind]
        for content in (self.new, self.old):
            for item in content.get(kind) or []:
                if isinstance(item, dict) and item.get("key") == key:
                    return str(item.get(attribute) or key)
        return str(key)

    def shown(self, path: Path, value: Any) -> str:
        """A value as people read it: names instead of identifiers, « oui » for true…"""
        if value is None or value == [] or value == "":
            return "—"
        reference = REFERENCES.get(pattern_of(path))
        if isinstance(value, list):
            return self.cut(", ".join(self.shown(path + (i,), v) for i, v in enumerate(value)))
        if isinstance(value, dict):  # its text first, without a label, then the other fields
            parts = [self.shown(path + ("text",), value["text"])] if "text" in value else []
            parts += [f"{field_label(k)} : {self.shown(path + (k,), v)}"
                      for k, v in value.items() if k != "text"]
            return self.cut(", ".join(parts))
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        if reference:
            return self.referenced(reference, value)
        labels = ENUM_LABELS.get(str(path[-1]), {})
        return self.cut(str(labels.get(value, value)))

    def cut(self, text: str, limit: int | None = None) -> str:
        limit = limit or self.limits.characters
        text = " ".join(str(text).split())
        if len(text) <= limit:
            return text
        return _("%(start)s… (%(count)d caractères de plus)", start=text[:limit].rstrip(),
                 count=len(text) - limit)

    def word_marks(self, a: str, b: str) -> list[tuple[str, str]]:
        """A text's change word by word, for texts of reasonable length."""
        if len(a) + len(b) > 2 * self.limits.words:
            return []
        before, after = a.split(), b.split()
        marks: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
            if tag == "equal":
                marks.append(("same", " ".join(before[i1:i2])))
                continue
            if tag in ("replace", "delete"):
                marks.append(("removed", " ".join(before[i1:i2])))
            if tag in ("replace", "insert"):
                marks.append(("added", " ".join(after[j1:j2])))
        return marks
