"""In Chromium: the « Documents » block reads « Cadre méthodologique : Word · OpenDocument ·
PDF » on one line (Pico shows an aside's list links as blocks, one under the other)."""
import pytest

pytestmark = pytest.mark.browser


def test_each_document_offers_its_three_formats_on_one_line(browser_page, sign_in, tmp_path):
    page = browser_page
    sign_in(page, "coordination@charenton.demo")
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Expérimentations").click()
    page.get_by_role("link", name="Agir ensemble sur le territoire de Charenton-Saint-Maurice",
                     exact=True).first.click()
    page.get_by_role("link", name="Documents", exact=True).click()
    block = page.locator("aside.documents")
    items = block.locator("li")
    assert items.count() >= 3
    for index in range(items.count()):
        item = items.nth(index)
        links = item.locator("a")
        if links.count() < 3:
            continue
        tops = {round(links.nth(n).bounding_box()["y"]) for n in range(links.count())}
        height = item.bounding_box()["height"]
        assert len(tops) == 1, item.inner_text()  # Word · OpenDocument · PDF side by side
        assert height < 2.5 * links.first.bounding_box()["height"], item.inner_text()
    block.screenshot(path=str(tmp_path / "documents.png"))
