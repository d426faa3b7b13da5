"""The members of a working group from a file, the same way as the directory's imports
(mapping step, preview in words, all or nothing), and exports that read back unchanged."""
import html
import re

import pytest
from sqlalchemy import select

from extensions import db
from facilitation.working_groups.models import WorkingGroupMember
from territorial.actors.models import Organisation, Person
from tests.import_support import (  # noqa: F401  (coordinator: a fixture)
    coordinator, count, form_values, ods, submit, upload, xlsx)


def members_of(group) -> set[str]:
    return set(db.session.scalars(
        select(Person.last_name).join(WorkingGroupMember,
                                      WorkingGroupMember.person_id == Person.id)
        .where(WorkingGroupMember.working_group_id == group.id)))


@pytest.fixture
def directory(factory, territory):
    """A territory whose directory already holds a social centre, two of its people and a
    homonym elsewhere."""
    quais = factory.organisation(territory, name="Centre social des Quais",
                                 kind="centre_social")
    roux = factory.person(territory, quais, first_name="Thomas", last_name="Roux",
                          email="t.roux@quais.example")
    martin = factory.person(territory, quais, first_name="Léa", last_name="Martin")
    other = factory.organisation(territory, name="Mairie")
    factory.person(territory, other, first_name="Léa", last_name="Martin")
    return {"quais": quais, "roux": roux, "martin": martin}


# The list the facilitator was sent: an .xlsx with a title, its own headers (« Rôle »,
# « Structure », « Type »), a person known by email under another spelling of the name,
# one known by name and organisation, one new in a new organisation, one already in.
GROUP_XLSX = [
    ["GT Insertion des jeunes – participants pressentis"],
    [],
    ["Prénom", "Nom", "Rôle", "Structure", "Type", "E-mail"],
    ["Tom", "ROUX", "Directeur", "Centre social des Quais", "Centre social",
     "T.Roux@quais.example"],
    ["Lea", "martin", "Animatrice", "centre social des quais", "Centre social", ""],
    ["Karim", "Benali", "Gérant", "Garage Benali", "SARL", "karim@garage.example"],
    ["Inès", "Moreau", "Chargée de mission", "", "", ""],
    ["Thomas", "Roux", "", "", "", "t.roux@quais.example"],
]


def test_members_are_found_or_created_and_join_the_group(client, factory, territory,
                                                         coordinator, directory):
    moreau = factory.person(territory, first_name="Inès", last_name="Moreau")
    group = factory.working_group(territory, title="GT Insertion des jeunes",
                                  members=[moreau])
    detail = client.get(f"/t/{territory.slug}/groups/{group.id}").get_data(as_text=True)
    assert f"/groups/{group.id}/members/import" in detail

    page = upload(client, territory, "gt.xlsx", xlsx(GROUP_XLSX),
                  target=f"groups/{group.id}/members").get_data(as_text=True)
    values = form_values(page)
    assert [values[f"column-{i}"] for i in range(6)] == [
        "first_name", "last_name", "function", "organisation", "kind", "email"]
    text = html.unescape(page)
    assert "Prêt à importer : 1 organisation créée" in text and "Entreprise" in text
    assert ("3 personnes rejoindront le groupe « GT Insertion des jeunes » : 2 déjà dans "
            "l'annuaire, 1 nouvelle.") in text
    # already in the group, but the file gives her function: offered as an update
    assert "Inès Moreau fait déjà partie du groupe." not in text
    assert "Mettre à jour : Fonction « (vide) » → « Chargée de mission »" in text
    assert "Ligne 8 : Thomas Roux figure déjà à la ligne 4." in text
    assert count(WorkingGroupMember) == 1  # nothing written before the confirmation

    response = submit(client, page, action="apply")
    assert "3 personnes ont rejoint le groupe." in html.unescape(response.get_data(as_text=True))
    assert members_of(group) == {"Roux", "Martin", "Benali", "Moreau"}
    assert count(Person) == 5  # Karim Benali only: Roux found by email, Martin by name
    benali = db.session.scalar(select(Person).where(Person.last_name == "Benali"))
    garage = db.session.get(Organisation, benali.organisation_id)
    assert (garage.name, garage.kind, benali.function) == ("Garage Benali", "entreprise",
                                                           "Gérant")
    martin_in = db.session.scalars(select(WorkingGroupMember.person_id).where(
        WorkingGroupMember.working_group_id == group.id)).all()
    assert directory["martin"].id in martin_in  # the Léa Martin of the social centre


def test_a_csv_of_members_without_organisation_and_a_homonym(client, factory, territory,
                                                             coordinator, directory):
    """« Léa Martin » without an organisation could be either of two people: she is not
    guessed, she is added as a new person; a person of the list with an error stops it all."""
    group = factory.working_group(territory, title="GT Mobilité")
    content = ("Nom;Prénom;Fonction;Courriel\n"
               "Martin;Léa;Bénévole;\n"
               "Roux;Thomas;Directeur;\n"
               "Haddad;Nadia;Présidente;nadia@\n").encode("cp1252")
    page = upload(client, territory, "membres.csv", content,
                  target=f"groups/{group.id}/members").get_data(as_text=True)
    text = html.unescape(page)
    assert "Ligne 4, colonne « Courriel » : Adresse électronique invalide" in text
    assert "Confirmer l'import" not in text
    submit(client, page, action="apply")
    assert members_of(group) == set() and count(Person) == 3

    fixed = content.replace(b"nadia@", b"nadia@epicerie.example")
    page = upload(client, territory, "membres.csv", fixed,
                  target=f"groups/{group.id}/members").get_data(as_text=True)
    assert "1 déjà dans l'annuaire, 2 nouvelles." in html.unescape(page)
    submit(client, page, action="apply")
    assert members_of(group) == {"Martin", "Roux", "Haddad"}
    assert count(Person) == 5


def test_an_ods_list_of_members_and_the_template(client, factory, territory, coordinator):
    group = factory.working_group(territory, title="GT Emploi")
    template = client.get(f"/t/{territory.slug}/groups/{group.id}/members/import/modele.xlsx")
    assert template.status_code == 200
    page = upload(client, territory, "modele.xlsx", template.data,
                  target=f"groups/{group.id}/members").get_data(as_text=True)
    assert "Colonnes ignorées" not in page
    content = ods([["Participants"], ["Nom", "Prénom", "Poste", "Organisme", "Catégorie"],
                   ["Blanc", "Aurélie", "Coordinatrice", "Régie de quartier", "Association"]])
    page = upload(client, territory, "liste.ods", content,
                  target=f"groups/{group.id}/members").get_data(as_text=True)
    assert form_values(page)["column-2"] == "function"
    submit(client, page, action="apply")
    assert members_of(group) == {"Blanc"}


def test_an_archived_person_of_the_file_is_named(client, factory, territory, coordinator,
                                                 directory):
    from territorial.common.models import utcnow

    directory["roux"].archived_at = utcnow()
    factory._add(directory["roux"])
    group = factory.working_group(territory)
    page = upload(client, territory, "m.csv", b"Nom;Courriel\nRoux;t.roux@quais.example\n",
                  target=f"groups/{group.id}/members").get_data(as_text=True)
    assert "Thomas Roux est archivé(e) dans l'annuaire" in html.unescape(page), re.sub(r"<[^>]+>", "", page)[-1500:]
    assert "Confirmer l&#39;import" not in page


def test_a_participant_may_not_import_members(app, client, factory, territory, login):
    group = factory.working_group(territory)
    login(factory.user(territory, role="participant"))
    url = f"/t/{territory.slug}/groups/{group.id}/members/import"
    assert client.get(url).status_code == 403
    page = client.get(f"/t/{territory.slug}/groups/{group.id}").get_data(as_text=True)
    assert "/members/import" not in page


# Round trips ------------------------------------------------------------------------------

def _directory_state():
    organisations = db.session.execute(select(
        Organisation.name, Organisation.kind, Organisation.address, Organisation.postal_code,
        Organisation.commune, Organisation.insee_code, Organisation.email, Organisation.phone,
        Organisation.website).order_by(Organisation.id)).all()
    people = db.session.execute(select(
        Person.first_name, Person.last_name, Person.function, Person.email, Person.phone,
        Person.organisation_id).order_by(Person.id)).all()
    return organisations, people


@pytest.fixture
def kept_directory(factory, territory):
    epicerie = factory.organisation(
        territory, name="Épicerie solidaire", kind="association", sector="Alimentation",
        address="3 rue de l'Église", postal_code="01000", commune="Bourg-en-Bresse",
        insee_code="01053", email="contact@epicerie.example", phone="+33 4 74 00 00 00",
        website="https://epicerie.example")
    factory.organisation(territory, name="Mairie de Saint-Maurice", kind="collectivite",
                         commune="Saint-Maurice")
    factory.person(territory, epicerie, first_name="Léa", last_name="Martin",
                   function="Présidente", email="lea@epicerie.example", phone="06 12 34 56 78")
    factory.person(territory, epicerie, first_name="Jean-Marc", last_name="Dupont",
                   function="Trésorier", phone="+33 6 00 00 00 00")
    factory.person(territory, first_name="Inès", last_name="Moreau", function="Habitante")


@pytest.mark.parametrize("export, target", [
    ("organisations/export.csv", "organisations"), ("people/export.csv", "people")])
def test_an_export_reads_back_without_creating_or_changing_anything(
        client, territory, coordinator, kept_directory, export, target):
    before = _directory_state()
    data = client.get(f"/t/{territory.slug}/{export}").data
    page = upload(client, territory, "export.csv", data, target=target).get_data(as_text=True)
    text = html.unescape(page)
    assert "Colonnes ignorées" not in text and "point à régler" not in text
    summary = text.split("Prêt à importer : ")[1].split(".")[0]
    assert "créée" not in summary and "mise à jour" not in summary and "ajouté" not in summary
    submit(client, page, action="apply")
    assert _directory_state() == before


def test_the_people_export_has_the_columns_of_the_people_import(client, territory,
                                                                coordinator, kept_directory):
    text = client.get(f"/t/{territory.slug}/people/export.csv").data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Prénom;Nom;Fonction;Courriel;Téléphone;Organisation;Type d'organisation"
    assert "Léa;Martin;Présidente;lea@epicerie.example;06 12 34 56 78;Épicerie solidaire;" \
           "Association" in lines
    assert "Jean-Marc;Dupont;Trésorier;;'+33 6 00 00 00 00;Épicerie solidaire;Association" \
        in lines  # neutralised for the spreadsheet, read back as it was


def test_a_failure_while_joining_leaves_nothing_half_imported(client, factory, territory,
                                                              coordinator, monkeypatch):
    """The people and organisations are written first, then they join the group: when the
    joining is refused, the request writes nothing at all."""
    from facilitation.working_groups import operations
    from territorial.common.errors import DomainError

    group = factory.working_group(territory)
    page = upload(client, territory, "m.xlsx", xlsx(GROUP_XLSX),
                  target=f"groups/{group.id}/members").get_data(as_text=True)

    def refused(group, person_ids):
        raise DomainError("Le groupe a été archivé entre-temps.")

    monkeypatch.setattr(operations, "add_members", refused)
    response = submit(client, page, action="apply")
    assert "Le groupe a été archivé entre-temps." in response.get_data(as_text=True)
    assert count(Person) == 0 and count(Organisation) == 0 and members_of(group) == set()
