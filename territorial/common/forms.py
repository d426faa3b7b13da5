"""The base form: whitespace stripped, control characters refused, CSRF on, French messages."""
from collections.abc import Mapping
from types import SimpleNamespace as N

from flask import g, has_request_context, request
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from flask_babel import gettext as _
from wtforms import FieldList, FormField, PasswordField, StringField, TextAreaField, widgets
from wtforms.validators import Length

from territorial.common.validation import (control_characters_message, has_control_characters,
                                           has_invisible_characters,
                                           invisible_characters_message)


def strip_whitespace(value):
    return value.strip() if isinstance(value, str) else value


def text_limit(field) -> int | None:
    """The most characters a text field accepts (its ``Length`` validator), or None."""
    limits = [v.max for v in getattr(field, "validators", None) or ()
              if isinstance(v, Length) and v.max is not None and v.max >= 0]
    return min(limits) if limits else None


def limit_attributes(limit: int) -> dict:
    """A limited text in the browser: no ``maxlength`` (it cuts a paste silently), the limit
    for ``static/js/limits.js``'s counter instead; the server refuses what is over."""
    return {"maxlength": False, "data-limit": limit}


def over_limit_message(length: int, limit: int) -> str:
    return _("Ce texte fait %(length)s caractères, la limite est de %(limit)s : raccourcissez-"
             "le (rien n'a été enregistré, votre texte est conservé ci-dessous).",
             length=f"{length:,}".replace(",", "\u202f"),
             limit=f"{limit:,}".replace(",", "\u202f"))


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
                options["filters"] = [strip_whitespace, *unbound_field.kwargs.get("filters", [])]
                limit = text_limit(N(validators=unbound_field.kwargs.get("validators")
                                     or (unbound_field.args[1] if len(unbound_field.args) > 1
                                         else None)))
                if limit is not None:
                    options["render_kw"] = {**(unbound_field.kwargs.get("render_kw") or {}),
                                            **limit_attributes(limit)}
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        """WTForms' validation, then the capability's rules (``rule_errors``) on the fields
        that passed it, then every field (lists and sub-forms included) holding a control
        character gets the message next to it: nothing of it reaches the database. The page
        shown again then answers 422 (see ``app.register_request_handling``); so does a
        one-line field holding an invisible character (``_refusal``).

        A picker's « Chercher » (the page without JavaScript) is not a submission: the
        form is shown again with the names found, everything typed kept, nothing checked."""
        searched = [field for field in _leaves(self) if getattr(field, "search_pressed", False)]
        if searched:
            for field in searched:
                message = _refusal(field)
                field.errors = [message] if message else []
            return False
        valid = super().validate(extra_validators)
        for field in _leaves(self):
            limit = text_limit(field)
            if limit is not None and isinstance(field.data, str) and len(field.data) > limit:
                field.errors = [over_limit_message(len(field.data), limit)]
        broken = self._apply_rules()
        refused = []
        for field in _leaves(self):
            message = _refusal(field)
            if message:
                if message not in field.errors:
                    field.errors = [*field.errors, message]
                refused.append(field)
        if refused:
            g.input_refused = True
        if refused or broken:
            self._errors = None
        valid = valid and not refused and not broken
        if not valid and has_request_context():
            g.form_error_summary = [*getattr(g, "form_error_summary", []), *(
                (field.id, field.label.text, field.errors[0])
                for field in _leaves(self) if field.errors and field.type != "CSRFTokenField")]
        return valid

    def rule_errors(self) -> Mapping[str, str]:
        """The capability's rules on this form's data, by field: a form whose data a rule
        function checks (``rules.action_errors``…) calls it here, so that the rule is
        written once and its messages appear with WTForms' own. None by default."""
        return {}

    def _apply_rules(self) -> bool:
        broken = False
        for name, message in self.rule_errors().items():
            field = getattr(self, name, None)
            if not hasattr(field, "errors"):
                self.form_errors.append(message)
            elif not field.errors:  # the field's own check said it first
                field.errors = [*field.errors, message]
            else:
                continue
            broken = True
        return broken

    def submitted(self) -> bool:
        """Was this form's button pressed? (for pages holding several forms)"""
        return request.method == "POST" and f"{self._prefix}submit" in request.form


def _leaves(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _leaves(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from (_leaves(entry.form) if isinstance(entry, FormField) else [entry])
        else:
            yield field


def _refusal(field) -> str | None:
    """Why this field's text is refused: a control character (bidirectional overrides
    included) anywhere; an invisible character in a one-line text (a name, a title)."""
    texts = [value for value in field.raw_data or () if isinstance(value, str)]
    texts.append(getattr(field, "query", ""))  # a picker's typed text
    if any(has_control_characters(text) for text in texts):
        return control_characters_message()
    one_line = isinstance(field, StringField) and not isinstance(field, (TextAreaField,
                                                                          PasswordField))
    if one_line and any(has_invisible_characters(text) for text in texts):
        return invisible_characters_message()
    return None


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
