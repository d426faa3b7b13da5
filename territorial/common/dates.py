"""The dates of the many rows of a page, in the user's language and time zone.

Flask-Babel's ``format_date`` and ``format_datetime`` look up the locale, the time zone
and the pattern at every call, half their cost: a formatter looks them up once, and
formats each distinct value once.
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
    return _remembered(lambda value: pattern.apply(value, locale))


def datetime_formatter(pattern: str) -> Callable[[datetime], str]:
    """``flask_babel.format_datetime(value, pattern)`` for many datetimes (``pattern``: a
    Babel pattern such as « EEEE d MMMM yyyy, HH:mm »), in the user's time zone; naive
    datetimes are UTC."""
    locale, zone, parsed = get_locale(), get_timezone(), dates.parse_pattern(pattern)

    def formatted(value: datetime) -> str:
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
        return parsed.apply(zone.normalize(local), locale)

    return _remembered(formatted)


def date_and_time_formatter(date_format: str = "medium", time_format: str = "short"
                            ) -> Callable[[datetime], str]:
    """``value|dateformat(date_format)``, ``value|timeformat(time_format)`` (« 5 déc. 2026,
    14:30 ») for many datetimes, in the user's time zone."""
    locale = get_locale()
    return datetime_formatter(f"{dates.get_date_format(date_format, locale).pattern}, "
                              f"{dates.get_time_format(time_format, locale).pattern}")


def _remembered(format_one: Callable) -> Callable:
    """``format_one``, each value formatted once by this formatter (a page's rows often
    share their dates; the formatter lives as long as the page it renders)."""
    known: dict = {}

    def formatted(value):
        if value not in known:
            known[value] = format_one(value)
        return known[value]

    return formatted


def today() -> date:
    """The platform's today: pages and exports that depend on the year read it here, so that
    a test sets the clock with ``monkeypatch.setattr(territorial.common.dates, "today", …)``."""
    return date.today()
