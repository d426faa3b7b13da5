"""Forms of decisions, instance meetings and information notes."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from territorial.charters.forms import optional_int
from territorial.common.forms import Form


class DecisionForm(Form):
    instance_id = SelectField(_l("Instance qui décide"), coerce=optional_int, choices=[],
                              validators=[DataRequired(message=_l("Choisissez l'instance qui décide."))])
    level = SelectField(_l("Niveau de la décision"), choices=[])
    statement = TextAreaField(_l("Libellé de la décision"), validators=[Length(max=3000)],
                              description=_l("Clairement énoncé, pour que chacun puisse se "
                                             "prononcer sur le même texte."))
    step_outcome = SelectField(_l("Ce que la décision propose"), choices=[])
    reflection = TextAreaField(_l("Réflexion préalable (d'où vient la question)"),
                               validators=[Optional(), Length(max=5000)])
    joint_project_id = SelectField(_l("Projet commun concerné"), coerce=optional_int, choices=[])
    session_id = SelectField(_l("Réunion (compte rendu)"), coerce=optional_int, choices=[])
    decided_on = DateField(_l("Date"), validators=[Optional()])
    review_on = DateField(_l("À réexaminer le"), validators=[Optional()],
                          description=_l("Pour revenir sur la décision à une date donnée."))


class MeetingForm(Form):
    day = DateField(_l("Date"), validators=[DataRequired(message=_l("Indiquez la date."))])
    starts = TimeField(_l("Début"), validators=[DataRequired(message=_l("Indiquez l'heure de début."))])
    ends = TimeField(_l("Fin"), validators=[DataRequired(message=_l("Indiquez l'heure de fin."))])
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=300)])


class NoteForm(Form):
    title = StringField(_l("Titre"), validators=[Length(max=300)])
    recipients = TextAreaField(_l("Destinataires"), validators=[Optional(), Length(max=2000)])
    body = TextAreaField(_l("Texte de la note"), validators=[Length(max=20000)],
                         render_kw={"rows": 16})
    sent_on = DateField(_l("Diffusée le"), validators=[Optional()])


class StepDecisionForm(Form):
    """The decision that settles a lifecycle step, put to its instance (project page)."""

    step_outcome = StringField(_l("Ce que la décision propose"), validators=[Length(max=60)])
    statement = TextAreaField(_l("Libellé de la décision"), validators=[Length(max=2000)])
