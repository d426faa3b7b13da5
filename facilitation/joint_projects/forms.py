"""Forms of a joint project: the idea, acting at a step, and its conduct."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from facilitation.joint_projects.models import BUDGET_CATEGORIES, EVALUATION_DECISIONS, MEANS_KINDS
from territorial.charters.forms import MultiCheckboxField, optional_int
from territorial.common.forms import Form
from territorial.indicators.forms import AmountField


class ProjectForm(Form):
    title = StringField(_l("Titre du projet commun"), validators=[Length(max=200)])
    summary = TextAreaField(_l("L'idée en quelques lignes"), validators=[Optional(), Length(max=5000)])
    porteurs = MultiCheckboxField(_l("Structures porteuses de l'idée"), coerce=int, choices=[])
    porteur_person_id = SelectField(_l("Personne porteuse (facultatif)"), coerce=optional_int,
                                    choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=3000)])


class ConductForm(Form):
    diagnostic = TextAreaField(_l("Diagnostic des besoins du public"),
                               validators=[Optional(), Length(max=10000)],
                               description=_l("Les besoins du public sur les territoires et les "
                                              "problématiques identifiées."))
    initial_situation = TextAreaField(_l("Situation initiale"), validators=[Optional(), Length(max=5000)])
    desired_situation = TextAreaField(_l("Situation souhaitée, souhaitable"),
                                      validators=[Optional(), Length(max=5000)])
    finalites = TextAreaField(_l("Finalités (une par ligne)"), validators=[Optional(), Length(max=5000)],
                              description=_l("Le cap que l'on se donne, le pourquoi."))
    modalities = TextAreaField(_l("Modalités de fonctionnement du groupe de travail"),
                               validators=[Optional(), Length(max=5000)],
                               description=_l("Rythme des réunions, ordre du jour, compte rendu, "
                                              "liens avec les équipes…"))


class ObjectiveForm(Form):
    text = TextAreaField(_l("Objectif (le résultat à atteindre)"), validators=[
        DataRequired(message=_l("Écrivez l'objectif : le résultat à atteindre.")), Length(max=2000)],
        description=_l("Le résultat à atteindre."))
    finalite = SelectField(_l("Finalité servie"), choices=[], default="")
    measure = StringField(_l("Comment on le mesure"), validators=[Optional(), Length(max=300)])
    due_on = DateField(_l("Échéance"), validators=[Optional()])
    owner_organisation_id = SelectField(_l("Structure qui s'y engage"), coerce=optional_int,
                                        choices=[])


class MeansForm(Form):
    kind = SelectField(_l("Nature"), choices=list(MEANS_KINDS.items()))
    description = StringField(_l("Description"), validators=[
        DataRequired(message=_l("Décrivez le moyen.")), Length(max=500)])
    organisation_id = SelectField(_l("Apporté par"), coerce=optional_int, choices=[])
    informed_on = DateField(_l("Instance informée le"), validators=[Optional()])


class BudgetLineForm(Form):
    category = SelectField(_l("Nature"), choices=list(BUDGET_CATEGORIES.items()))
    label = StringField(_l("Intitulé"), validators=[
        DataRequired(message=_l("Nommez la ligne.")), Length(max=300)])
    planned = AmountField(_l("Prévu (€)"), validators=[
        DataRequired(message=_l("Indiquez le montant prévu (0 si aucun)."))])
    actual = AmountField(_l("Réalisé (€)"), validators=[Optional()])
    organisation_id = SelectField(_l("Structure concernée"), coerce=optional_int, choices=[])


class EvaluationForm(Form):
    evaluated_on = DateField(_l("Date de l'évaluation"), validators=[
        DataRequired(message=_l("Indiquez la date de l'évaluation."))])
    analysis = TextAreaField(_l("Analyse des indicateurs"), validators=[
        DataRequired(message=_l("Résumez l'analyse des indicateurs.")), Length(max=10000)])
    emerging_needs = TextAreaField(_l("Besoins émergents"), validators=[Optional(), Length(max=5000)])
    decision = SelectField(_l("Suite donnée"), choices=list(EVALUATION_DECISIONS.items()))
    adjustments = TextAreaField(_l("Réajustements"), validators=[Optional(), Length(max=5000)])
    reported_on = DateField(_l("Compte rendu fait le"), validators=[Optional()])


class WorkingGroupMemberForm(Form):
    instance_key = SelectField(_l("Instance"), choices=[])
    person_id = SelectField(_l("Personne"), coerce=optional_int, choices=[],
                            validators=[DataRequired(message=_l("Choisissez une personne."))])
    function = SelectField(_l("Fonction"), choices=[])
