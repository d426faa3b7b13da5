"""Forms of a session: when, where, and its agenda."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from facilitation.sessions import operations
from facilitation.sessions.models import PARTICIPATION_LEVELS, SESSION_KINDS
from territorial.common.forms import Form


class SessionForm(Form):
    title = StringField(_l("Intitulé"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Type de séance"), choices=list(SESSION_KINDS.items()))
    day = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("Heure de début"), validators=[InputRequired()])
    end_time = TimeField(_l("Heure de fin"), validators=[InputRequired()])
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=300)],
                        description=_l("Adresse ou salle ; « en ligne » avec le lien si besoin."))
    working_group_id = SelectField(
        _l("Groupe de travail"), choices=[], validators=[Optional()],
        description=_l("Le groupe qui se réunit (pour un GT) : ses membres forment la liste des "
                       "présences, ses pistes retenues vont à son plan d'action."),
    )
    participation_level = SelectField(
        _l("Niveau de participation"),
        choices=[("", _l("— Non précisé —"))] + list(PARTICIPATION_LEVELS.items()),
        validators=[Optional()],
    )

    def rule_errors(self):
        return times_errors(self.day.data, self.start_time.data, self.end_time.data)

    def offer_groups(self, experiment_id: int | None, current_id: int | None = None) -> None:
        """The experiment's working groups to choose from (the field goes away for a
        session outside any experiment)."""
        if experiment_id is None:
            del self.working_group_id
            return
        groups = operations.groups_to_offer(experiment_id, current_id)
        self.working_group_id.choices = [("", _l("— Aucun (séance commune à l'expérimentation) —"))] + [
            (str(group.id), group.title) for group in groups]

    @property
    def group_id(self) -> int | None:
        """The chosen working group (None: none, or no such field)."""
        field = getattr(self, "working_group_id", None)
        return int(field.data) if field is not None and field.data else None


def times_errors(day, start, end) -> dict[str, str]:
    """``operations.date_errors`` on a form's day and times (when all three are given)."""
    if not (day and start and end):
        return {}
    return operations.date_errors(operations.local_datetime(day, start),
                                  operations.local_datetime(day, end))


class AgendaItemForm(Form):
    title = StringField(_l("Point de l'ordre du jour"),
                        validators=[DataRequired(), Length(max=500)])
    duration_minutes = IntegerField(_l("Durée (minutes)"),
                                    validators=[Optional(), NumberRange(min=1, max=1440)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
