"""Forms of conventions, their funders, amounts, documents, priorities, objectives,
values and dialogue notes (French numbers accepted: « 45 000 », « 12,5 »)."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField, EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from territorial.actors.picker import PickerField
from territorial.common.forms import Form
from territorial.common.versions import EditForm
from territorial.conventions import rules
from territorial.conventions.models import DOCUMENT_KINDS, PARTIES, STATUSES
from territorial.indicators.forms import AmountField, FrenchDecimalField, LevelField
from territorial.indicators.rules import scale_levels

# The kinds of organisation that sign a convention on each side.
AUTHORITY_KINDS = ("collectivite", "institution")
ASSOCIATION_KINDS = ("association", "centre_social", "fondation", "habitant_relais", "autre")

YEAR_RANGE = NumberRange(min=1900, max=2200, message=_l("Année invalide (par exemple 2025)."))


class ConventionForm(Form):
    reference = StringField(_l("Référence"), validators=[DataRequired(), Length(max=60)],
                            description=_l("Par exemple : CA-ESS-2024-01."))
    title = StringField(_l("Intitulé"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Par exemple : Convention-cadre pluriannuelle d'objectifs."))
    authority_id = PickerField(_l("Collectivité signataire"), of_kinds=AUTHORITY_KINDS,
                               validators=[DataRequired(_l("Choisissez la collectivité."))])
    association_id = PickerField(_l("Association"), of_kinds=ASSOCIATION_KINDS,
                                 validators=[DataRequired(_l("Choisissez l'association."))])
    start_year = IntegerField(_l("Première année"), validators=[Optional(), YEAR_RANGE])
    end_year = IntegerField(_l("Dernière année"), validators=[Optional(), YEAR_RANGE],
                            description=_l("Une convention pluriannuelle couvre souvent trois ans."))
    status = SelectField(_l("Statut"), choices=list(STATUSES.items()))
    signed_on = DateField(_l("Date de signature"), validators=[Optional()])
    charter_id = SelectField(_l("Charte appliquée"), coerce=int, validators=[Optional()],
                             description=_l("La charte dont la convention est la traduction, "
                                            "si elle est sur la plateforme."))
    description = TextAreaField(_l("Sens du partenariat"), validators=[Optional(), Length(max=5000)],
                                description=_l("Ce que la collectivité et l'association veulent "
                                               "faire ensemble, au-delà du financement."))

    def rule_errors(self):
        return rules.period_errors(self.start_year.data, self.end_year.data)


class FunderForm(Form):
    organisation_id = PickerField(_l("Cofinanceur"), create=True,
                                  validators=[DataRequired(_l("Choisissez un cofinanceur."))])


class AmountForm(Form):
    year = SelectField(_l("Année"), coerce=int)
    funder_id = SelectField(_l("Financeur"), coerce=int)
    amount = AmountField(_l("Montant accordé (€)"))


class DocumentForm(Form):
    title = StringField(_l("Titre du document"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Nature"), choices=list(DOCUMENT_KINDS.items()))
    document_date = DateField(_l("Date"), validators=[Optional()])
    reference = StringField(_l("Référence ou emplacement"), validators=[Optional(), Length(max=120)],
                            description=_l("Numéro de délibération, dossier partagé…"))


class MemberForm(Form):
    user_id = SelectField(_l("Compte de l'association"), coerce=int,
                          validators=[DataRequired(_l("Choisissez un compte."))])


class PartnerInviteForm(Form):
    email = EmailField(_l("Adresse électronique d'une personne de l'association"),
                       validators=[DataRequired(_l("Indiquez l'adresse.")), Email(),
                                   Length(max=254)],
                       description=_l("Elle reçoit un lien pour créer son accès : elle arrive "
                                      "directement sur cette convention."))


class PriorityForm(Form):
    authority_id = PickerField(_l("Collectivité"), of_kinds=AUTHORITY_KINDS,
                               validators=[DataRequired(_l("Choisissez la collectivité."))])
    title = StringField(_l("Priorité"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Par exemple : Développer l'emploi et l'insertion sur les territoires."))
    description = TextAreaField(_l("Précisions"), validators=[Optional(), Length(max=3000)])


class PriorityEditForm(Form):
    title = StringField(_l("Priorité"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Précisions"), validators=[Optional(), Length(max=3000)])


class ObjectiveForm(Form):
    priority_id = SelectField(_l("Priorité de la collectivité"), coerce=int,
                              validators=[DataRequired(_l("Choisissez une priorité."))])
    title = StringField(_l("Objectif du partenariat"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Par exemple : Augmenter le réemploi des objets collectés."))
    description = TextAreaField(_l("Précisions"), validators=[Optional(), Length(max=3000)])


class ValueForm(Form):
    year = IntegerField(_l("Année"), validators=[DataRequired(_l("Indiquez l'année.")), YEAR_RANGE])
    value = FrenchDecimalField(_l("Valeur atteinte"))
    text_value = LevelField(_l("Situation constatée"), validators=[Optional(), Length(max=2000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)],
                         description=_l("D'où vient la valeur : registre, bilan d'activité, "
                                        "pesées…"))
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=2000)],
                            description=_l("Ce qui explique la valeur, pour préparer le dialogue."))
    pending = HiddenField()  # the value waiting for validation the page showed: "id:version"


SPEAKER_HINT = _l("Au nom de qui parle la note. Elle reste signée de votre nom : la page et "
                  "les documents disent qui l'a écrite.")


class NoteForm(Form):
    year = IntegerField(_l("Année"), validators=[DataRequired(_l("Indiquez l'année.")), YEAR_RANGE])
    party = SelectField(_l("Qui s'exprime"), choices=list(PARTIES.items()),
                        description=SPEAKER_HINT)
    text = TextAreaField(_l("Note du dialogue"), validators=[DataRequired(_l("Écrivez la note.")),
                                                            Length(max=5000)])


class NoteEditForm(EditForm, Form):
    party = SelectField(_l("Qui s'exprime"), choices=list(PARTIES.items()),
                        description=SPEAKER_HINT)
    text = TextAreaField(_l("Note du dialogue"), validators=[DataRequired(_l("Écrivez la note.")),
                                                            Length(max=5000)])



def targets_form(convention, indicator, targets, formdata=True):
    """A form with one target field per year of the convention: a number for a
    quantitative indicator, a statement for a qualitative one. ``targets``: the indicator's
    current targets, shown when the form is not being submitted (or ``formdata`` is None),
    and what the page shows of them in the hidden field ``seen``."""
    quantitative = indicator.kind == "quantitative"

    class TargetsForm(Form):
        seen = HiddenField()

    for year in convention.years:
        label = _l("Cible %(year)s", year=year)
        if quantitative:
            field = FrenchDecimalField(label, description=_l("En %(unit)s.", unit=indicator.unit))
        else:
            field = LevelField(label, validators=[Optional(), Length(max=2000)])
        setattr(TargetsForm, f"target_{year}", field)
    form = TargetsForm() if formdata else TargetsForm(formdata=None)
    if not quantitative:
        for year in convention.years:
            getattr(form, f"target_{year}").levels = scale_levels(indicator.scale)
    if formdata is None or not form.is_submitted():
        for target in targets:
            if convention.in_period(target.year):
                field = getattr(form, f"target_{target.year}")
                field.data = target.value if quantitative else target.statement
    return form
