"""Facilitation methods as data: YAML templates, their schema and a validating loader."""

from facilitation.methods.loader import (
    MethodTemplateError,
    available_method_templates,
    load_method_template,
)

__all__ = ["MethodTemplateError", "available_method_templates", "load_method_template"]
