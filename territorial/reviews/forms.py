"""Review (bilan) forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from territorial.actors.picker import PickerField
from territorial.common.forms import Form
from territorial.reviews.models import GUEST_KINDS


def parse_figures(text: str) -> list[list[str]]:
    """« Habitants rencontrés : 240 » lines → [["Habitants rencontrés", "240"]]."""
    figures = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, value = line.rpartition(":")
        if not sep or not label.strip() or not value.strip():
            raise ValueError(_l("Ligne %(n)d : écrivez « libellé : valeur », par exemple "
                                "« Habitants rencontrés : 240 ».", n=number))
        figures.append([label.strip(), value.strip()])
    return figures


def figures_text(figures: list) -> str:
    return "\n".join(f"{label} : {value}" for label, value in figures or [])


class ReviewForm(Form):
    title = StringField(_l("Titre du bilan"), validators=[
        DataRequired(_l("Donnez un titre au bilan.")), Length(max=200)],
        description=_l("Par exemple : « Bilan des six premiers mois »."))
    held_on = DateField(_l("Date du bilan"), validators=[DataRequired(_l("Indiquez la date."))])
    observed = TextAreaField(_l("Ce qu'on observe"), validators=[Optional(), Length(max=10000)])
    progress = TextAreaField(_l("Ce qui avance"), validators=[Optional(), Length(max=10000)])
    adjustments = TextAreaField(_l("Comment le projet évolue"),
                                validators=[Optional(), Length(max=10000)])
    figures_text = TextAreaField(_l("Chiffres (un par ligne : « libellé : valeur »)"),
                                 validators=[Optional(), Length(max=5000)],
                                 description=_l("Par exemple : « Haltes réalisées : 18 »."))
    writings = TextAreaField(_l("Productions écrites"), validators=[Optional(), Length(max=5000)],
                             description=_l("Articles, comptes rendus, témoignages : un par "
                                            "ligne."))

    def validate_figures_text(self, field):
        try:
            parse_figures(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error


class PhotoForm(Form):
    photo = FileField(_l("Photo (JPEG, PNG ou WebP, 20 Mo au plus)"),
                      validators=[FileRequired(_l("Choisissez une image."))],
                      description=_l("Elle est réduite et enregistrée sans ses données cachées "
                                     "(position GPS, appareil)."))
    caption = StringField(_l("Description de la photo"), validators=[
        DataRequired(_l("Décrivez la photo : ce texte remplace l'image pour qui ne la voit pas.")),
        Length(max=300)])


class GuestForm(Form):
    guest = PickerField(_l("Invité"), kind="actors", create=True)
    kind = SelectField(_l("À quel titre"), choices=list(GUEST_KINDS.items()))
    came = BooleanField(_l("Présent"))
