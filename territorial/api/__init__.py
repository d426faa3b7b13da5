"""Open-data API (read-only JSON under ``/api/v1/``): a registry of resources that each
capability fills (``territorial.api.registry.register``), token authentication, OpenAPI."""
