"""Partnership charters as data: YAML templates, their schema and their validating loader."""
from territorial.charters.loader import CharterTemplateError, load_charter_template
from territorial.charters.registry import templates as available_charter_templates
from territorial.charters.registry import template_problems

__all__ = ["CharterTemplateError", "available_charter_templates", "load_charter_template",
           "template_problems"]

import territorial.charters.models  # noqa: E402,F401  (the Charter table, referenced by conventions)
