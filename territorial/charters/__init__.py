"""Partnership charters as data: YAML templates, their schema and their validating loader."""
from territorial.charters.loader import (
    CharterTemplateError,
    available_charter_templates,
    load_charter_template,
)

__all__ = ["CharterTemplateError", "available_charter_templates", "load_charter_template"]

import territorial.charters.models  # noqa: E402,F401  (the Charter table, referenced by conventions)
