"""Indicator, target and measure forms (French numbers accepted: « 1 250,5 »)."""
from decimal import Decimal, InvalidOperation
import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField, Field, HiddenField, IntegerField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from markupsafe import Markup
from wtforms.widgets import TextInput, html_params

from territorial.common.forms import Form
from territorial.common.versions import EditForm
from territorial.indicators import rules
from territorial.indicators.models import DIRECTIONS, INDICATOR_KINDS


EXPONENT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$", re.IGNORECASE)


class FrenchDecimalField(Field):
    """A number typed the French way: « 1 250,50 » or « 1250.5 »; empty is None."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        text = format(self.data.normalize(), "f") if isinstance(self.data, Decimal) else str(self.data)
        return text.replace(".", ",")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        for space in (" ", "\u00a0", "\u202f"):
            text = text.replace(space, "")
        text = text.replace("€", "").replace(",", ".")
        if not text:
            self.data = None
            return
        if EXPONENT.match(text):
            self.data = None
            raise ValueError(_l("Écrivez le nombre en chiffres, sans notation scientifique "
                                "(« 1e9 ») : par exemple 1 000 000 000."))
        try:
            self.data = Decimal(text)
            if not self.data.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.data = None
            raise ValueError(_l("Saisissez un nombre, par exemple 1 250 ou 12,5.")) from None
        if not self.data.is_finite() or abs(self.data) >= Decimal("1e10"):
            self.data = None
            raise ValueError(_l("Ce nombre est trop grand."))


class AmountField(FrenchDecimalField):
    """An amount in euros: not negative, at most 2 decimals (cents), and below
    ``PLAUSIBLE_AMOUNT`` (a typing slip, « 1 000 000 000 » for « 1 000 », is caught next to
    the field rather than read as a balanced budget)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is None:
            return
        error = rules.amount_error(self.data)
        if error:
            self.data = None
            raise ValueError(error)


class LevelField(TextAreaField):
    """A qualitative statement: chosen from the indicator's scale when it has one (a list,
    ``levels``, set by the view), else written freely."""

    levels: list[str] = []

    def __call__(self, **kwargs):
        if not self.levels:
            return super().__call__(**kwargs)
        kwargs.setdefault("id", self.id)
        current = (self.data or "").strip().casefold()
        options = [Markup('<option value="">{}</option>').format(_l("— Choisir un niveau —"))]
        options += [Markup('<option value="{0}"{1}>{0}</option>').format(
            level, Markup(" selected") if level.casefold() == current else "")
            for level in self.levels]
        return Markup("<select {}>{}</select>").format(
            Markup(html_params(name=self.name, **kwargs)), Markup("").join(options))


YEAR = [Optional(), NumberRange(min=1900, max=2200, message=_l("Année invalide (par exemple 2025)."))]


class IndicatorForm(EditForm, Form):
    title = StringField(_l("Intitulé"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Par exemple : nombre d'inscrits par maison."))
    kind = SelectField(_l("Nature"), choices=list(INDICATOR_KINDS.items()))
    unit = StringField(_l("Unité"), validators=[Optional(), Length(max=60)],
                       description=_l("Obligatoire pour un indicateur quantitatif : personnes, €, actions, %…"))
    direction = SelectField(_l("Sens attendu"), choices=list(DIRECTIONS.items()))
    baseline = FrenchDecimalField(_l("Valeur de référence (quantitatif)"))
    baseline_year = IntegerField(_l("Année de référence"), validators=YEAR)
    target_statement = TextAreaField(
        _l("Situation visée (qualitatif)"), validators=[Optional(), Length(max=2000)],
        description=_l("Ce qui devra être constaté pour dire que l'objectif est atteint."),
    )
    scale = TextAreaField(
        _l("Échelle d'appréciation (qualitatif)"), validators=[Optional(), Length(max=2000)],
        description=_l("Un niveau par ligne, du moins bon au meilleur (par exemple : Insuffisant, "
                       "En progrès, Satisfaisant, Très satisfaisant)."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    source = StringField(_l("Source des données"), validators=[Optional(), Length(max=300)],
                         description=_l("Par exemple : fichiers d'inscription des trois maisons."))

    def rule_errors(self):
        return rules.indicator_errors(
            title=self.title.data, kind=self.kind.data, unit=self.unit.data,
            direction=self.direction.data, baseline=self.baseline.data,
            baseline_year=self.baseline_year.data)


class TargetForm(Form):
    year = IntegerField(_l("Année"), validators=[DataRequired(_l("Indiquez l'année.")), *YEAR[1:]])
    value = FrenchDecimalField(_l("Valeur visée"))
    statement = LevelField(_l("Situation visée"), validators=[Optional(), Length(max=2000)])
    seen = HiddenField()  # the targets the page showed (territorial.common.versions.seen)


class ValueForm(Form):
    year = IntegerField(_l("Année"), validators=[DataRequired(_l("Indiquez l'année.")), *YEAR[1:]])
    measured_on = DateField(_l("Date de la mesure"), validators=[Optional()])
    value = FrenchDecimalField(_l("Valeur mesurée"))
    text_value = LevelField(_l("Situation constatée"), validators=[Optional(), Length(max=2000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=2000)])
