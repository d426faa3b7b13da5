"""In Chromium, on the Charenton demo: the picker of organisations and people used with the
keyboard only — search as one types, arrows, Enter, chips removed, an organisation created
without leaving the page — and the same form without JavaScript; axe-core finds nothing."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_no_axe_violations, pick

pytestmark = pytest.mark.browser

TERRITORY = "/t/charenton-saint-maurice"


def test_a_contact_gets_its_organisation_by_keyboard_and_a_new_one_inline(browser_page,
                                                                         sign_in):
    page = browser_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, "coordination@charenton.demo")
    page.goto(f"{TERRITORY}/people/new")
    page.locator("#last_name").fill("Picard")
    picker = page.get_by_role("combobox", name="Organisation")
    assert picker.get_attribute("aria-expanded") == "false"
    picker.press_sequentially("mission loc", delay=30)
    option = page.get_by_role("option", name=re.compile("^Mission locale des Bords de Marne"))
    option.wait_for()
    assert picker.get_attribute("aria-expanded") == "true"
    assert re.match(r"1 résultat", page.locator("[data-picker-status]").inner_text())
    assert_no_axe_violations(page, "picker open")
    picker.press("ArrowDown")
    assert picker.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    picker.press("Enter")
    assert picker.input_value() == "Mission locale des Bords de Marne"
    assert picker.get_attribute("aria-expanded") == "false"

    # Not in the directory: created from the picker, the page stays.
    picker.fill("")
    picker.press_sequentially("Ressourcerie du Val", delay=20)
    create = page.get_by_role("option", name="Créer l’organisation « Ressourcerie du Val »")
    create.wait_for()
    picker.press("ArrowUp")  # the last option
    assert create.get_attribute("aria-selected") == "true"
    picker.press("Enter")
    status = page.locator("[data-picker-status]")
    expect(status).to_contain_text("complétez sa fiche")
    assert page.url.endswith("/people/new")
    page.locator("#first_name").press("Enter")  # Enter in a field saves the form
    assert "Contact « Picard » enregistré." in page.content()
    assert page.get_by_role("link", name="Ressourcerie du Val").count() >= 1
    assert_no_axe_violations(page, "person page")

    # The people list filters by an organisation chosen the same way.
    page.goto(f"{TERRITORY}/people")
    pick(page, "Organisation", "ressourcerie", "Ressourcerie du Val")
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("link", name="Picard").count() == 1
    assert page.locator("tbody tr").count() == 1
    assert_no_axe_violations(page, "people filtered")
    assert errors == []


def test_several_people_join_a_group_as_chips(browser_page, sign_in):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "coordination@charenton.demo")
    page.goto(f"{TERRITORY}/experiments")
    page.get_by_role("link", name=re.compile("^Agir ensemble sur le territoire de Charenton")
                     ).first.click()
    page.get_by_role("link", name="Groupes de travail", exact=True).click()
    page.get_by_role("button", name="Nouveau groupe de travail").click()
    page.get_by_label("Nom du groupe").fill("GT Choisis au clavier")
    page.get_by_role("button", name="Créer le groupe").click()

    for query, name in (("haddad", "Haddad Nadia"), ("roux thom", "Roux Thomas"),
                        ("perrin", "Perrin Louis")):
        people = pick(page, "Personnes à ajouter", query, name)
        page.get_by_role("button", name=f"Retirer « {name} »").wait_for()
        assert people.input_value() == ""
    # A chip says whom it names: two homonyms are told apart by their organisation.
    assert "Mission locale des Bords de Marne" in page.locator(
        ".picker-chip", has_text="Haddad Nadia").inner_text()
    assert_no_axe_violations(page, "group with chips")
    # Thomas Roux removed by keyboard: his chip's button, then Enter.
    page.get_by_role("button", name="Retirer « Roux Thomas »").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Retirer « Roux Thomas »").count() == 0
    assert "« Roux Thomas » retiré." in page.locator("[data-picker-status]").inner_text()
    page.get_by_role("button", name="Ajouter au groupe").click()
    # Waits for the page after the redirect (``content()`` read during it answers "").
    page.get_by_text("2 personnes ont rejoint le groupe : Nadia Haddad, Louis Perrin.").wait_for()
    # The members' table (the section's picker below it may suggest Thomas again).
    members = page.locator("#membres table").inner_text()
    assert "Haddad" in members and "Perrin" in members
    assert "Thomas" not in members


def _search_without_the_picker_script(page, sign_in, last_name):
    sign_in(page, "coordination@charenton.demo")
    page.goto(f"{TERRITORY}/people/new")
    page.locator("#last_name").fill(last_name)
    page.get_by_label("Organisation", exact=True).fill("bords de marne")
    page.get_by_role("button", name="Chercher").click()
    assert page.locator("#last_name").input_value() == last_name
    choice = page.get_by_label("Nom choisi parmi ceux trouvés")
    choice.select_option(choice.locator(
        "option", has_text="Mission locale des Bords de Marne").get_attribute("value"))


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "no-picker-js"])
def test_without_javascript_chercher_finds_and_the_form_adds(chromium, live_server, sign_in,
                                                             javascript):
    """Without JavaScript at all; then with the page's other scripts but not the picker's,
    so that axe-core (a script) can check the same page."""
    context = chromium.new_context(base_url=live_server, locale="fr-FR",
                                   java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    context.route("**/js/picker.js", lambda route: route.abort())
    page = context.new_page()
    try:
        _search_without_the_picker_script(page, sign_in, f"Sans-Script-{javascript}")
        if javascript:
            assert_no_axe_violations(page, "picker without its script")
        page.get_by_role("button", name="Enregistrer").click()
        assert page.get_by_role("link", name="Mission locale des Bords de Marne").count() >= 1
    finally:
        context.close()


def test_a_territory_gets_its_parent_from_the_picker(browser_page, sign_in):
    """The settings' « Territoire parent » is searched like the directory (no select of
    every territory of the deployment)."""
    page = browser_page
    sign_in(page, "admin@demo.territoires.fr")
    page.goto(f"{TERRITORY}/settings")
    pick(page, "Territoire parent", "champagne", "Région Champagne-Ardenne")
    assert_no_axe_violations(page, "territory settings")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    assert "Territoire enregistré." in page.content()
    page.goto(f"{TERRITORY}/settings")
    combobox = page.get_by_role("combobox", name="Territoire parent")
    assert combobox.input_value() == "Région Champagne-Ardenne"
    # a name with its own parentheses is shown whole when the page comes back
    # the settings are no page of « Accueil »: the menu marks no section
    nav = page.get_by_role("navigation", name="Navigation du territoire")
    assert nav.locator("[aria-current=page]").count() == 0
    solan = "Territoire du Centre social Lo Solan (Pyrénées-Atlantiques)"
    # emptied, the field shows no list over « Enregistrer », even after the search's delay
    combobox.fill("")
    combobox.press_sequentially("rég", delay=30)
    expect(combobox).to_have_attribute("aria-expanded", "true")
    combobox.fill("")
    page.wait_for_timeout(400)
    assert combobox.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("listbox").count() == 0
    # nothing found: said in sight, not only to screen readers
    combobox.press_sequentially("zzz", delay=30)
    expect(page.locator(".picker-empty")).to_have_text("Aucun territoire ne correspond.")
    combobox.fill("")
    expect(page.locator(".picker-empty")).to_be_hidden()
    pick(page, "Territoire parent", "solan", solan)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    assert "Territoire enregistré." in page.content()
    page.goto(f"{TERRITORY}/settings")
    assert page.get_by_role("combobox", name="Territoire parent").input_value() == solan


def test_checked_actions_get_their_porteur_from_the_picker(browser_page, sign_in):
    """The plan's bulk « Structure porteuse » is searched like the directory (no select of
    every organisation of the territory); shown only for the operation that needs it."""
    page = browser_page
    sign_in(page, "coordination@quartierlibre.demo")
    page.goto("/t/besancon/action-plans")
    page.get_by_role("link", name=re.compile("Plan d'action à 3 ans de Quartier Libre")).click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Organiser un bal folk commun par saison")
    for porteur, query in (("MJC de Palente", "palente"),
                           ("Comité de quartier Rosemont Saint-Ferjeux", "rosemont")):
        page.get_by_label("Sélectionner « Organiser un bal folk commun par saison »").check()
        page.get_by_label("Opération").select_option(label="Changer le statut")
        expect(page.get_by_role("combobox", name="Structure porteuse")).to_be_hidden()
        page.get_by_label("Opération").select_option(label="Désigner la structure porteuse")
        combobox = page.get_by_role("combobox", name="Structure porteuse")
        combobox.press_sequentially(query, delay=20)
        # In the picker's list (the « Porteur » filter has options of the same names).
        page.locator("#bulk-organisation-listbox").get_by_role(
            "option", name=re.compile(f"^{porteur}")).wait_for()
        combobox.press("ArrowDown")
        combobox.press("Enter")
        assert_no_axe_violations(page, "bulk porteur")
        page.get_by_role("button", name="Appliquer aux actions cochées").click()
        expect(page.get_by_text("Structure porteuse changée pour 1 action.")).to_be_visible()
        expect(row.locator("td").nth(1)).to_contain_text(porteur)  # after the checkbox
