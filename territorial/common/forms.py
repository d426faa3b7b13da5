"""The base form: whitespace stripped, CSRF on, French messages."""
from flask import request
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import StringField, TextAreaField, widgets


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


class Select(widgets.Select):
    """WTForms' select widget writing the same HTML (``<option selected value="…">…``) in
    one pass over the choices, for the selects listing a territory's organisations and
    people (a thousand options): WTForms renders each option through ``html_params``,
    sorting and escaping its attributes. Options with attributes of their own
    (``render_kw``) and multiple selects are left to WTForms."""

    def __call__(self, field, **kwargs):
        if self.multiple:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        html = [f"<select {widgets.html_params(name=field.name, **kwargs)}>"]
        if field.has_groups():
            for group, choices in field.iter_groups():
                html.append(f"<optgroup {widgets.html_params(label=group)}>")
                html.extend(self._options(choices))
                html.append("</optgroup>")
        else:
            html.extend(self._options(field.iter_choices()))
        html.append("</select>")
        return Markup("".join(html))

    def _options(self, choices):
        for value, label, selected, render_kw in choices:
            if render_kw or value is True:
                yield self.render_option(value, label, selected, **render_kw)
            else:
                attribute = "selected " if selected else ""
                yield f'<option {attribute}value="{escape(value)}">{escape(label)}</option>'
