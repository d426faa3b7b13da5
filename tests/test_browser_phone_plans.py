"""In Chromium, on a phone 390 px wide: a plan's page and the consolidated plan do not
scroll sideways (their tables scroll in their own box), and the actions table keeps its
columns readable (a porteur's name is not written one letter per line)."""
import re

import pytest

from tests.browser_support import assert_no_axe_violations
from tests.test_browser_phone_governance import WIDER

pytestmark = pytest.mark.browser

CHARENTON = "/t/charenton-saint-maurice"


def test_plan_pages_fit_a_phone(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "coordination@charenton.demo")
    page.goto(f"{CHARENTON}/experiments")
    page.get_by_role("link", name="Agir ensemble sur le territoire de Charenton-Saint-Maurice",
                     exact=True).click()
    page.get_by_role("link", name="Plan d'action", exact=True).first.click()
    page.wait_for_url(re.compile(r"/experiments/\d+/action-plan$"))
    consolidated = page.url
    page.get_by_role("link", name=re.compile("Ouvrir le plan.*GT Emploi")).click()
    page.wait_for_url(re.compile(r"/action-plans/\d+$"))
    for url in (consolidated, page.url):
        page.goto(url)
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (
            url, page.evaluate(WIDER))
        porteur = page.locator(".actions-table tbody th[scope=row] + td").first
        box = porteur.bounding_box()
        assert box["width"] >= 100 and box["height"] < 200, (url, box)
    assert_no_axe_violations(page, "a plan on a phone")
