"""Working days in France: not a Saturday, a Sunday or a public holiday (the ``holidays``
library's calendar of France, metropolitan). Used to warn about a session placed on a day
off and to choose default dates."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _


@lru_cache(maxsize=64)
def _holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("FR", years=year, language=language))


def _language() -> str:
    """The language of the holidays' names: the page's."""
    if has_request_context():
        locale = get_locale()
        return "fr" if locale is None or locale.language == "fr" else "en_US"
    return "fr"


def holiday(day: date) -> str | None:
    """The name of the public holiday on ``day`` (« Noël »), in the page's language; else
    None."""
    return _holidays(day.year, _language()).get(day)


def day_off(day: date) -> str | None:
    """Why ``day`` is not a working day, said to follow « tombe » (« un samedi », « un jour
    férié (Noël) »), else None."""
    return days_off()(day)


def days_off() -> Callable[[date], str | None]:
    """``day_off`` for the many days of a page: the language and the words looked up once."""
    language = _language()
    public_holiday, saturday, sunday = (_("un jour férié (%(name)s)"), _("un samedi"),
                                        _("un dimanche"))

    def why(day: date) -> str | None:
        name = _holidays(day.year, language).get(day)
        if name:
            return public_holiday % {"name": name}
        return {5: saturday, 6: sunday}.get(day.weekday())
    return why


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
