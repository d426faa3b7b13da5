"""Forms of the charter pages: adoption, sections, members, sheets, delegations."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from territorial.charters.record_models import DELEGATION_SCOPES
from territorial.actors.picker import PickerField
from territorial.common.forms import Form


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_int(value):
    """Coerce a select's value to an id; the empty choice (rendered "None" or "") is None."""
    if value in (None, "", "0", 0, "None"):
        return None
    return int(value)


class NewCharterForm(Form):
    template_key = SelectField(_l("Modèle de charte"), choices=[])
    title = StringField(_l("Titre"), validators=[Optional(), Length(max=200)],
                        description=_l("Par défaut : « Charte de partenariat – » suivi du nom du "
                                       "partenariat."))
    adopted_on = DateField(_l("Date d'adoption"), validators=[Optional()],
                           description=_l("Laissez vide si la charte doit encore être adoptée : "
                                          "aucun projet commun ni aucune décision ne s'y réfère "
                                          "avant son adoption."))



def new_charter_form(template: dict | None) -> type[NewCharterForm]:
    """The form for a template: a picker for each of its signatories (« signatory_<key> »),
    one for the other member structures."""
    fields = {f"signatory_{signatory['key']}": PickerField(signatory["name"],
                                                          blank=_l("— Aucune —"))
              for signatory in (template or {}).get("signatories", ())}
    fields["other_members"] = PickerField(_l("Autres structures membres (facultatif)"),
                                          multiple=True)
    return type("TemplateCharterForm", (NewCharterForm,), fields)

SECTION_MAX_LENGTH = 100_000


class SectionForm(Form):
    content = TextAreaField(_l("Texte de la partie"), validators=[Length(max=SECTION_MAX_LENGTH)],
                            render_kw={"rows": 24, "spellcheck": "true"})
    summary = StringField(_l("Ce qui change (pour l'historique)"),
                          validators=[Optional(), Length(max=500)],
                          description=_l("Par exemple : « Le comité de pilotage se réunit désormais "
                                         "quatre fois par an »."))
    edit_version = HiddenField()  # the version of the charter the page showed


class SectionSummaryForm(Form):
    summary = SectionForm.summary
    edit_version = HiddenField()


class AgreementForm(Form):
    party = SelectField(_l("Qui donne son accord"), choices=[],
                        validators=[DataRequired(message=_l("Choisissez qui donne son accord."))])
    agreed_on = DateField(_l("Date de l'accord"),
                          validators=[DataRequired(message=_l("Indiquez la date de l'accord."))],
                          description=_l("La version est adoptée à la date du dernier accord, et "
                                         "en vigueur à partir de cette date (si elle est à venir, "
                                         "la version actuelle reste en vigueur jusque-là)."))
    body = StringField(_l("Instance qui a donné l'accord"), validators=[Optional(), Length(max=200)],
                       description=_l("Par exemple : le conseil d'administration, le bureau."))
    note = TextAreaField(_l("Circonstances"), validators=[Optional(), Length(max=2000)],
                         description=_l("Par exemple : la réunion où l'accord a été donné, le "
                                        "compte rendu."))


class MemberForm(Form):
    organisation_id = PickerField(_l("Structure"), kind="organisations", create=True,
                                  validators=[DataRequired(message=_l("Choisissez une structure."))])
    joined_on = DateField(_l("Membre depuis le"), validators=[Optional()])


class InstanceMemberForm(Form):
    person_id = SelectField(_l("Personne"), coerce=optional_int, choices=[],
                            validators=[DataRequired(message=_l("Choisissez une personne."))])
    function = SelectField(_l("Fonction dans l'instance"), choices=[])
    mandate = StringField(_l("Mandat"), validators=[Optional(), Length(max=300)],
                          description=_l("Qui l'a mandaté(e) : « Conseil d'administration du "
                                         "12 mars 2025 », « instance salariée »…"))
    started_on = DateField(_l("Depuis le"), validators=[Optional()])
    mandate_until = DateField(_l("Mandat jusqu'au"), validators=[Optional()])


class SheetForm(Form):
    organisation_chart = TextAreaField(_l("Organigramme"), validators=[Length(max=5000)])
    staff = TextAreaField(_l("Effectifs (salariés, bénévoles)"), validators=[Length(max=5000)])
    equipment = TextAreaField(_l("Matériel à disposition"), validators=[Length(max=5000)])
    rooms = TextAreaField(_l("Salles disponibles"), validators=[Length(max=5000)])
    accounting = TextAreaField(_l("Modalités de comptabilité"), validators=[Length(max=5000)])
    management = TextAreaField(_l("Modalités de gestion"), validators=[Length(max=5000)])
    training_plan = TextAreaField(_l("Plan de formation"), validators=[Length(max=5000)])
    decisions = TextAreaField(_l("Modes de fonctionnement et décisions récentes"),
                              validators=[Length(max=5000)])


class DelegationForm(Form):
    delegator_id = SelectField(_l("Personne qui délègue"), coerce=optional_int, choices=[],
                               validators=[DataRequired(message=_l("Choisissez la personne qui délègue."))])
    delegate_id = SelectField(_l("Personne à qui la mission est déléguée"), coerce=optional_int,
                              choices=[], validators=[DataRequired(
                                  message=_l("Choisissez la personne à qui la mission est déléguée."))])
    subject = StringField(_l("Ce qui est délégué"), validators=[
        DataRequired(message=_l("Dites ce qui est délégué.")), Length(max=300)])
    scope = SelectField(_l("Étendue"), choices=list(DELEGATION_SCOPES.items()), default="partie")
    details = TextAreaField(_l("Précisions"), validators=[Optional(), Length(max=3000)])
    criteria = MultiCheckboxField(_l("La personne est en capacité de le faire"), choices=[])
    reference_group = StringField(_l("Groupe de référence informé"),
                                  validators=[Optional(), Length(max=300)],
                                  description=_l("Par exemple : le groupe de travail « Voyages "
                                                 "culturels », le comité de pilotage."))
    informed_on = DateField(_l("Groupe informé le"), validators=[Optional()])
    starts_on = DateField(_l("Début"), validators=[DataRequired(message=_l("Indiquez la date de début."))])
    ends_on = DateField(_l("Fin"), validators=[Optional()])
