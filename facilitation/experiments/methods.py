"""The method templates an experiment may be created from (read once per process)."""
from __future__ import annotations

from functools import cache
from typing import Any

from facilitation.methods import available_method_templates

DEFAULT_METHOD = "agir_ensemble"


@cache
def _templates() -> dict[str, dict[str, Any]]:
    return available_method_templates()


def get_method(key: str) -> dict[str, Any]:
    """The template ``key``; an experiment whose template vanished falls back on the default."""
    templates = _templates()
    return templates.get(key) or templates[DEFAULT_METHOD]


def method_choices() -> list[tuple[str, str]]:
    return [(key, method["name"]) for key, method in _templates().items()]
