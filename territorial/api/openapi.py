"""The OpenAPI 3.0 document of the API, generated from the resource registry."""
from territorial.api.registry import MAX_ID, Resource, column_schema, resource_schema
from territorial.common.validation import WITHOUT_CONTROL_CHARACTERS

MAX_PAGE = 100_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"

TERRITORY_SCHEMA = {
    "type": "object",
    "description": "Territoire (quartier, commune, intercommunalité, département, région).",
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "level": {"type": "string"},
        "description": {"type": "string"},
        "parent_id": {"type": "integer", "nullable": True},
        "archived_at": {"type": "string", "format": "date-time", "nullable": True},
        "created_at": {"type": "string", "format": "date-time", "nullable": True},
        "updated_at": {"type": "string", "format": "date-time", "nullable": True},
    },
    "required": ["id", "slug", "name", "level"],
    "additionalProperties": False,
}

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
            "required": ["status", "message"],
        }
    },
    "required": ["error"],
}

PAGE_META = {
    "type": "object",
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 0},
    },
    "required": ["page", "per_page", "total", "pages"],
}

PAGE_LINKS = {
    "type": "object",
    "properties": {
        "self": {"type": "string"},
        "first": {"type": "string"},
        "last": {"type": "string"},
        "next": {"type": "string", "nullable": True},
        "prev": {"type": "string", "nullable": True},
    },
    "required": ["self", "next", "prev"],
}

PAGINATION_PARAMETERS = [
    {"name": "page", "in": "query", "required": False,
     "description": "Numéro de page (à partir de 1).",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    {"name": "per_page", "in": "query", "required": False,
     "description": f"Éléments par page (au plus {MAX_PER_PAGE}).",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                "default": DEFAULT_PER_PAGE}},
]

SLUG_PARAMETER = {
    "name": "slug", "in": "path", "required": True,
    "description": "Identifiant du territoire dans les adresses (ex. charenton-saint-maurice).",
    "schema": {"type": "string", "pattern": SLUG_PATTERN},
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


ERRORS = {
    "401": _error("Jeton absent, inconnu ou révoqué."),
    "404": _error("Introuvable, ou hors des territoires du jeton."),
    "429": _error("Trop de requêtes : réessayez plus tard."),
}


def _page_of(schema: dict) -> dict:
    return {
        "type": "object",
        "properties": {"data": {"type": "array", "items": schema}, "meta": _ref("PageMeta"),
                       "links": _ref("PageLinks")},
        "required": ["data", "meta", "links"],
    }


def _ok(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}},
            "headers": {"Link": {"description": "Pages suivante, précédente, première, dernière "
                                                "(RFC 8288).", "schema": {"type": "string"}}}}


def _filter_parameter(column) -> dict:
    schema = column_schema(column)
    schema.pop("nullable", None)
    schema.pop("description", None)
    if schema.get("type") == "integer":
        schema.update(minimum=0, maximum=MAX_ID)
    elif schema.get("type") == "string" and "format" not in schema:
        schema.update(maxLength=200, pattern=WITHOUT_CONTROL_CHARACTERS)
    return {"name": column.name, "in": "query", "required": False,
            "description": f"Filtre : {column.name} égal à cette valeur.", "schema": schema}


def _list_and_item(resource: Resource) -> dict:
    name = resource.schema_name
    base = f"/api/v1/territories/{{slug}}/{resource.name}"
    description = str(resource.description)
    return {
        base: {"get": {
            "tags": [resource.tag], "operationId": f"list_{name}",
            "summary": description,
            "parameters": [SLUG_PARAMETER, *PAGINATION_PARAMETERS,
                           *[_filter_parameter(column) for column in resource.filter_columns]],
            "responses": {"200": _ok(_page_of(_ref(name)), description),
                          "400": _error("Paramètre invalide."), **ERRORS},
        }},
        f"{base}/{{id}}": {"get": {
            "tags": [resource.tag], "operationId": f"get_{name}",
            "summary": f"{description} : un élément",
            "parameters": [SLUG_PARAMETER, {
                "name": "id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}],
            "responses": {"200": {"description": description, "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "data": _ref(name)}, "required": ["data"]}}}}, **ERRORS},
        }},
    }


def build_document(resources: list[Resource], server_url: str) -> dict:
    paths: dict = {
        "/api/v1/territories": {"get": {
            "tags": ["territoire"], "operationId": "list_territories",
            "summary": "Les territoires lisibles avec ce jeton",
            "parameters": PAGINATION_PARAMETERS,
            "responses": {"200": _ok(_page_of(_ref("Territory")), "Territoires"),
                          "400": _error("Paramètre invalide."),
                          "401": ERRORS["401"], "429": ERRORS["429"]},
        }},
        "/api/v1/territories/{slug}": {"get": {
            "tags": ["territoire"], "operationId": "get_territory",
            "summary": "Un territoire et les ressources publiées",
            "parameters": [SLUG_PARAMETER],
            "responses": {"200": {"description": "Territoire", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "data": _ref("Territory"),
                    "resources": {"type": "object",
                                  "additionalProperties": {"type": "string"}}},
                    "required": ["data", "resources"]}}}}, **ERRORS},
        }},
    }
    schemas = {"Territory": TERRITORY_SCHEMA, "Error": ERROR_SCHEMA, "PageMeta": PAGE_META,
               "PageLinks": PAGE_LINKS}
    for resource in resources:
        paths.update(_list_and_item(resource))
        schemas[resource.schema_name] = resource_schema(resource)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Partenariats territoriaux — données ouvertes",
            "version": "1.0.0",
            "description": (
                "API en lecture seule des données d'un territoire : les mêmes droits que les "
                "pages (les territoires dont vous êtes membre ; les partenaires n'y ont pas "
                "accès). Authentification par jeton personnel, créé dans « Mon compte » : "
                "en-tête `Authorization: Bearer <jeton>`. Les données personnelles (personnes, "
                "comptes, coordonnées) ne sont pas publiées."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": "territoire"}, {"name": "animation"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "Jeton personnel (tp_…)."}},
        },
    }
