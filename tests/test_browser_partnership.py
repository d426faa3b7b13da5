"""In Chromium: Quartier Libre's coordinator brings a joint-project idea and walks it through the
charter's nine steps to the validated nomination of its project lead; a transition by the wrong
instance is refused; axe-core finds no violation on any page visited."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

COORDINATOR = "coordination@quartierlibre.demo"


def submit_step(page):
    page.get_by_role("button", name="Enregistrer l'étape").click()
    page.wait_for_load_state()


def test_a_joint_project_from_idea_to_validated_nomination(browser_page, sign_in):
    page = browser_page
    sign_in(page, COORDINATOR)
    page.get_by_role("navigation", name="Navigation du territoire").get_by_role(
        "link", name="Partenariats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partenariats")
    assert page.get_by_role("link", name="Quartier Libre Besançon", exact=True).is_visible()
    assert_no_axe_violations(page, "partnerships index")

    page.get_by_role("button", name="Proposer un projet commun").click()
    assert_no_axe_violations(page, "new joint project")
    page.get_by_role("button", name="Enregistrer l'idée").click()
    expect(page.locator("main")).to_contain_text("Donnez un titre au projet commun.")
    assert_no_axe_violations(page, "new joint project with errors")
    page.get_by_label("Titre du projet commun").fill("Jardins partagés des trois maisons")
    page.get_by_label("MJC de Palente").check()
    page.get_by_label("Espace informel").check()
    page.get_by_label("Innovation").check()
    page.get_by_role("button", name="Enregistrer l'idée").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jardins partagés des trois maisons")
    expect(page.locator("main")).to_contain_text(
        "Étape suivante : 2. Formalisation de la proposition")
    assert_no_axe_violations(page, "joint project")

    # 2. The porteurs formalise the proposal.
    page.get_by_label("Constat de besoins ou de problématiques").fill(
        "Des habitants veulent jardiner mais n'ont pas de terrain.")
    page.get_by_label("Analyse des besoins ou des problématiques").fill(
        "Vingt familles intéressées dans les trois quartiers.")
    page.get_by_label("Propositions (obligatoire)").fill("Un jardin partagé par quartier, un réseau commun.")
    submit_step(page)
    expect(page.locator("main")).to_contain_text(
        "Étape suivante : 3. Présentation au comité de pilotage")

    # 3. Presented to the copil by its porteurs or one of its members: the coordination, who
    # sits in neither, records it on their behalf (only those the charter names are offered).
    acting = page.get_by_label("Vous agissez pour")
    assert acting.locator("option").all_inner_texts() == [
        "Les porteurs du projet (pour son compte, d'après le compte rendu)",
        "Comité de pilotage (pour son compte, d'après le compte rendu)"]
    acting.select_option(label="Comité de pilotage (pour son compte, d'après le compte rendu)")
    page.get_by_label("L'un ou l'autre des membres du comité").check()
    submit_step(page)
    expect(page.locator("main")).to_contain_text(
        "Étape suivante : 4. Validation ou non du projet commun")

    # 4. The copil validates the project: its consensus decision, each member's position.
    assert_no_axe_violations(page, "step 4, a decision of the copil")
    page.get_by_label("Projet commun validé").check()
    page.get_by_role("button", name="Soumettre à l'instance « Comité de pilotage »").click()
    expect(page.locator("main")).to_contain_text(
        "Cette décision porte sur l'étape « Validation ou non du projet commun »")
    for select in page.locator("select[name^='position_']").all():
        select.select_option(label="Accord")
    page.get_by_role("button", name="Enregistrer les positions").click()
    assert_no_axe_violations(page, "the copil's round table")
    page.get_by_role("button", name="Conclure après le tour de table").click()
    expect(page.locator("main")).to_contain_text("est enregistrée avec cette décision")
    page.get_by_role("link", name="Jardins partagés des trois maisons").first.click()
    expect(page.locator("main")).to_contain_text("Étape suivante : 5. Information des porteurs")
    # 5. It informs the porteurs, with points of vigilance.
    page.get_by_label("Points de vigilance", exact=True).fill("Associer les services espaces verts de la Ville.")
    submit_step(page)
    # 6. It creates the working group.
    expect(page.locator("main")).to_contain_text("Étape suivante : 6. Création du groupe de travail")
    submit_step(page)
    # 7. Each house names its référent.
    expect(page.locator("main")).to_contain_text("Étape suivante : 7. Nomination des référents")
    for house, referent in (("MJC de Palente", "Samia Belhadj"),
                            ("MJC Clairs-Soleils", "Sylvie Tissot"),
                            ("Comité de quartier Rosemont Saint-Ferjeux", "Rachid Amrani")):
        page.get_by_label("Vous agissez pour").select_option(
            label=f"{house} (pour son compte, d'après le compte rendu)")
        page.get_by_label("Personne nommée : Référent").select_option(
            label=next(option for option in page.locator("#appointee_id option").all_inner_texts()
                       if option.startswith(referent)))
        submit_step(page)
    # 8. The Codir names the project lead and writes the mission statement.
    expect(page.locator("main")).to_contain_text("Étape suivante : 8. Nomination du chef de projet")
    assert_no_axe_violations(page, "naming the project lead")
    page.get_by_label("Personne nommée : Chef de projet").select_option(
        label=next(option for option in page.locator("#appointee_id option").all_inner_texts()
                   if option.startswith("Kévin Monnier")))
    page.get_by_label("Ce qu'il doit accomplir pour mener le projet").fill(
        "Animer le groupe de travail et lancer les trois jardins.")
    page.get_by_label("Temps imparti").fill("Trois heures par semaine pendant un an.")
    submit_step(page)
    # 9. The Coprédir validates the nomination.
    expect(page.locator("main")).to_contain_text("Étape suivante : 9. Validation de la nomination")
    submit_step(page)
    expect(page.locator("main")).to_contain_text(
        "Toutes les étapes de la charte sont franchies : le projet commun est lancé.")
    expect(page.locator("main")).to_contain_text("Composition conforme à la charte")
    assert page.get_by_role("link", name="Fiche de mission — Kévin Monnier (PDF)").is_visible()
    assert_no_axe_violations(page, "launched joint project")

    page.get_by_role("button", name="Conduite du projet").click()
    assert_no_axe_violations(page, "conduct of the project")


def test_the_charter_its_instances_and_decisions_are_accessible(browser_page, sign_in):
    page = browser_page
    sign_in(page, COORDINATOR)
    page.goto("/t/besancon/partnerships")
    page.get_by_role("button", name="Lire la charte").click()
    assert_no_axe_violations(page, "charter")
    page.get_by_role("button", name="Historique des versions").click()
    assert_no_axe_violations(page, "versions")
    # Version 2, named: another test may add a version 3 to the same charter.
    version_2 = page.locator("tr", has=page.get_by_role(
        "rowheader", name=re.compile(r"^Version 2\b")))
    expect(version_2).to_contain_text("adoptée le")
    version_2.get_by_role("link", name="Voir les changements").click()
    expect(page.locator("main")).to_contain_text(
        "Comité de pilotage — Rythme des réunions : ajouté : quatre fois par an, Réunions par "
        "an : 4")
    assert_no_axe_violations(page, "compare versions")
    page.goto("/t/besancon/people")
    page.get_by_role("link", name="Grosjean").first.click()
    expect(page.locator("main")).to_contain_text("Codir — Directeur")
    expect(page.locator("main")).to_contain_text("agit sous le compte")
    assert_no_axe_violations(page, "a person and her account")
    page.goto("/t/besancon/partnerships")
    page.get_by_role("link", name="Comité de pilotage", exact=True).click()
    expect(page.locator("main")).to_contain_text("Composition conforme à la charte")
    assert_no_axe_violations(page, "copil")
    page.goto("/t/besancon/partnerships/decisions?outcome=arbitrated")
    assert_no_axe_violations(page, "decision register")
    page.get_by_role("link", name="Mode de paiement des voyages").first.click()
    expect(page.locator("main")).to_contain_text("Chaîne d'arbitrage")
    assert_no_axe_violations(page, "arbitrated decision")
    page.goto("/t/besancon/partnerships/projects?status=lance")
    page.get_by_role("link", name="Voyages culturels").click()
    page.get_by_role("button", name="Conduite du projet").click()
    expect(page.locator("main")).to_contain_text("Inscriptions par maison")
    assert_no_axe_violations(page, "cultural trips conduct")


def test_a_structured_part_of_the_charter_is_edited_with_ordinary_fields(browser_page, sign_in):
    page = browser_page
    sign_in(page, COORDINATOR)
    page.goto("/t/besancon/partnerships")
    page.get_by_role("button", name="Lire la charte").click()
    page.get_by_role("button", name="Modifier « Valeurs »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier « Valeurs »")
    assert_no_axe_violations(page, "values editor")

    page.get_by_role("button", name="Ajouter une valeur").click()
    # The new element is open, its first field has the focus; nothing is saved yet.
    expect(page.get_by_label("Titre (obligatoire)").last).to_be_focused()
    page.get_by_label("Engagements (obligatoire)").last.fill(
        "Partager nos locaux\nOuvrir nos formations aux autres maisons")
    page.get_by_role("button", name="Enregistrer une nouvelle version").first.click()
    # The missing title is named at the top and next to its field; what was typed is kept.
    expect(page.get_by_role("alert")).to_contain_text("le texte ne doit pas être vide")
    expect(page.get_by_label("Engagements (obligatoire)").last).to_have_value(
        "Partager nos locaux\nOuvrir nos formations aux autres maisons")
    assert_no_axe_violations(page, "values editor with an error")

    page.get_by_label("Titre (obligatoire)").last.fill("Mutualisation")
    page.get_by_label("Ce qui change (pour l'historique)").fill("Nouvelle valeur : mutualisation")
    page.get_by_role("button", name="Enregistrer une nouvelle version").last.click()
    expect(page.locator("main")).to_contain_text("« Valeurs » modifiée")
    expect(page.locator("main")).to_contain_text("Ouvrir nos formations aux autres maisons")
