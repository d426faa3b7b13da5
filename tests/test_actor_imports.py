"""Imports of the files people have: read whatever their tool saved, columns proposed from
their own headers and changed by the user, a preview in words, nothing written before the
confirmation, the choices remembered for the next file."""
import pytest
from sqlalchemy import func, select

from extensions import db
from territorial.actors.models import Organisation, Person
from tests.import_support import form_values, ods, submit, upload, xlsx


@pytest.fixture
def coordinator(factory, territory, login):
    user = factory.user(territory, role="coordinator")
    login(user)
    return user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


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
    assert "Prêt à importer : 4 organisation(s) créée(s)" in page
    assert "3 contact(s) ajouté(s)" in page
    assert "Centre social" in page and "centre_social" not in page.split("</form>")[1]
    # every changed value is named
    assert "Mme Nadia HADDAD" in page and "prénom « Nadia », nom « HADDAD »" in page
    assert "0612345678" in page
    assert count(Organisation) == 0  # still nothing written

    response = submit(client, page, action="apply")
    assert "4 organisation(s) créée(s), 0 mise(s) à jour et 3 contact(s)" in \
        response.get_data(as_text=True)
    epicerie = db.session.scalar(select(Organisation).where(
        Organisation.name == "Épicerie solidaire Œuvre commune"))
    assert (epicerie.kind, epicerie.address, epicerie.postal_code, epicerie.commune) == (
        "association", "3 rue de l'Église", "94220", "Charenton-le-Pont")
    club = db.session.scalar(select(Organisation).where(Organisation.name.like("Club%")))
    assert club.kind == "association"
    nadia = db.session.scalar(select(Person).where(Person.last_name == "HADDAD"))
    assert (nadia.first_name, nadia.function, nadia.phone, nadia.organisation_id) == (
        "Nadia", "Présidente", "0612345678", epicerie.id)
