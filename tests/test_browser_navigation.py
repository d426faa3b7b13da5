"""In Chromium, on the demo of Charenton: deep pages tell where the user is. The menu's
current section carries aria-current="page" (the current link is told to assistive
technologies) and is shown bold and underlined, not by a colour alone (RGAA 3.1); the
breadcrumbs start from it; axe-core finds no violation."""
import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser


def _menu(page):
    return page.get_by_role("navigation", name="Navigation du territoire")


def assert_marks(page, section):
    menu = _menu(page)
    current = menu.locator("[aria-current=page]")
    assert current.all_inner_texts() == [section], page.url
    looks = "e => [getComputedStyle(e).fontWeight, getComputedStyle(e).textDecorationLine]"
    assert current.evaluate(looks) == ["700", "underline"]
    for other in menu.locator("a:not([aria-current])").all():
        assert other.evaluate(looks) != ["700", "underline"], other.inner_text()
    crumbs = page.get_by_role("navigation", name="Fil d’Ariane").locator("li")
    assert crumbs.nth(1).inner_text().strip(" ›") == section, page.url


def test_deep_pages_mark_their_section(browser_page, sign_in):
    page = browser_page
    sign_in(page, "coordination@charenton.demo")
    _menu(page).get_by_role("link", name="Agenda").click()
    assert_marks(page, "Agenda")
    page.locator("main a[href*='/sessions/']").first.click()
    assert_marks(page, "Expérimentations")  # a GT session is its experiment's
    page.get_by_role("link", name="Tableau", exact=True).click()
    assert_marks(page, "Expérimentations")
    assert_no_axe_violations(page, "live board")

    _menu(page).get_by_role("link", name="Plans d'action").click()
    assert_marks(page, "Plans d'action")
    assert_no_axe_violations(page, "action plans")
    page.locator("main table a[href*='/action-plans/']").first.click()
    assert_marks(page, "Plans d'action")
    assert_no_axe_violations(page, "an action plan")
