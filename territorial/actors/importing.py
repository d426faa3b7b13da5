"""Import of organisations and people from the table people have, all or nothing.

The file is read (``read_upload``: any usual CSV, .xlsx, .ods, .xls; the header found under
title rows), each column is given a field (``mapping``: proposed, then the user's choices,
remembered for the next file with the same headers), then ``import_plan`` says in words
what will be done before anything is written. The template to fill and the export share
the import's columns.
"""
import io
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook

from territorial.actors import mapping
from territorial.actors.models import Organisation, Person
from territorial.common.downloads import FORMULA_PREFIXES
from territorial.common.errors import DomainError
from territorial.common.spreadsheets import TableLimits, read_table_rows
from territorial.common.text import fold
from territorial.common.validation import visible_text

MAX_ROWS = 5000


# Reading --------------------------------------------------------------------------------

def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and \
            value[1:2] in FORMULA_PREFIXES:
        return value[1:].strip()  # neutralised by an export (« '+33 6… »): read back as it was
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read_upload(filename: str, content: bytes) -> tuple[list[str], list[dict]]:
    """The header of the file and its rows below (``{"line": n, "cells": [...]}``)."""
    table = read_table_rows(filename, content, TableLimits(max_rows=MAX_ROWS))
    table = [[cell_text(cell) for cell in cells] for cells in table]
    if not any(any(cells) for cells in table):
        raise DomainError(_("Le fichier est vide."))
    start = mapping.find_header(table)
    width = max(len(cells) for cells in table)
    header = [visible_text(cell) for cell in table[start]] + [""] * (width - len(table[start]))
    rows = [{"line": number, "cells": cells + [""] * (width - len(cells))}
            for number, cells in enumerate(table[start + 1:], start=start + 2) if any(cells)]
    if not rows:
        raise DomainError(_("Le fichier n'a aucune ligne sous la ligne des en-têtes."))
    return header, rows


def first_choices(header: list[str], rows: list[dict], remembered: dict | None,
                  target: str = "organisations") -> dict:
    """The choices the mapping page starts from: those confirmed for the same headers, or
    the proposal."""
    columns = mapping.propose_columns(header, people=target != "organisations")
    choices = {"columns": columns, "kinds": {}, "existing": {}}
    if remembered and len(remembered.get("columns", [])) == len(header):
        choices["columns"] = list(remembered["columns"])
    return _with_kinds(choices, rows, (remembered or {}).get("kinds", {}))


def changed_choices(old: dict, submitted: dict, rows: list[dict]) -> dict:
    """The choices after the user's changes (the values of a type column chosen just now
    get a proposal)."""
    choices = {"columns": submitted["columns"],
               "kinds": old.get("kinds", {}) | submitted["kinds"],
               "existing": old.get("existing", {}) | submitted["existing"]}
    return _with_kinds(choices, rows, {})


def _with_kinds(choices: dict, rows: list[dict], known: dict) -> dict:
    if "kind" in choices["columns"]:
        column = choices["columns"].index("kind")
        for row in rows:
            key = fold(row["cells"][column])
            if key not in choices["kinds"]:
                choices["kinds"][key] = known.get(key) or mapping.propose_kind(key)
    elif "" not in choices["kinds"] and "" in known:
        choices["kinds"][""] = known[""]
    return choices


# Template and export --------------------------------------------------------------------

TEMPLATE_HEADERS = [
    "Organisation", "Type", "Secteur", "Adresse", "Code postal", "Commune", "Code INSEE",
    "Courriel organisation", "Téléphone organisation", "Site web", "Prénom", "Nom",
    "Fonction", "Courriel", "Téléphone",
]
# People alone (and the members of a working group): one line per person.
PEOPLE_HEADERS = ["Prénom", "Nom", "Fonction", "Courriel", "Téléphone", "Organisation",
                  "Type d'organisation"]
EXAMPLE = {"Organisation": "Mission locale des Bords de Marne", "Type": "Association",
           "Type d'organisation": "Association", "Secteur": "Insertion",
           "Adresse": "12 rue de Paris", "Code postal": "94220", "Commune": "Charenton-le-Pont",
           "Code INSEE": "94018", "Courriel organisation": "contact@mission-locale.example",
           "Téléphone organisation": "01 43 00 00 00",
           "Site web": "https://mission-locale.example", "Prénom": "Nadia", "Nom": "Haddad",
           "Fonction": "Directrice", "Courriel": "nadia.haddad@mission-locale.example",
           "Téléphone": "06 12 34 56 78"}


def headers_of(target: str) -> list[str]:
    """The columns of the template (and of the export) of an import's target."""
    return TEMPLATE_HEADERS if target == "organisations" else PEOPLE_HEADERS


def template_workbook(headers: list[str] = TEMPLATE_HEADERS):
    """The file to fill: the columns the import knows without asking, and an example."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Acteurs") if headers is TEMPLATE_HEADERS else _("Personnes")
    sheet.append(headers)
    sheet.append([EXAMPLE[header] for header in headers])
    data = io.BytesIO()
    workbook.save(data)
    return data


def export_rows(organisations: list[Organisation]):
    """Rows in the import's format, one per contact (or one for an organisation alone)."""
    for org in organisations:
        base = [org.name, org.kind_label, org.sector, org.address, org.postal_code, org.commune,
                org.insee_code, org.email, org.phone, org.website]
        people = [p for p in org.people if p.archived_at is None]
        if not people:
            yield base + [""] * 5
        for person in people:
            yield base + [person.first_name, person.last_name, person.function, person.email,
                          person.phone]


def people_export_rows(people: list[Person]):
    """Rows in the format of the people's import (``PEOPLE_HEADERS``)."""
    for person in people:
        org = person.organisation
        yield [person.first_name, person.last_name, person.function, person.email,
               person.phone, org.name if org else "", org.kind_label if org else ""]
