"""The base form: whitespace stripped, CSRF on, French messages."""
from flask import request
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


def strip_whitespace(value):
    return value.strip() if isinstance(value, str) else value


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
                options["filters"] = [strip_whitespace, *unbound_field.kwargs.get("filters", [])]
            return unbound_field.bind(form=form, **options)

    def submitted(self) -> bool:
        """Was this form's button pressed? (for pages holding several forms)"""
        return request.method == "POST" and f"{self._prefix}submit" in request.form


class ConfirmForm(Form):
    """An empty form for button-only POSTs, so that they carry a CSRF token too."""
