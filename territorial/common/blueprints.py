"""Blueprints whose URLs carry the territory: ``/t/<territory>/…``."""
from flask import Blueprint, g

from territorial.access import load_territory


def territory_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint whose every view runs after the access check of its territory."""
    bp = Blueprint(name, import_name, url_prefix=f"/t/<territory>{url_prefix}")

    @bp.url_value_preprocessor
    def _load(endpoint, values):
        load_territory(values.pop("territory"))

    @bp.url_defaults
    def _inject(endpoint, values):
        if "territory" not in values and "territory" in g:
            values["territory"] = g.territory.slug

    return bp
