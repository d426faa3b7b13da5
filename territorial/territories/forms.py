"""Territory forms."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from territorial.common.forms import Form
from territorial.territories.models import TERRITORY_LEVELS


class TerritoryForm(Form):
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Identifiant dans les adresses"),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(r"^[a-z0-9-]+$", message=_l("Lettres minuscules, chiffres et tirets seulement.")),
        ],
        description=_l("Laissez vide pour le déduire du nom, par exemple « charenton-saint-maurice »."),
    )
    level = SelectField(_l("Échelon"), choices=list(TERRITORY_LEVELS.items()))
    parent_id = SelectField(_l("Territoire parent"), coerce=int, choices=[])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
