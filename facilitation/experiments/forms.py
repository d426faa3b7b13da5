"""Forms of the experiment workspace."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from facilitation.experiments import rules
from facilitation.experiments.models import (
    DELIVERABLE_STATUSES,
    EXPERIMENT_STATUSES,
    STAKEHOLDER_ROLES,
)
from territorial.actors.picker import PickerField
from territorial.common.forms import Form

LONG_TEXT = 20000


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewExperimentForm(Form):
    method = SelectField(_l("Méthode"), choices=[])
    title = StringField(_l("Titre de l'expérimentation"),
                        validators=[DataRequired(), Length(max=200)],
                        description=_l("Par exemple : Agir ensemble sur le territoire de "
                                       "Charenton-Saint-Maurice."))
    perimeter = StringField(_l("Périmètre géographique"),
                            validators=[DataRequired(), Length(max=300)],
                            description=_l("Par exemple : Communauté de communes de "
                                           "Charenton-Saint-Maurice."))
    start_date = DateField(_l("Date de début"), validators=[InputRequired()],
                           description=_l("La méthode prévoit un an d'expérimentation, avec "
                                          "les GT concentrés sur le premier semestre."))
    themes = MultiCheckboxField(_l("Thématiques proposées par la méthode"), choices=[],
                                validators=[Optional()])
    other_themes = TextAreaField(
        _l("Autres thématiques"), validators=[Optional(), Length(max=2000)],
        description=_l("Une thématique par ligne. Un groupe de travail sera créé pour "
                       "chaque thématique, avec ses GT1, GT2 et GT3 au planning."))


class ExperimentForm(Form):
    title = StringField(_l("Titre de l'expérimentation"),
                        validators=[DataRequired(), Length(max=200)])
    perimeter = StringField(_l("Périmètre géographique"),
                            validators=[DataRequired(), Length(max=300)])
    start_date = DateField(_l("Date de début"), validators=[InputRequired()])
    end_date = DateField(_l("Date de fin"), validators=[InputRequired()])
    status = SelectField(_l("État"), choices=list(EXPERIMENT_STATUSES.items()))
    shift_planning = BooleanField(
        _l("Si la date de début change, décaler d'autant les parties, les livrables et les "
           "séances"), default=True)
    # Asked only when the new dates would leave sessions outside the period (else removed).
    outside_sessions = RadioField(
        _l("Séances hors de la nouvelle période"), validators=[Optional()],
        choices=[("move", _l("Les déplacer au jour ouvré le plus proche dans la période "
                             "(même horaire)")),
                 ("keep", _l("Garder leurs dates : elles restent signalées sur le planning"))])

    def rule_errors(self):
        return rules.period_errors(self.start_date.data, self.end_date.data)


class SectionForm(Form):
    content = TextAreaField(_l("Texte de la section"),
                            validators=[Optional(), Length(max=LONG_TEXT)])
    edit_version = HiddenField()


class PartForm(Form):
    title = StringField(_l("Intitulé"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(_l("Début"), validators=[InputRequired()])
    end_date = DateField(_l("Fin"), validators=[InputRequired()])
    objectives = TextAreaField(_l("Objectifs"), validators=[Optional(), Length(max=LONG_TEXT)])
    description = TextAreaField(_l("Description"),
                                validators=[Optional(), Length(max=LONG_TEXT)])
    mode_operatoire = TextAreaField(_l("Mode opératoire"),
                                    validators=[Optional(), Length(max=LONG_TEXT)])

    def rule_errors(self):
        return rules.period_errors(self.start_date.data, self.end_date.data)


class DeliverableForm(Form):
    title = StringField(_l("Livrable"), validators=[DataRequired(), Length(max=300)])
    status = SelectField(_l("État"), choices=list(DELIVERABLE_STATUSES.items()))
    due_date = DateField(_l("Échéance"), validators=[Optional()])
    owner_organisation_id = PickerField(_l("Organisation responsable"), kind="organisations",
                                        create=True, blank=_l("— Aucune —"))
    owner_person_id = PickerField(_l("Personne responsable"), kind="people",
                                  blank=_l("— Aucune —"))


class DeliverableStatusForm(Form):
    status = SelectField(_l("État"), choices=list(DELIVERABLE_STATUSES.items()))


class StakeholderForm(Form):
    organisation_id = PickerField(_l("Organisation"), kind="organisations", create=True)
    role = SelectField(_l("Rôle"), choices=list(STAKEHOLDER_ROLES.items()))
    positioning = TextAreaField(_l("Positionnement"),
                                validators=[Optional(), Length(max=LONG_TEXT)],
                                description=_l("Ce que l'acteur attend de l'expérimentation et "
                                               "la place qu'il y prend."))
    contribution = TextAreaField(_l("Ce qu'elle apporte (complémentarité)"),
                                 validators=[Optional(), Length(max=LONG_TEXT)])
    reason = TextAreaField(_l("Pourquoi l'impliquer"),
                           validators=[Optional(), Length(max=LONG_TEXT)],
                           description=_l("Pour une partie prenante à impliquer : dans quel "
                                          "but ?"))


class InterviewForm(Form):
    person_id = PickerField(_l("Personne rencontrée"), kind="people")
    held_on = DateField(_l("Date de l'entretien"), validators=[Optional()])
    interviewer_person_id = PickerField(_l("Mené par"), kind="people", blank=_l("— Autre —"))
    interviewer_name = StringField(_l("Mené par (si la personne n'est pas dans les contacts)"),
                                   validators=[Optional(), Length(max=200)])
    theme_id = SelectField(_l("Thématique"), coerce=int, choices=[])
    individual_stakes = TextAreaField(_l("Enjeux individuels exprimés"),
                                      validators=[Optional(), Length(max=LONG_TEXT)])
    territorial_stakes = TextAreaField(_l("Enjeux territoriaux exprimés"),
                                       validators=[Optional(), Length(max=LONG_TEXT)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=LONG_TEXT)])


class ThemeForm(Form):
    title = StringField(_l("Thématique"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Par exemple : insertion des jeunes, emploi, "
                                       "précarité, handicap, environnement."),
                        render_kw={"list": "theme-suggestions", "autocomplete": "off"})
    with_group = BooleanField(_l("Créer le groupe de travail de cette thématique, avec ses "
                                 "GT1, GT2 et GT3 au planning"), default=True)
