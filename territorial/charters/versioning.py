"""The charter's sections and their text form (the comparison of two versions: ``comparison``)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l

from territorial.charters import source

# What one section typed in the advanced text mode may hold (the whole reference charter is
# about 1 100 values): enough for any real charter, far from a text of millions of values.
EDITOR_LIMITS = source.Limits(characters=100_000, aliases=50, values=10_000)


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    kind: str = "yaml"  # "text": edited as plain prose; "yaml": structured data


# In the order of the original charter; each key is a top-level field of the content.
SECTIONS = [
    Section("name", _l("Nom du partenariat"), "line"),
    Section("signatories", _l("Signataires")),
    Section("preamble", _l("Préambule"), "text"),
    Section("revision", _l("Évolution de la charte")),
    Section("glossary", _l("Langage commun")),
    Section("values", _l("Valeurs")),
    Section("values_statement", _l("Le socle des valeurs"), "text"),
    Section("vocation", _l("Vocation du partenariat")),
    Section("functions", _l("Fonctions dans les instances")),
    Section("instances", _l("Gouvernance du partenariat : les instances")),
    Section("decision_levels", _l("Niveaux de décision")),
    Section("decision_matrix", _l("Qui prend quelle décision")),
    Section("lifecycle", _l("Naissance et vie d'un projet commun : étapes")),
    Section("decision_process", _l("Processus et modalités de décision")),
    Section("participation_levels", _l("Consultation, concertation ou participation")),
    Section("delegation", _l("Délégation")),
    Section("arbitration", _l("Situation de blocage et arbitrage")),
    Section("project_conduct", _l("Conduite de projet")),
    Section("action_plan_axes", _l("Plan d'action : les grands sujets")),
    Section("action_plan_years", _l("Durée du plan d'action (années)"), "line"),
    Section("other_sections", _l("Autres parties de la charte")),
]
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def section_label(key: str | None) -> str:
    section = SECTIONS_BY_KEY.get(key or "")
    return str(section.label) if section else (key or "")


def section_text(content: Mapping[str, Any], key: str) -> str:
    """The text a user edits (and that comparisons use) for one section."""
    value = content.get(key)
    if value is None:
        return ""
    section = SECTIONS_BY_KEY.get(key)
    if section and section.kind in ("text", "line"):
        return str(value).strip()
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100).strip()


def parse_section(key: str, text: str) -> tuple[Any, str | None]:
    """(value, French error or None) for the text of a section."""
    section = SECTIONS_BY_KEY[key]
    text = (text or "").replace("\r\n", "\n").strip()
    if section.kind == "text":
        return text, None
    if key == "action_plan_years":
        if not text.isdigit():
            return None, "Indiquez un nombre entier d'années."
        return int(text), None
    if section.kind == "line":
        return text, None
    if not text:
        return None, None
    parsed = source.parse(text, EDITOR_LIMITS)
    if parsed.problems:
        problem = parsed.problems[0]
        where = f"Ligne {problem.line}" + (f", colonne {problem.column}" if problem.column else "")
        detail = problem.detail[0].upper() + problem.detail[1:]
        return None, f"{where} : {problem.detail}" if problem.line else detail
    return parsed.data, None
