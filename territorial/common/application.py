"""The Flask application class of the platform: its links, its requests, its URL rules."""
from functools import cached_property

from flask import Flask, g, has_request_context, request
from flask.templating import Environment
from werkzeug.routing import Map

from territorial.common.requests import DatabaseIntegerConverter, PlatformRequest


PAGE_URLS_KEPT = 20_000  # a few MB; every territory's links of every page, many times


class PlatformMap(Map):
    default_converters = {**Map.default_converters, "int": DatabaseIntegerConverter}


class PlatformEnvironment(Environment):
    """Flask's Jinja environment whose templates' globals are a dict rather than Jinja's
    ChainMap over the environment's: Jinja copies them at every render, include and
    import, and subtracts their keys from a set at every ``{% import %}``, which over a
    ChainMap costs Python calls for each of the fifty globals (a fifth of the templating
    calls of a light page). Jinja asks not to change the globals once a template is
    loaded; the application registers them all when it is built
    (``app.register_templating``)."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


class Platform(Flask):
    """Flask whose external links (``url_for(..., _external=True)``: invitations, password
    resets, join codes, calendar feeds, the API's links) start with the configured
    EXTERNAL_URL, never with the Host header a client sent. Without EXTERNAL_URL (allowed
    in development only) Flask's own behaviour stays. Its requests bound the integers they
    parse, and its ``<int:…>`` routes the ids they match (``territorial.common.requests``)."""

    request_class = PlatformRequest
    url_map_class = PlatformMap
    jinja_environment = PlatformEnvironment

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None,
                _method: str | None = None, _scheme: str | None = None,
                _external: bool | None = None, **values) -> str:
        if not (_anchor or _method or _scheme or _external) and has_request_context():
            return self._page_url(endpoint, values)
        base = self.config.get("EXTERNAL_URL")
        if not (base and _external and has_request_context()):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method,
                                   _scheme=_scheme, _external=_external, **values)
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False,
                               **values)
        return base + path

    def _page_url(self, endpoint: str, values: dict) -> str:
        """A link of a page, built once per process: Flask's ``url_for`` makes some forty
        Python calls a link, and a page's menu, breadcrumbs and forms print dozens of links
        that only change with the territory (``territory_blueprint``'s default), the
        application's root and, for a relative endpoint, the blueprint."""
        territory = getattr(g, "territory", None)
        try:
            key = (request.script_root, territory.slug if territory else None,
                   request.blueprint if endpoint.startswith(".") else None, endpoint,
                   # with each value's type: 1, 1.0 and True are equal keys, not equal links
                   *sorted((name, type(value), value) for name, value in values.items()))
            return self._page_urls[key]
        except TypeError:  # a value that cannot be a key (a list of query values)
            return super().url_for(endpoint, **values)
        except KeyError:
            url = self._page_urls[key] = super().url_for(endpoint, **values)
            if len(self._page_urls) > PAGE_URLS_KEPT:
                self._page_urls.clear()
            return url

    @cached_property
    def _page_urls(self) -> dict[tuple, str]:
        return {}
