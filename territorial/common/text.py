"""Small text helpers."""
import re
import unicodedata
from functools import lru_cache, wraps

from flask_babel import get_locale
from markupsafe import escape


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
