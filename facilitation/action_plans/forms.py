"""Plan, axis and action forms."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from facilitation.action_plans import rules
from facilitation.action_plans.models import HORIZONS, SCOPES, STATUSES
from territorial.actors.picker import PickerField
from territorial.common.forms import Form
from territorial.common.versions import EditForm
from territorial.indicators.forms import AmountField


class PlanForm(Form):
    title = StringField(_l("Titre du plan"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Présentation"), validators=[Optional(), Length(max=5000)])
    start_year = IntegerField(
        _l("Première année"),
        validators=[Optional(), NumberRange(min=1990, max=2100, message=_l("Année invalide."))],
    )
    horizon_years = IntegerField(
        _l("Durée (années)"),
        validators=[Optional(), NumberRange(min=1, max=20, message=_l("Entre 1 et 20 ans."))],
        description=_l("Par exemple 3 pour le plan d'action à 3 ans d'une charte."),
    )


class AxisForm(Form):
    title = StringField(_l("Intitulé de l'axe"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


SEARCH_ARG = "organisation_id-q"  # the text searched by the bulk picker's « Chercher »


class BulkForm(Form):
    """The porteur given to the checked actions of a plan (« Actions groupées »), searched in
    the directory like an action's own: a territory has hundreds of organisations."""

    organisation_id = PickerField(_l("Structure porteuse"), kind="organisations",
                                  id="bulk-organisation", browse=False)


def bulk_form(args) -> BulkForm:
    """The bulk form of a plan's page, its picker showing the names found for the text
    searched (``args``: the page's query, see ``action_views.bulk``)."""
    form = BulkForm(formdata=None)
    form.organisation_id.query = args.get(SEARCH_ARG, "").strip()[:200]
    return form


class ActionForm(EditForm, Form):
    title = StringField(_l("Intitulé de l'action"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Un verbe et un objet précis : « Organiser 4 forums "
                                       "emploi associations – entreprises »."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    axis_id = SelectField(_l("Axe"), coerce=int, choices=[])
    horizon = RadioField(_l("Horizon"), choices=list(HORIZONS.items()), default="court")
    scope = RadioField(_l("Portée"), choices=list(SCOPES.items()), default="participants")
    owner_organisation_id = PickerField(_l("Structure porteuse"), kind="organisations",
                                        create=True, blank=_l("— À désigner —"))
    contact_person_id = PickerField(_l("Contact"), kind="people", blank=_l("— Aucun —"))
    start_date = DateField(_l("Début"), validators=[Optional()])
    due_date = DateField(_l("Échéance"), validators=[Optional()])
    budget_amount = AmountField(_l("Budget prévu (€)"))
    funders = StringField(_l("Financeurs"), validators=[Optional(), Length(max=300)],
                          description=_l("Par exemple : Ville, CAF, fondation d'entreprise."))
    means = TextAreaField(_l("Moyens humains et logistiques"),
                          validators=[Optional(), Length(max=3000)])
    status = SelectField(_l("Statut"), choices=list(STATUSES.items()), default="proposee")
    abandon_reason = TextAreaField(
        _l("Motif de l'abandon"), validators=[Optional(), Length(max=2000)],
        description=_l("Obligatoire si l'action est abandonnée."),
    )
    progress = IntegerField(
        _l("Avancement (%)"), default=0,
        validators=[Optional(), NumberRange(min=0, max=100,
                                            message=_l("L'avancement doit être compris entre 0 et 100 %%."))],
    )

    def rule_errors(self):
        return rules.action_errors(
            title=self.title.data, horizon=self.horizon.data, scope=self.scope.data,
            status=self.status.data, abandon_reason=self.abandon_reason.data,
            progress=self.progress.data if self.progress.data is not None else 0,
            start_date=self.start_date.data, due_date=self.due_date.data,
            budget_amount=self.budget_amount.data)
