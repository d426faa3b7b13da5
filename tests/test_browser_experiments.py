"""In Chromium: a coordinator creates an experiment from the method, adds a theme and a
working group, composes it, and sees the Gantt chart; the demo experiment's pages are
axe-clean."""
import re

import pytest

from tests.browser_support import assert_no_axe_violations, pick

pytestmark = pytest.mark.browser

TERRITORY = "/t/charenton-saint-maurice"


def test_coordinator_builds_an_experiment_and_sees_its_gantt(browser_page, sign_in):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "coordination@charenton.demo")
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Expérimentations").click()
    assert_no_axe_violations(page, "experiments index")
    page.get_by_role("button", name="Nouvelle expérimentation").click()
    assert_no_axe_violations(page, "new experiment form")
    page.get_by_label("Titre de l'expérimentation").fill("Agir ensemble – essai navigateur")
    page.get_by_label("Périmètre géographique").fill("Saint-Maurice")
    page.get_by_label("Date de début").fill("2027-01-04")
    page.get_by_label("Emploi").check()
    page.get_by_role("button", name="Créer l'expérimentation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Agir ensemble – essai navigateur"
    assert "Avancement du cadre : 1 section rédigée sur 13" in page.content()
    assert_no_axe_violations(page, "cadre")

    # Edit a section in place.
    page.get_by_text("Rédiger « Objectifs de l'expérimentation »").click()
    page.get_by_label("Texte de la section « Objectifs de l'expérimentation »").fill(
        "Inventer collectivement des solutions de partenariat.")
    page.get_by_role("button", name="Enregistrer la section").first.click()
    assert "Avancement du cadre : 2 sections rédigées sur 13" in page.content()

    # A theme, with its group, then a second group.
    page.get_by_role("link", name="Groupes de travail", exact=True).click()
    page.get_by_role("combobox", name=re.compile("^Thématique")).fill("Mobilité")
    page.get_by_role("button", name="Ajouter la thématique").click()
    assert "Thématique « Mobilité » ajoutée." in page.content()
    assert page.get_by_role("link", name="GT Mobilité").is_visible()
    assert_no_axe_violations(page, "groups tab")
    page.get_by_role("button", name="Nouveau groupe de travail").click()
    page.get_by_label("Nom du groupe").fill("GT Mobilité des seniors")
    page.get_by_label("Thématique", exact=True).select_option(label="Mobilité")
    page.get_by_role("button", name="Créer le groupe").click()
    assert page.get_by_role("heading", level=1).inner_text() == "GT Mobilité des seniors"
    pick(page, "Personnes à ajouter", "nadia hadd", "Haddad Nadia")
    page.get_by_role("button", name="Ajouter au groupe").click()
    assert "Nadia Haddad a rejoint le groupe." in page.content()
    assert "Le groupe compte 1 membre" in page.content()
    assert_no_axe_violations(page, "working group page")

    # The planning: a Gantt drawn by Plotly, the table below it.
    page.get_by_role("link", name="Agir ensemble – essai navigateur").click()
    page.get_by_role("link", name="Planning", exact=True).click()
    page.wait_for_selector("#planning-chart[data-drawn='true'] .main-svg")
    assert page.locator("#planning-chart .barlayer .point").count() == 3
    assert page.locator("#planning-chart .scatterlayer .point").count() == 2 + 5 + 9
    assert page.get_by_role("row", name=re.compile("GT Mobilité des seniors")).count() == 3
    assert_no_axe_violations(page, "planning")


def test_demo_experiment_pages_are_accessible(browser_page, sign_in):
    page = browser_page
    sign_in(page, "coordination@charenton.demo")
    page.goto(f"{TERRITORY}/experiments")
    page.get_by_role("link", name="Agir ensemble sur le territoire de Charenton-Saint-Maurice").click()
    assert "Pour les associations" in page.content()
    for tab in ("Parties et livrables", "Entretiens", "Groupes de travail", "Planning",
                "Rôles (RACI)", "Documents", "Cadre"):
        page.get_by_role("navigation", name="Espace de l’expérimentation").get_by_role(
            "link", name=tab, exact=True).click()
        if tab == "Planning":
            page.wait_for_selector("#planning-chart[data-drawn='true']")
        assert_no_axe_violations(page, f"demo {tab}")
    page.get_by_role("link", name="Groupes de travail").click()
    page.get_by_role("link", name="GT Emploi").click()
    assert "Composition conforme à la méthode" in page.content()
    assert_no_axe_violations(page, "demo group")
    page.get_by_role("link", name=re.compile("^GT1 : diagnostic partagé")).click()
    assert "Comptes rendus des entretiens préparatoires" in page.content()
    assert "Louis Perrin" in page.content()
    assert_no_axe_violations(page, "demo GT1")
    page.goto(f"{TERRITORY}/agenda")
    assert_no_axe_violations(page, "agenda")
    page.goto(f"{TERRITORY}/")
    assert "Prochaines séances" in page.content()


def test_shortening_an_experiment_asks_about_its_sessions_then_the_planning_says_so(
        browser_page, sign_in):
    page = browser_page
    sign_in(page, "coordination@charenton.demo")
    page.goto(f"{TERRITORY}/experiments/new")
    page.get_by_label("Titre de l'expérimentation").fill("Essai raccourci")
    page.get_by_label("Périmètre géographique").fill("Charenton-le-Pont")
    page.get_by_label("Date de début").fill("2027-01-04")
    page.get_by_role("button", name="Créer l'expérimentation").click()
    page.get_by_role("button", name="Modifier l'expérimentation").click()
    page.get_by_label("Date de fin").fill("2027-03-31")
    page.get_by_role("button", name="Enregistrer").click()
    assert "tomberaient hors de la nouvelle période" in page.content()
    assert_no_axe_violations(page, "sessions left outside: the question")
    page.get_by_label("Garder leurs dates : elles restent signalées sur le planning").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert "restent hors de la période : elles sont signalées sur le planning" in page.content()
    page.get_by_role("navigation", name="Espace de l’expérimentation").get_by_role(
        "link", name="Planning", exact=True).click()
    page.wait_for_selector("#planning-chart[data-drawn='true']")
    assert "Séances hors de la période de l'expérimentation" in page.content()
    assert_no_axe_violations(page, "planning with warnings")
