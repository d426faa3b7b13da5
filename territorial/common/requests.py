"""Numbers from the address, the query string and the forms stay within what the database
holds: an id beyond a 32-bit integer is no id (404 in a URL), a number beyond it in a
parameter counts as absent, as text would. Control characters in the address or the query
string are refused before any view runs (forms refuse them field by field, see
``territorial.common.forms``)."""
import re

from flask import (Request, abort, current_app, g, jsonify, make_response, render_template,
                   request)
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import IntegerConverter

from territorial.common.errors import wants_json
from territorial.common.validation import control_characters_message, has_control_characters

MAX_DATABASE_INT = 2**31 - 1  # INTEGER columns of PostgreSQL (ids, years, counts)
INTEGER = re.compile(r"[+-]?[0-9]+")


def database_int(text: str) -> int:
    """``int(text)`` for the integers an INTEGER column holds; ``ValueError`` otherwise
    (also for ``1_000``, non-ASCII digits and the like that ``int()`` would take)."""
    text = str(text).strip()
    if not INTEGER.fullmatch(text) or len(text) > 12:
        raise ValueError(text)
    value = int(text)
    if not -MAX_DATABASE_INT - 1 <= value <= MAX_DATABASE_INT:
        raise ValueError(text)
    return value


class DatabaseIntegerConverter(IntegerConverter):
    """``<int:…>`` in routes: beyond the database's range the route does not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DATABASE_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class Parameters(ImmutableMultiDict):
    """``request.args`` / ``request.form``: ``get(key, type=int)`` (and ``getlist``) give
    only database integers; anything else is treated as missing, as ``type=int`` does
    for text."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, database_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, database_int if type is int else type)


class PlatformRequest(Request):
    parameter_storage_class = Parameters


class RefusedInTheAddress(BadRequest):
    """A 400 whose description (French) is for the user: the pages and the API show it."""

    shown_to_users = True


def refuse_control_characters_in_the_address() -> None:
    """Before any view or access check: a control character in the path is no page (404);
    in the query string, a 400 that says so."""
    if has_control_characters(request.path):
        abort(404)
    if any(has_control_characters(text)
           for key, values in request.args.lists() for text in (key, *values)):
        raise RefusedInTheAddress(control_characters_message())


def form_has_control_characters() -> bool:
    try:
        form = request.form
    except HTTPException:  # a body refused before any form was read (413…)
        return False
    return any(has_control_characters(text)
               for key, values in form.lists() for text in (key, *values))


def refuse_control_characters_in_forms(response):
    """After the view, before the transaction ends: a form holding a control character
    never succeeds. A form of the platform shown again with its messages answers 422; any
    other answer (a redirect after a refusal, a view reading the raw form) becomes a 422
    that says why, so the transaction rolls back and nothing is stored."""
    refused_by_a_form = g.get("input_refused", False)
    if not refused_by_a_form and not (request.method == "POST"
                                      and form_has_control_characters()):
        return response
    if refused_by_a_form and response.status_code == 200 and response.mimetype == "text/html":
        response.status_code = 422
        return response
    if 400 <= response.status_code < 500:
        return response
    message = control_characters_message()
    if wants_json():
        return make_response(jsonify(ok=False, error=message), 422)
    return make_response(render_template("errors/error.html", code=422, message=message), 422)


def accepts_uploads_up_to(max_bytes: int):
    """For a view taking large files (photos): its request may carry up to ``max_bytes``
    (the others stay within MAX_CONTENT_LENGTH), so that a file too heavy for the view is
    refused by the view itself, next to its field, with everything else typed kept."""
    def decorate(view):
        view.max_request_bytes = max_bytes
        return view
    return decorate


def apply_the_view_upload_limit() -> None:
    """Before the form is read (by the CSRF check first)."""
    view = current_app.view_functions.get(request.endpoint)
    limit = getattr(view, "max_request_bytes", None)
    if limit:
        request.max_content_length = limit
