"""The dates of the many rows of a page, in the user's language and time zone.

Flask-Babel's ``format_date`` and ``format_datetime`` look up the locale, the time zone
and the pattern at every call, half their cost: a formatter looks them up once.
"""
from collections.abc import Callable
from datetime import UTC, date, datetime

from babel import dates
from flask_babel import get_locale, get_timezone


def date_formatter(format: str = "medium") -> Callable[[date], str]:
    """``flask_babel.format_date(value, format)`` for many dates; ``format``: short,
    medium, long, full or a Babel pattern."""
    locale = get_locale()
    if format in ("short", "medium", "long", "full"):
        pattern = dates.get_date_format(format, locale)
    else:
        pattern = dates.parse_pattern(format)
    return lambda value: pattern.apply(value, locale)


def datetime_formatter(pattern: str) -> Callable[[datetime], str]:
    """``flask_babel.format_datetime(value, pattern)`` for many datetimes (``pattern``: a
    Babel pattern such as « EEEE d MMMM yyyy, HH:mm »), in the user's time zone; naive
    datetimes are UTC."""
    locale, zone, parsed = get_locale(), get_timezone(), dates.parse_pattern(pattern)

    def formatted(value: datetime) -> str:
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
        return parsed.apply(zone.normalize(local), locale)

    return formatted


def today() -> date:
    """The platform's today: pages and exports that depend on the year read it here, so that
    a test sets the clock with ``monkeypatch.setattr(territorial.common.dates, "today", …)``."""
    return date.today()
