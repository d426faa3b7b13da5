"""Forms of the live session: phones (join, contribute) and facilitator (board, votes,
attendance, minutes). Texts are checked by ``rules`` so that the phone, the board and the
tests give the same messages."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (DataRequired, Email, InputRequired, Length, NumberRange,
                                Optional)
from wtforms.widgets import CheckboxInput, ListWidget

from facilitation.action_plans.models import HORIZONS, SCOPES
from facilitation.sessions.live.models import (
    ATTENDANCE_STATUSES,
    CARD_MAX_LENGTH,
    CONTRIBUTION_MAX_LENGTH,
    MAX_DOTS,
)
from territorial.actors.picker import PickerField
from territorial.common.forms import Form


def _optional_int(value):
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CodeForm(Form):
    code = StringField(_l("Code de la séance"), validators=[DataRequired(
        _l("Saisissez le code affiché dans la salle.")), Length(max=20)],
        description=_l("Six lettres ou chiffres, affichés à l'écran par l'animateur."))


def _minutes_email():
    return EmailField(_l("Votre adresse électronique (facultatif)"),
                      validators=[Optional(), Email(_l("Cette adresse électronique n'est pas "
                                                       "valide.")), Length(max=254)],
                      description=_l("Pour recevoir le compte rendu de la séance ; elle ne "
                                     "sert à rien d'autre."))


class MemberJoinForm(Form):
    person_id = SelectField(_l("Votre nom"), coerce=_optional_int,
                            validators=[InputRequired(_l("Choisissez votre nom dans la liste."))])
    email = _minutes_email()


class GuestJoinForm(Form):
    name = StringField(_l("Vos prénom et nom"), validators=[
        DataRequired(_l("Indiquez votre nom.")), Length(max=200)])
    organisation_name = StringField(_l("Votre structure"), validators=[Optional(), Length(max=200)],
                                    description=_l("Association, entreprise, collectivité…"))
    email = _minutes_email()


class ContributionForm(Form):
    kind = RadioField(_l("Type de contribution"),
                      validators=[InputRequired(_l("Choisissez le type de contribution."))])
    text = TextAreaField(_l("Votre contribution"),
                         validators=[Length(max=CONTRIBUTION_MAX_LENGTH)], render_kw={"rows": 4})
    organisation_id = SelectField(_l("Au nom de"), coerce=_optional_int, validate_choice=False)
    organisation_name = StringField(_l("Au nom de (structure)"),
                                    validators=[Optional(), Length(max=200)])
    anonymous = BooleanField(_l("Contribution anonyme (votre nom n'apparaîtra ni au tableau ni "
                                "dans le compte rendu)"))
    submission_key = HiddenField()


class OwnCardForm(Form):
    """A participant corrects their card from their phone."""
    text = TextAreaField(
        _l("Votre contribution"), validators=[Length(max=CONTRIBUTION_MAX_LENGTH)],
        render_kw={"rows": 5},
    )
    version = HiddenField()


class CardForm(Form):
    kind = SelectField(_l("Type"))
    text = TextAreaField(_l("Texte de la carte"), validators=[Length(max=CARD_MAX_LENGTH)],
                         render_kw={"rows": 5})
    version = HiddenField()


class NewCardForm(Form):
    kind = SelectField(_l("Type"))
    text = TextAreaField(_l("Texte de la carte"),
                         validators=[Length(max=CONTRIBUTION_MAX_LENGTH)], render_kw={"rows": 3})
    author_name = StringField(_l("Dit par"), validators=[Optional(), Length(max=200)])
    organisation_id = PickerField(_l("Au nom de"), blank=_l("— Aucune —"))


class MergeForm(Form):
    sources = MultiCheckboxField(_l("Cartes à fusionner dans celle-ci"), coerce=int)
    text = TextAreaField(_l("Texte de la carte fusionnée"), validators=[Length(max=CARD_MAX_LENGTH)],
                         render_kw={"rows": 6})
    version = HiddenField()


class ClusterForm(Form):
    title = StringField(_l("Titre du regroupement"), validators=[
        DataRequired(_l("Donnez un titre au regroupement.")), Length(max=200)])


class RenameClusterForm(ClusterForm):
    version = HiddenField()


class VoteForm(Form):
    title = StringField(_l("Question posée"), validators=[Optional(), Length(max=300)],
                        description=_l("Par exemple : « Quelles pistes approfondir en GT3 ? »"))
    dots = IntegerField(_l("Points par participant"), default=3, validators=[
        InputRequired(_l("Indiquez le nombre de points.")),
        NumberRange(min=1, max=MAX_DOTS, message=_l("De 1 à %(max)d points.", max=MAX_DOTS))])
    cards = MultiCheckboxField(_l("Cartes soumises au vote"), coerce=int)


class RetainForm(Form):
    cards = MultiCheckboxField(_l("Cartes à retenir"), coerce=int)
    scope = SelectField(_l("Portée des actions"), choices=list(SCOPES.items()))
    horizon = SelectField(_l("Horizon"), choices=list(HORIZONS.items()))


MINUTES_MAX_LENGTH = 100_000


class MinutesForm(Form):
    minutes = TextAreaField(
        _l("Synthèse, décisions et prochaines étapes"),
        description=_l("Une ligne commençant par « ## » devient un titre, « - » une puce. "
                       "Présences, ordre du jour, contributions et votes sont repris "
                       "automatiquement."),
        validators=[Length(max=MINUTES_MAX_LENGTH)], render_kw={"rows": 18})
    edit_version = HiddenField()  # the version of the minutes the page showed


class GuestForm(Form):
    name = StringField(_l("Nom de la personne invitée"), validators=[
        DataRequired(_l("Indiquez le nom de la personne invitée.")), Length(max=200)])
    organisation_id = PickerField(_l("Structure du territoire"),
                                  blank=_l("— Aucune / autre —"))
    organisation_name = StringField(_l("ou autre structure"), validators=[Optional(),
                                                                        Length(max=200)])
    status = SelectField(_l("Présence"), choices=list(ATTENDANCE_STATUSES.items()),
                         default="present")


class MergeAttendeesForm(Form):
    keep_id = SelectField(_l("Personne à garder"), coerce=_optional_int,
                          validators=[InputRequired(_l("Choisissez la personne à garder."))])
    other_id = SelectField(_l("En double : sa ligne disparaît"), coerce=_optional_int,
                           validators=[InputRequired(_l("Choisissez la personne en double."))])
