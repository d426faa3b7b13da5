"""Spreadsheets people can compute with: every export writes its cells through here, typed.

Numbers, percentages, amounts and dates are written as numbers and dates with a number
format (the spreadsheet shows them the French way: « 1 250,50 € », « 25,5 % »,
« 05/12/2026 »), never as text; texts are neutralised against formula injection. The
format codes are the file's own (OOXML writes them in the en-US syntax; the reader's
locale shows French separators).
"""
from datetime import date, datetime
from decimal import Decimal

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from territorial.common.downloads import neutralise
from territorial.indicators.rules import is_amount, is_percent

INTEGER = "#,##0"
NUMBER = "#,##0.##"
AMOUNT = '#,##0.00 "€"'
PERCENT = "0.0%"
DATE = "DD/MM/YYYY"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")


def number_cell(value, unit: str | None = None) -> tuple:
    """``(value, number format)`` of a measured number in ``unit``: a percentage is stored
    as its fraction (25,5 % → 0.255) so that the spreadsheet computes with it."""
    if value is None:
        return None, None
    value = Decimal(value)
    if is_percent(unit):
        return float(value / 100), PERCENT
    if is_amount(unit):
        return float(value), AMOUNT
    if value == value.to_integral_value():
        return int(value), INTEGER
    return float(value), NUMBER


def indicator_figure(indicator, figure):
    """A target or a measure of an indicator as a cell: its number typed by the indicator's
    unit, or its text (a qualitative statement or observation); None when there is none."""
    if figure is None:
        return None
    if indicator.kind == "quantitative":
        return number_cell(figure.value, indicator.unit)
    return getattr(figure, "statement", None) or getattr(figure, "text_value", None) or None


def typed(value, number_format: str | None = None) -> tuple:
    """``(value, format)`` for any value: dates get the date format, Decimals become floats,
    strings are neutralised."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return neutralise(value), None
    if isinstance(value, (date, datetime)):
        return value, number_format or DATE
    if isinstance(value, Decimal):
        return float(value), number_format or NUMBER
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        return value, number_format or (INTEGER if isinstance(value, int) else NUMBER)
    return neutralise(str(value)), None


def append_row(sheet, values, formats=None) -> None:
    """Append a row of typed cells; ``formats`` (one per value, or None) overrides the
    format of a number (``AMOUNT``, ``PERCENT``…); a value may be a ``(value, format)``
    pair from ``number_cell``."""
    formats = list(formats or [])
    cells = []
    for index, value in enumerate(values):
        wanted = formats[index] if index < len(formats) else None
        if isinstance(value, tuple):
            value, wanted = value
        cells.append(typed(value, wanted))
    sheet.append([value for value, _format in cells])
    row = sheet.max_row
    for column, (_value, number_format) in enumerate(cells, start=1):
        cell = sheet.cell(row=row, column=column)
        if number_format:
            cell.number_format = number_format
        cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))


def header_row(sheet, headers, widths=None) -> None:
    sheet.append([neutralise(str(header)) for header in headers])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
