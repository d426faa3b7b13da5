"""Compare two states of a frise (snapshots, or a snapshot and today): pure functions."""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from territorial.timelines.models import TERM_ORDER, TERMS


@dataclass
class Move:
    key: str
    name: str
    before: dict
    after: dict

    @property
    def description(self) -> str:
        return _("%(before)s → %(after)s", before=place_label(self.before),
                 after=place_label(self.after))


@dataclass
class Comparison:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.moved)

    def status_after(self, key: str) -> str:
        if any(e["key"] == key for e in self.added):
            return "added"
        if any(m.key == key for m in self.moved):
            return "moved"
        return "same"

    def status_before(self, key: str) -> str:
        if any(e["key"] == key for e in self.removed):
            return "removed"
        if any(m.key == key for m in self.moved):
            return "moved"
        return "same"


def place_label(entry: dict) -> str:
    term = str(TERMS.get(entry["term"], entry["term"])).lower()
    return f"{entry['level']}, {term}" + (f" ({french_date(entry['date'])})"
                                         if entry.get("date") else "")


def french_date(iso: str) -> str:
    """2027-09-15 → 15/09/2027 (snapshots keep ISO dates)."""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def compare(before: dict, after: dict) -> Comparison:
    """``before`` and ``after`` are snapshot data ({"levels": …, "entries": […]}).
    A partner moved when its level, term or date changed."""
    old = {e["key"]: e for e in before.get("entries", [])}
    new = {e["key"]: e for e in after.get("entries", [])}
    result = Comparison()
    for key, entry in new.items():
        if key not in old:
            result.added.append(entry)
        elif (old[key]["level"], old[key]["term"], old[key].get("date")) != \
                (entry["level"], entry["term"], entry.get("date")):
            result.moved.append(Move(key, entry["name"], old[key], entry))
        else:
            result.unchanged.append(entry)
    result.removed = [entry for key, entry in old.items() if key not in new]
    return result


def board(data: dict) -> list[tuple[str, list[list[dict]]]]:
    """[(level label, [entries of court, of moyen, of long])] for side-by-side display."""
    rows = []
    for level in data.get("levels", []):
        cells = [[e for e in data.get("entries", []) if e["level"] == level and e["term"] == term]
                 for term in TERM_ORDER]
        rows.append((level, cells))
    orphans = [e for e in data.get("entries", []) if e["level"] not in data.get("levels", [])]
    if orphans:  # a level renamed or removed since: keep its partners visible
        rows.append((_("Autres niveaux"),
                     [[e for e in orphans if e["term"] == term] for term in TERM_ORDER]))
    return rows
