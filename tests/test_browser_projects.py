"""In Chromium, on the demo of Lo Solan's « Le cam's »: place a partner on the frise, move
it by keyboard, fill a RACI row by keyboard only; axe-core finds no violation on any page."""
import re

import pytest

from tests.browser_support import assert_no_axe_violations, pick

pytestmark = pytest.mark.browser


def test_director_maps_allies_and_fills_the_raci_by_keyboard(browser_page, sign_in):
    page = browser_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, "direction@losolan.demo")
    assert_no_axe_violations(page, "territory home")

    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Projets").click()
    assert_no_axe_violations(page, "projects")
    page.get_by_role("link", name="Le cam's").click()
    page.wait_for_selector("#frise-chart .main-svg")
    assert_no_axe_violations(page, "project page")

    # The frise: place the president of the social centre as co-porteur, short term.
    page.get_by_role("button", name="Modifier la frise").click()
    page.wait_for_selector("#frise-chart .main-svg")
    assert_no_axe_violations(page, "frise")
    pick(page, "Partenaires", "pucheu", "Pucheu Marie")
    assert page.get_by_role("button", name="Retirer « Pucheu Marie »").is_visible()
    page.get_by_label("Niveau d'implication").select_option(label="Co-porteur")
    page.get_by_label("Échéance").select_option(label="Court terme")
    page.get_by_label("Notes").fill("Porte le projet au conseil d'administration.")
    page.get_by_role("button", name="Placer sur la frise").click()
    page.wait_for_selector("#frise-chart .main-svg")
    row = page.locator("#tableau tr", has_text="Marie Pucheu")
    assert "Co-porteur" in row.inner_text() and "Court terme" in row.inner_text()
    chart_names = page.evaluate(
        "document.getElementById('frise-chart').data.flatMap(t => t.text)")
    assert "Marie Pucheu (Présidente du conseil d'administration)" in chart_names

    # Move it later by keyboard: focus the button, press Enter.
    row.get_by_role("button", name="plus tard").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Moyen terme" in page.locator("#tableau tr", has_text="Marie Pucheu").inner_text()
    assert "Co-porteur, moyen terme" in page.locator(".flashes").inner_text()
    assert_no_axe_violations(page, "frise after a move")

    page.get_by_role("button", name="Historique").first.click()
    assert_no_axe_violations(page, "history")
    page.goto(page.url.replace("/history", "/pas-de-cote"))
    assert_no_axe_violations(page, "pas de côté")
    page.get_by_role("button", name=re.compile("freins? sans réponse")).first.click()
    assert_no_axe_violations(page, "freins sans réponse")
    page.goto(page.url.replace("/pas-de-cote/freins-sans-reponse", "/present"))
    page.wait_for_selector("#frise-chart .main-svg")
    assert_no_axe_violations(page, "presentation")

    # The RACI grid: add an activity and fill its row with the keyboard only.
    page.get_by_role("link", name="Le cam's").first.click()
    page.get_by_role("link", name="Modifier la grille RACI").click()
    assert_no_axe_violations(page, "raci grid")
    page.get_by_label("Nouvelle activité").focus()
    page.keyboard.type("Tenir le stand au marché d'Oloron")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    activity = "Tenir le stand au marché d'Oloron"
    first = page.get_by_label(f"Rôle de Centre social Lo Solan pour « {activity} »")
    first.focus()
    status = page.locator("#raci-status")
    for key in ["A", "R", "C", "I"]:
        page.keyboard.press(key)
        expect_text(status, "Case enregistrée")
        page.evaluate("document.getElementById('raci-status').textContent = ''")
        page.keyboard.press("Tab")
    page.reload()
    grid_row = page.locator("tr[data-activity-row]", has_text=activity)
    cells = grid_row.locator("select")
    assert [cells.nth(i).input_value() for i in range(4)] == ["A", "R", "C", "I"]
    assert "complète" in grid_row.inner_text()
    assert f"L'activité « {activity} »" not in page.locator("#raci-report").inner_text()
    assert_no_axe_violations(page, "raci grid filled")

    page.get_by_role("link", name=re.compile("Retour : Projet")).click()
    page.get_by_role("link", name="Bilan des trois premiers mois", exact=False).first.click()
    assert_no_axe_violations(page, "review")
    assert not [e for e in errors if "Content Security Policy" in e or "Uncaught" in e], errors


def expect_text(locator, text, timeout=5000):
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=timeout)
