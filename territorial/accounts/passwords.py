"""The password rule, one for every way a password is chosen (invitation, change, reset, the
``create-user`` command): at least 12 characters, not a common password, not the person's
or the territory's name with a few digits, and hard to guess by zxcvbn's estimate (score 3
of 4 at least, counting the person's address, names and territories as known words).

zxcvbn's dictionaries (12 MB in each worker) are loaded when a password is first checked,
not when the application starts: most workers never see one."""
import re
import unicodedata
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 3 « safely unguessable », about 10^8 guesses at least
ESTIMATED_LENGTH = 72  # zxcvbn's own bound; the characters after it add strength anyway
# French favourites that zxcvbn's list of the 30,000 most used passwords lacks.
FRENCH_FAVOURITES = {"motdepasse", "azertyuiop", "bonjour", "soleil", "doudou", "marseille",
                     "chouchou"}
TRAILING_DIGITS_AND_SIGNS = re.compile(r"[\d\W_]+$")
WORD = re.compile(r"[^\W\d_]{3,}")

# zxcvbn's advice, in French (its English sentences are the keys).
FEW_WORDS = "Use a few words, avoid common phrases."
ADVICE = {
    FEW_WORDS:
        _l("Assemblez plusieurs mots, en évitant les expressions courantes."),
    "Add another word or two. Uncommon words are better.":
        _l("Ajoutez un ou deux mots, de préférence peu courants."),
    "Straight rows of keys are easy to guess.":
        _l("Les rangées de touches du clavier se devinent facilement."),
    "Short keyboard patterns are easy to guess.":
        _l("Les motifs de clavier courts se devinent facilement."),
    "Use a longer keyboard pattern with more turns.":
        _l("Évitez les suites de touches voisines du clavier."),
    'Repeats like "aaa" are easy to guess.':
        _l("Les répétitions comme « aaa » se devinent facilement."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        _l("Les répétitions comme « abcabcabc » ne sont guère plus sûres que « abc »."),
    "Avoid repeated words and characters.":
        _l("Évitez les mots et les caractères répétés."),
    'Sequences like "abc" or "6543" are easy to guess.':
        _l("Les suites comme « abc » ou « 6543 » se devinent facilement."),
    "Avoid sequences.": _l("Évitez les suites."),
    "Recent years are easy to guess.": _l("Les années récentes se devinent facilement."),
    "Avoid recent years.": _l("Évitez les années récentes."),
    "Avoid years that are associated with you.":
        _l("Évitez les années qui vous sont liées."),
    "Dates are often easy to guess.": _l("Les dates se devinent souvent facilement."),
    "Avoid dates and years that are associated with you.":
        _l("Évitez les dates et les années qui vous sont liées."),
    "This is a top-10 common password.":
        _l("C'est l'un des dix mots de passe les plus utilisés."),
    "This is a top-100 common password.":
        _l("C'est l'un des cent mots de passe les plus utilisés."),
    "This is a very common password.": _l("C'est un mot de passe très courant."),
    "This is similar to a commonly used password.":
        _l("Il ressemble à un mot de passe très utilisé."),
    "A word by itself is easy to guess.": _l("Un mot seul se devine facilement."),
    "Names and surnames by themselves are easy to guess.":
        _l("Un prénom ou un nom seul se devine facilement."),
    "Common names and surnames are easy to guess.":
        _l("Les prénoms et noms courants se devinent facilement."),
    "Capitalization doesn't help very much.":
        _l("Une majuscule n'ajoute presque rien."),
    "All-uppercase is almost as easy to guess as all-lowercase.":
        _l("Tout en majuscules se devine presque aussi vite que tout en minuscules."),
    "Reversed words aren't much harder to guess.":
        _l("Un mot écrit à l'envers ne se devine guère moins vite."),
    "Predictable substitutions like '@' instead of 'a' don't help very much.":
        _l("Les substitutions attendues (« @ » pour « a »…) n'ajoutent presque rien."),
}


def _folded(text: str) -> str:
    """Lower case without accents: « Besançon » and « besancon » are the same guess."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def known_words(*texts: str | None) -> list[str]:
    """What an attacker knows of the person: each text (address, names, territories) whole
    and word by word (``chef@charenton.fr`` gives ``chef``, ``charenton``, ``fr``…)."""
    words: list[str] = []
    for text in filter(None, texts):
        folded = _folded(text)
        for word in (folded, folded.split("@")[0], *WORD.findall(folded)):
            if word and word not in words:
                words.append(word)
    return words


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | FRENCH_FAVOURITES


def _is_common(password: str) -> bool:
    lowered = _folded(password)
    base = TRAILING_DIGITS_AND_SIGNS.sub("", lowered)
    common = _common_passwords()
    return lowered in common or base in common or len(set(lowered)) <= 3


def _is_a_known_word_and_digits(password: str, words: list[str]) -> bool:
    """« Charenton2026… », « Besançon-2026 » : a name of the person or the territory
    followed by a year or signs, which zxcvbn alone may rate well."""
    base = TRAILING_DIGITS_AND_SIGNS.sub("", _folded(password))
    squeezed = re.sub(r"[\W_]+", "", base)
    return any(len(word) >= 4 and word in (base, squeezed) for word in words)


def _advice(feedback: dict) -> str:
    sentences = [feedback.get("warning") or "", *feedback.get("suggestions", ())]
    return " ".join(str(ADVICE[s]) for s in sentences if s in ADVICE)


def password_problem(password: str, user_inputs: tuple[str, ...] | list[str] = ()) -> str | None:
    """Why this password is refused, in French, or None when it is acceptable.
    ``user_inputs``: what the person's password must not lean on (``known_words``)."""
    if len(password) < MIN_LENGTH:
        return _("Le mot de passe doit contenir au moins %(n)d caractères.", n=MIN_LENGTH)
    words = known_words(*user_inputs)
    if _is_common(password):
        return _("Ce mot de passe est trop courant : choisissez-en un autre.")
    if _is_a_known_word_and_digits(password, words):
        return _("Le mot de passe ne doit pas reprendre votre nom, votre adresse ou le nom "
                 "de votre territoire, même suivi de chiffres : assemblez plusieurs mots "
                 "sans rapport avec vous.")
    from zxcvbn import zxcvbn

    estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=words)
    if estimate["score"] < MIN_SCORE:
        advice = _advice(estimate["feedback"]) or str(ADVICE[FEW_WORDS])
        return _("Ce mot de passe se devine trop facilement. %(advice)s", advice=advice)
    return None


class StrongPassword:
    """WTForms validator applying ``password_problem`` with what the form knows of the
    person (its ``email`` and ``display_name`` fields) and what the view gives in
    ``form.password_inputs`` (the account's address and names, its territories)."""

    def __call__(self, form, field):
        inputs = [form.data.get("email"), form.data.get("display_name"),
                  *getattr(form, "password_inputs", ())]
        problem = password_problem(field.data or "", [text for text in inputs if text])
        if problem:
            raise ValidationError(problem)
