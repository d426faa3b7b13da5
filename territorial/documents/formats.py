"""French numbers, amounts, dates and times, the same in pages, spreadsheets and documents."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import format_date, format_decimal

from territorial.common.dates import date_formatter, first_of_month


def number(value) -> str:
    """« 1 250 » or « 12,5 » (French grouping and decimal comma)."""
    if value is None:
        return ""
    value = Decimal(value)
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.##"
    return format_decimal(value, format=pattern)


def money(amount) -> str:
    """« 28 950 € » (cents only when there are some)."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return f"{format_decimal(amount, format=pattern)}\u00a0€"


def french_date(value: date | None, fmt: str = "short") -> str:
    """A date in ``fmt`` (« long »: « 1er septembre 2026 », the first of the month
    written as French writes it)."""
    if not value:
        return ""
    return first_of_month(format_date(value, fmt), "\u00a0")


def french_date_formatter(fmt: str = "short") -> Callable[[date | None], str]:
    """``french_date(value, fmt)`` for the many dates of a page: the locale and the
    pattern looked up once, each day written once (a planning repeats its days)."""
    formatted = date_formatter(fmt)
    return lambda value: first_of_month(formatted(value), "\u00a0") if value else ""


def long_date(value: date | None) -> str:
    """« 1er septembre 2026 », « 24 novembre 2026 »."""
    return french_date(value, "long")


def hour(value: time | datetime) -> str:
    """« 14 h », « 22 h 40 » (the way French writes the time of a meeting)."""
    return f"{value.hour}\u00a0h" + (f"\u00a0{value.minute:02d}" if value.minute else "")


def hours(start: time | datetime, end: time | datetime | None) -> str:
    """« 14 h – 16 h », « 22 h 40 – 1 h 10 »."""
    return f"{hour(start)} – {hour(end)}" if end is not None else hour(start)
