"""Texts and XLSX exports of action plans: pure functions of data already loaded.

The Word, OpenDocument and PDF plan is described in ``documents.py`` (one document tree,
the shared renderers); this module holds the texts both use (dates, porteur, status,
indicator targets) and the XLSX follow-up table.
"""
from datetime import date
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook

from facilitation.action_plans.reports import ActionRow, Scope
from facilitation.action_plans.key_figures import FollowUp
from territorial.common import workbooks
from territorial.documents.formats import number
from territorial.documents.naming import file_stem
from territorial.indicators.standing import standing
from territorial.common import dates


def target_value(indicator, target) -> str:
    """« 120 personnes » or the qualitative statement (empty without a target)."""
    if target is None:
        return ""
    if indicator.kind == "quantitative":
        return f"{number(target.value)} {indicator.unit}".strip() if target.value is not None \
            else ""
    return target.statement or ""


def indicator_text(indicator, years: list[int], today: date) -> str:
    """« Nombre d'inscrits — cible 2027 : 120 personnes, trajectoire 2027 : 120 · 2028 :
    150, mesuré 2027 : 96 (En retard sur la cible (2027)) »: the target of the year the
    plan concerns, the next one, the trajectory and the last measure against its year's."""
    seen = standing(indicator, today, years)
    parts = []
    if seen.target is not None:
        parts.append(_("cible %(year)s : %(value)s", year=seen.year,
                       value=target_value(indicator, seen.target)))
    if seen.shows_next:
        parts.append(_("prochaine cible %(year)s : %(value)s", year=seen.next_target.year,
                       value=target_value(indicator, seen.next_target)))
    if len(seen.trajectory) > 1:
        parts.append(_("trajectoire %(targets)s", targets=" · ".join(
            f"{t.year} : {target_value(indicator, t)}" for t in seen.trajectory)))
    if not seen.trajectory and indicator.target_statement:
        parts.append(_("cible : %(statement)s", statement=indicator.target_statement))
    if seen.measure is not None:
        shown = (number(seen.measure.value) if indicator.kind == "quantitative"
                 else seen.measure.text_value)
        parts.append(_("mesuré %(year)s : %(value)s", year=seen.measure.year, value=shown))
    text = " — ".join([indicator.title, ", ".join(parts)]) if parts else indicator.title
    return f"{text} ({seen.label})"


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


def follow_up_filename(scope: Scope) -> str:
    return f"{filename_stem(scope)}-suivi.xlsx"


# XLSX ------------------------------------------------------------------------------

def follow_up_headers(scope: Scope) -> list[str]:
    return [str(scope.group_label), _("Action"), _("Horizon"), _("Portée"), _("Porteur"),
            _("Contact"), _("Début"), _("Échéance"), _("Statut"), _("Avancement"),
            _("En retard"), _("Budget"), _("Financeurs"), _("RACI"), _("Indicateurs")]


def follow_up_rows(rows: list[ActionRow], today: date) -> list[list]:
    """One line per action; progress as a fraction (a percentage cell), budget in €."""
    result = []
    for row in rows:
        action = row.action
        result.append([
            row.group.title, action.title, action.horizon_label, action.scope_label,
            row.owner_name, row.contact_name, action.start_date, action.due_date,
            action.status_label, (action.progress / 100, workbooks.PERCENT),
            _("oui") if action.is_overdue(today) else _("non"),
            (action.budget_amount, workbooks.AMOUNT), action.funders, row.raci,
            "\n".join(indicator_text(i, row.years, today) for i in row.indicators),
        ])
    return result


def _indicator_years(rows: list[ActionRow]) -> list[int]:
    """Every year of the rows' periods, else every year their indicators have a target."""
    years = {year for row in rows if row.indicators for year in row.years}
    if not years:
        years = {t.year for row in rows for i in row.indicators for t in i.targets}
    return sorted(years)


def build_follow_up_xlsx(scope: Scope, rows: list[ActionRow], follow: FollowUp,
                         today: date | None = None) -> BytesIO:
    """The follow-up table (one line per action), the indicators with every year's target
    of the period, then the indicators to watch; numbers, amounts, percentages and dates
    as typed cells."""
    today = today or dates.today()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Suivi des actions")[:31]
    workbooks.header_row(sheet, follow_up_headers(scope),
                         [22, 45, 14, 26, 26, 20, 12, 12, 12, 12, 10, 14, 22, 30, 50])
    for values in follow_up_rows(rows, today):
        workbooks.append_row(sheet, values)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    years = _indicator_years(rows)
    targets = workbook.create_sheet(_("Indicateurs et cibles")[:31])
    workbooks.header_row(targets, [
        str(scope.group_label), _("Action"), _("Indicateur"), _("Unité"),
        *[_("Cible %(year)s", year=year) for year in years],
        _("Dernière mesure"), _("Année de la mesure"), _("Situation")],
        [22, 40, 40, 14, *[14] * len(years), 16, 12, 30])
    for row in rows:
        for indicator in row.indicators:
            seen = standing(indicator, today, row.years)
            measure = seen.measure
            workbooks.append_row(targets, [
                row.group.title, row.action.title, indicator.title, indicator.unit,
                *[workbooks.indicator_figure(indicator, indicator.target_for(year)) for year in years],
                workbooks.indicator_figure(indicator, measure),
                (measure.year, "0") if measure is not None else None, seen.label])
    targets.freeze_panes = "D2"

    alerts = workbook.create_sheet(_("Indicateurs à surveiller")[:31])
    workbooks.header_row(alerts, [
        str(scope.group_label), _("Action"), _("Indicateur"), _("Situation"),
        _("Année de la cible"), _("Cible"), _("Dernière mesure"), _("Année de la mesure")],
        [22, 45, 40, 30, 12, 18, 18, 12])
    for alert in follow.indicator_alerts:
        indicator, seen = alert.indicator, alert.standing
        shown = seen.target or seen.next_target
        measure = seen.measure
        workbooks.append_row(alerts, [
            alert.row.group.title, alert.row.action.title, indicator.title, alert.label,
            (shown.year, "0") if shown is not None else None, workbooks.indicator_figure(indicator, shown),
            workbooks.indicator_figure(indicator, measure),
            (measure.year, "0") if measure is not None else None])
    data = BytesIO()
    workbook.save(data)
    data.seek(0)
    return data
