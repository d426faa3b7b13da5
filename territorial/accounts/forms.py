"""Forms of the login, password and invitation flows."""
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField,
                     StringField)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from territorial.accounts.models import ROLES
from territorial.accounts.passwords import StrongPassword
from territorial.common.forms import Form


class LoginForm(Form):
    email = EmailField(_l("Adresse électronique"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired()])
    remember = BooleanField(_l("Rester connecté·e sur cet appareil"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("Adresse électronique"), validators=[DataRequired(), Email(), Length(max=254)])


def _new_password_fields():
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[DataRequired(), StrongPassword()],
        description=_l("Au moins 12 caractères : plusieurs mots sans rapport avec vous ni "
                       "avec votre territoire, par exemple « vélo-cassis-brume-tilleul »."),
    )
    confirm = PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques.")),
        ],
    )
    return password, confirm


class ResetPasswordForm(Form):
    password, confirm = _new_password_fields()


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired()])
    password, confirm = _new_password_fields()


class AcceptInvitationForm(Form):
    display_name = StringField(
        _l("Prénom et nom"), validators=[DataRequired(), Length(max=200)]
    )
    password, confirm = _new_password_fields()


class InvitationForm(Form):
    email = EmailField(_l("Adresse électronique"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Rôle"), choices=[(key, label) for key, label in ROLES.items()], default="participant"
    )
    # Shown when the territory has conventions: the ones a partner will follow.
    convention_ids = SelectMultipleField(
        _l("Conventions que la personne suivra (rôle « Partenaire »)"), coerce=int, choices=[],
        validators=[Optional()],
        description=_l("En acceptant, elle arrive sur sa convention. Plusieurs choix possibles "
                       "(Ctrl ou Cmd + clic)."))


class LinkAccountForm(Form):
    user_id = SelectField(_l("Compte de la personne"), coerce=int, choices=[],
                          validate_choice=False)


class MembershipRoleForm(Form):
    role = SelectField(_l("Rôle"), choices=[(key, label) for key, label in ROLES.items()])


class PreferencesForm(Form):
    display_name = StringField(_l("Prénom et nom"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Langue de l'interface"), choices=[("fr", "Français"), ("en", "English")])
