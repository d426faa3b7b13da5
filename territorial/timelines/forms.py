"""Forms of the frise and of the pas de côté."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from territorial.actors.picker import PickerField
from territorial.common.forms import Form
from territorial.common.versions import EditForm
from territorial.timelines.models import CONTACT_KINDS, NOTE_CATEGORIES, NOTE_KINDS, TERMS

TERM_CHOICES = [("", _l("— À une date (ci-dessous) —"))] + list(TERMS.items())


class EntryForm(Form):
    partner = PickerField(_l("Partenaires"), kind="actors", multiple=True, create=True,
                          description=_l("Des organisations ou des personnes du territoire : "
                                         "élus, CCAS, associations, secrétaire de mairie, "
                                         "commerçants, pharmacienne… Ajoutez-en plusieurs "
                                         "pour les placer ensemble."))
    level_id = SelectField(_l("Niveau d'implication"), coerce=int, choices=[],
                           validate_choice=False)
    term = SelectField(_l("Échéance"), choices=TERM_CHOICES)
    on_date = DateField(_l("Ou à une date"), validators=[Optional()],
                        description=_l("Une date comprise dans la période du projet."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=3000)],
                          description=_l("Pourquoi ce partenaire, à quel moment, sur quel "
                                         "quartier ou quelle commune…"))


class EditEntryForm(EditForm, EntryForm):
    partner = None


class ContactForm(Form):
    kind = SelectField(_l("Type de contact"), choices=list(CONTACT_KINDS.items()))
    on_date = DateField(_l("Date"), validators=[DataRequired(_l("Indiquez la date du contact."))])
    note = StringField(_l("Précision"), validators=[Optional(), Length(max=500)])


class LevelForm(Form):
    label = StringField(_l("Nouveau niveau"), validators=[
        DataRequired(_l("Donnez un nom au niveau.")), Length(max=80)],
        description=_l("Par exemple : partenaire financeur, relais, ambassadeur."))


class SnapshotForm(Form):
    label = StringField(_l("Nom de l'instantané"), validators=[
        DataRequired(_l("Donnez un nom à l'instantané.")), Length(max=200)],
        description=_l("Par exemple : « Avant la présentation au conseil d'administration »."))


class NoteForm(EditForm, Form):
    entry_id = SelectField(_l("Acteur (du point de vue de…)"), coerce=int, choices=[],
                           validate_choice=False)
    kind = SelectField(_l("Frein ou levier"), choices=list(NOTE_KINDS.items()), default="frein")
    category = SelectField(_l("Catégorie"), choices=list(NOTE_CATEGORIES.items()))
    text = TextAreaField(_l("Ce que cet acteur peut ressentir ou y gagner"), validators=[
        DataRequired(_l("Écrivez le frein ou le levier.")), Length(max=3000)])
    answer = TextAreaField(_l("Réponse prévue (pour un frein)"),
                           validators=[Optional(), Length(max=3000)],
                           description=_l("Comment lever ce frein : une rencontre, une "
                                          "présentation, un engagement…"))
