"""The method templates an experiment may be created from: read once per process, and read
again in development when a file of the folder changes (its modification time or size),
like the charter templates (``territorial.charters.registry``)."""
from __future__ import annotations

import threading
from typing import Any

from facilitation.methods import available_method_templates
from facilitation.methods.loader import METHODS_FOLDER
from territorial.charters.registry import reload_wanted

DEFAULT_METHOD = "agir_ensemble"


_read: dict[str, Any] = {"signature": None, "templates": None}
_lock = threading.Lock()


def _signature() -> tuple:
    files = []
    for path in sorted(METHODS_FOLDER.glob("*.yaml")):
        stat = path.stat()
        files.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(files)


def _templates() -> dict[str, dict[str, Any]]:
    if _read["templates"] is None or reload_wanted():
        with _lock:
            signature = _signature()
            if signature != _read["signature"]:
                _read["templates"] = available_method_templates(METHODS_FOLDER)
                _read["signature"] = signature
    return _read["templates"]


def get_method(key: str) -> dict[str, Any]:
    """The template ``key``; an experiment whose template vanished falls back on the default."""
    templates = _templates()
    return templates.get(key) or templates[DEFAULT_METHOD]


def method_choices() -> list[tuple[str, str]]:
    return [(key, method["name"]) for key, method in _templates().items()]
