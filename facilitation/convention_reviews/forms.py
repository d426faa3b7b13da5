"""The form that schedules a yearly review."""
from __future__ import annotations


from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from facilitation.sessions.forms import times_errors
from territorial.common.forms import Form



class ReviewForm(Form):
    year = SelectField(_l("Année passée en revue"), coerce=int)
    day = DateField(_l("Date de la revue"), validators=[DataRequired(_l("Indiquez la date."))])
    start_time = TimeField(_l("Heure de début"), validators=[DataRequired(_l("Indiquez l'heure."))])
    end_time = TimeField(_l("Heure de fin"), validators=[DataRequired(_l("Indiquez l'heure."))],
                         description=_l("Prévoyez large : un tableau de bord suscite en moyenne "
                                        "trois heures de discussions."))
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=300)])

    def rule_errors(self):
        return times_errors(self.day.data, self.start_time.data, self.end_time.data)
