"""URLs: the many rows of a list, and the public address of the platform."""
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for


def url_for_ids(endpoint: str, argument: str, **values) -> Callable[[int], str]:
    """``url_for(endpoint, **values, <argument>=id)`` for many ids: the URL is built once
    around a placeholder id, which each id then replaces (``url_for`` costs as much as
    the rest of a table row)."""
    placeholder = "999999999"
    url = url_for(endpoint, **values, **{argument: int(placeholder)})
    before, _sep, after = url.rpartition(placeholder)
    return lambda object_id: f"{before}{int(object_id)}{after}"


def checked_external_url(value: str | None) -> str | None:
    """EXTERNAL_URL without its final slash, or an error naming what is wrong with it."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment or any(character.isspace() for character in value):
        raise RuntimeError(
            f"EXTERNAL_URL « {value} » is not a public address such as "
            "https://partenariats.exemple.fr (http or https, a host, no query)."
        )
    return value.rstrip("/")


class Platform(Flask):
    """Flask whose external links (``url_for(..., _external=True)``: invitations, password
    resets, join codes, calendar feeds, the API's links) start with the configured
    EXTERNAL_URL, never with the Host header a client sent. Without EXTERNAL_URL (allowed
    in development only) Flask's own behaviour stays."""

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


def external_root() -> str:
    """The platform's public address (for documents that name their server)."""
    base = current_app.config.get("EXTERNAL_URL") or request.host_url.rstrip("/")
    return base + request.script_root
