"""The form that names a new API token."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from territorial.common.forms import Form


class TokenForm(Form):
    name = StringField(
        _l("Nom du jeton"),
        validators=[DataRequired(_l("Donnez un nom au jeton.")),
                    Length(max=100, message=_l("100 caractères au plus."))],
        description=_l("Pour reconnaître l'outil qui l'utilise, par exemple « Tableau de bord "
                       "open data ».")
    )
