"""Small text helpers."""
import re
import unicodedata
from functools import lru_cache, wraps

from flask_babel import get_locale
from markupsafe import Markup, escape


def slugify(text: str, max_length: int = 80) -> str:
    """« Charenton-Saint-Maurice » → ``charenton-saint-maurice``; a long text is cut
    between two words, never inside one."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length + 1] else ""
        slug = cut or slug[:max_length]
    return slug.strip("-") or "territoire"


def fold(text) -> str:
    """The words of ``text`` without accents, case or punctuation, for comparing what people
    write: « Nom de l'Organisation : » and ``nom de l organisation`` are the same."""
    ascii_text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def html_text(value) -> str:
    """``value`` escaped for HTML as a plain ``str``, for the rows a page writes in Python
    (a ``Markup`` costs twice as much in an f-string)."""
    return str(escape(value))


def per_language(texts):
    """``texts(*args)``, a function returning translated texts, run once per process,
    language and arguments instead of at each page (a message costs ~9 µs to translate).
    Its answer is shared: read it, never change it."""
    known = lru_cache(maxsize=64)(lambda language, *args: texts(*args))

    @wraps(texts)
    def in_language(*args):
        return known(str(get_locale()), *args)

    return in_language


# The first letters before which French elides « de »: the vowels, accented or not, and h
# (mute in most names: « d'Hélène »; an aspirated one, « de Hugo », is the accepted exception).
# Y is left out: it sounds as a consonant in most names (« de Yannick »).
_ELIDING = frozenset("aàâäeéèêëiîïoôöuùûüœæh")


def elides(word) -> bool:
    """Does French write « d' » rather than « de » before ``word``?"""
    text = str(word or "").lstrip()
    return bool(text) and text[0].lower() in _ELIDING


def elide(text, *names):
    """``text``, a translated message composing « de » with each of ``names``, with « de »
    elided where French writes it: « Rôle de Anne » → « Rôle d'Anne », « la note de
    Association » → « la note d'Association ». Only in French (any other language's text
    comes back as it is); only before the names, never inside them. A ``Markup`` text
    (a template's message, its names escaped) stays one."""
    locale = get_locale()
    if locale is not None and locale.language != "fr":
        return text
    markup = isinstance(text, Markup)
    result = str(text)
    for name in names:
        if elides(name):
            written = str(escape(name)) if markup else str(name)
            result = re.sub(rf"\b([dD])e {re.escape(written)}",
                            lambda found: f"{found[1]}'{written}", result)
    return Markup(result) if markup else result
