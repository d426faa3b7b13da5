"""What input the platform accepts, said once: text without control characters (NUL
included: PostgreSQL cannot store it, terminals and spreadsheets run some of them) and web
addresses in http or https only. The base form applies both to every field; imports and
query parameters call the same functions."""
import re
from urllib.parse import urlsplit

from flask_babel import gettext as _
from wtforms.validators import ValidationError
from territorial.common.errors import DomainError

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; the bidirectional
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a text show
# in another order than it is stored (« Trojan Source », a file name ending in « gpj.exe »).
CONTROL_CHARACTER_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL_CHARACTERS = re.compile(f"[{CONTROL_CHARACTER_CLASS}]")
# Invisible characters that a one-line text (a name, a title, an address) has no use for:
# zero-width space, non-joiner and joiner, left-to-right and right-to-left marks, word
# joiner, the Arabic letter mark, the byte-order mark. Longer texts keep them (an emoji
# family is joined by U+200D).
INVISIBLE_CHARACTERS = re.compile("[\u200b-\u200f\u2060\u061c\ufeff]")
WITHOUT_CONTROL_CHARACTERS = f"^[^{CONTROL_CHARACTER_CLASS}]*$"  # for JSON Schema / OpenAPI
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HOST_NAME = re.compile(r"[\w.-]+")  # letters of any language (IDN), digits, dots, hyphens
IPV6 = re.compile(r"[0-9a-f:.]+")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def has_invisible_characters(text: str) -> bool:
    return INVISIBLE_CHARACTERS.search(text) is not None


def invisible_characters_message() -> str:
    return _("Ce texte contient un caractère invisible (espace sans largeur, liant, marque de "
             "sens d'écriture…), souvent laissé par un copier-coller : retirez-le.")


def visible_text(text: str) -> str:
    """``text`` as it can be shown: without control or direction characters."""
    return CONTROL_CHARACTERS.sub("", text)


def control_characters_message() -> str:
    return _("Ce texte contient un caractère de contrôle invisible (souvent laissé par un "
             "copier-coller) : retirez-le.")


def web_address(text: str) -> str:
    """The address to store for ``text`` (``www.exemple.fr`` becomes
    ``https://www.exemple.fr``), or ``DomainError`` for anything but an http or https
    address of a host: no ``javascript:``, ``data:``, ``//host`` or control character."""
    text = (text or "").strip()
    address = text if SCHEME.match(text) else f"https://{text}"
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https")
            or not _is_host(parts.hostname) or "@" in parts.netloc
            or any(character.isspace() for character in address)
            or has_control_characters(address)):
        raise DomainError(_("Adresse web invalide : indiquez une adresse qui commence par "
                             "https:// (ou http://), par exemple https://www.exemple.fr."))
    return address


def _is_host(host: str | None) -> bool:
    return bool(host) and (HOST_NAME.fullmatch(host) is not None
                           or (":" in host and IPV6.fullmatch(host) is not None))


def is_web_address(text: str | None) -> bool:
    """For templates: show a stored address as a link only when it is a web address."""
    try:
        return bool(text) and web_address(text) == text
    except DomainError:
        return False


class WebAddress:
    """WTForms validator: an http(s) address, stored in the form ``web_address`` gives."""

    def __call__(self, form, field):
        if field.data:
            try:
                field.data = web_address(field.data)
            except DomainError as error:
                raise ValidationError(str(error)) from None
