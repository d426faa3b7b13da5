"""Import of organisations and contacts from CSV or XLSX, all or nothing.

A file is read into plain rows, every row is checked (errors name the line and the
column, in French), and only a file without any error can be applied.
"""
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from extensions import db
from territorial.actors.models import ORGANISATION_KINDS, Organisation, Person
from territorial.common.errors import DomainError
from territorial.common.spreadsheets import TableLimits, read_table_rows
from territorial.common.validation import web_address

# Column of the file (as people write it) → field of the row.
COLUMNS = {
    "organisation": "organisation",
    "nom de l'organisation": "organisation",
    "type": "kind",
    "type d'acteur": "kind",
    "secteur": "sector",
    "commune": "commune",
    "courriel organisation": "org_email",
    "telephone organisation": "org_phone",
    "site web": "website",
    "prenom": "first_name",
    "nom": "last_name",
    "fonction": "function",
    "courriel": "email",
    "telephone": "phone",
}
EXPORT_HEADERS = [
    "Organisation", "Type", "Secteur", "Commune", "Courriel organisation",
    "Téléphone organisation", "Site web", "Prénom", "Nom", "Fonction", "Courriel", "Téléphone",
]
MAX_ROWS = 5000
LIMITS = {  # field → (column named in errors, longest text accepted)
    "organisation": ("Organisation", 200), "sector": ("Secteur", 120),
    "commune": ("Commune", 120), "first_name": ("Prénom", 120), "last_name": ("Nom", 120),
    "function": ("Fonction", 200), "website": ("Site web", 300),
}


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportCheck:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_organisations: int = 0
    new_people: int = 0


def _key(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().replace("’", "'").split())


def _kind_by_text() -> dict[str, str]:
    mapping = {_key(key): key for key in ORGANISATION_KINDS}
    mapping.update({_key(str(label)): key for key, label in ORGANISATION_KINDS.items()})
    return mapping


# Reading --------------------------------------------------------------------

def read_table(filename: str, content: bytes) -> list[dict]:
    """Rows of the file as dicts of known fields, each with its ``line`` number."""
    table = read_table_rows(filename, content, TableLimits(max_rows=MAX_ROWS))
    if not table:
        raise DomainError(_("Le fichier est vide."))
    header, *body = table
    fields = [COLUMNS.get(_key(cell or "")) for cell in header]
    if "organisation" not in fields:
        raise DomainError(
            _("La première ligne doit nommer les colonnes, dont « Organisation ».")
        )
    rows = []
    for number, cells in enumerate(body, start=2):
        row = {"line": number}
        for name, cell in zip(fields, cells):
            if name:
                row[name] = "" if cell is None else str(cell).strip()
        if any(value for key, value in row.items() if key != "line"):
            rows.append(row)
    return rows


# Checking -------------------------------------------------------------------

def check_rows(rows: list[dict], territory_id: int) -> ImportCheck:
    check = ImportCheck()
    kinds = _kind_by_text()
    existing = _existing_organisations(territory_id)
    new_names: set[str] = set()
    for row in rows:
        clean = _check_row(row, kinds, check.errors)
        check.rows.append(clean)
        name_key = _key(clean["organisation"])
        if name_key and name_key not in existing and name_key not in new_names:
            new_names.add(name_key)
        if clean.get("last_name"):
            check.new_people += 1
    check.new_organisations = len(new_names)
    return check


def _check_row(row: dict, kinds: dict[str, str], errors: list[RowError]) -> dict:
    line = row["line"]
    clean = {key: row.get(key, "") for key in set(COLUMNS.values())} | {"line": line}

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    if not clean["organisation"]:
        fail("Organisation", _("Le nom de l'organisation est obligatoire."))
    kind_text = clean["kind"]
    clean["kind"] = kinds.get(_key(kind_text), "") if kind_text else "autre"
    if not clean["kind"]:
        allowed = ", ".join(str(label) for label in ORGANISATION_KINDS.values())
        fail("Type", _("Type « %(value)s » inconnu. Types possibles : %(allowed)s.",
                       value=kind_text, allowed=allowed))
    for column, key in (("Courriel organisation", "org_email"), ("Courriel", "email")):
        if clean[key]:
            try:
                clean[key] = validate_email(clean[key], check_deliverability=False).normalized
            except EmailNotValidError:
                fail(column, _("Adresse électronique invalide : « %(value)s ».", value=clean[key]))
    if clean["website"]:
        try:
            clean["website"] = web_address(clean["website"])
        except DomainError as error:
            fail("Site web", str(error))
    if (clean["first_name"] or clean["email"] or clean["function"]) and not clean["last_name"]:
        fail("Nom", _("Le nom de la personne est obligatoire quand un contact est donné."))
    for key, (column, limit) in LIMITS.items():
        if len(clean[key]) > limit:
            fail(column, _("Texte trop long (%(n)d caractères au plus).", n=limit))
    return clean


def _existing_organisations(territory_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.territory_id == territory_id)
    )
    return {_key(name): org_id for org_id, name in rows}


# Applying -------------------------------------------------------------------

def apply_rows(rows: list[dict], territory_id: int) -> tuple[int, int]:
    """Create the organisations and people of checked rows; returns the counts created."""
    organisations = _existing_organisations(territory_id)
    created_orgs = created_people = 0
    for row in rows:
        name_key = _key(row["organisation"])
        if name_key not in organisations:
            organisation = Organisation(
                territory_id=territory_id,
                name=row["organisation"],
                kind=row["kind"],
                sector=row["sector"],
                commune=row["commune"],
                email=row["org_email"],
                phone=row["org_phone"],
                website=row["website"],
            )
            db.session.add(organisation)
            db.session.flush()
            organisations[name_key] = organisation.id
            created_orgs += 1
        if row["last_name"] and not _person_exists(territory_id, organisations[name_key], row):
            db.session.add(Person(
                territory_id=territory_id,
                organisation_id=organisations[name_key],
                first_name=row["first_name"],
                last_name=row["last_name"],
                function=row["function"],
                email=row["email"],
                phone=row["phone"],
            ))
            created_people += 1
    db.session.flush()
    return created_orgs, created_people


def _person_exists(territory_id: int, organisation_id: int, row: dict) -> bool:
    return db.session.scalar(
        select(func.count()).where(
            Person.territory_id == territory_id,
            Person.organisation_id == organisation_id,
            func.lower(Person.last_name) == row["last_name"].lower(),
            func.lower(Person.first_name) == row["first_name"].lower(),
        )
    ) > 0


def export_rows(organisations: list[Organisation]):
    """Rows in the import's format, one per contact (or one for an organisation alone)."""
    for org in organisations:
        base = [org.name, str(org.kind_label), org.sector, org.commune, org.email, org.phone,
                org.website]
        people = [p for p in org.people if p.archived_at is None]
        if not people:
            yield base + [""] * 5
        for person in people:
            yield base + [person.first_name, person.last_name, person.function, person.email,
                          person.phone]
