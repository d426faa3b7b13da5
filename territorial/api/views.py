"""The read-only open-data API under ``/api/v1/``.

Authentication by a personal token (``Authorization: Bearer tp_…``), the same territories as
the pages (``operations.readable_territories``), 404 for anything else. No cookie, no
session, no CSRF (nothing but GET), rate limited per token.
"""
from math import ceil

from flask import Blueprint, current_app, g, jsonify, request, url_for
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from extensions import csrf, db, limiter
from territorial.api import openapi, operations, queries, registry
from territorial.api.openapi import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from territorial.api.registry import MAX_ID, Resource, to_json
from territorial.common.urls import external_root
from territorial.common.validation import has_control_characters

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PUBLIC_ENDPOINTS = {"api.index", "api.openapi_document", "api.not_found"}
TERRITORY_FIELDS = tuple(openapi.TERRITORY_SCHEMA["properties"])


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "300 per minute")


def _rate_key() -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return "api-token:" + operations.hash_token(header[7:].strip())
    return "api-ip:" + (request.remote_addr or "?")


limiter.limit(_rate_limit, key_func=_rate_key)(bp)


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


def _error(status: int, message: str, **headers):
    response = jsonify(error={"status": status, "message": message})
    response.status_code = status
    response.headers.update(headers)
    return response


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    headers = {"WWW-Authenticate": 'Bearer realm="api"'} if error.status == 401 else {}
    return _error(error.status, error.message, **headers)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    messages = {404: "Introuvable.", 405: "Méthode non permise : l'API est en lecture seule.",
                429: "Trop de requêtes : réessayez plus tard."}
    told = error.description if getattr(error, "shown_to_users", False) else None
    response = _error(error.code or 500, told or messages.get(error.code, error.name))
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if error.code == 429:
        response.headers["Retry-After"] = "60"
    return response


@bp.errorhandler(OperationalError)
def database_unavailable(error):
    db.session.rollback()
    current_app.logger.exception("Database unavailable (API)")
    return _error(503, "Base de données indisponible : réessayez dans un instant.",
                  **{"Retry-After": "5"})


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    user = operations.authenticate(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise ApiError(401, "Jeton d'accès absent, inconnu ou révoqué. Créez-en un dans "
                            "« Mon compte » et envoyez-le dans l'en-tête "
                            "« Authorization: Bearer <jeton> ».")
    g.api_user = user


@bp.after_request
def no_caching(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


# Helpers -------------------------------------------------------------------------------


def available() -> list[Resource]:
    """The registered resources whose table this database holds (checked once per process)."""
    tables = current_app.extensions.get("api_tables")
    if tables is None:
        tables = set(inspect(db.engine).get_table_names())
        current_app.extensions["api_tables"] = tables
    return [resource for resource in registry.registered() if resource.table.name in tables]


def _resource(name: str) -> Resource:
    resource = registry.get(name)
    if resource is None or resource not in available():
        raise ApiError(404, "Ressource inconnue.")
    return resource


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"« {name} » doit être un nombre entier.") from None
    if not low <= value <= high:
        raise ApiError(400, f"« {name} » doit être compris entre {low} et {high}.")
    return value


def _paging() -> tuple[int, int]:
    return (_int_arg("page", 1, 1, MAX_PAGE),
            _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def _territory(slug: str):
    if len(slug) > 80:
        raise ApiError(404, "Territoire introuvable.")
    territory = queries.readable_territory(g.api_user, slug)
    if territory is None:
        raise ApiError(404, "Territoire introuvable.")
    return territory


def _page_response(rows: list[dict], total: int, page: int, per_page: int, endpoint: str,
                   **values):
    pages = ceil(total / per_page) if total else 0
    args = {k: v for k, v in request.args.items() if k not in {"page", "per_page"}}

    def link(number: int) -> str:
        return url_for(endpoint, page=number, per_page=per_page, **values, **args)

    links = {
        "self": link(page),
        "first": link(1),
        "last": link(max(pages, 1)),
        "next": link(page + 1) if page < pages else None,
        "prev": link(page - 1) if 1 < page <= pages + 1 else None,
    }
    response = jsonify(data=rows, meta={"page": page, "per_page": per_page, "total": total,
                                        "pages": pages}, links=links)
    response.headers["Link"] = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self"
    )
    return response


def _filters(resource: Resource) -> list:
    conditions = []
    for column in resource.filter_columns:
        raw = request.args.get(column.name)
        if raw is None:
            continue
        schema = registry.column_schema(column)
        if schema.get("type") == "integer":
            conditions.append(column == _int_arg(column.name, 0, 0, MAX_ID))
        elif schema.get("type") == "string" and "format" not in schema:
            if len(raw) > 200 or has_control_characters(raw):
                raise ApiError(400, f"« {column.name} » n'est pas une valeur valide.")
            conditions.append(column == raw)
        else:
            raise ApiError(400, f"« {column.name} » ne peut pas servir de filtre.")
    return conditions


def _row_json(resource: Resource, row) -> dict:
    return {column.name: to_json(value) for column, value in zip(resource.columns, row)}


def _territory_json(territory) -> dict:
    return {name: to_json(getattr(territory, name)) for name in TERRITORY_FIELDS}


# Views ---------------------------------------------------------------------------------


@bp.get("/")
def index():
    return jsonify(
        openapi=url_for("api.openapi_document", _external=True),
        territories=url_for("api.territories", _external=True),
        resources=[resource.name for resource in available()],
        documentation="Authentification : en-tête « Authorization: Bearer <jeton> » ; "
                      "jetons créés dans « Mon compte ».",
    )


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.build_document(available(), external_root()))


@bp.get("/territories")
def territories():
    page, per_page = _paging()
    total, found = queries.territories_page(g.api_user, page, per_page)
    return _page_response([_territory_json(t) for t in found], total, page, per_page,
                          "api.territories")


@bp.get("/territories/<slug>")
def territory(slug: str):
    found = _territory(slug)
    return jsonify(
        data=_territory_json(found),
        resources={
            resource.name: url_for("api.collection", slug=found.slug, resource=resource.name,
                                   _external=True)
            for resource in available()
        },
    )


@bp.get("/territories/<slug>/<resource>")
def collection(slug: str, resource: str):
    published = _resource(resource)
    found = _territory(slug)
    page, per_page = _paging()
    table = published.table
    conditions = [table.c.territory_id == found.id, *published.conditions(), *_filters(published)]
    total, rows = queries.published_page(published, conditions, page, per_page)
    return _page_response([_row_json(published, row) for row in rows], total, page, per_page,
                          "api.collection", slug=found.slug, resource=published.name)


@bp.get("/territories/<slug>/<resource>/<int:object_id>")
def item(slug: str, resource: str, object_id: int):
    published = _resource(resource)
    found = _territory(slug)
    row = queries.published_row(published, found.id, object_id)
    if row is None:
        raise ApiError(404, "Introuvable.")
    return jsonify(data=_row_json(published, row))


@bp.get("/<path:rest>")
def not_found(rest: str):
    raise ApiError(404, "Adresse inconnue de l'API : voir /api/v1/openapi.json.")
