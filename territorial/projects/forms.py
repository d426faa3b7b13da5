"""The project form."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from territorial.common.forms import Form


class ProjectForm(Form):
    title = StringField(_l("Titre du projet"), validators=[
        DataRequired(_l("Donnez un titre au projet.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)],
                                description=_l("Le projet en quelques lignes : itinérance, "
                                               "transport, actions dans l'espace public…"))
    why = TextAreaField(_l("Le « pourquoi » partagé avec les partenaires"),
                        validators=[Optional(), Length(max=5000)],
                        description=_l("Aller vers pour quoi et pour qui ? L'accord sur le "
                                       "pourquoi, sans prédéfinir le comment."))
    objectives = TextAreaField(_l("Objectifs (un par ligne)"),
                               validators=[Optional(), Length(max=5000)])
    starts_on = DateField(_l("Début"), validators=[Optional()])
    ends_on = DateField(_l("Fin"), validators=[Optional()],
                        description=_l("La période dans laquelle les partenaires peuvent être "
                                       "placés à une date sur la frise."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("La fin doit venir après le début."))
        if bool(field.data) != bool(self.starts_on.data):
            raise ValidationError(_l("Indiquez le début et la fin, ou aucun des deux."))
