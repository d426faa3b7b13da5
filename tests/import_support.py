"""Files as people have them, made here, and the steps of an import through the pages."""
import io
import re

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage, MultiDict
from sqlalchemy import func, select
from werkzeug.test import encode_multipart

from extensions import db


@pytest.fixture
def coordinator(factory, territory, login):
    """A coordinator of the territory, signed in on ``client``."""
    user = factory.user(territory, role="coordinator")
    login(user)
    return user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ods(rows, repeated_row=None, repeat=1) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes it, with (optionally) a row
    « repeated » ``repeat`` times after the data; a cell ``(value, n)`` is « repeated » across
    n columns."""
    document = OpenDocumentSpreadsheet()
    table = Table(name="Feuille1")
    for cells in [*rows, *([repeated_row] if repeated_row else [])]:
        row = TableRow(numberrowsrepeated=repeat) if cells is repeated_row else TableRow()
        for value in cells:
            value, columns = value if isinstance(value, tuple) else (value, 1)
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value, numbercolumnsrepeated=columns)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string", numbercolumnsrepeated=columns)
                cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, territory, filename: str, content: bytes, target="organisations"):
    """The upload's answer, the mapping page followed when the file was read."""
    boundary, body = encode_multipart(MultiDict(
        {"file": FileStorage(io.BytesIO(content), filename)}))
    return client.post(f"/t/{territory.slug}/{target}/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}",
                       follow_redirects=True)


def form_values(page: str) -> dict:
    """The values the mapping page's form would send as it is (selected options, checked
    radios, hidden inputs)."""
    form = _mapping_form(page)
    values = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    for name, options in re.findall(r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>',
                                    form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        values[name] = chosen.group(1) if chosen else ""
    for name, value in re.findall(
            r'<input type="radio" name="([^"]+)" value="([^"]+)" checked', form):
        values[name] = value
    return values


def _mapping_form(page: str) -> str:
    return re.search(r'<form method="post" action="[^"]*/import/\d+">.*?</form>', page,
                     re.S).group(0)


def action_url(page: str) -> str:
    return re.search(r'<form method="post" action="([^"]*/import/\d+)">', page).group(1)


def submit(client, page: str, action="preview", **changes):
    """Send the mapping page's form with ``changes`` (``column_0="kind"``…)."""
    values = form_values(page) | {key.replace("_", "-", 1) if key.startswith(
        ("column_", "existing_")) else key: value for key, value in changes.items()}
    values["action"] = action
    return client.post(action_url(page), data=values, follow_redirects=True)


def xls(rows) -> bytes:
    """An Excel 97–2003 workbook, as older offices still send them."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Feuille1")
    for line, cells in enumerate(rows):
        for column, value in enumerate(cells):
            sheet.write(line, column, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
