"""The charter templates of a folder, read and checked once per process.

A page that lists the templates does not parse YAML: the files are read the first time they are
needed, then kept. In development (debug, or ``TEMPLATES_AUTO_RELOAD``) a changed file is read
again on the next request. A file with problems is skipped — it never breaks a page — and its
problems are kept for the platform administrators' banner and the start-up log.

Two files may claim the same ``key``: the one that owns it keeps it (the file named after the
key, else the older one, else the first by name) and the other is the one blamed.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context

from territorial.charters.loader import FOLDER, TemplateCheck, TemplateProblem, check_template

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Read:
    signature: tuple[int, int]  # modification time (ns) and size
    check: TemplateCheck


class TemplateRegistry:
    """The valid templates of a folder, keyed by ``key``, and the problems of the others."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.templates: dict[str, dict[str, Any]] = {}
        self.problems: dict[str, list[TemplateProblem]] = {}
        self.filenames: dict[str, str] = {}  # key → file name
        self.reads = 0  # files parsed since the process started (a test counts them)
        self._files: dict[str, _Read] = {}
        self._listing: tuple | None = None
        self._lock = threading.Lock()

    def current(self, reload: bool) -> TemplateRegistry:
        """Load on first use; afterwards look at the files again only when ``reload``."""
        if self._listing is None or reload:
            with self._lock:
                self._refresh()
        return self

    def _refresh(self) -> None:
        stats = {}
        for path in sorted(self.folder.glob("*.yaml")):
            try:
                stat = path.stat()
            except OSError:
                continue
            stats[path.name] = (stat.st_mtime_ns, stat.st_size)
        listing = tuple(sorted(stats.items()))
        if listing == self._listing:
            return
        files = {}
        for name, signature in stats.items():
            known = self._files.get(name)
            if known is None or known.signature != signature:
                known = _Read(signature, check_template(self.folder / name))
                self.reads += 1
            files[name] = known
        self._files, self._listing = files, listing
        self._resolve()
        for name, problems in self.problems.items():
            log.warning("Modèle de charte %s ignoré : %s", name,
                        " ; ".join(str(problem) for problem in problems))

    def _resolve(self) -> None:
        checks = {name: read.check for name, read in self._files.items()}
        self.problems = {name: list(check.problems) for name, check in checks.items() if check.problems}
        claims: dict[str, list[str]] = {}
        for name, check in checks.items():
            if check.valid:
                claims.setdefault(check.data["key"], []).append(name)
        self.templates, self.filenames = {}, {}
        for key, names in sorted(claims.items()):
            owner = min(names, key=lambda name: self._ownership(key, name))
            self.templates[key], self.filenames[key] = checks[owner].data, owner
            for other in names:
                if other != owner:
                    self.problems[other] = [duplicate_key_problem(checks[other], key, owner)]
        for name, problems in self.problems.items():
            key = claimed_key(checks[name])
            owner = self.filenames.get(key or "")
            if owner and owner != name and not checks[name].valid:
                problems.append(duplicate_key_problem(checks[name], key, owner))

    def _ownership(self, key: str, name: str) -> tuple:
        return (Path(name).stem != key, self._files[name].signature[0], name)


def claimed_key(check: TemplateCheck) -> str | None:
    """The `key` a file claims, even when the file has other problems."""
    key = check.data.get("key") if isinstance(check.data, dict) else None
    return key if isinstance(key, str) else None


def duplicate_key_problem(check: TemplateCheck, key: str, owner: str) -> TemplateProblem:
    return check.problem(("key",), (
        f"« {key} » est déjà la clé de la charte {owner} : donnez à ce modèle une clé qui "
        "lui est propre."))


_registries: dict[Path, TemplateRegistry] = {}


def registry(folder: str | Path | None = None) -> TemplateRegistry:
    """The registry of a folder (default: this package's), loaded, kept for the process."""
    path = _resolved(folder or FOLDER)
    found = _registries.get(path)
    if found is None:
        found = _registries.setdefault(path, TemplateRegistry(path))
    return found.current(reload=reload_wanted())


@cache
def _resolved(folder: str | Path) -> Path:
    """A folder's absolute path (each page asks for the default folder's registry)."""
    return Path(folder).resolve()


def reload_wanted() -> bool:
    """In development (debug, or ``TEMPLATES_AUTO_RELOAD``): look at the files again."""
    if not has_app_context():
        return False
    return bool(current_app.debug or current_app.config.get("TEMPLATES_AUTO_RELOAD"))


def templates(folder: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The valid templates, keyed by ``key`` (files with problems are left out)."""
    return registry(folder).templates


def template_problems(folder: str | Path | None = None) -> dict[str, list[TemplateProblem]]:
    """File name → problems, for the templates that are left out."""
    return registry(folder).problems


def init_app(app) -> None:
    """Read the templates at start-up (their problems go to the log)."""
    with app.app_context():
        registry()


def problems_for_admins() -> dict:
    """The files left out, shown to the platform administrators on every page until they
    are corrected (a template global)."""
    from flask_login import current_user

    if not (current_user and current_user.is_authenticated and current_user.is_admin):
        return {}
    return template_problems()


def check_files(paths: Iterable[str | Path], folder: str | Path | None = None
                ) -> list[TemplateCheck]:
    """Check files as a user would add them to the folder: each file's problems, and a ``key``
    already owned by an installed template (or by another of the files) blames the newcomer."""
    installed = registry(folder)
    owners = {key: name for key, name in installed.filenames.items()}
    checks = []
    for path in paths:
        path = Path(path)
        check = check_template(path)
        key = claimed_key(check)
        if key is not None:
            same_file = path.resolve() == installed.folder / owners.get(key, "")
            if key in owners and not same_file:
                check.problems.append(duplicate_key_problem(check, key, owners[key]))
            else:
                owners.setdefault(key, path.name)
        checks.append(check)
    return checks
