"""Word and XLSX exports of action plans: pure functions of data already loaded.

The Word document is what a mayor's office receives: a title page (territory, experiment
or partnership, date), a synthesis with the key figures, then one landscape section per
axis (or theme) with the table of its actions, whose header row repeats on each page;
page numbers in the footer; Heading 1/2 styles so Word's navigation pane and table of
contents work. Rows are appended with ``table.add_row().cells`` (``table.cell(r, c)``
rebuilds the cell grid at each call and makes the export quadratic), and nothing here
queries the database, so the time grows linearly with the number of actions.
"""
from datetime import date
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from facilitation.action_plans.reports import ActionRow, FollowUp, Scope, Synthesis, grouped
from territorial.common.downloads import neutralise
from territorial.common.text import slugify
from territorial.indicators import rules as indicator_rules

NARROW_NBSP = "\u202f"


def money(amount) -> str:
    """« 1 250 € » (French grouping as Babel gives it; cents only when there are some)."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return f"{format_decimal(amount, format=pattern)}\u00a0€"


def number(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.##"
    return format_decimal(value, format=pattern)


def french_date(value: date | None, fmt: str = "short") -> str:
    return format_date(value, fmt) if value else ""


def dates_text(action) -> str:
    start, due = action.start_date, action.due_date
    if start and due:
        return _("du %(start)s au %(due)s", start=french_date(start), due=french_date(due))
    if due:
        return _("échéance %(due)s", due=french_date(due))
    if start:
        return _("à partir du %(start)s", start=french_date(start))
    return _("non datée")


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


# Word ------------------------------------------------------------------------------

COLUMNS = [  # (title, width in cm on a landscape A4 page with 1.5 cm margins)
    (None, 6.3), (None, 1.9), (None, 2.5), (None, 3.2), (None, 3.2), (None, 2.6),
    (None, 2.4), (None, 4.6),
]


def _column_titles() -> list[str]:
    return [_("Action"), _("Horizon"), _("Portée"), _("Porteur"), _("RACI"), _("Dates"),
            _("Statut"), _("Indicateurs")]


def _field(run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``run``."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, placeholder, end):
        run._r.append(element)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _clear_grid_widths(table) -> None:
    """Without grid widths, ``add_row`` does not write a width on every new cell (a third
    of the export's time); ``_set_widths`` puts them back once the rows are in."""
    for column in table._tbl.tblGrid.findall(qn("w:gridCol")):
        column.attrib.pop(qn("w:w"), None)


def _set_widths(table, widths_cm: list[float]) -> None:
    """Fixed layout with the grid's column widths: set once, not on every cell."""
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for cell, width in zip(table.rows[0].cells, widths_cm):
        cell.width = Cm(width)


def _orient(section, landscape: bool) -> None:
    width, height = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = width, height
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = height, width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5 if landscape else 2.2))
    section.top_margin = section.bottom_margin = Cm(1.8)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
    normal.font.size = Pt(10)
    fonts = normal.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attribute in ("w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Arial")
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    document.core_properties.language = "fr-FR"


def _language(document) -> None:
    """Mark the text as French so spelling and hyphenation are French."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    rpr.append(lang)


def _footer(section, territory_name: str, title: str) -> None:
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{territory_name} — {title} — ").font.size = Pt(8)
    run = footer.add_run(_("page "))
    run.font.size = Pt(8)
    run = footer.add_run()
    run.font.size = Pt(8)
    _field(run, "PAGE")
    run = footer.add_run(_(" sur "))
    run.font.size = Pt(8)
    run = footer.add_run()
    run.font.size = Pt(8)
    _field(run, "NUMPAGES")


def _title_page(document, scope: Scope, generated_on: date) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(120)
    run = paragraph.add_run(scope.territory.name)
    run.font.size = Pt(14)
    run.bold = True
    document.add_paragraph(scope.title, style="Title")
    if scope.subtitle:
        subtitle = document.add_paragraph()
        run = subtitle.add_run(scope.subtitle)
        run.font.size = Pt(16)
    if scope.period:
        document.add_paragraph(_("Période : %(period)s", period=scope.period))
    when = document.add_paragraph()
    when.paragraph_format.space_before = Pt(48)
    when.add_run(_("Document établi le %(date)s", date=format_date(generated_on, "long")))


def _key_figures(document, figures: Synthesis, scope: Scope) -> None:
    document.add_heading(_("Synthèse"), level=1)
    proposals = next((n for key, _label, n in figures.by_scope if key == "territoire"), 0)
    engagements = next((n for key, _label, n in figures.by_scope if key == "participants"), 0)
    document.add_paragraph(_(
        "Ce plan compte %(total)d actions réparties en %(groups)d %(kind)s : "
        "%(engagements)d engagements des participants et %(proposals)d propositions pour "
        "le territoire. %(orgs)d organisations en portent ou y contribuent.",
        total=figures.total, groups=len(figures.by_group), kind=scope.group_label.lower() + "s",
        engagements=engagements, proposals=proposals, orgs=figures.organisations_count,
    ))
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = _("Indicateur clé"), _("Valeur")
    for cell in header:
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "DCE6F0")
    _repeat_header(table.rows[0])
    lines = [(_("Actions"), str(figures.total))]
    lines += [(label, str(n)) for _key, label, n in figures.by_status if n]
    lines += [(label, str(n)) for _key, label, n in figures.by_horizon]
    lines += [(label, str(n)) for _key, label, n in figures.by_scope]
    lines += [
        (_("Budget prévu (hors actions abandonnées)"), money(figures.budget_total)),
        (_("Avancement moyen"), f"{figures.mean_progress}\u00a0%"),
        (_("Actions en retard"), str(figures.overdue)),
        (_("Actions sans porteur"), str(figures.without_owner)),
    ]
    for label, value in lines:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), value
    if figures.by_group:
        document.add_heading(_("Répartition par %(kind)s", kind=scope.group_label.lower()), level=2)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        titles = [scope.group_label, _("Actions"), _("Court terme"), _("Moyen et long terme"),
                  _("Propositions pour le territoire")]
        for cell, title in zip(table.rows[0].cells, titles):
            cell.text = str(title)
            cell.paragraphs[0].runs[0].bold = True
            _shade(cell, "DCE6F0")
        _repeat_header(table.rows[0])
        for group, horizons, scopes, total in figures.by_group:
            cells = table.add_row().cells
            cells[0].text = group.title
            cells[1].text = str(total)
            cells[2].text = str(horizons.get("court", 0))
            cells[3].text = str(horizons.get("moyen", 0) + horizons.get("long", 0))
            cells[4].text = str(scopes.get("territoire", 0))
    if figures.organisations:
        document.add_heading(_("Organisations les plus impliquées"), level=2)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells,
                               [_("Organisation"), _("Actions portées"), _("Actions impliquées")]):
            cell.text = title
            cell.paragraphs[0].runs[0].bold = True
            _shade(cell, "DCE6F0")
        _repeat_header(table.rows[0])
        for name, porteur, _raci, total in figures.organisations[:10]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = name, str(porteur), str(total)


W_P, W_R, W_T, W_RPR, W_B = (qn(tag) for tag in ("w:p", "w:r", "w:t", "w:rPr", "w:b"))
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _write(cell, lines: list[str], bold_first: bool = False) -> None:
    """One paragraph per line in a new cell, written with plain lxml calls: python-docx's
    ``cell.text`` / ``add_paragraph`` cost several element look-ups each, which made
    the cells of 1,000 actions take seconds. Same XML as ``cell.text = …``."""
    tc = cell._tc
    paragraph = tc[-1]  # a new cell holds one empty <w:p/>
    for index, line in enumerate(lines):
        if index:
            paragraph = etree.SubElement(tc, W_P)
        for part, text in enumerate(str(line).split("\n")):
            if part:
                paragraph = etree.SubElement(tc, W_P)
            run = etree.SubElement(paragraph, W_R)
            if bold_first and index == 0:
                etree.SubElement(etree.SubElement(run, W_RPR), W_B)
            node = etree.SubElement(run, W_T)
            node.text = text
            node.set(XML_SPACE, "preserve")


def _action_table(document, rows: list[ActionRow], year: int) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, _column_titles()):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "DCE6F0")
    _repeat_header(table.rows[0])
    _clear_grid_widths(table)
    for row in rows:
        action = row.action
        cells = table.add_row().cells
        details = []
        if action.description:
            details.append(action.description)
        if action.budget_amount is not None:
            budget = _("Budget : %(amount)s", amount=money(action.budget_amount))
            if action.funders:
                budget += " — " + _("financeurs : %(funders)s", funders=action.funders)
            details.append(budget)
        elif action.funders:
            details.append(_("Financeurs : %(funders)s", funders=action.funders))
        _write(cells[0], [action.title, *details], bold_first=True)
        _write(cells[1], [action.horizon_label])
        _write(cells[2], [action.scope_label])
        _write(cells[3], [owner_text(row)])
        _write(cells[4], [row.raci or "—"])
        _write(cells[5], [dates_text(action)])
        _write(cells[6], [status_text(action)])
        _write(cells[7], [indicator_text(i, year) for i in row.indicators] or ["—"])
    _set_widths(table, [width for _title, width in COLUMNS])


def build_action_plan_docx(scope: Scope, rows: list[ActionRow], figures: Synthesis,
                           generated_on: date | None = None) -> BytesIO:
    """The plan as a Word document (see the module's docstring)."""
    generated_on = generated_on or date.today()
    document = Document()
    _styles(document)
    _language(document)
    first = document.sections[0]
    _orient(first, landscape=False)
    _footer(first, scope.territory.name, scope.title)
    _title_page(document, scope, generated_on)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _key_figures(document, figures, scope)
    for group, items in grouped(rows, scope):
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _orient(section, landscape=True)
        document.add_heading(group.title, level=1)
        document.add_paragraph(_n_actions(len(items)))
        _action_table(document, items, generated_on.year)
    if not rows:
        document.add_paragraph(_("Ce plan ne compte encore aucune action."))
    data = BytesIO()
    document.save(data)
    data.seek(0)
    return data


def _n_actions(n: int) -> str:
    return ngettext("%(num)d action", "%(num)d actions", n)


def docx_filename(scope: Scope) -> str:
    return f"plan-action-{slugify(scope.subtitle or scope.title)}.docx"


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
