"""Password rules: long enough and not among the commonly used ones."""
import re

from flask_babel import gettext as _
from wtforms.validators import ValidationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
# zxcvbn's list of the 30,000 most used passwords, plus French favourites it lacks.
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"]) | {
    "motdepasse", "azertyuiop", "bonjour", "soleil", "doudou", "marseille", "chouchou",
}
TRAILING_DIGITS_AND_SIGNS = re.compile(r"[\d\W_]+$")


def _is_common(password: str) -> bool:
    lowered = password.lower()
    base = TRAILING_DIGITS_AND_SIGNS.sub("", lowered)
    return lowered in COMMON_PASSWORDS or base in COMMON_PASSWORDS or len(set(lowered)) <= 3


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused, in French, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Le mot de passe doit contenir au moins %(n)d caractères.", n=MIN_LENGTH)
    if _is_common(password):
        return _("Ce mot de passe est trop courant : choisissez-en un autre.")
    lowered = password.lower()
    if any(len(part) >= 4 and part.lower() in lowered for part in user_inputs):
        return _("Le mot de passe ne doit pas reprendre votre nom ou votre adresse.")
    return None


class StrongPassword:
    """WTForms validator applying ``password_problem``."""

    def __call__(self, form, field):
        email = (form.data.get("email") or "").split("@")[0]
        problem = password_problem(field.data or "", (email,))
        if problem:
            raise ValidationError(problem)
