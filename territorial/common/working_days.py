"""Working days in France: not a Saturday, a Sunday or a public holiday (the ``holidays``
library's calendar of France, metropolitan). Used to warn about a session placed on a day
off and to choose default dates."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _


@lru_cache(maxsize=64)
def _holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("FR", years=year, language=language))


def holiday(day: date) -> str | None:
    """The name of the public holiday on ``day`` (« Noël »), in the page's language; else
    None."""
    language = "fr"
    if has_request_context():
        locale = get_locale()
        language = "fr" if locale is None or locale.language == "fr" else "en_US"
    return _holidays(day.year, language).get(day)


def day_off(day: date) -> str | None:
    """Why ``day`` is not a working day, said to follow « tombe » (« un samedi », « un jour
    férié (Noël) »), else None."""
    name = holiday(day)
    if name:
        return _("un jour férié (%(name)s)", name=name)
    if day.weekday() == 5:
        return _("un samedi")
    if day.weekday() == 6:
        return _("un dimanche")
    return None


def is_working_day(day: date) -> bool:
    """Not a Saturday, a Sunday or a public holiday (needs no request: planning uses it)."""
    return day.weekday() < 5 and day not in _holidays(day.year, "fr")


def next_working_day(day: date) -> date:
    """``day`` if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_in_year(wished: date, year: int, today: date) -> date:
    """A working day in ``year``, as close as possible to ``wished``: ``wished`` (moved to the
    next working day) when that falls in the year; the first working day of December when
    the year is still to come; the year's last working day when ``wished`` goes past the
    year's end while that day is still ahead of ``today``; else ``wished``'s working day (a
    year already over is reviewed after it)."""
    day = next_working_day(wished)
    if day.year == year:
        return day
    if day.year < year:
        return next_working_day(date(year, 12, 1))
    last = previous_working_day(date(year, 12, 31))
    return last if last > today else day
