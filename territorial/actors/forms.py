"""Organisation, person and import forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from territorial.actors.models import ORGANISATION_KINDS
from territorial.common.forms import Form
from territorial.common.spreadsheets import TABLE_EXTENSIONS
from territorial.common.validation import WebAddress


class OrganisationForm(Form):
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Type d'acteur"), choices=list(ORGANISATION_KINDS.items()))
    sector = StringField(
        _l("Secteur"),
        validators=[Optional(), Length(max=120)],
        description=_l("Par exemple : insertion, culture, BTP, santé."),
    )
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)],
                          description=_l("Numéro et voie, par exemple : 12 rue de Paris."))
    postal_code = StringField(_l("Code postal"), validators=[
        Optional(), Length(max=5),
        Regexp(r"^\d{5}$", message=_l("Cinq chiffres, par exemple 94220."))])
    commune = StringField(_l("Commune"), validators=[Optional(), Length(max=120)])
    insee_code = StringField(
        _l("Code INSEE de la commune"),
        validators=[Optional(), Length(max=5), Regexp(r"^(\d{5}|2[AB]\d{3})$",
                                       message=_l("Cinq caractères, par exemple 94018 ou 2A004."))],
        description=_l("Facultatif : il distingue deux communes du même nom."))
    email = EmailField(_l("Courriel"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Téléphone"), validators=[Optional(), Length(max=40)])
    website = URLField(
        _l("Site web"),
        validators=[Optional(), WebAddress(), Length(max=300)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class PersonForm(Form):
    first_name = StringField(_l("Prénom"), validators=[Optional(), Length(max=120)])
    last_name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=120)])
    function = StringField(
        _l("Fonction ou rôle"),
        validators=[Optional(), Length(max=200)],
        description=_l("Par exemple : directrice, secrétaire de mairie, pharmacien."),
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[])
    email = EmailField(_l("Courriel"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Téléphone"), validators=[Optional(), Length(max=40)])


class ImportForm(Form):
    file = FileField(
        _l("Fichier du tableur (.csv, .xlsx, .ods ou .xls)"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(TABLE_EXTENSIONS, _l("Seuls les fichiers de tableur sont acceptés : "
                                             ".csv, .txt, .xlsx, .ods ou .xls.")),
        ],
    )
