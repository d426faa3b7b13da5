"""In Chromium, on the demo: chart pages offer no button that sends data to Plotly's cloud,
and the frise pages draw without any Content-Security-Policy violation."""
import pytest

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
                              + " " + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


def _open(page, link_name):
    page.get_by_role("link", name=link_name).first.click()
    page.wait_for_load_state()


def _chart_drawn(page, selector):
    """The titles of the chart's mode bar buttons, once it is drawn and hovered; the page
    must have drawn it without any CSP violation."""
    page.wait_for_selector(f"{selector} .main-svg")
    box = page.locator(selector).first.bounding_box()
    for x in range(10, int(box["width"]), 40):  # every hover label is drawn once
        for y in range(10, int(box["height"]), 40):
            page.mouse.move(box["x"] + x, box["y"] + y)
    page.hover(selector)  # the mode bar shows on hover
    buttons = page.eval_on_selector_all(
        f"{selector} .modebar-btn", "nodes => nodes.map(n => n.getAttribute('data-title'))")
    assert buttons, "the chart has a mode bar"
    violations = page.evaluate("window.__cspViolations")
    assert not violations, (page.url, violations)
    return buttons


def test_frise_pages_have_no_cloud_button_and_no_csp_violation(browser_page, sign_in):
    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning")
            else None)
    sign_in(page, "direction@losolan.demo")
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Projets").click()
    _open(page, "Le cam's")
    pages = {"project": _chart_drawn(page, "#frise-chart")}
    page.get_by_role("button", name="Modifier la frise").click()
    page.wait_for_load_state()
    pages["frise"] = _chart_drawn(page, "#frise-chart")
    frise_url = page.url
    page.goto(frise_url.split("#")[0].rstrip("/") + "/present")
    pages["present"] = _chart_drawn(page, "#frise-chart")
    for name, buttons in pages.items():
        assert not [b for b in buttons if "Share" in (b or "") or "cloud" in (b or "").lower()], \
            (name, buttons)
    assert not [m for m in console if "Content Security Policy" in m], console


def test_other_chart_pages_have_no_cloud_button(browser_page, sign_in):
    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, "coordination@charenton.demo")
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Expérimentations").click()
    experiment = page.eval_on_selector_all(
        "main a", "links => links.map(a => a.getAttribute('href'))"
                  ".find(href => /\\/experiments\\/\\d+$/.test(href))")
    page.goto(experiment + "/planning")
    buttons = _chart_drawn(page, ".plot")
    assert not [b for b in buttons if "Share" in (b or "")], buttons
