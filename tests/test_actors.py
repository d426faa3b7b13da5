"""Organisations and people: forms, lists, import and export."""
import csv
import io

import pytest
from sqlalchemy import func, select

from extensions import db
from territorial.actors.models import Organisation, Person


@pytest.fixture
def territory(factory):
    return factory.territory(slug="charenton")


@pytest.fixture
def coordinator(factory, territory, login):
    user = factory.user(territory, role="coordinator")
    login(user)
    return user


def test_create_organisation(client, territory, coordinator):
    response = client.post("/t/charenton/organisations/new", data={
        "name": "Mission locale", "kind": "association", "sector": "Insertion",
        "commune": "Charenton-le-Pont", "email": "", "phone": "", "website": "", "description": ""})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mission locale" in page and "Insertion" in page


def test_invalid_organisation_keeps_values_and_explains_in_french(client, territory, coordinator):
    response = client.post("/t/charenton/organisations/new", data={
        "name": "", "kind": "association", "sector": "Culture", "commune": "Saint-Maurice",
        "email": "pas-une-adresse", "website": "ftp:/x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p id="name-error" class="field-error">Ce champ est requis.</p>' in page
    assert '<p id="email-error" class="field-error">Adresse électronique non valide.</p>' in page
    assert ('<p id="website-error" class="field-error">Adresse web invalide : indiquez une '
            "adresse qui commence par https://") in page
    assert page.count('aria-invalid="true"') == 3
    assert 'value="Culture"' in page and 'value="Saint-Maurice"' in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_observer_cannot_create(client, factory, territory, login):
    login(factory.user(territory, role="observer"))
    assert client.get("/t/charenton/organisations/new").status_code == 403
    page = client.get("/t/charenton/organisations").get_data(as_text=True)
    assert "Nouvelle organisation" not in page


def test_list_search_filters_and_pagination(client, factory, territory, coordinator, app):
    for n in range(30):
        factory.organisation(territory, name=f"Asso {n:02d}", kind="association",
                             commune="Saint-Maurice")
    factory.organisation(territory, name="Boulangerie", kind="entreprise", commune="Charenton")
    page1 = client.get("/t/charenton/organisations").get_data(as_text=True)
    assert "Page 1 sur 2" in page1 and "31 résultats" in page1
    filtered = client.get("/t/charenton/organisations?kind=entreprise").get_data(as_text=True)
    assert "Boulangerie" in filtered and "Asso 00" not in filtered
    searched = client.get("/t/charenton/organisations?q=asso+07").get_data(as_text=True)
    assert "Asso 07" in searched and "Asso 08" not in searched


def test_list_search_ignores_accents_and_word_order(client, factory, territory, coordinator):
    """The lists search names as the pickers do: « ecole charenton » finds « École de
    Charenton »; a person by first and last name in any order; the function still counts."""
    factory.organisation(territory, name="École de Charenton")
    factory.organisation(territory, name="Ecole Saint-Maurice", description="Écoles")
    person = factory.person(territory, None, first_name="Hélène", last_name="Lefèvre")
    person.function = "Animatrice jeunesse"
    db.session.commit()
    found = client.get("/t/charenton/organisations?q=charenton+ECOLE").get_data(as_text=True)
    assert "École de Charenton" in found and "Ecole Saint-Maurice" not in found
    for query in ("lefevre helene", "Hélène", "animatrice"):
        page = client.get(f"/t/charenton/people?q={query}").get_data(as_text=True)
        assert "Lefèvre" in page, query
    assert "Lefèvre" not in client.get("/t/charenton/people?q=martin").get_data(as_text=True)


def test_archive_hides_from_list_and_can_be_restored(client, factory, territory, coordinator):
    organisation = factory.organisation(territory, name="Ancienne asso")
    client.post(f"/t/charenton/organisations/{organisation.id}/archive")
    assert "Ancienne asso" not in client.get("/t/charenton/organisations").get_data(as_text=True)
    assert "Ancienne asso" in client.get("/t/charenton/organisations?archived=1").get_data(as_text=True)
    client.post(f"/t/charenton/organisations/{organisation.id}/archive")
    assert "Ancienne asso" in client.get("/t/charenton/organisations").get_data(as_text=True)


def test_person_with_organisation_of_another_territory_is_refused(client, factory, territory,
                                                                   coordinator):
    foreign = factory.organisation(factory.territory(), name="Ailleurs")
    response = client.post("/t/charenton/people/new", data={
        "last_name": "Durand", "organisation_id": str(foreign.id)})
    assert response.status_code == 422
    assert "Durand" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_organisation_page_lists_its_people(client, factory, territory, coordinator):
    organisation = factory.organisation(territory, name="Solidarité Charenton")
    factory.person(territory, organisation, first_name="Monique", last_name="Fabre")
    page = client.get(f"/t/charenton/organisations/{organisation.id}").get_data(as_text=True)
    assert "Monique Fabre" in page


def test_list_pages_run_a_fixed_number_of_queries(client, factory, territory, coordinator,
                                                  count_queries):
    def queries(url):
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    def grow(n):
        for i in range(n):
            organisation = factory.organisation(territory, kind="association")
            factory.person(territory, organisation)

    grow(3)
    small = (queries("/t/charenton/organisations"), queries("/t/charenton/people"))
    grow(20)
    large = (queries("/t/charenton/organisations"), queries("/t/charenton/people"))
    assert small == large


# Export (the import is tested in test_actor_imports.py) --------------------------------

def test_csv_export_round_trips_and_neutralises_formulas(client, factory, territory, coordinator):
    organisation = factory.organisation(territory, name="=HYPERLINK(\"x\")", kind="entreprise")
    factory.person(territory, organisation, first_name="Aurélie", last_name="Blanc")
    response = client.get("/t/charenton/organisations/export.csv")
    assert response.headers["Content-Disposition"].endswith("organisations-charenton.csv")
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Organisation", "Type"]
    assert rows[1][0] == "'=HYPERLINK(\"x\")"
    assert rows[1][1] == "Entreprise" and rows[1][11] == "Blanc"
