"""In Chromium, on a phone 390 px wide: the governance pages do not scroll sideways and the
header's items (brand, territory, account links, language) do not overlap."""
import re

import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

COORDINATOR = "coordination@quartierlibre.demo"

OVERLAPS = """() => {
  const items = [...document.querySelectorAll('.site-header nav > ul > li')]
    .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
  const found = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
    const a = items[i], b = items[j];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      found.push([i, j]);
  }
  return found;
}"""

WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(el => el.tagName + '.' + el.className)"""


def test_governance_pages_fit_a_phone(browser_page, sign_in):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, COORDINATOR)
    page.goto("/t/besancon/partnerships")
    charter = page.get_by_role("button", name="Lire la charte")
    charter.click()
    page.wait_for_load_state()
    charter_url = page.url
    for url in ("/t/besancon/partnerships", charter_url, charter_url + "/versions",
                "/t/besancon/partnerships/decisions", "/t/besancon/partnerships/projects",
                "/t/besancon/partnerships/decisions?outcome=arbitrated"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width, page.evaluate(WIDER))
        assert page.evaluate(OVERLAPS) == [], url
    page.get_by_role("link", name="Mode de paiement des voyages").first.click()
    page.wait_for_url(re.compile(r"/decisions/\d+$"))
    page.wait_for_load_state()  # measured once its style sheet applies, not mid-navigation
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(WIDER)
    assert_no_axe_violations(page, "a decision on a phone")
