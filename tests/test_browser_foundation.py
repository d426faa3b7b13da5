"""In Chromium: log in, open the territory, import a CSV, see the organisations;
axe-core finds no violation on any page visited."""
import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

CSV = (
    "Organisation;Type;Commune;Prénom;Nom;Courriel\n"
    "Association Les Bricoleurs du Lac;Association;Saint-Maurice;Inès;Morel;ines@bricoleurs.fr\n"
    "Boulangerie du Marché;Entreprise;Charenton-le-Pont;Hugo;Petit;\n"
)


def test_coordinator_imports_organisations(browser_page, sign_in, tmp_path):
    page = browser_page
    page.goto("/login")
    assert_no_axe_violations(page, "login")
    sign_in(page, "coordination@charenton.demo")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Communauté de communes")
    assert_no_axe_violations(page, "territory home")

    page.get_by_role("link", name="Acteurs").click()
    assert_no_axe_violations(page, "organisations")
    page.get_by_role("button", name="Importer un fichier").click()
    assert_no_axe_violations(page, "import form")
    upload = tmp_path / "acteurs.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("Fichier du tableur (.csv, .xlsx, .ods ou .xls)").set_input_files(
        str(upload))
    page.get_by_role("button", name="Continuer").click()
    assert "Prêt à importer : 2 organisations créées" in page.content()
    assert_no_axe_violations(page, "import mapping and preview")
    page.get_by_label("Champ de la colonne « Courriel »").select_option(
        label="— Ignorer cette colonne —")
    page.get_by_role("button", name="Mettre à jour l'aperçu").click()
    assert "Colonnes ignorées : « Courriel »" in page.content()
    page.get_by_role("button", name="Confirmer l'import").click()
    assert "Import terminé" in page.content()

    page.get_by_role("searchbox", name="Recherche").fill("Bricoleurs")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Association Les Bricoleurs du Lac").click()
    assert page.get_by_role("link", name="Inès Morel").is_visible()
    assert_no_axe_violations(page, "organisation page")


def test_coordinator_cannot_open_another_territory(browser_page, sign_in):
    page = browser_page
    sign_in(page, "coordination@charenton.demo")
    response = page.goto("/t/besancon/organisations")
    assert response.status == 404
    assert "Page introuvable" in page.content()
    assert_no_axe_violations(page, "404 page")
