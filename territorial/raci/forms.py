"""Forms of the RACI grid page."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from territorial.actors.picker import PickerField
from territorial.common.forms import Form


class ActivityForm(Form):
    label = StringField(_l("Nouvelle activité"), validators=[
        DataRequired(_l("Donnez un intitulé à l'activité.")), Length(max=300)],
        description=_l("Par exemple : repérer les lieux de passage, animer le café itinérant."))


class RenameActivityForm(Form):
    label = StringField(_l("Intitulé"), validators=[
        DataRequired(_l("Donnez un intitulé à l'activité.")), Length(max=300)])


class ActorForm(Form):
    actor = PickerField(_l("Organisations ou personnes du territoire"), kind="actors",
                        multiple=True, create=True,
                        description=_l("Tapez une partie du nom ; ajoutez-en autant qu'il "
                                       "faut, elles deviendront chacune une colonne."))
    label = StringField(_l("Ou un autre acteur (nom libre)"),
                        validators=[Optional(), Length(max=250)],
                        description=_l("Par exemple : « Équipe d'animation », « Bénévoles »."))


_THRESHOLD = [Optional(), NumberRange(min=1, max=100, message=_l(
    "Indiquez un nombre d'activités entre 1 et 100."))]


class ThresholdsForm(Form):
    """When the grid flags an actor as overloaded (empty: the default)."""

    max_accountable = IntegerField(
        _l("Surcharge : au-delà de combien d'activités dont l'acteur rend compte (A ou A/R)"),
        validators=_THRESHOLD)
    max_load = IntegerField(
        _l("Surcharge : au-delà de combien d'activités portées (R, A ou A/R)"),
        validators=_THRESHOLD)
