"""What a charter's schema cannot see: identifiers used twice, references between parts, the
composition rules' parameters, the decision matrix, the arbitration chain and the steps that are
decisions. Each check yields (place, French detail); a check that meets data the schema already
refuses stops quietly, so that every other problem is still reported.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from difflib import get_close_matches
from typing import Any

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
# Roles of the decision matrix that let an instance take a decision of a level.
DECIDING_ROLES = {"decides"}


def did_you_mean(word: Any, choices) -> str:
    """« ; vouliez-vous dire « rhythm » ? » when a choice is close to ``word``."""
    close = get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" Vouliez-vous dire « {close[0]} » ?" if close else ""


def cross_problems(data: Any) -> list[Problem]:
    """Every problem between the parts of a charter that the checks can reach."""
    if not isinstance(data, dict):
        return []
    found: list[Problem] = []
    for check in CHECKS:
        found.extend(_safely(check, data))
    return found


def _safely(check: Callable[[dict], Iterator[Problem]], data: dict) -> list[Problem]:
    found: list[Problem] = []
    try:
        for problem in check(data):
            found.append(problem)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        pass  # the schema reports what this check could not read
    return found


def _keys(items: Any) -> set[str]:
    """The `key` of each element of a list."""
    return {item["key"] for item in items or [] if isinstance(item, dict) and "key" in item}


def duplicate_keys(node: Any, place: Place = ()) -> Iterator[Problem]:
    """Elements of a same list sharing a `key`, anywhere in the charter."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from duplicate_keys(value, place + (name,))
    elif isinstance(node, list):
        seen: set[str] = set()
        for index, item in enumerate(node):
            key = item.get("key") if isinstance(item, dict) else None
            if key in seen:
                yield place + (index, "key"), (
                    f"l'identifiant « {key} » est déjà utilisé dans cette liste.")
            if isinstance(key, str):
                seen.add(key)
            yield from duplicate_keys(item, place + (index,))


def instance_references(data: dict[str, Any]) -> Iterator[tuple[Place, str]]:
    """Every place that names an instance, with the key it names."""
    for i, instance in enumerate(data.get("instances", [])):
        for j, key in enumerate(instance.get("forms_body_with", [])):
            yield ("instances", i, "forms_body_with", j), key
    for i, cell in enumerate(data.get("decision_matrix", [])):
        yield ("decision_matrix", i, "instance"), cell["instance"]
        for j, key in enumerate(cell.get("refers_to", [])):
            yield ("decision_matrix", i, "refers_to", j), key
    for i, step in enumerate(data.get("lifecycle", [])):
        if "instance" in step:
            yield ("lifecycle", i, "instance"), step["instance"]
        for j, key in enumerate(step.get("appoints", {}).get("instances", [])):
            yield ("lifecycle", i, "appoints", "instances", j), key
    for i, entry in enumerate(data.get("arbitration", [])):
        for j, key in enumerate(entry["blocked_at"]):
            yield ("arbitration", i, "blocked_at", j), key
        for name in ("escalate_to", "reopened_by"):
            if name in entry:
                yield ("arbitration", i, name), entry[name]
    conduct = data.get("project_conduct", {})
    if "instance" in conduct:
        yield ("project_conduct", "instance"), conduct["instance"]
    for i, essential in enumerate(conduct.get("essentials", [])):
        if "instance" in essential:
            yield ("project_conduct", "essentials", i, "instance"), essential["instance"]
    if "adopted_by" in data.get("revision", {}):
        yield ("revision", "adopted_by"), data["revision"]["adopted_by"]


def unknown_instances(data: dict[str, Any]) -> Iterator[Problem]:
    """References to instances the charter does not define."""
    defined = _keys(data["instances"])
    for place, key in instance_references(data):
        if key not in defined:
            yield place, f"« {key} » n'est pas une instance définie.{did_you_mean(key, defined)}"


def composition_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Unknown rule kinds, missing or unexpected parameters, unknown functions."""
    functions = _keys(data["functions"])
    for i, instance in enumerate(data["instances"]):
        for j, function in enumerate(instance.get("allowed_functions", [])):
            if function not in functions:
                yield ("instances", i, "allowed_functions", j), (
                    f"« {function} » n'est pas une fonction définie."
                    f"{did_you_mean(function, functions)}")
        for j, rule in enumerate(instance["composition"]["rules"]):
            yield from _rule_problems(rule, ("instances", i, "composition", "rules", j), functions)
    for i, step in enumerate(data.get("lifecycle", [])):
        function = step.get("appoints", {}).get("function")
        if function is not None and function not in functions:
            yield ("lifecycle", i, "appoints", "function"), (
                f"« {function} » n'est pas une fonction définie.{did_you_mean(function, functions)}")


def _rule_problems(rule: dict[str, Any], place: Place, functions: set[str]) -> Iterator[Problem]:
    """Problems of one composition rule."""
    kind = rule["rule"]
    if kind not in COMPOSITION_RULES:
        known = ", ".join(COMPOSITION_RULES)
        yield place + ("rule",), (
            f"« {kind} » n'est pas une règle de composition connue (règles connues : {known})."
            f"{did_you_mean(kind, COMPOSITION_RULES)}")
        return
    required, optional = COMPOSITION_RULES[kind]
    parameters = set(rule) - {"rule", "text"}
    for name in sorted(required - parameters):
        yield place + (name,), f"ce paramètre est obligatoire pour la règle « {kind} »."
    for name in sorted(parameters - required - optional):
        yield place + (name,), f"ce paramètre n'a pas de sens pour la règle « {kind} »."
    if "function" in rule and rule["function"] not in functions:
        yield place + ("function",), f"« {rule['function']} » n'est pas une fonction définie."


def matrix_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """Unknown levels, cells given twice, and level × instance pairs without a cell."""
    levels = _keys(data["decision_levels"])
    seen: set[tuple[str, str]] = set()
    for i, cell in enumerate(data["decision_matrix"]):
        level, instance = pair = (cell["level"], cell["instance"])
        if level not in levels:
            yield ("decision_matrix", i, "level"), (
                f"« {level} » n'est pas un niveau de décision défini.{did_you_mean(level, levels)}")
        elif pair in seen:
            yield ("decision_matrix", i), (
                f"la case « {level} » × « {instance} » figure déjà dans la matrice.")
        seen.add(pair)
    for level in data["decision_levels"]:
        for instance in data["instances"]:
            if (level["key"], instance["key"]) not in seen:
                yield ("decision_matrix",), (
                    f"il manque la case « {level['key']} » × « {instance['key']} » "
                    "(indiquez role: none si l'instance n'y a pas de rôle).")


def decision_steps(data: dict[str, Any]) -> Iterator[Problem]:
    """A step that is a decision names a level of the charter at which its instance decides."""
    levels = _keys(data["decision_levels"])
    for i, step in enumerate(data["lifecycle"]):
        decision = step.get("decision")
        if decision is None:
            continue
        level = decision["level"]
        if "instance" not in step:
            yield ("lifecycle", i, "decision"), (
                "seule une étape confiée à une instance peut être une décision.")
        elif level not in levels:
            yield ("lifecycle", i, "decision", "level"), (
                f"« {level} » n'est pas un niveau de décision défini.{did_you_mean(level, levels)}")
        elif not any(cell["level"] == level and cell["instance"] == step["instance"]
                     and cell["role"] in DECIDING_ROLES for cell in data["decision_matrix"]):
            yield ("lifecycle", i, "decision", "level"), (
                f"d'après la matrice de décision, l'instance « {step['instance']} » ne décide pas "
                f"au niveau « {level} »."
            )


def arbitration_problems(data: dict[str, Any]) -> Iterator[Problem]:
    """An instance that escalates to two others, and chains that neither end nor lapse."""
    targets: dict[str, str] = {}
    for i, entry in enumerate(data["arbitration"]):
        if entry["outcome"] != "escalate":
            continue
        for key in entry["blocked_at"]:
            if key in targets and targets[key] != entry["escalate_to"]:
                yield ("arbitration", i, "blocked_at"), (
                    f"un blocage au niveau de « {key} » remonte déjà à « {targets[key]} »."
                )
            targets.setdefault(key, entry["escalate_to"])
    lapses = [set(entry["blocked_at"]) for entry in data["arbitration"]
              if entry["outcome"] == "lapse"]
    reported: set[frozenset[str]] = set()
    for start in targets:
        path = [start]
        while not any(lapse <= set(path) for lapse in lapses) and path[-1] in targets:
            target = targets[path[-1]]
            if target in path:
                cycle = path[path.index(target):]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    index = next(i for i, entry in enumerate(data["arbitration"])
                                 if path[-1] in entry["blocked_at"]
                                 and entry["outcome"] == "escalate")
                    chain = " → ".join(f"« {key} »" for key in [cycle[-1], *cycle])
                    yield ("arbitration", index, "escalate_to"), (
                        f"la chaîne d'arbitrage {chain} tourne en boucle sans que la charte ne "
                        "prévoie la caducité.")
                break
            path.append(target)


CHECKS: list[Callable[[dict], Iterator[Problem]]] = [
    duplicate_keys, unknown_instances, composition_problems, matrix_problems, decision_steps,
    arbitration_problems,
]
