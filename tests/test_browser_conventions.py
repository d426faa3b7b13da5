"""In Chromium, on the Champagne-Ardenne demo: the association enters a value through
its own access, the region's ESS department validates it; the portfolio and the
trajectories are readable; axe-core finds no violation on any page visited."""
import re

import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

INDICATOR = "Tonnes d'objets réemployés"


def test_the_association_enters_a_value_and_the_region_validates_it(browser_page, sign_in):
    page = browser_page
    sign_in(page, "association@ressourceries.demo")
    # An association's account lands on its own conventions, and sees only its own.
    assert page.url.endswith("/t/champagne-ardenne/conventions")
    assert page.get_by_role("heading", level=1).inner_text() == "Mes conventions"
    assert "Ardennes Insertion Solidaire" not in page.content()
    assert_no_axe_violations(page, "partner conventions")

    page.get_by_role("link", name=re.compile("CA-ESS-2024-01")).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("CA-ESS-2024-01")
    assert_no_axe_violations(page, "partner dashboard")

    page.get_by_role("link", name=f"Saisir la valeur 2026 de « {INDICATOR} »").click()
    assert_no_axe_violations(page, "value form")
    page.get_by_label("Valeur atteinte").fill("beaucoup")
    page.get_by_role("button", name="Enregistrer la valeur").click()
    assert "Saisissez un nombre" in page.content()  # kept on the form, in French
    assert_no_axe_violations(page, "value form with an error")
    page.get_by_label("Valeur atteinte").fill("612")
    page.get_by_label("Source").fill("Pesées du premier semestre extrapolées")
    page.get_by_label("Commentaire").fill("Nouvelle boutique à Épernay")
    page.get_by_role("button", name="Enregistrer la valeur").click()
    assert "attend la validation de la collectivité" in page.content()
    pending = page.get_by_role("region", name="Valeurs à valider")
    assert "612 tonnes" in pending.inner_text()
    assert pending.get_by_role("button").count() == 0  # the association cannot validate

    page.get_by_role("link", name="Dialogue annuel").first.click()
    page.get_by_role("link", name="Dialogue 2026").click()
    page.get_by_label(f"Ajouter une note sur « {INDICATOR} »").fill(
        "La boutique d'Épernay change d'échelle le réemploi du mobilier.")
    page.locator(f"#indicateur-{_indicator_id(page)}").get_by_role("button", name="Ajouter la note").click()
    assert "Note ajoutée au dialogue 2026" in page.content()
    assert_no_axe_violations(page, "partner dialogue")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "ess@champagne-ardenne.demo")
    assert "Conventions : valeurs à valider" in page.content()
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Conventions").click()
    assert_no_axe_violations(page, "conventions list")
    page.get_by_role("link", name="CA-ESS-2024-01").click()
    page.get_by_role("button", name=f"Valider la valeur 2026 de « {INDICATOR} »").click()
    assert f"Valeur 2026 de « {INDICATOR} » validée" in page.content()
    row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile(INDICATOR)))
    cell_2026 = row.locator("td").nth(2)
    assert "612 tonnes" in cell_2026.inner_text()
    assert "à valider" not in cell_2026.inner_text()
    assert "Cible atteinte" in cell_2026.inner_text()
    assert_no_axe_violations(page, "coordinator dashboard")


def _indicator_id(page) -> str:
    link = page.get_by_role("link", name=f"Saisir la valeur 2026 de « {INDICATOR} »")
    if link.count() == 0:
        link = page.get_by_role("link", name=f"Corriger la valeur 2026 de « {INDICATOR} »")
    return link.get_attribute("href").split("/indicators/")[1].split("/")[0]


def test_the_region_reads_its_portfolio_and_the_trajectories(browser_page, sign_in):
    page = browser_page
    sign_in(page, "ess@champagne-ardenne.demo")
    page.goto("/t/champagne-ardenne/conventions/portfolio")
    conversations = page.get_by_role("region", name="Associations à rencontrer")
    assert "Ardennes Insertion Solidaire" in conversations.inner_text()
    assert "en retard sur la cible" in conversations.inner_text()
    assert_no_axe_violations(page, "portfolio")

    page.get_by_role("link", name="CA-ESS-2024-02").first.click()
    page.wait_for_url(re.compile(r"/conventions/\d+$"))
    assert "En retard sur la cible" in page.content()
    assert_no_axe_violations(page, "dashboard behind its targets")
    page.get_by_role("link", name="Trajectoires").click()
    page.wait_for_selector(".plot[data-drawn='true']")
    assert page.locator(".plot").count() == page.locator("table.trajectory-table").count() >= 3
    assert_no_axe_violations(page, "trajectories")
    page.get_by_role("link", name="Convention et financement").click()
    assert "Conseil départemental des Ardennes" in page.content()
    assert_no_axe_violations(page, "convention details")
    page.get_by_role("link", name="Dialogue annuel").first.click()
    assert_no_axe_violations(page, "dialogue")
    page.goto("/t/champagne-ardenne/conventions/priorities")
    assert_no_axe_violations(page, "priorities")
