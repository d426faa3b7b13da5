"""The URLs of the many rows of a list."""
from collections.abc import Callable

from flask import url_for


def url_for_ids(endpoint: str, argument: str, **values) -> Callable[[int], str]:
    """``url_for(endpoint, **values, <argument>=id)`` for many ids: the URL is built once
    around a placeholder id, which each id then replaces (``url_for`` costs as much as
    the rest of a table row)."""
    placeholder = "999999999"
    url = url_for(endpoint, **values, **{argument: int(placeholder)})
    before, _sep, after = url.rpartition(placeholder)
    return lambda object_id: f"{before}{int(object_id)}{after}"
