"""Helpers of long pages: date formatters and URL builders give what Flask-Babel's
``format_date`` / ``format_datetime`` and ``url_for`` give, for many values at once."""
from datetime import UTC, date, datetime

from flask import url_for
from flask_babel import format_date, format_datetime

from territorial.common.dates import date_formatter, datetime_formatter
from territorial.common.urls import url_for_ids, url_for_keys


def test_formatters_write_dates_like_flask_babel(ctx):
    days = [date(2026, 1, 1), date(2026, 3, 29), date(2027, 12, 31)]
    for format in ("short", "long", "d MMMM yyyy"):
        formatted = date_formatter(format)
        expected = [format_date(day, format) for day in days]
        if format != "short":  # French writes the first of the month « 1er »
            expected[0] = expected[0].replace("1 janvier", "1er janvier")
        assert [formatted(day) for day in days] == expected
    assert date_formatter("long")(days[0]) == "1er janvier 2026"
    # Paris time, across the change to summer time; naive datetimes are UTC.
    moments = [datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
               datetime(2026, 10, 25, 9, 0)]
    formatted = datetime_formatter("EEEE d MMMM yyyy, HH:mm")
    assert [formatted(moment) for moment in moments] == [
        format_datetime(moment, "EEEE d MMMM yyyy, HH:mm") for moment in moments]
    assert formatted(moments[1]) == "dimanche 29 mars 2026, 03:30"


def test_url_for_ids_builds_the_url_of_each_id(ctx, factory):
    territory = factory.territory(slug="zone-999999999")  # the placeholder, in the slug
    values = {"territory": territory.slug}
    url = url_for_ids("raci.rename_activity", "raci_activity_id", grid_id=7, **values)
    for activity_id in (1, 93, 999999999, 1000000000000):
        assert url(activity_id) == url_for("raci.rename_activity", grid_id=7,
                                           raci_activity_id=activity_id, **values)


def test_url_for_keys_builds_the_url_of_each_key(ctx, factory):
    territory = factory.territory(slug="placeholder-key")  # the placeholder, in the slug
    values = {"territory": territory.slug}
    url = url_for_keys("charters.edit_section", "charter_section", charter_id=7, **values)
    for key in ("preamble", "other_sections", "placeholder-key", "clé à part", "a/b"):
        assert url(key) == url_for("charters.edit_section", charter_id=7, charter_section=key,
                                   **values)
