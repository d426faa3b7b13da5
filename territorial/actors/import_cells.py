"""One cell of an import, as the platform keeps it: a postal code with its leading zero, an
INSEE code, an email address, a phone read as a number, a web address, a contact's name cut
into first and last name. A cell that cannot be kept raises ``DomainError``."""
import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from territorial.common.errors import DomainError
from territorial.common.text import fold
from territorial.common.validation import web_address

CIVILITIES = {"m", "mme", "mr", "mlle", "madame", "monsieur", "mademoiselle", "dr", "me"}


def clean_cell(name: str, cell: str, kinds: dict):
    if name == "kind":
        return kinds.get(fold(cell)) or ""
    if name == "postal_code":
        digits = cell.replace(" ", "")
        if digits.isdigit() and len(digits) == 4:  # a spreadsheet took the leading zero
            digits = "0" + digits
        if not re.fullmatch(r"\d{5}", digits):
            raise DomainError(_("Code postal « %(value)s » : cinq chiffres attendus.",
                                value=cell))
        return digits
    if name == "insee_code":
        code = cell.replace(" ", "").upper()
        code = "0" + code if code.isdigit() and len(code) == 4 else code
        if not re.fullmatch(r"\d{5}|2[AB]\d{3}", code):
            raise DomainError(_("Code INSEE « %(value)s » : cinq caractères attendus "
                                "(par exemple 94018 ou 2A004).", value=cell))
        return code
    if name in ("email", "org_email"):
        try:
            return validate_email(cell, check_deliverability=False).normalized
        except EmailNotValidError:
            raise DomainError(_("Adresse électronique invalide : « %(value)s ».",
                                value=cell)) from None
    if name in ("phone", "org_phone") and cell.isdigit() and len(cell) == 9:
        return "0" + cell  # a spreadsheet read 06… as a number
    if name == "website":
        return web_address(cell)
    if name == "contact":
        return split_name(cell)
    return cell


def split_name(text: str) -> dict:
    """« Mme Nadia HADDAD », « HADDAD Nadia », « Nadia Haddad » → first and last name: a word
    in capitals is the family name (as directories write it), else the last word is."""
    words = [word for word in text.replace(",", " ").split()]
    while len(words) > 1 and fold(words[0]) in CIVILITIES:
        words.pop(0)
    if len(words) < 2:
        return {"first_name": "", "last_name": " ".join(words)}
    capitals = [word for word in words if word.isupper() and len(word) > 1]
    if capitals and len(capitals) < len(words):
        return {"first_name": " ".join(w for w in words if w not in capitals),
                "last_name": " ".join(capitals)}
    return {"first_name": " ".join(words[:-1]), "last_name": words[-1]}
