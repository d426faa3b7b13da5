"""URLs: the many rows of a list, and the public address of the platform."""
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from markupsafe import escape


PLACEHOLDER_ID = 999999999


def url_for_ids(endpoint: str, argument: str, **values) -> Callable[[int], str]:
    """``url_for(endpoint, **values, <argument>=id)`` for many ids: the URL is built once
    around a placeholder id, which each id then replaces (``url_for`` costs as much as
    the rest of a table row)."""
    url = url_for(endpoint, **values, **{argument: PLACEHOLDER_ID})
    before, _sep, after = url.rpartition(str(PLACEHOLDER_ID))
    return lambda object_id: f"{before}{int(object_id)}{after}"


def escaped_for_ids(url_of: Callable[[int], str]) -> Callable[[int], str]:
    """``url_of`` (``url_for_ids``) as a page prints it: HTML-escaped once, around the id
    (rows written in Python)."""
    before, _sep, after = str(escape(url_of(PLACEHOLDER_ID))).rpartition(str(PLACEHOLDER_ID))
    return lambda object_id: f"{before}{int(object_id)}{after}"


KEY = re.compile(r"[A-Za-z0-9_-]+")


def url_for_keys(endpoint: str, argument: str, **values) -> Callable[[str], str]:
    """``url_for_ids`` for keys an address keeps as they are (letters, digits, « _ »,
    « - »: a charter's sections); any other key is built by ``url_for``."""
    placeholder = "placeholder-key"
    url = url_for(endpoint, **values, **{argument: placeholder})
    before, _sep, after = url.rpartition(placeholder)
    return lambda key: (f"{before}{key}{after}" if KEY.fullmatch(key)
                        else url_for(endpoint, **values, **{argument: key}))


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


def external_root() -> str:
    """The platform's public address (for documents that name their server)."""
    base = current_app.config.get("EXTERNAL_URL") or request.host_url.rstrip("/")
    return base + request.script_root


UNSAFE_IN_A_PATH = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def local_path(target: str | None) -> str | None:
    """``target`` when it is an address of this platform (``/…``), else None: never another
    host (``//host``), and no control character or backslash, which browsers drop or read
    as a slash (``/<tab>/evil.example`` would lead to ``//evil.example``) and which cannot
    go in a ``Location`` header."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or UNSAFE_IN_A_PATH.search(target)):
        return None
    return target
