"""Exports of conventions: XLSX (a summary sheet and one sheet per convention), and the
texts the documents share (``documents``: the dashboard and the yearly dialogue).

Pure functions of data already loaded (``rules.Dashboard``, ``rules.Summary``, notes):
nothing here queries the database.
"""
from __future__ import annotations

import re
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from territorial.common import workbooks
from territorial.common.downloads import neutralise
from territorial.documents.formats import number
from territorial.conventions.rules import Dashboard, Summary

WRAP = Alignment(wrap_text=True, vertical="top")


def target_text(indicator, target) -> str:
    if target is None:
        return ""
    if indicator.kind == "quantitative":
        return f"{number(target.value)} {indicator.unit}".strip() if target.value is not None else ""
    return target.statement or ""


def reached_text(indicator, measure) -> str:
    if measure is None:
        return ""
    if indicator.kind == "quantitative":
        return f"{number(measure.value)} {indicator.unit}".strip() if measure.value is not None else ""
    return measure.text_value or ""


def baseline_text(indicator) -> str:
    if indicator.baseline is None:
        return ""
    text = f"{number(indicator.baseline)} {indicator.unit}".strip()
    return f"{text} ({indicator.baseline_year})" if indicator.baseline_year else text


def kind_text(indicator) -> str:
    return _("Quantitatif") if indicator.kind == "quantitative" else _("Qualitatif")


def dashboard_rows(dashboard: Dashboard) -> tuple[list[str], list[list]]:
    """The dashboard as a flat table for a spreadsheet: one row per indicator, three
    columns per year (target, reached, situation); numbers as ``(value, format)`` cells
    (``territorial.common.workbooks``); a value still to validate says so in its situation."""
    headers = [_("Priorité"), _("Objectif"), _("Indicateur"), _("Nature"), _("Unité"),
               _("Référence")]
    for year in dashboard.years:
        headers += [_("Cible %(year)s", year=year), _("Atteint %(year)s", year=year),
                    _("Situation %(year)s", year=year)]
    rows = []
    for group in dashboard.groups:
        for objective in group.objectives:
            if not objective.indicators:
                rows.append([group.priority.title, objective.objective.title,
                             _("(aucun indicateur)"), "", "", ""] + [""] * 3 * len(dashboard.years))
            for row in objective.indicators:
                indicator = row.indicator
                line = [group.priority.title, objective.objective.title, indicator.title,
                        kind_text(indicator), indicator.unit,
                        workbooks.number_cell(indicator.baseline, indicator.unit)]
                for cell in row.cells:
                    pending = cell.measure is not None and cell.measure.validated_at is None
                    line += [workbooks.indicator_figure(indicator, cell.target),
                             workbooks.indicator_figure(indicator, cell.measure),
                             _("%(status)s (valeur à valider)", status=cell.label)
                             if pending else cell.label]
                rows.append(line)
    return headers, rows


# XLSX --------------------------------------------------------------------------------

def _sheet_title(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "-", text).strip() or _("Convention")
    base = base[:31]
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


def _write_table(sheet, first_row: int, headers: list[str], rows: list[list]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=first_row, column=column, value=header)
        cell.font, cell.fill, cell.alignment = workbooks.HEADER_FONT, workbooks.HEADER_FILL, WRAP
    for row in rows:
        workbooks.append_row(sheet, row)
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 22 if column > 3 else 34


def summary_rows(summaries: list[Summary]) -> tuple[list[str], list[list]]:
    headers = [_("Référence"), _("Convention"), _("Association"), _("Collectivité"),
               _("Période"), _("Statut"), _("Année suivie"), _("Objectifs"),
               _("Objectifs en bonne voie"), _("Objectifs en retard"), _("Valeurs à valider"),
               _("Montant total accordé"), _("Dialogue à prévoir")]
    rows = []
    for s in summaries:
        c = s.convention
        rows.append([c.reference, c.title, c.association.name, c.authority.name, c.period_label,
                     c.status_label, (s.follow_year, "0"), s.objectives, s.on_track, s.behind,
                     s.pending_values, (s.total_amount, workbooks.AMOUNT),
                     "; ".join(s.reasons) if s.reasons else _("Non")])
    return headers, rows


def build_conventions_xlsx(summaries: list[Summary], dashboards: list[Dashboard]) -> BytesIO:
    """A « Synthèse » sheet (one row per convention), then one sheet per convention."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Synthèse")
    taken = {summary.title.casefold()}
    headers, rows = summary_rows(summaries)
    _write_table(summary, 1, headers, rows)
    summary.freeze_panes = "A2"
    for dashboard in dashboards:
        convention = dashboard.convention
        sheet = workbook.create_sheet(_sheet_title(convention.reference, taken))
        sheet.append([neutralise(f"{convention.reference} – {convention.title}")])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_("Association"), neutralise(convention.association.name)])
        sheet.append([_("Collectivité"), neutralise(convention.authority.name)])
        sheet.append([_("Période"), convention.period_label])
        sheet.append([_("Statut"), convention.status_label])
        sheet.append([])
        headers, rows = dashboard_rows(dashboard)
        _write_table(sheet, 7, headers, rows)
        sheet.freeze_panes = "D8"
    data = BytesIO()
    workbook.save(data)
    data.seek(0)
    return data
