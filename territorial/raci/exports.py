"""RACI exports: the grid's rows, and the XLSX file (the document is in ``documents``)."""
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from territorial.common.downloads import neutralise
from territorial.raci.models import LETTERS, RaciGrid
from territorial.raci.operations import cell_map, report_for
from territorial.raci.rules import LETTER_ORDER


def raci_rows(grid: RaciGrid) -> tuple[list[str], list[list[str]]]:
    """Headers (« Activité », then each actor) and one row per activity."""
    cells = cell_map(grid)
    headers = [_("Activité")] + [actor.label for actor in grid.actors]
    rows = [
        [activity.label] + [cells.get((activity.id, actor.id), "") for actor in grid.actors]
        for activity in grid.activities
    ]
    return headers, rows


def count_rows(grid: RaciGrid, report) -> tuple[list[str], list[list]]:
    headers = [_("Acteur")] + list(LETTER_ORDER)
    rows = [[actor.label] + [report.per_actor[actor.id][letter] for letter in LETTER_ORDER]
            for actor in grid.actors]
    return headers, rows


def build_raci_xlsx(grid: RaciGrid) -> BytesIO:
    report = report_for(grid)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "RACI"
    headers, rows = raci_rows(grid)
    sheet.append([neutralise(grid.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([neutralise(h) for h in headers])
    header_row = sheet.max_row
    bold = Font(bold=True)
    fills = {"R": "DCEBFA", "A": "FFE7C2", "A/R": "F5D6A8", "C": "E5F4E3", "I": "EEEEEE"}
    for cell in sheet[header_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([neutralise(value) for value in row])
        for cell in sheet[sheet.max_row][1:]:
            cell.alignment = Alignment(horizontal="center")
            if cell.value in fills:
                cell.fill = PatternFill("solid", fgColor=fills[cell.value])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.column_dimensions["A"].width = 45
    for index in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16

    counts = workbook.create_sheet(_("Comptes"))
    count_headers, count_values = count_rows(grid, report)
    counts.append(count_headers)
    for cell in counts[1]:
        cell.font = bold
    for row in count_values:
        counts.append([neutralise(row[0]), *row[1:]])
    counts.append([_("Total"), *[report.per_letter[letter] for letter in LETTER_ORDER]])
    counts.column_dimensions["A"].width = 45

    checks = workbook.create_sheet(_("Contrôles"))
    checks.append([_("Points à corriger")])
    checks["A1"].font = bold
    for problem in report.problems:
        checks.append([neutralise(problem.message)])
    if report.empty:
        checks.append([_("La grille est vide : aucun rôle n'est encore attribué.")])
    if report.ok:
        checks.append([_("La grille respecte toutes les règles.")])
    checks.append([])
    checks.append([_("Légende")])
    for letter, meaning in LETTERS.items():
        checks.append([f"{letter} : {meaning}"])
    checks.column_dimensions["A"].width = 110

    data = BytesIO()
    workbook.save(data)
    data.seek(0)
    return data
