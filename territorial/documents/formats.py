"""French numbers, amounts and dates, the same in pages, spreadsheets and documents."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import format_date, format_decimal


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
    return format_date(value, fmt) if value else ""
