"""Dates in the user's language and time zone, the first of a month as French writes it
(« 1er septembre »): the one place pages, documents and messages format a date.

Flask-Babel's ``format_date`` and ``format_datetime`` look up the locale, the time zone
and the pattern at every call, half their cost: a formatter looks them up once, and
formats each distinct value once.
"""
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import flask_babel
from babel import dates
from flask_babel import get_locale, get_timezone

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
DAY_OF_MONTH = re.compile(r"(?<![\d,.])(\d{1,2})([ \u00a0\u202f])(%s)\b" % "|".join(MONTHS))


def first_of_month(text: str, space: str | None = None) -> str:
    """« 1 septembre » → « 1er septembre » (French months only: English is left as it is);
    ``space``, when given, goes between every day and its month (a no-break space keeps
    them on one line)."""
    if not any(c.isdigit() for c in text):
        return text
    return DAY_OF_MONTH.sub(lambda match: "%s%s%s" % (
        "1er" if match.group(1) == "1" else match.group(1), space or match.group(2),
        match.group(3)), text)


def format_date(value: date, format: str = "medium") -> str:
    """``flask_babel.format_date``, the first of a month written « 1er » (the pages'
    ``dateformat`` filter)."""
    return first_of_month(flask_babel.format_date(value, format))


def format_datetime(value: datetime, format: str | None = None) -> str:
    """``flask_babel.format_datetime``, the first of a month written « 1er » (the pages'
    ``datetimeformat`` filter)."""
    return first_of_month(flask_babel.format_datetime(value, format))


def date_formatter(format: str = "medium") -> Callable[[date], str]:
    """``flask_babel.format_date(value, format)`` for many dates; ``format``: short,
    medium, long, full or a Babel pattern."""
    locale = get_locale()
    if format in ("short", "medium", "long", "full"):
        pattern = dates.get_date_format(format, locale)
    else:
        pattern = dates.parse_pattern(format)
    return _remembered(lambda value: first_of_month(pattern.apply(value, locale)))


def datetime_formatter(pattern: str) -> Callable[[datetime], str]:
    """``flask_babel.format_datetime(value, pattern)`` for many datetimes (``pattern``: a
    Babel pattern such as « EEEE d MMMM yyyy, HH:mm »), in the user's time zone; naive
    datetimes are UTC."""
    locale, zone, parsed = get_locale(), get_timezone(), dates.parse_pattern(pattern)

    def formatted(value: datetime) -> str:
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
        return first_of_month(parsed.apply(zone.normalize(local), locale))

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
