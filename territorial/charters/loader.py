"""Charter templates: YAML files checked against ``schema.json``, then cross-checked.

A charter is data: another partnership's charter is a new YAML file in this folder, not new
code. Checking a file finds every problem, each with its line, its place (« lifecycle → 3 →
instance »; list positions counted from 1) and French words; a misspelt field is named with
the closest known one. The folder's templates are kept once per process by ``registry``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from territorial.charters import source
from territorial.charters.checks import COMPOSITION_RULES, cross_problems, did_you_mean

FOLDER = Path(__file__).parent

Place = tuple[str | int, ...]
Problem = tuple[Place, str]

__all__ = ["COMPOSITION_RULES", "CharterTemplateError", "TemplateCheck", "TemplateProblem",
           "charter_problems", "charter_schema", "check_template", "format_place",
           "load_charter_template"]

_KINDS = {
    "object": "un dictionnaire (clé : valeur)",
    "array": "une liste",
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "un booléen (true ou false)",
    "null": "une valeur vide",
}


def format_place(place: Place) -> str:
    """Render a place as « lifecycle → 3 → instance », positions counted from 1."""
    return " → ".join(str(part + 1) if isinstance(part, int) else str(part) for part in place)


@dataclass(frozen=True)
class TemplateProblem:
    """One problem of a template: its line (from 1, when known), column, place and words."""

    line: int | None
    place: Place
    detail: str
    column: int | None = None

    @property
    def place_text(self) -> str:
        return format_place(self.place)

    @property
    def where(self) -> str:
        """« ligne 12 (lifecycle → 3 → instance) », « ligne 4, colonne 7 »."""
        parts = []
        if self.line:
            parts.append(f"ligne {self.line}" + (f", colonne {self.column}" if self.column else ""))
        if self.place:
            parts.append(f"({format_place(self.place)})" if parts else format_place(self.place))
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.where} : {self.detail}" if self.where else self.detail


@dataclass
class TemplateCheck:
    """What checking one template file found: its data (None when unreadable) and problems."""

    filename: str
    data: Any = None
    problems: list[TemplateProblem] = field(default_factory=list)
    source: source.Source | None = None

    @property
    def valid(self) -> bool:
        return not self.problems and isinstance(self.data, dict)

    def problem(self, place: Place, detail: str) -> TemplateProblem:
        line = self.source.line(place) if self.source is not None else None
        return TemplateProblem(line, place, detail)


class CharterTemplateError(ValueError):
    """A charter template that cannot be used; the message names the file and every problem."""

    def __init__(self, filename: str, problems: list[TemplateProblem]) -> None:
        self.filename, self.problems = filename, list(problems)
        first = self.problems[0]
        self.place, self.detail, self.line = first.place, first.detail, first.line
        super().__init__(f"La charte {filename} est invalide : "
                         + " ; ".join(str(problem) for problem in self.problems))


def check_template(path: str | Path, text: str | bytes | None = None) -> TemplateCheck:
    """Every problem of a template file (``text``: its content, when already read)."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_bytes()
        except OSError as error:
            return TemplateCheck(path.name, problems=[TemplateProblem(
                None, (), f"fichier illisible ({error.strerror or error}).")])
    parsed = source.parse(text)
    check = TemplateCheck(path.name, parsed.data, source=parsed)
    check.problems = [TemplateProblem(p.line, (), p.detail, p.column) for p in parsed.problems]
    if parsed.data is not None or not parsed.problems:
        check.problems += [check.problem(place, detail) for place, detail in all_problems(parsed.data)]
    check.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return check


def load_charter_template(path: str | Path) -> dict[str, Any]:
    """Read, validate and cross-check one charter template; return it as a dict."""
    check = check_template(path)
    if check.problems:
        raise CharterTemplateError(check.filename, check.problems)
    return check.data


def charter_problems(data: Any) -> list[Problem]:
    """Every problem of charter data: its schema violations, or else each problem between its
    parts (for the form editor to show them all at once)."""
    schema = schema_problems(data)
    return schema or cross_problems(data)


def all_problems(data: Any) -> list[Problem]:
    """Every schema violation and every problem between parts that can be found."""
    return schema_problems(data) + cross_problems(data)


# --- Schema -------------------------------------------------------------------------------------

@cache
def _validator() -> Draft202012Validator:
    """The validator for ``schema.json``, built once."""
    return Draft202012Validator(json.loads((FOLDER / "schema.json").read_text(encoding="utf-8")))


def charter_schema() -> dict[str, Any]:
    """The JSON schema of a charter (``schema.json``), as a dict."""
    return _validator().schema


def schema_problems(data: Any) -> list[Problem]:
    """Every schema violation, in French, in the order of the places."""
    errors = sorted(_validator().iter_errors(data),
                    key=lambda error: [(isinstance(p, str), p) for p in error.absolute_path])
    found: list[Problem] = []
    for error in errors:
        for problem in _translated(error):
            if problem not in found:
                found.append(problem)
    return found


def _translated(error: ValidationError) -> list[Problem]:
    """A schema violation as (place, French detail), one per missing or unknown field."""
    place: Place = tuple(error.absolute_path)
    match error.validator:
        case "required":
            return [(place + (name,), "ce champ obligatoire est absent.")
                    for name in error.validator_value if name not in error.instance]
        case "additionalProperties":
            known = error.schema.get("properties", {})
            return [(place + (str(name),), "ce champ n'est pas prévu par le modèle de charte."
                     + did_you_mean(name, known))
                    for name in error.instance if name not in known]
    return [(place, _schema_detail(error))]


def _schema_detail(error: ValidationError) -> str:
    """French wording of a schema violation that sits at the error's own place."""
    expected, value = error.validator_value, error.instance
    match error.validator:
        case "type":
            kinds = [expected] if isinstance(expected, str) else expected
            wanted = " ou ".join(_KINDS[kind] for kind in kinds)
            return f"il faut ici {wanted}, pas {_kind_of(value)}."
        case "minItems":
            plural = "s" if expected > 1 else ""
            return f"la liste doit compter au moins {expected} élément{plural}."
        case "minProperties":
            return "il faut au moins une entrée."
        case "minLength":
            return "le texte ne doit pas être vide."
        case "minimum":
            return f"la valeur doit être au moins {expected}."
        case "enum":
            allowed = ", ".join(f"« {choice} »" for choice in expected)
            return (f"« {value} » n'est pas une valeur autorisée (valeurs possibles : {allowed})."
                    + did_you_mean(value, expected))
        case "pattern":
            return f"« {value} » n'est pas valide : {error.schema.get('description', expected)}."
        case "anyOf":
            names = " ou ".join(
                f"« {name} »" for option in expected for name in option.get("required", [])
            )
            return f"il faut renseigner {names}."
    return f"valeur non conforme au modèle de charte ({error.message})."


def _kind_of(value: Any) -> str:
    """French name, with its article, of a parsed YAML value's kind."""
    kinds = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
             (list, "array"), (dict, "object"))
    names = (name for python_type, name in kinds if isinstance(value, python_type))
    return _KINDS[next(names, "null")]
