"""Imports of the files people have: read whatever their tool saved, columns proposed from
their own headers and changed by the user, a preview in words, nothing written before the
confirmation, the choices remembered for the next file."""
import pytest
from sqlalchemy import select

from extensions import db
from territorial.actors.models import Organisation, Person
from tests.import_support import (  # noqa: F401  (coordinator: a fixture)
    action_url, coordinator, count, form_values, ods, submit, upload, xlsx)


# A directory kept in French Excel, saved as « CSV (séparateur : point-virgule) »: Windows-1252,
# a title row, its own headers.
EXCEL_CSV = (
    "Annuaire des partenaires – mars 2025;;;;;;;;\r\n"
    ";;;;;;;;\r\n"
    "Nom;Type de structure;Adresse;Code postal;Commune;Contact;Fonction;Courriel;Tél.\r\n"
    "Épicerie solidaire Œuvre commune;Association;3 rue de l'Église;94220;Charenton-le-Pont;"
    "Mme Nadia HADDAD;Présidente;nadia@epicerie.example;612345678\r\n"
    "Centre social des Quais;Centre social;1 quai des Carrières;94220;Charenton-le-Pont;"
    "Thomas Roux;Directeur;t.roux@quais.example;01 43 00 00 00\r\n"
    "Boulangerie Lenôtre;SARL;12 rue de Paris;94410;Saint-Maurice;;;;\r\n"
    "Club de foot des Bords de Marne;Club sportif;;94220;Charenton-le-Pont;"
    "Léa Martin;Trésorière;;\r\n"
).encode("cp1252")


def test_a_french_excel_csv_gets_its_columns_proposed_and_a_preview_in_words(
        client, territory, coordinator):
    response = upload(client, territory, "annuaire.csv", EXCEL_CSV)
    page = response.get_data(as_text=True)
    values = form_values(page)
    assert [values[f"column-{i}"] for i in range(9)] == [
        "organisation", "kind", "address", "postal_code", "commune", "contact", "function",
        "email", "phone"]
    # the kinds it knows are translated, the one it does not waits for a choice
    assert values["kind:association"] == "association"
    assert values["kind:sarl"] == "entreprise"
    assert values["kind:club sportif"] == ""
    assert "Choisissez le type d&#39;acteur des organisations de type « Club sportif »" in page
    assert "Confirmer l&#39;import" not in page
    assert count(Organisation) == 0

    page = submit(client, page, **{"kind:club sportif": "association"}).get_data(as_text=True)
    assert "Prêt à importer : 4 organisations créées et 3 contacts ajoutés. Rien" in page
    assert "Centre social" in page and "centre_social" not in page.split("</form>")[1]
    # every changed value is named
    assert "Mme Nadia HADDAD" in page and "prénom « Nadia », nom « HADDAD »" in page
    assert "06 12 34 56 78" in page  # the 0 Excel dropped, written by pairs
    assert count(Organisation) == 0  # still nothing written

    response = submit(client, page, action="apply")
    assert "Import terminé : 4 organisations créées et 3 contacts ajoutés." in \
        response.get_data(as_text=True)
    epicerie = db.session.scalar(select(Organisation).where(
        Organisation.name == "Épicerie solidaire Œuvre commune"))
    assert (epicerie.kind, epicerie.address, epicerie.postal_code, epicerie.commune) == (
        "association", "3 rue de l'Église", "94220", "Charenton-le-Pont")
    club = db.session.scalar(select(Organisation).where(Organisation.name.like("Club%")))
    assert club.kind == "association"
    nadia = db.session.scalar(select(Person).where(Person.last_name == "HADDAD"))
    assert (nadia.first_name, nadia.function, nadia.phone, nadia.organisation_id) == (
        "Nadia", "Présidente", "06 12 34 56 78", epicerie.id)


def test_an_existing_organisation_is_updated_kept_or_doubled_as_chosen(
        client, factory, territory, coordinator):
    quais = factory.organisation(territory, name="Centre social des quais", kind="association",
                                 commune="Charenton")
    boulangerie = factory.organisation(territory, name="Boulangerie Lenotre", kind="commerce")
    club = factory.organisation(territory, name="Club de foot des Bords de Marne")
    page = upload(client, territory, "annuaire.csv", EXCEL_CSV).get_data(as_text=True)
    values = form_values(page)
    # found whatever the accents and the case; the changes the file brings are named
    assert values[f"existing-{quais.id}"] == "update"
    assert "Type d&#39;acteur « Association » → « Centre social »" in page
    assert "Commune « Charenton » → « Charenton-le-Pont »" in page
    page = submit(client, page, **{"kind:club sportif": "association",
                                   f"existing_{boulangerie.id}": "keep",
                                   f"existing_{club.id}": "create"}).get_data(as_text=True)
    assert ("Prêt à importer : 2 organisations créées, 1 organisation mise à jour, "
            "1 organisation gardée telle quelle") in page
    submit(client, page, action="apply")

    def saved(organisation, *columns):
        return tuple(db.session.execute(select(*(getattr(Organisation, c) for c in columns))
                                        .where(Organisation.id == organisation.id)).one())

    assert saved(quais, "kind", "commune", "address") == (
        "centre_social", "Charenton-le-Pont", "1 quai des Carrières")
    assert saved(boulangerie, "kind", "postal_code") == ("commerce", "")
    assert count(Organisation) == 5  # the épicerie and a second club
    roux = db.session.scalar(select(Person).where(Person.last_name == "Roux"))
    assert roux.organisation_id == quais.id


def test_the_mapping_is_remembered_for_the_next_file_with_the_same_headers(
        client, territory, coordinator):
    page = upload(client, territory, "annuaire.csv", EXCEL_CSV).get_data(as_text=True)
    page = submit(client, page, column_2="", **{"kind:club sportif": "habitant_relais"}
                  ).get_data(as_text=True)
    assert "Colonnes ignorées : « Adresse »" in page
    submit(client, page, action="apply")
    next_file = EXCEL_CSV.replace("Club de foot".encode(), b"Club de rugby")
    values = form_values(upload(client, territory, "avril.csv", next_file).get_data(as_text=True))
    assert values["column-2"] == "" and values["column-0"] == "organisation"
    assert values["kind:club sportif"] == "habitant_relais"


def test_a_libreoffice_ods_with_its_million_empty_rows(client, territory, coordinator):
    content = ods([["Liste des structures partenaires"],
                   ["Dénomination", "Forme juridique", "CP", "Localité", "E-mail", "Site web"],
                   ["Mairie de Saint-Maurice", "Collectivité", 94410, "Saint-Maurice",
                    "accueil@ville-saint-maurice.example", "www.ville-saint-maurice.example"],
                   ["Fondation des Bords de Marne", "Fondation", 1000, "Bourg-en-Bresse", "", ""]],
                  repeated_row=[""] * 3, repeat=1_048_000)
    page = upload(client, territory, "partenaires.ods", content).get_data(as_text=True)
    values = form_values(page)
    assert [values[f"column-{i}"] for i in range(6)] == [
        "organisation", "kind", "postal_code", "commune", "org_email", "website"]
    assert "Prêt à importer : 2 organisations créées" in page
    assert "https://www.ville-saint-maurice.example" in page and "01000" in page
    submit(client, page, action="apply")
    mairie = db.session.scalar(select(Organisation).where(Organisation.name.like("Mairie%")))
    assert (mairie.kind, mairie.postal_code, mairie.email) == (
        "collectivite", "94410", "accueil@ville-saint-maurice.example")


def test_an_xlsx_with_a_title_and_separate_first_and_last_names(client, territory, coordinator):
    content = xlsx([["Annuaire 2025"], [],
                    ["Structure", "Type", "Prénom", "Nom", "Rôle", "Mail", "Portable"],
                    ["Régie de quartier", "Association", "Aurélie", "Blanc", "Coordinatrice",
                     "aurelie@regie.example", "06 11 22 33 44"]])
    page = upload(client, territory, "acteurs.xlsx", content).get_data(as_text=True)
    values = form_values(page)
    assert [values[f"column-{i}"] for i in range(7)] == [
        "organisation", "kind", "first_name", "last_name", "function", "email", "phone"]
    submit(client, page, action="apply")
    person = db.session.scalar(select(Person))
    assert (person.first_name, person.last_name, person.function, person.phone) == (
        "Aurélie", "Blanc", "Coordinatrice", "06 11 22 33 44")


def test_a_utf8_csv_with_commas(client, territory, coordinator):
    content = ("Organisme,Catégorie,Ville,Interlocuteur\n"
               '"Dupont, père et fils",Entreprise,Créteil,Jean Dupont\n').encode()
    page = upload(client, territory, "a.csv", content).get_data(as_text=True)
    assert "Prêt à importer : 1 organisation créée" in page
    assert "Dupont, père et fils" in page


def test_people_alone_are_imported_the_same_way(client, factory, territory, coordinator):
    mairie = factory.organisation(territory, name="Mairie de Charenton")
    content = "Nom;Prénom;Structure;Fonction\nHaddad;Nadia;mairie de charenton;Secrétaire\n" \
              "Roux;Thomas;;Habitant\n"
    page = upload(client, territory, "contacts.csv", content.encode(),
                  target="people").get_data(as_text=True)
    assert "2 contacts ajoutés" in page
    submit(client, page, action="apply")
    nadia = db.session.scalar(select(Person).where(Person.last_name == "Haddad"))
    assert nadia.organisation_id == mairie.id
    assert count(Person) == 2 and count(Organisation) == 1


def test_people_of_a_new_organisation_ask_for_its_kind(client, territory, coordinator):
    content = "Nom;Prénom;Structure\nHaddad;Nadia;Régie de quartier\n;;Club sans personne\n"
    page = upload(client, territory, "contacts.csv", content.encode(),
                  target="people").get_data(as_text=True)
    assert "choisissez le type des nouvelles organisations" in page
    page = submit(client, page, **{"kind:": "association"}).get_data(as_text=True)
    assert "Prêt à importer : 1 organisation créée" in page
    assert "Ligne 3 : aucune personne sur cette ligne" in page
    submit(client, page, action="apply")
    assert db.session.scalar(select(Organisation.kind)) == "association"


def test_the_template_is_read_back_without_a_question(client, territory, coordinator):
    response = client.get(f"/t/{territory.slug}/organisations/import/modele.xlsx")
    page = upload(client, territory, "modele.xlsx", response.data).get_data(as_text=True)
    assert "Colonnes ignorées" not in page
    assert "Prêt à importer : 1 organisation créée" in page


def test_the_export_is_read_back_as_the_same_organisations(client, factory, territory,
                                                          coordinator):
    organisation = factory.organisation(territory, name="Épicerie", kind="association",
                                        address="3 rue de l'Église", postal_code="94220")
    factory.person(territory, organisation, first_name="Léa", last_name="Martin")
    export = client.get(f"/t/{territory.slug}/organisations/export.csv").data
    page = upload(client, territory, "export.csv", export).get_data(as_text=True)
    assert "Colonnes ignorées" not in page
    assert ("Prêt à importer : 1 organisation gardée telle quelle et 1 ligne laissée de côté. "
            "Rien") in page
    assert "Léa Martin est déjà dans l&#39;annuaire" in page


# Bad input -----------------------------------------------------------------------------

def _refusal(client, territory, filename, content) -> str:
    response = upload(client, territory, filename, content)
    assert response.status_code == 422
    return response.get_data(as_text=True)


@pytest.mark.parametrize("filename, content, message", [
    ("vide.csv", b"", "Le fichier est vide."),
    ("vide.csv", b";;;\r\n;;;\r\n", "Le fichier est vide."),
    ("titre.csv", "Organisation;Commune\n".encode(), "aucune ligne sous la ligne des en-têtes"),
    ("mac.csv", b"Organisation\n\x81\x8d\x8f\n", "Le codage des caractères du fichier"),
    ("lignes.csv", b"Organisation\n" + b"Association\n" * 100_000, "5000 lignes"),
    ("cellule.csv", b"Organisation\n" + b"x" * 1_000_000 + b"\n", "10 000 caractères"),
    ("pdf.xlsx", b"%PDF-1.4", "ne peut pas être lu"),
    ("image.pdf", b"%PDF-1.4", "Seuls les fichiers de tableur"),
])
def test_files_that_cannot_be_read_are_refused_in_french(client, territory, coordinator,
                                                         filename, content, message):
    assert message in _refusal(client, territory, filename, content).replace("&#39;", "'")
    assert count(Organisation) == 0


def test_an_ods_row_repeated_a_million_times_is_refused_at_the_limit(client, territory,
                                                                    coordinator):
    bomb = ods([["Organisation"]], repeated_row=["Association"], repeat=1_000_000)
    assert "5000 lignes" in _refusal(client, territory, "bombe.ods", bomb)


@pytest.mark.parametrize("cell", ["Mairie\x00", "Ma\u202eirie", "Mairie\x1b[31m"])
def test_invisible_characters_are_named_and_never_shown(client, territory, coordinator, cell):
    content = f"Organisation;Commune\n{cell};Charenton\nÉpicerie;Charenton\n".encode()
    page = upload(client, territory, "a.csv", content).get_data(as_text=True)
    assert "Ligne 2, colonne « Organisation » : Cette cellule contient un caractère invisible" \
        in page
    assert cell not in page and "\u202e" not in page
    assert "Confirmer l&#39;import" not in page


def test_a_formula_is_kept_as_text_and_neutralised_in_the_export(client, territory,
                                                                 coordinator):
    content = 'Organisation;Type\n=HYPERLINK("http://x.example");Association\n'
    page = upload(client, territory, "a.csv", content.encode()).get_data(as_text=True)
    submit(client, page, action="apply")
    assert db.session.scalar(select(Organisation.name)).startswith("=HYPERLINK")
    export = client.get(f"/t/{territory.slug}/organisations/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in export


def test_two_columns_for_one_field_or_none_for_the_required_one(client, territory, coordinator):
    page = upload(client, territory, "annuaire.csv", EXCEL_CSV).get_data(as_text=True)
    page = submit(client, page, column_4="address").get_data(as_text=True)
    assert ("Les colonnes « Adresse » et « Commune » sont toutes deux associées à « Adresse »"
            in page)
    page = submit(client, page, column_4="commune", column_0="").get_data(as_text=True)
    assert "Aucune colonne n&#39;est associée à « Organisation (nom) », qui est obligatoire" \
        in page
    assert "Confirmer l&#39;import" not in page
    assert count(Organisation) == 0


def test_confirming_after_changing_a_choice_shows_the_preview_again(client, territory,
                                                                    coordinator):
    page = upload(client, territory, "annuaire.csv", EXCEL_CSV).get_data(as_text=True)
    page = submit(client, page, **{"kind:club sportif": "association"}).get_data(as_text=True)
    page = submit(client, page, action="apply", column_2="").get_data(as_text=True)
    assert "Vos choix ont changé depuis l&#39;aperçu" in page
    assert count(Organisation) == 0
    submit(client, page, action="apply")
    assert count(Organisation) == 4


def test_another_users_batch_is_not_found(app, client, factory, territory, coordinator, login):
    page = upload(client, territory, "annuaire.csv", EXCEL_CSV).get_data(as_text=True)
    colleague = login(factory.user(territory, role="coordinator"), target=app.test_client())
    assert colleague.get(action_url(page)).status_code == 404


def test_each_bad_row_is_named_and_nothing_is_imported(client, territory, coordinator):
    content = ("Organisation;Type;Prénom;Nom;Courriel;Code postal\n"
               "Mission locale;Association;Nadia;Haddad;nadia@ml.example;94220\n"
               ";Association;Léa;;lea@;94220\n"
               "Pharmacie;Commerce;;;;94 2\n")
    page = upload(client, territory, "a.csv", content.encode()).get_data(as_text=True)
    assert "Ligne 3, colonne « Courriel » : Adresse électronique invalide" in page
    assert "Ligne 3, colonne « Organisation (nom) » : Le nom de l&#39;organisation est obligatoire" \
        in page
    assert "Ligne 4, colonne « Code postal » : Code postal « 94 2 » : cinq chiffres attendus" \
        in page
    assert "Confirmer l&#39;import" not in page
    response = submit(client, page, action="apply")
    assert count(Organisation) == 0 and "Réglez d'abord les points signalés" in \
        response.get_data(as_text=True).replace("&#39;", "'")


def test_an_organisation_holds_its_address_postal_code_and_insee_code(client, territory,
                                                                     coordinator):
    response = client.post(f"/t/{territory.slug}/organisations/new", data={
        "name": "Épicerie", "kind": "association", "address": "3 rue de l'Église",
        "postal_code": "9422", "commune": "Charenton-le-Pont", "insee_code": "94018"})
    assert "Cinq chiffres, par exemple 94220." in response.get_data(as_text=True)
    response = client.post(f"/t/{territory.slug}/organisations/new", data={
        "name": "Épicerie", "kind": "association", "address": "3 rue de l'Église",
        "postal_code": "94220", "commune": "Charenton-le-Pont", "insee_code": "94018"},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "3 rue de l&#39;Église, 94220" in page and "code INSEE 94018" in page
