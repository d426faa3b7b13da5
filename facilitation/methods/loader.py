"""Load facilitation method templates (YAML files of this folder) and check them.

A template is checked in two steps: its structure against ``schema.json``, then the rules a
schema cannot express (unique keys, calendar, cross-references). Any problem raises a
``MethodTemplateError`` whose French message names the file and the place, list positions
being counted from 1 (« sessions → 2 → agenda » is the agenda of the second session).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

METHODS_FOLDER = Path(__file__).resolve().parent
SCHEMA_PATH = METHODS_FOLDER / "schema.json"
GT_KINDS = ("gt1", "gt2", "gt3")

Place = Sequence[str | int]  # path into the document; ints are 0-based list indices
Problem = tuple[Place, str]

TYPE_NAMES = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "vrai ou faux (true / false)",
    "array": "une liste",
    "object": "un ensemble de champs « clé : valeur »",
}

YAML_PROBLEMS = {
    "mapping values are not allowed here":
        "deux-points inattendu : vérifier l'indentation, ou mettre entre guillemets un texte "
        "contenant « : ».",
    "could not find expected ':'": "deux-points attendu après la clé.",
    "did not find expected key": "indentation incohérente.",
    "expected <block end>": "indentation incohérente.",
    "found character '\\t'": "tabulation interdite : indenter avec des espaces.",
    "found unexpected end of stream":
        "fin de fichier inattendue (guillemet ou crochet non refermé ?).",
    "found duplicate key": "clé répétée dans le même bloc.",
}


class MethodTemplateError(ValueError):
    """A method template that cannot be used; the message is in French."""

    def __init__(self, file_name: str, place: str, detail: str) -> None:
        self.file_name = file_name
        self.place = place
        self.detail = detail
        super().__init__(f"Le modèle {file_name} est invalide : {place} : {detail}")


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses a key repeated in the same mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        problem=f"found duplicate key {key_node.value!r}",
                        problem_mark=key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def load_method_template(path: str | Path) -> dict[str, Any]:
    """Read, validate and return one method template."""
    path = Path(path)
    method = _read_yaml(path)
    problem = _first_problem(method)
    if problem is not None:
        place, detail = problem
        raise MethodTemplateError(path.name, _format_place(place), detail)
    return method


def available_method_templates(folder: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Load every ``*.yaml`` template of ``folder`` (this package's by default), by key."""
    methods: dict[str, dict[str, Any]] = {}
    files: dict[str, str] = {}
    for path in sorted(Path(folder or METHODS_FOLDER).glob("*.yaml")):
        method = load_method_template(path)
        key = method["key"]
        if key in methods:
            raise MethodTemplateError(
                path.name, "key", f"la clé « {key} » est déjà celle du modèle {files[key]}."
            )
        methods[key], files[key] = method, path.name
    return methods


# Reading -----------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    """Parse the file; syntax and encoding errors become MethodTemplateError."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except UnicodeDecodeError as error:
        raise MethodTemplateError(
            path.name, f"octet {error.start + 1}", "le fichier doit être enregistré en UTF-8."
        ) from error
    except yaml.YAMLError as error:
        raise MethodTemplateError(path.name, _yaml_place(error), _yaml_detail(error)) from error


def _yaml_place(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return "syntaxe YAML"
    return f"ligne {mark.line + 1}, colonne {mark.column + 1}"


def _yaml_detail(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or ""
    for english, french in YAML_PROBLEMS.items():
        if problem.startswith(english):
            return french
    return "syntaxe YAML incorrecte."


def _format_place(place: Place) -> str:
    """Render a path as « sessions → 2 → agenda », list positions counted from 1."""
    if not place:
        return "document"
    return " → ".join(str(part + 1) if isinstance(part, int) else part for part in place)


# Checking ----------------------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _first_problem(method: Any) -> Problem | None:
    """The most relevant schema error, else the first broken rule, else None."""
    error = best_match(_validator().iter_errors(method))
    if error is not None:
        return _schema_problem(error)
    rules = chain(_duplicate_keys(method), _calendar_problems(method), _reference_problems(method))
    return next(rules, None)


def _schema_problem(error: ValidationError) -> Problem:
    """Translate a jsonschema error into a French (place, detail) pair."""
    place, expected, value = list(error.absolute_path), error.validator_value, error.instance
    match error.validator:
        case "required":
            missing = next(name for name in expected if name not in value)
            return (*place, missing), "ce champ est obligatoire."
        case "additionalProperties":
            unknown = sorted(set(value) - set(error.schema.get("properties", {})))
            return place, f"champ inconnu : {', '.join(map(str, unknown))}."
        case "type":
            return place, f"doit être {TYPE_NAMES[expected]}{_shown(value)}."
        case "enum":
            choices = ", ".join(map(str, expected))
            return place, f"valeur non reconnue{_shown(value)} ; valeurs possibles : {choices}."
        case "minItems":
            if expected == 1:
                return place, "la liste ne doit pas être vide."
            return place, f"la liste doit contenir au moins {expected} éléments."
        case "minLength":
            return place, "le texte ne doit pas être vide."
        case "minimum":
            return place, f"doit être supérieur ou égal à {expected}{_shown(value)}."
        case "pattern":
            return place, (
                f"« {value} » n'est pas une clé valide : lettres minuscules sans accents, "
                "chiffres et _, en commençant par une lettre."
            )
        case "uniqueItems":
            return place, "la liste contient des doublons."
    return place, f"valeur non conforme (règle « {error.validator} » du schéma)."


def _shown(value: Any) -> str:
    """« (valeur reçue : …) » for a scalar, nothing for a list or a mapping."""
    if isinstance(value, str):
        return f" (valeur reçue : « {value} »)"
    if value is None:
        return " (valeur vide)"
    if isinstance(value, (bool, int, float)):
        return f" (valeur reçue : {json.dumps(value)})"
    return ""


def _keyed_lists(method: dict[str, Any]) -> Iterator[tuple[Place, list[dict[str, Any]]]]:
    """Every list whose items must have distinct keys, with its place."""
    for name in ("cadre_sections", "parts", "sessions", "suggested_themes",
                 "operational_tasks", "stakeholder_roles"):
        yield (name,), method[name]
    for index, section in enumerate(method["cadre_sections"]):
        yield ("cadre_sections", index, "per_actor_kind"), section.get("per_actor_kind", [])
    for index, part in enumerate(method["parts"]):
        yield ("parts", index, "deliverables"), part["deliverables"]
    for session_kind, kinds in method["contribution_kinds"].items():
        yield ("contribution_kinds", session_kind), kinds


def _duplicate_keys(method: dict[str, Any]) -> Iterator[Problem]:
    for place, items in _keyed_lists(method):
        first_index: dict[str, int] = {}
        for index, item in enumerate(items):
            key = item["key"]
            if key in first_index:
                yield (*place, index, "key"), (
                    f"la clé « {key} » est déjà utilisée par l'élément {first_index[key] + 1}."
                )
            first_index.setdefault(key, index)


def _period(duration: int) -> str:
    return f"l'expérimentation dure {duration} mois (mois 0 à {duration - 1})"


def _calendar_problems(method: dict[str, Any]) -> Iterator[Problem]:
    defaults = method["defaults"]
    duration, window = defaults["duration_months"], defaults["gt_window_months"]
    if window > duration:
        yield ("defaults", "gt_window_months"), (
            f"la fenêtre des GT ({window} mois) dépasse la durée de l'expérimentation "
            f"({duration} mois)."
        )
    size = defaults["working_group_size"]
    if size["min"] > size["max"]:
        yield ("defaults", "working_group_size"), "le minimum dépasse le maximum."
    for index, month in enumerate(defaults["copil_months"]):
        if month >= duration:
            yield ("defaults", "copil_months", index), (
                f"copil prévu au mois {month}, hors de la période : {_period(duration)}."
            )
    for index, part in enumerate(method["parts"]):
        yield from _part_problems(part, ("parts", index), duration)
    for index, session in enumerate(method["sessions"]):
        yield from _session_problems(session, ("sessions", index), duration, window)


def _part_problems(part: dict[str, Any], place: Place, duration: int) -> Iterator[Problem]:
    if part["start_month"] >= part["end_month"]:
        yield (*place, "end_month"), "le mois de fin doit être après le mois de début."
    if part["end_month"] > duration:
        yield (*place, "end_month"), (
            f"la partie finit au mois {part['end_month']}, après la fin de la période : "
            f"{_period(duration)}."
        )


def _session_problems(
    session: dict[str, Any], place: Place, duration: int, window: int
) -> Iterator[Problem]:
    month, kind = session["month"], session["kind"]
    if month >= duration:
        yield (*place, "month"), (
            f"séance prévue au mois {month}, hors de la période : {_period(duration)}."
        )
    elif kind in GT_KINDS and month >= window:
        yield (*place, "month"), (
            f"le {kind.upper()} est prévu au mois {month}, après la fenêtre des GT : les GT se "
            f"tiennent dans les {window} premiers mois (mois 0 à {window - 1}, "
            "defaults → gt_window_months)."
        )
    total = sum(item["duration_minutes"] for item in session["agenda"])
    if total > session["duration_minutes"]:
        yield (*place, "agenda"), (
            f"l'ordre du jour dure {total} minutes, plus que la séance "
            f"({session['duration_minutes']} minutes)."
        )


def _reference_problems(method: dict[str, Any]) -> Iterator[Problem]:
    part_keys = [part["key"] for part in method["parts"]]
    for index, task in enumerate(method["operational_tasks"]):
        if task["part"] not in part_keys:
            yield ("operational_tasks", index, "part"), (
                f"partie « {task['part']} » inconnue ; parties définies : {', '.join(part_keys)}."
            )
    for index, session in enumerate(method["sessions"]):
        yield from _agenda_kind_problems(method, session, ("sessions", index))


def _agenda_kind_problems(
    method: dict[str, Any], session: dict[str, Any], place: Place
) -> Iterator[Problem]:
    """Contribution kinds named in the agenda must be defined for the session's kind."""
    kind = session["kind"]
    defined = [item["key"] for item in method["contribution_kinds"].get(kind, [])]
    for item_index, item in enumerate(session["agenda"]):
        for kind_index, name in enumerate(item.get("contribution_kinds", [])):
            if name not in defined:
                yield (*place, "agenda", item_index, "contribution_kinds", kind_index), (
                    f"type de contribution « {name} » non défini pour les séances {kind} "
                    f"(contribution_kinds → {kind} : {', '.join(defined) or 'aucun'})."
                )
