"""In Chromium, on the RACI grid of Lo Solan's « Le cam's »: a cell whose save fails stays
marked, can be retried, and « Case enregistrée » is only ever said after a save that
succeeded; a cell a colleague changed meanwhile shows their letter and who changed it.
axe-core finds no violation with the marks shown."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

CELLS = "**/raci/*/cells"


def open_grid(page, sign_in, email):
    sign_in(page, email)
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Projets").click()
    page.get_by_role("link", name="Le cam's").click()
    page.get_by_role("link", name="Modifier la grille RACI").click()
    expect(page.locator(".raci-autosave-hint")).to_be_visible()
    # no whole-grid button beside « each cell is saved as you change it »
    expect(page.get_by_role("button", name="Enregistrer la grille")).to_be_hidden()
    return page.url


def test_a_failed_cell_save_stays_marked_and_is_retried(browser_page, chromium, sign_in):
    page = browser_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_grid(page, sign_in, "direction@losolan.demo")
    status = page.locator("#raci-status")
    selects = page.locator("form.raci-form select[data-activity]")
    first, second = selects.nth(0), selects.nth(1)
    first_cell, second_cell = first.locator("xpath=.."), second.locator("xpath=..")
    letter = "I" if first.input_value() != "I" else "C"

    # The server fails (a 503), then the network does: each cell stays marked.
    page.route(CELLS, lambda route: route.fulfill(status=503, content_type="text/html",
                                                   body="<p>Service indisponible</p>"))
    first.select_option(letter)
    expect(first_cell).to_have_attribute("data-save-state", "failed")
    expect(first_cell.get_by_role("button", name="Réessayer")).to_be_visible()
    expect(status).to_contain_text("échec de l’enregistrement")
    page.unroute(CELLS)
    page.route(CELLS, lambda route: route.abort())
    second.select_option("C" if second.input_value() != "C" else "R")
    expect(second_cell).to_have_attribute("data-save-state", "failed")
    expect(status).to_contain_text("la connexion a été perdue")
    expect(status).to_contain_text("2 modifications de la page ne sont pas enregistrées")
    assert "Case enregistrée" not in status.inner_text()
    assert_no_axe_violations(page, "raci grid with failed saves")

    # The connection is back: « Réessayer » saves; only then « Case enregistrée ».
    page.unroute(CELLS)
    first_cell.get_by_role("button", name="Réessayer").click()
    expect(status).to_contain_text("Case enregistrée")
    expect(status).to_contain_text("1 modification de la page n’est pas enregistrée")
    expect(first_cell).not_to_have_attribute("data-save-state", re.compile("."))
    expect(first_cell.get_by_role("button", name="Réessayer")).to_have_count(0)
    expect(second_cell).to_have_attribute("data-save-state", "failed")   # still marked
    second_cell.get_by_role("button", name="Réessayer").click()
    expect(second_cell).not_to_have_attribute("data-save-state", re.compile("."))
    assert "n’est pas enregistrée" not in status.inner_text()

    page.reload()
    assert page.locator("form.raci-form select[data-activity]").nth(0).input_value() == letter
    assert not [e for e in errors if "Content Security Policy" in e or "Uncaught" in e], errors


def test_a_cell_a_colleague_changed_shows_their_letter_and_who(browser_page, chromium,
                                                              live_server, sign_in):
    page = browser_page
    grid_url = open_grid(page, sign_in, "direction@losolan.demo")
    cell = page.locator("form.raci-form select[data-activity]").nth(2)
    label = page.locator(f"label[for='{cell.get_attribute('id')}']").inner_text()

    colleague = chromium.new_context(base_url=live_server, locale="fr-FR")
    other = colleague.new_page()
    try:
        sign_in(other, "admin@demo.territoires.fr")
        other.goto(grid_url)
        theirs = other.get_by_label(label, exact=True)
        theirs.select_option("A" if theirs.input_value() != "A" else "R")
        expect(other.locator("#raci-status")).to_contain_text("Case enregistrée")
        their_letter = theirs.input_value()
    finally:
        colleague.close()

    mine = "C" if their_letter != "C" else "I"
    cell.select_option(mine)
    td = cell.locator("xpath=..")
    expect(td).to_have_attribute("data-save-state", "conflict")
    expect(td).to_contain_text("Modifié par")
    expect(td).to_contain_text(f"Valeur enregistrée : {their_letter}.")
    assert cell.input_value() == their_letter               # the current letter is shown
    assert "Case enregistrée" not in page.locator("#raci-status").inner_text()
    assert_no_axe_violations(page, "raci grid with a conflict")

    td.get_by_role("button", name="Réessayer").click()      # mine, knowing theirs
    expect(page.locator("#raci-status")).to_contain_text("Case enregistrée")
    page.reload()
    assert page.get_by_label(label, exact=True).input_value() == mine


def test_a_failed_move_on_the_frise_board_stays_marked(browser_page, sign_in):
    page = browser_page
    sign_in(page, "direction@losolan.demo")
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Projets").click()
    page.get_by_role("link", name="Le cam's").click()
    page.get_by_role("button", name="Modifier la frise").click()
    page.locator("#tableau-mural summary").click()
    card = page.locator(".frise-card").first
    name = card.evaluate("card => card.firstChild.textContent.trim()")
    # Another term of the card's own level: next to it, in view whatever other tests placed
    # on the board (a drag that has to scroll the page is not a drop).
    level = card.evaluate("card => card.parentNode.getAttribute('data-level')")
    target = page.locator(f".frise-drop[data-level='{level}']").filter(
        has_not=page.locator(f".frise-card[data-entry='{card.get_attribute('data-entry')}']")).first
    target.scroll_into_view_if_needed()

    page.route("**/place", lambda route: route.fulfill(status=503, body=""))
    card.drag_to(target)
    moved = page.locator(".frise-card", has_text=name)
    expect(moved).to_have_attribute("data-save-state", "failed")
    expect(page.locator("#frise-board-status")).to_contain_text("échec de l’enregistrement")
    assert_no_axe_violations(page, "frise board with a failed move")

    page.unroute("**/place")
    with page.expect_navigation():
        moved.get_by_role("button", name="Réessayer").click()
    expect(page.locator(".frise-card", has_text=name)).not_to_have_attribute(
        "data-save-state", re.compile("."))


def test_an_expired_form_or_a_refused_value_is_said_with_what_to_do(browser_page, sign_in):
    """A page left open until its form expired: the cell says so in the server's words and
    offers to reload the page, not a « Réessayer » that cannot succeed; a value the server
    refuses is said without « Réessayer » (the value has to change)."""
    page = browser_page
    open_grid(page, sign_in, "direction@losolan.demo")
    status = page.locator("#raci-status")
    selects = page.locator("form.raci-form select[data-activity]")
    first, second = selects.nth(0), selects.nth(1)
    first_cell, second_cell = first.locator("xpath=.."), second.locator("xpath=..")
    before = first.input_value()

    page.evaluate("document.querySelectorAll('input[name=csrf_token]')"
                  ".forEach(input => { input.value = 'expire'; })")
    first.select_option("I" if before != "I" else "C")
    expect(first_cell).to_have_attribute("data-save-state", "failed")
    expect(first_cell).to_contain_text("Le formulaire a expiré ou n'est pas valide")
    expect(status).to_contain_text("Rechargez la page")
    expect(first_cell.get_by_role("button", name="Réessayer")).to_have_count(0)
    assert_no_axe_violations(page, "raci grid with an expired form")
    with page.expect_navigation():
        first_cell.get_by_role("button", name="Recharger la page").click()
    expect(page.locator(".raci-autosave-hint")).to_be_visible()
    assert page.locator("form.raci-form select[data-activity]").nth(0).input_value() == before

    page.route(CELLS, lambda route: route.fulfill(
        status=422, content_type="application/json",
        body='{"ok": false, "error": "Cette lettre n\'est pas permise ici."}'))
    second = page.locator("form.raci-form select[data-activity]").nth(1)
    second_cell = second.locator("xpath=..")
    second.select_option("C" if second.input_value() != "C" else "R")
    expect(second_cell).to_contain_text("Cette lettre n'est pas permise ici.")
    expect(second_cell).to_have_attribute("data-save-state", "failed")
    expect(second_cell.get_by_role("button")).to_have_count(0)
    expect(status).to_contain_text("1 modification de la page n’est pas enregistrée")
