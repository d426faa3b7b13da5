"""What the live pages and the phones answer alike: a done action (a message, or JSON for
the page's script), a polled fragment (304 while nothing changed)."""
from __future__ import annotations

from flask import flash, jsonify, make_response, redirect, request

from territorial.common.errors import wants_json


def done(message: str, target: str):
    """A change made: JSON for the page's script, else the message and back to ``target``."""
    if wants_json():
        return jsonify(message=message), 200
    flash(message, "success")
    return redirect(target)


def not_modified_or(etag: str, render):
    """304 when the client already holds ``etag``, else the fragment with its ETag
    (``render()`` is called only then). The answer of every live poll."""
    if etag in request.if_none_match:
        response = make_response("", 304)
    else:
        response = make_response(render())
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache, private"
    response.headers["Vary"] = "Cookie"
    return response


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
