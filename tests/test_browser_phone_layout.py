"""In Chromium, on a phone 390×844: the wide pages of the demo (a RACI grid, a joint project
with its fiche de mission, a frise) do not scroll sideways; a wide table scrolls inside its own
named box; the fiche de mission's values show under their labels; a breadcrumb's « › » stays
with its crumb."""
import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

PAGE_WIDTH = "document.documentElement.scrollWidth <= window.innerWidth"

# A table that does not fit: its box scrolls, is named and is reachable by keyboard.
TABLE_BOXES = """() => [...document.querySelectorAll('main table')].map(table => {
  const box = table.parentElement;
  return {scrolls: box.scrollWidth > box.clientWidth, overflow: getComputedStyle(box).overflowX,
          region: box.getAttribute('role'), tabindex: box.getAttribute('tabindex'),
          named: !!(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby'))};
})"""

# A crumb whose text starts below the top of its item: its « › » (a ::before) sits alone above.
LONE_SEPARATORS = """() => [...document.querySelectorAll('.breadcrumbs li + li')].filter(li => {
  const range = document.createRange();
  range.selectNodeContents(li);
  const text = range.getClientRects()[0];
  const top = li.getBoundingClientRect().top + parseFloat(getComputedStyle(li).paddingTop);
  return text.top > top + 2;
}).map(li => li.textContent.trim())"""


def phone_page(chromium, live_server, sign_in, email):
    context = chromium.new_context(base_url=live_server, locale="fr-FR", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, email)
    return page


def assert_fits(page, what):
    assert page.evaluate(PAGE_WIDTH), (what, page.evaluate("document.documentElement.scrollWidth"))
    for box in page.evaluate(TABLE_BOXES):
        assert box["overflow"] == "auto", (what, box)
        if box["scrolls"]:
            assert box["region"] == "region" and box["tabindex"] == "0" and box["named"], (what, box)
    assert page.evaluate(LONE_SEPARATORS) == [], what
    assert_no_axe_violations(page, what)


def test_a_joint_project_and_its_mission_sheet_fit_a_phone(chromium, live_server, sign_in):
    page = phone_page(chromium, live_server, sign_in, "coordination@quartierlibre.demo")
    page.goto("/t/besancon/partnerships/projects/8")
    assert_fits(page, "a joint project on a phone")
    sheet = page.locator("h3", has_text="Fiche de mission").last.locator("xpath=following-sibling::dl[1]")
    values = sheet.locator("dd")
    assert values.count() >= 3
    for i in range(values.count()):
        value = values.nth(i)
        value.scroll_into_view_if_needed()
        box = value.bounding_box()
        assert value.inner_text().strip() and box["x"] >= 0 and box["x"] + box["width"] <= 390, (
            value.inner_text(), box)
    # stacked: the value starts under its label, not beside it
    label, value = sheet.locator("dt").nth(1).bounding_box(), values.nth(1).bounding_box()
    assert value["y"] >= label["y"] + label["height"] - 1 and value["x"] == label["x"]
    page.context.close()


def test_a_raci_grid_and_a_frise_fit_a_phone(chromium, live_server, sign_in):
    page = phone_page(chromium, live_server, sign_in, "coordination@charenton.demo")
    page.goto("/t/charenton-saint-maurice/raci/1")
    assert_fits(page, "a RACI grid on a phone")
    grid = page.get_by_role("region", name="Rôles des acteurs (colonnes) pour chaque activité (lignes)")
    assert grid.evaluate("box => box.scrollWidth > box.clientWidth")  # the grid scrolls in its box
    page.context.close()

    page = phone_page(chromium, live_server, sign_in, "direction@losolan.demo")
    page.goto("/t/lo-solan/frises/1")
    assert_fits(page, "a frise on a phone")
    page.context.close()
