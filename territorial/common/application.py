"""The Flask application class of the platform: its links, its requests, its URL rules."""
from flask import Flask, has_request_context
from werkzeug.routing import Map

from territorial.common.requests import DatabaseIntegerConverter, PlatformRequest


class PlatformMap(Map):
    default_converters = {**Map.default_converters, "int": DatabaseIntegerConverter}


class Platform(Flask):
    """Flask whose external links (``url_for(..., _external=True)``: invitations, password
    resets, join codes, calendar feeds, the API's links) start with the configured
    EXTERNAL_URL, never with the Host header a client sent. Without EXTERNAL_URL (allowed
    in development only) Flask's own behaviour stays. Its requests bound the integers they
    parse, and its ``<int:…>`` routes the ids they match (``territorial.common.requests``)."""

    request_class = PlatformRequest
    url_map_class = PlatformMap

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None,
                _method: str | None = None, _scheme: str | None = None,
                _external: bool | None = None, **values) -> str:
        base = self.config.get("EXTERNAL_URL")
        if not (base and _external and has_request_context()):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method,
                                   _scheme=_scheme, _external=_external, **values)
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False,
                               **values)
        return base + path
