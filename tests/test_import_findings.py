"""What a coordinator found importing her own files: a row left aside creates nothing, compound
surnames, people already in the directory completed, the group page after an import, a
workbook under a .csv name, a title alone, phones Excel read as numbers."""
import html

import pytest
from sqlalchemy import select

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.actors.import_cells import french_phone
from tests.import_support import (  # noqa: F401  (coordinator: a fixture)
    coordinator, count, ods, submit, upload, xls, xlsx)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_row_left_aside_creates_no_organisation_and_asks_no_kind(
        client, factory, territory, coordinator):
    mission = factory.organisation(territory, name="Mission locale", kind="association")
    factory.person(territory, mission, first_name="Mélanie", last_name="Boyer",
                   email="melanie.boyer@ml.example")
    group = factory.working_group(territory, title="GT Jeunes")
    rows = [["Participants du GT"],
            ["Prénom", "Nom", "Structure", "Type", "E-mail"],
            ["Mélanie", "Boyer", "Mission locale", "Association", "melanie.boyer@ml.example"],
            ["Karim", "Benali", "Garage Benali", "SARL", "karim@garage.example"],
            ["Mélanie", "BOYER", "E2C 94", "École de la deuxième chance",
             "melanie.boyer@ml.example "]]
    page = upload(client, territory, "gt.xlsx", xlsx(rows),
                  target=f"groups/{group.id}/members")
    text = text_of(page)
    assert "Ligne 5 : Mélanie Boyer figure déjà à la ligne 3." in text
    plan = text.split("</form>")[1]
    assert "E2C 94" not in plan.split("laissée de côté")[0]
    assert "« École de la deuxième chance »" not in text  # no kind asked for it
    assert "Prêt à importer : 1 organisation créée" in text

    submit(client, page.get_data(as_text=True), action="apply")
    names = set(db.session.scalars(select(Organisation.name)))
    assert names == {"Mission locale", "Garage Benali"}


def test_compound_surnames_are_kept_whole_and_an_unsure_cut_is_shown(
        client, territory, coordinator):
    content = ("Contact;Organisation;Type\n"
               "Pierre-Yves Le Gall;Régie de quartier;Association\n"
               "Anaïs Da Silva;Régie de quartier;Association\n"
               "Youssef Ait Ali;Régie de quartier;Association\n"
               "Marie Claire Dupont;Régie de quartier;Association\n").encode("utf-8")
    page = upload(client, territory, "contacts.csv", content, target="people")
    text = text_of(page)
    assert "Marie Claire Dupont" in text and "(à vérifier" in text
    assert "Pierre-Yves Le Gall" not in text.split("</form>")[1]
    submit(client, page.get_data(as_text=True), action="apply")
    people = set(db.session.execute(select(Person.first_name, Person.last_name)).all())
    assert people == {("Pierre-Yves", "Le Gall"), ("Anaïs", "Da Silva"),
                      ("Youssef", "Ait Ali"), ("Marie Claire", "Dupont")}


@pytest.fixture
def moreau(factory, territory):
    quais = factory.organisation(territory, name="Centre social des Quais",
                                 kind="centre_social")
    return factory.person(territory, quais, first_name="Inès", last_name="Moreau",
                          function="Animatrice").id


def details(person_id: int) -> tuple:
    return db.session.execute(select(Person.function, Person.email, Person.phone)
                              .where(Person.id == person_id)).one()


PEOPLE_CSV = ("Prénom;Nom;Fonction;Courriel;Téléphone;Organisation\n"
              "Inès;Moreau;Directrice;ines@quais.example;674129833;Centre social des Quais\n"
              ).encode("utf-8")


def test_a_person_of_the_directory_gets_the_details_of_the_file(
        client, territory, coordinator, moreau):
    page = upload(client, territory, "personnes.csv", PEOPLE_CSV, target="people")
    text = text_of(page)
    assert ("Mettre à jour : Fonction « Animatrice » → « Directrice » ; Courriel « (vide) » → "
            "« ines@quais.example » ; Téléphone « (vide) » → « 06 74 12 98 33 »") in text
    assert "Inès Moreau est déjà dans l'annuaire" not in text
    # the phone Excel read as a number is named among the changed values
    assert "674129833" in text.split("valeurs modifiées")[-1]

    response = submit(client, page.get_data(as_text=True), action="apply")
    assert "1 contact de l'annuaire mis à jour." in text_of(response)
    assert details(moreau) == ("Directrice", "ines@quais.example", "06 74 12 98 33")
    assert count(Person) == 1


def test_a_person_of_the_directory_may_be_kept_as_is(client, territory, coordinator, moreau):
    page = upload(client, territory, "personnes.csv", PEOPLE_CSV, target="people")
    page = submit(client, page.get_data(as_text=True), **{f"person_{moreau}": "keep"})
    submit(client, page.get_data(as_text=True), action="apply")
    assert details(moreau) == ("Animatrice", "", "")


def test_the_group_page_after_an_import_describes_the_group_as_it_is_now(
        client, factory, territory, coordinator):
    group = factory.working_group(territory, title="GT Mobilité")
    rows = [["Prénom", "Nom", "Structure", "Type"],
            ["Léa", "Martin", "Régie de quartier", "Association"],
            ["Karim", "Benali", "Garage Benali", "Entreprise"],
            ["Nadia", "Haddad", "Épicerie", "Association"]]
    page = upload(client, territory, "gt.xlsx", xlsx(rows),
                  target=f"groups/{group.id}/members")
    text = text_of(submit(client, page.get_data(as_text=True), action="apply"))
    assert "3 personnes ont rejoint le groupe." in text
    assert "Le groupe compte 0 membre" not in text
    assert "Aucun membre ne vient d'une structure de type" not in text


@pytest.mark.parametrize("make", [xlsx, ods, xls])
def test_a_workbook_named_csv_is_read_as_a_workbook(client, territory, coordinator, make):
    content = make([["Organisation", "Type"], ["Régie de quartier", "Association"]])
    text = text_of(upload(client, territory, "annuaire.csv", content))
    assert "codage des caractères" not in text
    assert "Prêt à importer : 1 organisation créée" in text


def test_a_file_with_a_title_alone_holds_no_table(client, territory, coordinator):
    text = text_of(upload(client, territory, "vide.xlsx", xlsx([["Annuaire des partenaires"]])))
    assert "aucune ligne sous la ligne des en-têtes" not in text
    assert "Le fichier ne contient aucun tableau" in text


def test_in_english_a_kind_named_by_its_own_word_is_no_changed_value(
        client, territory, coordinator):
    client.post("/language", data={"language": "en", "next": "/account"})
    content = "Organisation;Type\nRégie de quartier;Association\nMairie;Mairie\n".encode()
    page = upload(client, territory, "a.csv", content).get_data(as_text=True)
    assert "<td>Association</td><td>Voluntary organisation</td>" not in page
    assert "<td>Mairie</td><td>Local authority</td>" in page


@pytest.mark.parametrize("cell, kept", [
    ("674129833", "06 74 12 98 33"), ("143000000", "01 43 00 00 00"),
    ("06.74.12.98.33", "06 74 12 98 33"), ("0674129833", "06 74 12 98 33"),
    ("+33 6 74 12 98 33", "+33 6 74 12 98 33"), ("912345678", "912345678"),
    ("3949", "3949")])
def test_a_french_phone_gets_its_zero_back_and_is_written_by_pairs(cell, kept):
    assert french_phone(cell) == kept
