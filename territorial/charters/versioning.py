"""The charter's sections, their text form, and the comparison of two versions."""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l


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
    try:
        value = yaml.safe_load(text) if text else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or "texte illisible"
        return None, f"Erreur de syntaxe{where} : {problem}. Vérifiez l'indentation et les deux-points."
    return value, None


@dataclass
class DiffLine:
    kind: str  # "added", "removed", "context", "gap"
    text: str


@dataclass
class SectionDiff:
    key: str
    label: str
    lines: list[DiffLine]


def compare(old: Mapping[str, Any], new: Mapping[str, Any], context: int = 2) -> list[SectionDiff]:
    """The sections that differ between two contents, each with its changed lines."""
    keys = [section.key for section in SECTIONS]
    keys += [key for key in list(old) + list(new) if key not in keys and key not in ("key", "version")]
    diffs = []
    for key in dict.fromkeys(keys):
        before = section_text(old, key).splitlines()
        after = section_text(new, key).splitlines()
        if before == after:
            continue
        lines = []
        for group in difflib.SequenceMatcher(None, before, after).get_grouped_opcodes(context):
            if lines:
                lines.append(DiffLine("gap", "…"))
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    lines.extend(DiffLine("context", text) for text in before[i1:i2])
                    continue
                if tag in ("replace", "delete"):
                    lines.extend(DiffLine("removed", text) for text in before[i1:i2])
                if tag in ("replace", "insert"):
                    lines.extend(DiffLine("added", text) for text in after[j1:j2])
        diffs.append(SectionDiff(key, section_label(key), lines))
    return diffs


def changed_sections(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [diff.key for diff in compare(old, new, context=0)]
