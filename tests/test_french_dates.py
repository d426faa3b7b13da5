"""French writes the first of a month « 1er » (« Du 1er septembre 2026 », « Échéance
1er décembre 2026 »): every long date of the pages goes through ``territorial.common.dates``;
English is left as it is."""
from datetime import date, datetime
from html import unescape

from flask_babel import force_locale

from territorial.common import dates


def test_the_first_of_a_month_is_1er_in_french(ctx):
    assert dates.format_date(date(2026, 9, 1), "long") == "1er septembre 2026"
    assert dates.format_date(date(2026, 9, 2), "long") == "2 septembre 2026"
    assert dates.format_date(date(2026, 11, 21), "long") == "21 novembre 2026"
    assert dates.format_date(date(2026, 9, 1), "short") == "01/09/2026"
    assert dates.date_formatter("long")(date(2026, 12, 1)) == "1er décembre 2026"
    assert dates.datetime_formatter("EEEE d MMMM y")(datetime(2026, 12, 1, 9)) == (
        "mardi 1er décembre 2026")


def test_english_is_left_as_it_is(ctx):
    with force_locale("en"):
        assert dates.format_date(date(2026, 9, 1), "long") == "September 1, 2026"
        assert dates.format_date(date(2026, 9, 1), "d MMMM y") == "1 September 2026"


def test_an_action_page_reads_echeance_1er_decembre(signed_in, factory, territory):
    plan = factory.action_plan(territory)
    action = factory.action(plan, title="Forum emploi", due_date=date(2026, 12, 1))
    page = unescape(signed_in.get(f"/t/{territory.slug}/action-plans/actions/{action.id}").get_data(
        as_text=True))
    assert "1er décembre 2026" in page and "1 décembre 2026" not in page
