"""Territory forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from territorial.actors.picker import PickerField
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


class TerritorySettingsForm(TerritoryForm):
    """A territory's settings: its parent searched among the territories the user sees
    (a select of every territory would grow with the deployment). Without JavaScript no
    name is listed before a search: the first fifty of a national deployment, in
    alphabetical order, would help no one and weigh on every page for everyone."""

    parent_id = PickerField(
        _l("Territoire parent"), kind="territories", blank=_l("— Aucun —"), browse=False,
        description=_l("Cherchez parmi les territoires dont vous êtes membre."))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and obj.parent_id:  # kept by whoever saves, member of it or not
            self.parent_id.kept = {obj.parent_id}


class FileChosen(FileRequired):
    """``FileRequired`` without the « required » flag: the upload needs a file, but what it
    uploads is optional (a territory's logo), so the label does not say « obligatoire »."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}


class LogoForm(Form):
    logo = FileField(_l("Logo (PNG, JPEG, GIF ou WebP, 5 Mo au plus)"),
                     validators=[FileChosen(_l("Choisissez une image."))],
                     description=_l("Imprimé en haut de chaque document (Word, OpenDocument, "
                                    "PDF), devant le nom du territoire. Réduit à 600 × 240 "
                                    "pixels au plus."))
