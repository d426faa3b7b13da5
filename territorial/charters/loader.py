"""Charter templates: YAML files checked against ``schema.json``, then cross-checked.

A charter is data: another partnership's charter is a new YAML file in this folder, not new
code. Every problem becomes a ``CharterTemplateError`` whose French message names the file and
the place (« lifecycle → 3 → instance »; list positions are counted from 1).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match

FOLDER = Path(__file__).parent

Place = tuple[str | int, ...]
Problem = tuple[Place, str]

# Composition rule kinds: (required parameters, optional parameters) besides `rule` and `text`.
COMPOSITION_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "per_structure_exact": (frozenset({"count"}), frozenset({"function"})),
    "per_structure_min": (frozenset({"count"}), frozenset({"function"})),
    "function_required": (frozenset({"function", "per_structure"}), frozenset()),
    "total_exact": (frozenset({"count"}), frozenset()),
    "total_range": (frozenset({"min", "max"}), frozenset()),
    "open": (frozenset(), frozenset()),
}

_YAML_PROBLEMS = {
    "mapping values are not allowed here":
        "deux-points inattendu (mettez le texte entre guillemets)",
    "could not find expected ':'": "deux-points attendu après une clé",
    "did not find expected key": "clé attendue (vérifiez l'indentation)",
    "did not find expected '-' indicator": "tiret de liste attendu (vérifiez l'indentation)",
    "expected <block end>": "indentation incohérente",
    "found character '\\t' that cannot start any token":
        "tabulation interdite (indentez avec des espaces)",
    "found unexpected end of stream":
        "fin de fichier inattendue (un guillemet n'est-il pas refermé ?)",
}

_KINDS = {
    "object": "un dictionnaire (clé : valeur)",
    "array": "une liste",
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "un booléen (true ou false)",
    "null": "une valeur vide",
}


class CharterTemplateError(ValueError):
    """A charter template that cannot be used; the message names the file and the place."""

    def __init__(self, filename: str, place: Place, detail: str) -> None:
        self.filename, self.place, self.detail = filename, place, detail
        where = f"{format_place(place)} : " if place else ""
        super().__init__(f"La charte {filename} est invalide : {where}{detail}")


def format_place(place: Place) -> str:
    """Render a place as « lifecycle → 3 → instance », positions counted from 1."""
    return " → ".join(str(part + 1) if isinstance(part, int) else str(part) for part in place)


def load_charter_template(path: str | Path) -> dict[str, Any]:
    """Read, validate and cross-check one charter template; return it as a dict."""
    path = Path(path)
    data = _parse_yaml(path)
    problem = _schema_problem(data) or next(_cross_problems(data), None)
    if problem:
        raise CharterTemplateError(path.name, *problem)
    return data


def validate_charter_data(data: Any, filename: str = "charte") -> dict[str, Any]:
    """Check charter data edited in the application as a template file would be checked."""
    problem = _schema_problem(data) or next(_cross_problems(data), None)
    if problem:
        raise CharterTemplateError(filename, *problem)
    return data


def charter_problems(data: Any) -> list[Problem]:
    """Every problem of charter data: its schema violations, or else each problem between its
    parts (for the form editor to show them all at once)."""
    errors = sorted(_validator().iter_errors(data),
                    key=lambda error: [(isinstance(p, str), p) for p in error.absolute_path])
    return [_translated(e) for e in errors] if errors else list(_cross_problems(data))


def available_charter_templates(folder: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Load every ``*.yaml`` charter of ``folder`` (default: this package), keyed by ``key``."""
    templates: dict[str, dict[str, Any]] = {}
    filenames: dict[str, str] = {}
    for path in sorted(Path(folder or FOLDER).glob("*.yaml")):
        charter = load_charter_template(path)
        key = charter["key"]
        if key in templates:
            detail = f"« {key} » est déjà la clé de la charte {filenames[key]}."
            raise CharterTemplateError(path.name, ("key",), detail)
        templates[key], filenames[key] = charter, path.name
    return templates


# --- YAML ---------------------------------------------------------------------------------------

class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses a key written twice in the same mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"clé « {key_node.value} » en double", key_node.start_mark
                )
            seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def _parse_yaml(path: Path) -> Any:
    """Parse the file; a syntax error becomes a CharterTemplateError with its line."""
    try:
        return yaml.load(path.read_bytes(), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        raise CharterTemplateError(path.name, *_yaml_problem(error)) from error


def _yaml_problem(error: yaml.YAMLError) -> Problem:
    """Place (line, column) and French detail of a YAML syntax error."""
    problem = getattr(error, "problem", None) or str(error)
    french = next(
        (text for start, text in _YAML_PROBLEMS.items() if problem.startswith(start)), None
    )
    detail = f"erreur de syntaxe YAML : {french or problem}."
    mark = getattr(error, "problem_mark", None)
    place = (f"ligne {mark.line + 1}, colonne {mark.column + 1}",) if mark else ()
    return place, detail


# --- Schema -------------------------------------------------------------------------------------

@cache
def _validator() -> Draft202012Validator:
    """The validator for ``schema.json``, built once."""
    return Draft202012Validator(json.loads((FOLDER / "schema.json").read_text(encoding="utf-8")))


def charter_schema() -> dict[str, Any]:
    """The JSON schema of a charter (``schema.json``), as a dict."""
    return _validator().schema


def _schema_problem(data: Any) -> Problem | None:
    """The most relevant schema violation, translated into French, or None."""
    error = best_match(_validator().iter_errors(data))
    return None if error is None else _translated(error)


def _translated(error: ValidationError) -> Problem:
    """A schema violation as (place, French detail)."""
    place: Place = tuple(error.absolute_path)
    match error.validator:
        case "required":
            missing = next(name for name in error.validator_value if name not in error.instance)
            return place + (missing,), "ce champ obligatoire est absent."
        case "additionalProperties":
            known = error.schema["properties"]
            unknown = next(str(name) for name in error.instance if name not in known)
            return place + (unknown,), "ce champ n'est pas prévu par le modèle de charte."
    return place, _schema_detail(error)


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
            return f"« {value} » n'est pas une valeur autorisée (valeurs possibles : {allowed})."
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


# --- Cross-references ---------------------------------------------------------------------------

def _cross_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Problems the schema cannot see: duplicates and references between parts."""
    yield from _duplicate_keys(data)
    yield from _unknown_instances(data)
    yield from _composition_problems(data)
    yield from _matrix_problems(data)
    yield from _arbitration_loops(data)


def _duplicate_keys(node: Any, place: Place = ()) -> Iterator[Problem]:
    """Items of a same list sharing a `key`, anywhere in the charter."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _duplicate_keys(value, place + (name,))
    elif isinstance(node, list):
        seen: set[str] = set()
        for index, item in enumerate(node):
            key = item.get("key") if isinstance(item, dict) else None
            if key in seen:
                detail = f"l'identifiant « {key} » est déjà utilisé dans cette liste."
                yield place + (index, "key"), detail
            if key is not None:
                seen.add(key)
            yield from _duplicate_keys(item, place + (index,))


def _instance_references(data: dict[str, Any]) -> Iterator[tuple[Place, str]]:
    """Every place that names an instance, with the key it names."""
    for i, instance in enumerate(data["instances"]):
        for j, key in enumerate(instance.get("forms_body_with", [])):
            yield ("instances", i, "forms_body_with", j), key
    for i, cell in enumerate(data["decision_matrix"]):
        yield ("decision_matrix", i, "instance"), cell["instance"]
        for j, key in enumerate(cell.get("refers_to", [])):
            yield ("decision_matrix", i, "refers_to", j), key
    for i, step in enumerate(data["lifecycle"]):
        if "instance" in step:
            yield ("lifecycle", i, "instance"), step["instance"]
        for j, key in enumerate(step.get("appoints", {}).get("instances", [])):
            yield ("lifecycle", i, "appoints", "instances", j), key
    for i, entry in enumerate(data["arbitration"]):
        for j, key in enumerate(entry["blocked_at"]):
            yield ("arbitration", i, "blocked_at", j), key
        if "escalate_to" in entry:
            yield ("arbitration", i, "escalate_to"), entry["escalate_to"]
    if "instance" in data.get("project_conduct", {}):
        yield ("project_conduct", "instance"), data["project_conduct"]["instance"]


def _unknown_instances(data: dict[str, Any]) -> Iterator[Problem]:
    """References to instances the charter does not define."""
    defined = _keys(data["instances"])
    for place, key in _instance_references(data):
        if key not in defined:
            yield place, f"« {key} » n'est pas une instance définie."


def _composition_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Unknown rule kinds, missing or unexpected parameters, unknown functions."""
    functions = _keys(data["functions"])
    for i, instance in enumerate(data["instances"]):
        for j, function in enumerate(instance.get("allowed_functions", [])):
            if function not in functions:
                detail = f"« {function} » n'est pas une fonction définie."
                yield ("instances", i, "allowed_functions", j), detail
        for j, rule in enumerate(instance["composition"]["rules"]):
            yield from _rule_problems(rule, ("instances", i, "composition", "rules", j), functions)
    for i, step in enumerate(data["lifecycle"]):
        function = step.get("appoints", {}).get("function")
        if function is not None and function not in functions:
            detail = f"« {function} » n'est pas une fonction définie."
            yield ("lifecycle", i, "appoints", "function"), detail


def _rule_problems(rule: dict[str, Any], place: Place, functions: set[str]) -> Iterator[Problem]:
    """Problems of one composition rule."""
    kind = rule["rule"]
    if kind not in COMPOSITION_RULES:
        known = ", ".join(COMPOSITION_RULES)
        detail = f"« {kind} » n'est pas une règle de composition connue (règles connues : {known})."
        yield place + ("rule",), detail
        return
    required, optional = COMPOSITION_RULES[kind]
    parameters = set(rule) - {"rule", "text"}
    for name in sorted(required - parameters):
        yield place + (name,), f"ce paramètre est obligatoire pour la règle « {kind} »."
    for name in sorted(parameters - required - optional):
        yield place + (name,), f"ce paramètre n'a pas de sens pour la règle « {kind} »."
    if "function" in rule and rule["function"] not in functions:
        yield place + ("function",), f"« {rule['function']} » n'est pas une fonction définie."


def _matrix_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Unknown levels, cells given twice, and level × instance pairs without a cell."""
    levels = _keys(data["decision_levels"])
    seen: set[tuple[str, str]] = set()
    for i, cell in enumerate(data["decision_matrix"]):
        level, instance = pair = (cell["level"], cell["instance"])
        if level not in levels:
            detail = f"« {level} » n'est pas un niveau de décision défini."
            yield ("decision_matrix", i, "level"), detail
        elif pair in seen:
            detail = f"la case « {level} » × « {instance} » figure déjà dans la matrice."
            yield ("decision_matrix", i), detail
        seen.add(pair)
    expected = [(lv["key"], inst["key"]) for lv in data["decision_levels"] for inst in data["instances"]]
    for level, instance in expected:
        if (level, instance) not in seen:
            yield ("decision_matrix",), (
                f"il manque la case « {level} » × « {instance} » "
                "(indiquez role: none si l'instance n'y a pas de rôle)."
            )


def _arbitration_loops(data: dict[str, Any]) -> Iterator[Problem]:
    """Escalations that come back to an instance already passed through."""
    escalations = {
        blocked: (i, entry["escalate_to"])
        for i, entry in enumerate(data["arbitration"])
        if entry["outcome"] == "escalate"
        for blocked in entry["blocked_at"]
    }
    for start, (index, target) in escalations.items():
        passed = {start}
        while target in escalations and target not in passed:
            passed.add(target)
            target = escalations[target][1]
        if target in passed:
            yield ("arbitration", index, "escalate_to"), (
                f"la chaîne d'arbitrage partant de « {start} » tourne en boucle."
            )


def _keys(items: list[dict[str, Any]]) -> set[str]:
    """The `key` of each item of a list."""
    return {item["key"] for item in items}
