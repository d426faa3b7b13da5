"""Exports of conventions: XLSX (a summary sheet and one sheet per convention) and
Word (the dashboard and the notes of the yearly dialogue, for the annual report).

Pure functions of data already loaded (``rules.Dashboard``, ``rules.Summary``, notes):
nothing here queries the database. Word rows are appended with
``table.add_row().cells`` so that the time grows linearly with the dashboard's size.
"""
from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from territorial.common.downloads import neutralise
from territorial.documents.formats import money, number  # noqa: F401
from territorial.conventions.rules import Cell, Dashboard, Summary

HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
BOLD = Font(bold=True)
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


def validation_text(cell: Cell) -> str:
    if cell.measure is None:
        return ""
    return _("validée") if cell.measure.validated_at else _("à valider")


def baseline_text(indicator) -> str:
    if indicator.baseline is None:
        return ""
    text = f"{number(indicator.baseline)} {indicator.unit}".strip()
    return f"{text} ({indicator.baseline_year})" if indicator.baseline_year else text


def kind_text(indicator) -> str:
    return _("Quantitatif") if indicator.kind == "quantitative" else _("Qualitatif")


def dashboard_rows(dashboard: Dashboard) -> tuple[list[str], list[list[str]]]:
    """The dashboard as a flat table: one row per indicator, three columns per year
    (target, reached, situation)."""
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
                        kind_text(indicator), indicator.unit, baseline_text(indicator)]
                for cell in row.cells:
                    reached = reached_text(indicator, cell.measure)
                    if reached and cell.measure.validated_at is None:
                        reached = _("%(value)s (à valider)", value=reached)
                    line += [target_text(indicator, cell.target), reached, cell.label]
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
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    for row in rows:
        sheet.append([value if isinstance(value, (int, float, Decimal)) else neutralise(value)
                      for value in row])
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 22 if column > 3 else 34


def summary_rows(summaries: list[Summary]) -> tuple[list[str], list[list]]:
    headers = [_("Référence"), _("Convention"), _("Association"), _("Collectivité"),
               _("Période"), _("Statut"), _("Année suivie"), _("Objectifs"),
               _("Objectifs en bonne voie"), _("Objectifs en retard"), _("Valeurs à valider"),
               _("Montant total accordé (€)"), _("Dialogue à prévoir")]
    rows = []
    for s in summaries:
        c = s.convention
        rows.append([c.reference, c.title, c.association.name, c.authority.name, c.period_label,
                     c.status_label, s.follow_year, s.objectives, s.on_track, s.behind,
                     s.pending_values,
                     float(s.total_amount) if s.total_amount is not None else None,
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


# Word --------------------------------------------------------------------------------

def _table(document, headers: list[str], widths: list[float] | None = None):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    if widths:
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def build_convention_docx(dashboard: Dashboard, notes: dict[tuple[int, int], list],
                          summary: Summary | None = None,
                          meetings: list[tuple[str, list[str]]] = ()
                          ) -> BytesIO:
    """The convention's dashboard and its dialogue notes, for the annual report.

    The convention comes from ``operations.load_convention`` (funders, amounts, charter).

    ``notes`` maps (indicator id, year) to the notes of that year's dialogue;
    ``meetings`` lists (title, [lines]) of the convention's meetings, such as its yearly
    reviews (« Revue annuelle 2025 – 12 mars 2026 »).
    """
    convention = dashboard.convention
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    document.styles["Normal"].font.size = Pt(10)

    document.add_heading(f"{convention.reference} – {convention.title}", level=0)
    facts = [
        (_("Association"), convention.association.name),
        (_("Collectivité"), convention.authority.name),
        (_("Cofinanceurs"), ", ".join(f.organisation.name for f in convention.funders)),
        (_("Période"), convention.period_label),
        (_("Statut"), convention.status_label),
        (_("Date de signature"), format_date(convention.signed_on, "long")
         if convention.signed_on else ""),
        (_("Charte appliquée"), convention.charter.title if convention.charter else ""),
    ]
    for label, value in facts:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label} : ").bold = True
            paragraph.add_run(value)
    if convention.description:
        document.add_paragraph(convention.description)
    if summary is not None:
        document.add_paragraph(_(
            "En %(year)s : %(on_track)d objectif(s) sur %(total)d en bonne voie ou atteint(s), "
            "%(behind)d en retard.", year=summary.follow_year, on_track=summary.on_track,
            total=summary.objectives, behind=summary.behind))

    if convention.amounts:
        document.add_heading(_("Montants accordés"), level=1)
        table = _table(document, [_("Année"), _("Financeur"), _("Montant")])
        for amount in convention.amounts:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = (
                str(amount.year), amount.funder.name, money(amount.amount))

    document.add_heading(_("Tableau de bord pluriannuel"), level=1)
    document.add_paragraph(_(
        "Pour chaque année : la cible, la valeur atteinte et la situation (« Cible atteinte », "
        "« En bonne voie » à partir de 90 % du chemin, « En retard sur la cible » en dessous)."))
    if not dashboard.groups:
        document.add_paragraph(_("Aucun objectif n'est encore défini."))
    for group in dashboard.groups:
        document.add_heading(_("Priorité : %(title)s", title=group.priority.title), level=2)
        headers = [_("Objectif"), _("Indicateur")] + [str(year) for year in dashboard.years]
        table = _table(document, headers)
        for objective in group.objectives:
            if not objective.indicators:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = objective.objective.title, _("(aucun indicateur)")
            for row in objective.indicators:
                indicator = row.indicator
                cells = table.add_row().cells
                cells[0].text = objective.objective.title
                detail = kind_text(indicator)
                if indicator.unit:
                    detail += f" · {indicator.unit}"
                if indicator.baseline is not None:
                    detail += " · " + _("référence %(value)s", value=baseline_text(indicator))
                cells[1].text = f"{indicator.title}\n{detail}"
                for index, cell in enumerate(row.cells, start=2):
                    lines = [_("Cible : %(value)s", value=target_text(indicator, cell.target) or "—"),
                             _("Atteint : %(value)s", value=reached_text(indicator, cell.measure) or "—")]
                    if cell.measure is not None and cell.measure.validated_at is None:
                        lines[-1] += " " + _("(à valider)")
                    lines.append(cell.label)
                    cells[index].text = "\n".join(lines)

    document.add_heading(_("Dialogue annuel"), level=1)
    for title, lines in meetings:
        document.add_paragraph().add_run(title).bold = True
        for line in lines:
            document.add_paragraph(line, style="List Bullet")
    for year in dashboard.years:
        year_notes = [(objective, row) for objective, row in dashboard.indicator_rows()
                      if notes.get((row.indicator.id, year))]
        document.add_heading(_("Dialogue %(year)s", year=year), level=2)
        if not year_notes:
            document.add_paragraph(_("Pas de note de dialogue pour %(year)s.", year=year))
            continue
        for _objective, row in year_notes:
            paragraph = document.add_paragraph()
            paragraph.add_run(row.indicator.title).bold = True
            for note in notes[(row.indicator.id, year)]:
                item = document.add_paragraph(style="List Bullet")
                item.add_run(f"{note.party_label} : ").bold = True
                item.add_run(note.text)
    data = BytesIO()
    document.save(data)
    data.seek(0)
    return data
