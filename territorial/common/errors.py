"""One error path. Every rule of every capability refuses a change the same way: it raises
``DomainError``, which maps form fields to French messages (``ALL``: the form as a whole)
and says how the answer is refused (``status``: 422, or 409 when the state moved on, 403
when the user's side may not do it). ``territorial.common.versions.Conflict`` is one of
them: the field is the whole form, the message says who saved and when.

A view that catches one reports it with one of three helpers: ``show_errors(form, error)``
puts the messages next to the fields (the others are flashed) before the form is shown
again; ``flash_error(error)`` flashes them before a redirect; ``refuse(error, back)``
answers a button or a page's script (JSON for the script). Each marks the request refused:
the request then ends with a rollback (``app.register_request_handling``), whatever its
answer, a redirect included, so that nothing of a refused change is stored and no view
rolls back by hand. An error no view catches is answered by ``app.register_errorhandlers``
(the error page with the message, or JSON for a script).
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import flash, g, jsonify, redirect, request

from territorial.common.urls import local_path

ALL = "__all__"  # the key of a message about the form (or the object) as a whole


class DomainError(ValueError):
    """A change refused by a rule: ``errors`` maps form fields to French messages.

    ``DomainError("message")`` is about the whole form; ``DomainError("message",
    field="title")`` about one field; ``DomainError({"title": …, "year": …})`` about
    several. ``status`` is the HTTP status of the page that shows it (422 unless said)."""

    status = 422

    def __init__(self, errors: Mapping[str, str] | str, *, field: str = ALL,
                 status: int | None = None) -> None:
        self._errors = {field: errors} if isinstance(errors, str) else dict(errors)
        if status is not None:
            self.status = status
        super().__init__(self.message)

    @property
    def errors(self) -> dict[str, str]:
        return self._errors

    @property
    def message(self) -> str:
        """All the messages, in one text (for a flash, a JSON answer, a log)."""
        return " ".join(str(message) for message in self.errors.values())

    def __str__(self) -> str:
        return self.message


def wants_json() -> bool:
    """Is the request a page's script (``fetch``) that reads JSON rather than a page?"""
    return (request.headers.get("X-Requested-With") == "fetch" or request.is_json
            or request.accept_mimetypes.best_match(["application/json", "text/html"])
            == "application/json")


def mark_refused() -> None:
    """The view reports an error: the request ends with a rollback, whatever its answer."""
    g.refused = True


def is_refused() -> bool:
    return g.get("refused", False)


def show_errors(form, error: DomainError, default: str | None = None, *,
                flash_others: bool = True) -> int:
    """Put ``error``'s messages next to the fields of ``form``; a message about the whole
    form, or about a field this form does not have, goes next to the field ``default``
    when given, else into a flash (unless ``flash_others`` is false: the page shows them
    itself). Returns the status of the page to show."""
    mark_refused()
    for name, message in error.errors.items():
        field = _field(form, name) or (_field(form, default) if default else None)
        if field is not None:
            if message not in field.errors:
                field.errors = [*field.errors, message]
        elif flash_others:
            flash(str(message), "error")
    return error.status


def _field(form, name: str):
    field = getattr(form, name, None) if name != ALL else None
    return field if hasattr(field, "errors") else None


def flash_error(error: DomainError, message: str | None = None) -> None:
    """Flash the messages of ``error``, or ``message`` that tells it in the page's words
    (before a redirect)."""
    mark_refused()
    flash(message or error.message, "error")


def refuse(error: DomainError, back: str, message: str | None = None,
           answer: dict | None = None):
    """The answer to a refused change made from a button or a page's script: JSON for the
    script (``answer``, else ``{ok: false, error}``) with the error's status, else the
    message flashed and back to ``back``."""
    if wants_json():
        return json_refusal(error, answer)
    flash_error(error, message)
    return redirect(back)


def json_refusal(error: DomainError, answer: dict | None = None):
    """The answer to a refused change made by a page's script: ``answer``, else ``{ok:
    false, error}``, with the error's status."""
    mark_refused()
    return jsonify(answer or {"ok": False, "error": error.message}), error.status


def next_url(default: str | None = None) -> str | None:
    """Where to go back after a form: its ``next`` value when it is an address of this
    platform (``territorial.common.urls.local_path``), else ``default``."""
    return local_path(request.values.get("next")) or default
