"""Texts and XLSX exports of action plans: pure functions of data already loaded.

The Word, OpenDocument and PDF plan is described in ``documents.py`` (one document tree,
the shared renderers); this module holds the texts both use (dates, porteur, status,
indicator targets) and the XLSX follow-up table.
"""
from datetime import date
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from facilitation.action_plans.reports import ActionRow, FollowUp, Scope
from territorial.common.downloads import neutralise
from territorial.documents.formats import number
from territorial.documents.naming import file_stem
from territorial.indicators import rules as indicator_rules


def indicator_text(indicator, year: int) -> str:
    """« Nombre d'inscrits : cible 2025 120 personnes, mesuré 96 (En retard sur la cible) »."""
    target = indicator.target_for(year)
    measure = indicator.latest_value(year)
    parts = [indicator.title]
    if indicator.kind == "quantitative":
        if target and target.value is not None:
            parts.append(_("cible %(year)s : %(value)s %(unit)s", year=year,
                           value=number(target.value), unit=indicator.unit))
        if measure and measure.value is not None:
            parts.append(_("mesuré : %(value)s", value=number(measure.value)))
    else:
        if target and target.statement:
            parts.append(_("cible %(year)s : %(statement)s", year=year, statement=target.statement))
        elif indicator.target_statement:
            parts.append(_("cible : %(statement)s", statement=indicator.target_statement))
        if measure and measure.text_value:
            parts.append(_("constaté : %(text)s", text=measure.text_value))
    code, label = indicator_rules.status_against_target(indicator, year)
    text = " — ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]
    return f"{text} ({label})" if code not in ("no_target",) else text


def owner_text(row: ActionRow) -> str:
    parts = [row.owner_name, row.contact_name]
    return " — ".join(part for part in parts if part) or _("À désigner")


def status_text(action) -> str:
    text = f"{action.status_label} ({action.progress}\u00a0%)"
    if action.status == "abandonnee" and action.abandon_reason:
        text += f" — {action.abandon_reason}"
    return text


def filename_stem(scope: Scope) -> str:
    """« plan-d-action-actions-transversales-agir-ensemble-… »: two plans of one
    experiment never share a name."""
    return file_stem(_("Plan d'action"), scope.title, scope.subtitle)


def docx_filename(scope: Scope) -> str:
    return f"{filename_stem(scope)}.docx"


# XLSX ------------------------------------------------------------------------------

def follow_up_headers(scope: Scope) -> list[str]:
    return [str(scope.group_label), _("Action"), _("Horizon"), _("Portée"), _("Porteur"),
            _("Contact"), _("Début"), _("Échéance"), _("Statut"), _("Avancement (%)"),
            _("En retard"), _("Budget (€)"), _("Financeurs"), _("RACI"), _("Indicateurs")]


def follow_up_rows(rows: list[ActionRow], today: date) -> list[list]:
    result = []
    for row in rows:
        action = row.action
        result.append([
            row.group.title, action.title, action.horizon_label, action.scope_label,
            row.owner_name, row.contact_name, action.start_date, action.due_date,
            action.status_label, action.progress,
            _("oui") if action.is_overdue(today) else _("non"),
            float(action.budget_amount) if action.budget_amount is not None else None,
            action.funders, row.raci,
            "\n".join(indicator_text(i, today.year) for i in row.indicators),
        ])
    return result


def build_follow_up_xlsx(scope: Scope, rows: list[ActionRow], follow: FollowUp,
                         today: date | None = None) -> BytesIO:
    """The follow-up table (one line per action), then the indicators off target."""
    today = today or date.today()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Suivi des actions")[:31]
    headers = follow_up_headers(scope)
    sheet.append(headers)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F0")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for values in follow_up_rows(rows, today):
        sheet.append([
            neutralise(value) if isinstance(value, str) else value for value in values
        ])
    for column in ("G", "H"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    for cell in sheet["L"][1:]:
        cell.number_format = '#,##0.00 "€"'
    widths = [22, 45, 14, 26, 26, 20, 12, 12, 12, 12, 10, 12, 22, 30, 50]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    alerts = workbook.create_sheet(_("Indicateurs à surveiller")[:31])
    alerts.append([str(scope.group_label), _("Action"), _("Indicateur"), _("Situation"),
                   _("Cible %(year)s", year=follow.year), _("Dernière mesure")])
    for cell in alerts[1]:
        cell.font, cell.fill = bold, fill
    for alert in follow.indicator_alerts:
        indicator = alert.indicator
        target = indicator.target_for(follow.year)
        measure = indicator.latest_value(follow.year)
        if indicator.kind == "quantitative":
            target_text = f"{number(target.value)} {indicator.unit}" if target and target.value is not None else ""
            measure_text = number(measure.value) if measure and measure.value is not None else ""
        else:
            target_text = (target.statement or "") if target else ""
            measure_text = measure.text_value if measure else ""
        alerts.append([neutralise(v) for v in (
            alert.row.group.title, alert.row.action.title, indicator.title, alert.label,
            target_text, measure_text,
        )])
    for index, width in enumerate([22, 45, 40, 24, 18, 18], start=1):
        alerts.column_dimensions[get_column_letter(index)].width = width
    data = BytesIO()
    workbook.save(data)
    data.seek(0)
    return data
