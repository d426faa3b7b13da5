"""Forms of working groups."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from territorial.actors.picker import PickerField
from territorial.common.forms import Form


class GroupForm(Form):
    title = StringField(_l("Nom du groupe"), validators=[DataRequired(), Length(max=200)])
    theme_id = SelectField(_l("Thématique"), coerce=int, choices=[])
    facilitator_person_id = PickerField(_l("Animateur ou animatrice"), kind="people",
                                        blank=_l("— À désigner —"))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class MemberForm(Form):
    person_id = PickerField(_l("Personnes à ajouter"), kind="people", multiple=True)

    def validate_person_id(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez une personne au moins."))
