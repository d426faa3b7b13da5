"""In the browser: the consolidated plan, the restitution and the follow-up of the demo
experiment, an action's status changed inline (by keyboard), and the Word download."""
import re
from io import BytesIO

import pytest
from docx import Document

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

CHARENTON = "/t/charenton-saint-maurice"


def _experiment_url(page) -> str:
    page.goto(f"{CHARENTON}/experiments")
    # Named in full: other tests create experiments whose titles start the same way.
    page.get_by_role("link", name="Agir ensemble sur le territoire de Charenton-Saint-Maurice",
                     exact=True).click()
    page.wait_for_load_state()
    return page.url.split("/t/")[1].split("?")[0]


def test_restitution_follow_up_inline_status_and_word(browser_page, sign_in):
    page = browser_page
    sign_in(page, "coordination@charenton.demo")
    path = "/t/" + _experiment_url(page)
    experiment = re.search(r"/experiments/(\d+)", path).group(1)
    base = f"{CHARENTON}/experiments/{experiment}"

    page.goto(f"{base}/action-plan")
    assert page.get_by_role("heading", name="Plan d'action consolidé").is_visible()
    assert_no_axe_violations(page, "plan consolidé")

    page.goto(f"{base}/restitution")
    page.wait_for_selector("#chart-horizons .main-svg")
    assert page.get_by_role("table", name=re.compile("nombre d'actions par thème")).is_visible()
    assert_no_axe_violations(page, "restitution")

    page.goto(f"{base}/follow-up")
    assert page.get_by_role("heading", name="Actions en retard").is_visible()
    assert_no_axe_violations(page, "suivi")

    # A GT plan: change the status of a « Retenue » action to « En cours » with the keyboard.
    page.goto(f"{base}/action-plan")
    page.get_by_role("link", name=re.compile("Ouvrir le plan.*GT Emploi")).click()
    page.wait_for_load_state()
    assert_no_axe_violations(page, "plan du GT")
    row = page.locator("tr", has_text="Mutualiser une offre de mécénat")
    figures = page.locator("[data-plan-totals]")
    before = figures.inner_text()
    select = row.get_by_label(re.compile("Statut de « Mutualiser"))
    select.focus()
    select.select_option("en_cours")
    row.get_by_role("button", name=re.compile("Changer le statut")).focus()
    page.keyboard.press("Enter")
    status = page.locator("#inline-status")
    status.get_by_text(re.compile("En cours")).wait_for()
    assert row.locator(".status-badge").inner_text().strip() == "En cours"
    after = figures.inner_text()  # the plan's figures follow, without reloading
    assert after != before
    page.reload()
    row = page.locator("tr", has_text="Mutualiser une offre de mécénat")
    assert row.locator(".status-badge").inner_text().strip() == "En cours"
    assert page.locator("[data-plan-totals]").inner_text() == after

    # Abandoning without a reason is refused in French; nothing changes.
    select = row.get_by_label(re.compile("Statut de « Mutualiser"))
    select.select_option("abandonnee")
    reason = row.get_by_label(re.compile("Motif de l'abandon"))
    reason.fill("")
    row.get_by_role("button", name=re.compile("Changer le statut")).click()
    # The browser's own check stops the form: the reason is required and missing.
    assert reason.evaluate("field => field.required && field.validity.valueMissing") is True
    assert row.locator(".status-badge").inner_text().strip() == "En cours"
    page.reload()
    row = page.locator("tr", has_text="Mutualiser une offre de mécénat")
    assert row.locator(".status-badge").inner_text().strip() == "En cours"

    # The Word document of the plan.
    with page.expect_download() as info:
        page.get_by_role("link", name="Plan d'action (Word)").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(BytesIO(download.path().read_bytes()))
    text = "\n".join(cell.text for table in document.tables for row in table.rows
                     for cell in row.cells)
    assert "Mutualiser une offre de mécénat de compétences" in text
    assert "En cours" in text


def test_partnership_plan_on_the_charter_axes(browser_page, sign_in):
    page = browser_page
    sign_in(page, "coordination@quartierlibre.demo")
    page.goto("/t/besancon/action-plans")
    page.get_by_role("link", name=re.compile("Plan d'action à 3 ans de Quartier Libre")).click()
    page.wait_for_load_state()
    for axis in ("Financement des projets communs", "Communication", "Activités partagées",
                 "Moyens humains et logistiques", "Partenariat externe"):
        assert page.get_by_role("heading", name=axis, exact=True).is_visible()
    assert_no_axe_violations(page, "plan à 3 ans")
    page.get_by_role("link", name=re.compile("Proposer un voyage culturel mensuel")).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Indicateurs de l'action").is_visible()
    assert_no_axe_violations(page, "action")
