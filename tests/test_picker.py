"""Pickers that scale: the directory's search endpoint, the picker field's server-side
checks (with and without JavaScript), several added in one request, an organisation
created from a picker, the frise's partners added to the RACI grid in one action."""
import time
from html import unescape

import pytest
from sqlalchemy import insert, select
from sqlalchemy import text as text_sql

from extensions import db
from facilitation.working_groups.models import WorkingGroupMember
from territorial.actors import search
from territorial.actors.models import Organisation, Person
from territorial.common.models import utcnow
from territorial.projects.operations import frise_of, grid_of
from territorial.raci.models import RaciActor
from territorial.timelines.models import TimelineEntry


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def found(client, territory, **params):
    response = client.get(f"/t/{territory.slug}/search", query_string=params)
    assert response.status_code == 200, response.status_code
    return response.get_json()


def labels(answer) -> list[str]:
    return [result["label"] for result in answer["results"]]


# The search endpoint ------------------------------------------------------------

def test_accents_and_case_are_ignored_and_words_found_anywhere(signed_in, factory, territory):
    factory.organisation(territory, name="École Jules Ferry", commune="Charenton")
    factory.organisation(territory, name="Collège de l'ÉCOLE")
    factory.organisation(territory, name="Boulangerie")
    assert labels(found(signed_in, territory, q="ecole", kind="organisations")) == [
        "Collège de l'ÉCOLE", "École Jules Ferry"]
    assert labels(found(signed_in, territory, q="FERRY jul", kind="organisations")) == [
        "École Jules Ferry"]
    answer = found(signed_in, territory, q="jules", kind="organisations")
    assert answer["results"][0]["detail"] == "Charenton · Association"
    assert answer["more"] is False


def test_results_come_in_french_order(signed_in, factory, territory):
    for name in ("Zèbre", "Lot 106", "Épicerie", "Lot 16", "École", "Lot 2", "Boulangerie",
                 "Bâtir"):
        factory.organisation(territory, name=name)
    assert labels(found(signed_in, territory, kind="organisations", limit=50)) == [
        "Bâtir", "Boulangerie", "École", "Épicerie", "Lot 2", "Lot 16", "Lot 106", "Zèbre"]


def test_people_by_last_name_with_their_organisation_and_function(signed_in, factory,
                                                                  territory):
    mairie = factory.organisation(territory, name="Mairie")
    factory.person(territory, mairie, first_name="Hélène", last_name="Écuyer",
                   function="secrétaire de mairie")
    factory.person(territory, first_name="Adèle", last_name="Dupont")
    answer = found(signed_in, territory, kind="people", q="helene")
    assert answer["results"] == [{"id": answer["results"][0]["id"], "label": "Écuyer Hélène",
                                  "detail": "Mairie · secrétaire de mairie"}]
    assert labels(found(signed_in, territory, kind="people")) == ["Dupont Adèle",
                                                                  "Écuyer Hélène"]


def test_a_renamed_organisation_is_found_by_its_new_name(signed_in, factory, territory):
    organisation = factory.organisation(territory, name="Ancien nom")
    organisation.name = "Épicerie solidaire"
    db.session.commit()
    assert labels(found(signed_in, territory, q="epicerie")) == ["Épicerie solidaire"]
    assert found(signed_in, territory, q="ancien")["results"] == []


def test_archived_ones_and_other_territories_are_left_out(signed_in, factory, territory):
    factory.organisation(territory, name="École ouverte")
    factory.organisation(territory, name="École fermée", archived_at=utcnow())
    factory.organisation(factory.territory(), name="École d'ailleurs")
    assert labels(found(signed_in, territory, q="ecole")) == ["École ouverte"]


def test_another_territory_cannot_be_searched(client, factory, login):
    mine, theirs = factory.territory(), factory.territory()
    factory.organisation(theirs, name="Secrète")
    login(factory.user(mine, role="observer"))
    assert client.get(f"/t/{theirs.slug}/search?q=secrete").status_code == 404
    assert client.get(f"/t/{mine.slug}/search?kind=tout").status_code == 400


def test_partners_cannot_read_the_directory(client, factory, login):
    territory = factory.territory()
    login(factory.user(territory, role="partner"))
    assert client.get(f"/t/{territory.slug}/search?q=a").status_code in (403, 404)


def test_the_limit_is_kept_and_bounded(signed_in, factory, territory):
    for n in range(60):
        factory.organisation(territory, name=f"Association {n}")
    answer = found(signed_in, territory, q="asso", limit=5)
    assert labels(answer) == [f"Association {n}" for n in range(5)]
    assert answer["more"] is True
    assert len(found(signed_in, territory, q="asso", limit=500)["results"]) == 50


def test_actors_list_organisations_then_people_and_say_when_more_match(
        signed_in, factory, territory):
    for n in range(3):
        factory.organisation(territory, name=f"Maison {n}")
    factory.person(territory, first_name="Lise", last_name="Maison")
    answer = found(signed_in, territory, kind="actors", q="maison", limit=3)
    assert labels(answer) == ["Maison 0", "Maison 1", "Maison 2"]
    assert answer["more"] is True  # the person, beyond the limit
    answer = found(signed_in, territory, kind="actors", q="maison", limit=4)
    assert labels(answer) == ["Maison 0", "Maison 1", "Maison 2", "Maison Lise"]
    assert answer["more"] is False
    answer = found(signed_in, territory, kind="actors", q="maison", limit=2)
    assert labels(answer) == ["Maison 0", "Maison 1"] and answer["more"] is True


def test_twenty_thousand_organisations_are_answered_by_one_query(signed_in, factory,
                                                                 territory, count_queries):
    rows = [{"territory_id": territory.id, "name": f"Structure {n} {'École' if n % 97 == 0 else ''}",
             "kind": "association"} for n in range(20_000)]
    db.session.execute(insert(Organisation), rows)  # the column defaults fill the keys
    db.session.commit()
    with count_queries() as queries:
        started = time.monotonic()
        answer = found(signed_in, territory, q="ecole", kind="organisations")
        elapsed = time.monotonic() - started
    assert answer["more"] is True
    assert labels(answer)[:3] == ["Structure 0 École", "Structure 97 École",
                                  "Structure 194 École"]
    searches = [q for q in queries if "organisation" in q and "search_name" in q]
    assert len(searches) == 1
    assert elapsed < 20  # a safety timeout only; `make bench` measures the time
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite reads the names in order from the index (checking the words there), and
        # stops at the limit: it never sorts the territory's organisations.
        statement, values = search.statement(territory.id, "organisations", "ecole", 21)
        compiled = statement.compile(db.session.get_bind())
        values = compiled.construct_params(values)
        plan = " ".join(row[-1] for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}",
            tuple(values[name] for name in compiled.positiontup)))
        assert "USING INDEX ix_organisation_territory_sort_name" in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_only_the_kinds_asked_for(signed_in, factory, territory):
    factory.organisation(territory, name="Mairie de Charenton", kind="collectivite")
    factory.organisation(territory, name="Amicale de Charenton", kind="association")
    answer = found(signed_in, territory, q="charenton", of="collectivite,institution")
    assert labels(answer) == ["Mairie de Charenton"]
    assert signed_in.get(f"/t/{territory.slug}/search?of=nimporte").status_code == 400


# The field, checked on the server --------------------------------------------------

@pytest.fixture
def person_form(signed_in, territory):
    return f"/t/{territory.slug}/people/new"


def test_an_organisation_of_another_territory_is_refused_next_to_the_field(
        signed_in, factory, territory, person_form):
    foreign = factory.organisation(factory.territory(), name="Ailleurs")
    response = signed_in.post(person_form, data={
        "last_name": "Durand", "organisation_id": foreign.id,
        "organisation_id-q": "Ailleurs"})
    page = text(response)
    assert response.status_code == 422
    assert 'id="organisation_id-error"' in page
    assert "Cette organisation n'appartient pas à ce territoire" in page
    assert 'value="Durand"' in page and 'value="Ailleurs"' in page
    assert db.session.scalar(select(Person).where(Person.last_name == "Durand")) is None


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "12abc", "-3"])
def test_an_id_that_is_not_one_is_refused_not_a_crash(signed_in, territory, person_form,
                                                     value):
    response = signed_in.post(person_form, data={"last_name": "Durand",
                                                 "organisation_id": value})
    assert response.status_code == 422
    assert "Cette organisation n'appartient pas à ce territoire" in text(response)


def test_a_name_typed_but_not_chosen_is_said_and_kept(signed_in, territory, person_form):
    response = signed_in.post(person_form, data={"last_name": "Durand",
                                                 "organisation_id-q": "Mairie de Nulle-part"})
    assert response.status_code == 422
    assert "« Mairie de Nulle-part » n'a pas été choisi" in text(response)


def test_without_javascript_chercher_lists_the_matching_names(signed_in, factory, territory,
                                                              person_form):
    for n in range(80):
        factory.organisation(territory, name=f"Association {n}")
    ecole = factory.organisation(territory, name="École Jean Macé")
    response = signed_in.post(person_form, data={
        "last_name": "Durand", "function": "directrice",
        "organisation_id-q": "ecole", "organisation_id-search": "1"})
    page = text(response)
    assert f'<option value="{ecole.id}">École Jean Macé' in page
    assert "Association 1" not in page
    assert 'value="directrice"' in page  # nothing typed is lost
    assert "field-error" not in page
    assert db.session.scalar(select(Person).where(Person.last_name == "Durand")) is None
    saved = signed_in.post(person_form, data={"last_name": "Durand",
                                              "organisation_id": ecole.id})
    assert saved.status_code == 302
    person = db.session.scalar(select(Person).where(Person.last_name == "Durand"))
    assert person.organisation_id == ecole.id


def test_a_large_directory_shows_the_first_names_and_says_how_to_find_others(
        signed_in, factory, territory, person_form):
    for n in range(60):
        factory.organisation(territory, name=f"Association {n:02}")
    page = text(signed_in.get(person_form))
    assert "Association 49" in page and "Association 50" not in page
    assert "D’autres noms correspondent" in page


def test_a_convention_refuses_an_association_as_its_authority(signed_in, factory, territory):
    association = factory.organisation(territory, name="Amicale", kind="association")
    response = signed_in.post(f"/t/{territory.slug}/conventions/new", data={
        "reference": "C-1", "title": "Convention", "authority_id": association.id,
        "association_id": association.id, "status": "preparation"})
    assert response.status_code == 422
    page = text(response)
    assert 'id="authority_id-error"' in page
    assert 'id="association_id-error"' not in page


def test_without_javascript_a_group_offers_boxes_to_tick(signed_in, factory, territory):
    member = factory.person(territory, last_name="Dupuis")  # already a member: not offered
    factory.person(territory, last_name="Durand")
    factory.person(territory, last_name="Dubois")
    group = factory.working_group(territory, members=[member])
    response = signed_in.post(f"/t/{territory.slug}/groups/{group.id}/members",
                              data={"person_id-q": "du", "person_id-search": "1"})
    page = text(response)
    assert page.count('type="checkbox" name="person_id"') == 2
    assert "Dubois Camille" in page and "Durand Camille" in page
    assert "field-error" not in page


def test_the_people_list_filters_by_an_organisation_found_by_its_name(signed_in, factory,
                                                                       territory):
    ecole = factory.organisation(territory, name="École du Centre")
    factory.organisation(territory, name="Mairie")
    factory.person(territory, ecole, last_name="Enseignante")
    factory.person(territory, last_name="Promeneur")
    url = f"/t/{territory.slug}/people"
    page = text(signed_in.get(url, query_string={"organisation-q": "ecole",
                                                 "organisation-search": "1"}))
    assert f'<option value="{ecole.id}">École du Centre' in page
    assert ">Mairie<" not in page
    filtered = text(signed_in.get(url, query_string={"organisation": ecole.id}))
    assert "Enseignante" in filtered and "Promeneur" not in filtered
    assert f'<option value="{ecole.id}" selected>École du Centre' in filtered


# Several at once ------------------------------------------------------------------

def test_several_members_join_a_working_group_in_one_request(signed_in, factory, territory):
    people = [factory.person(territory, last_name=name) for name in ("Ardent", "Bosc", "Cros")]
    group = factory.working_group(territory)
    response = signed_in.post(f"/t/{territory.slug}/groups/{group.id}/members",
                              data={"person_id": [p.id for p in people]})
    assert response.status_code == 302
    members = db.session.scalars(select(WorkingGroupMember.person_id).where(
        WorkingGroupMember.working_group_id == group.id)).all()
    assert sorted(members) == sorted(p.id for p in people)
    page = text(signed_in.get(response.headers["Location"]))
    assert "3 personnes ont rejoint le groupe" in page


def test_one_foreign_member_refuses_them_all(signed_in, factory, territory):
    mine = factory.person(territory)
    foreign = factory.person(factory.territory())
    group_id, ids = factory.working_group(territory).id, [mine.id, foreign.id]
    response = signed_in.post(f"/t/{territory.slug}/groups/{group_id}/members",
                              data={"person_id": ids})
    assert response.status_code == 422
    assert "Cette personne n'appartient pas à ce territoire" in text(response)
    assert db.session.scalars(select(WorkingGroupMember).where(
        WorkingGroupMember.working_group_id == group_id)).all() == []


def test_several_actors_become_columns_of_the_raci_grid(signed_in, factory, territory):
    grid = factory.raci_grid(territory)
    mairie = factory.organisation(territory, name="Mairie")
    camille = factory.person(territory, first_name="Camille", last_name="Roux")
    response = signed_in.post(f"/t/{territory.slug}/raci/{grid.id}/actors", data={
        "actor-actor": [f"organisation:{mairie.id}", f"person:{camille.id}"]})
    assert response.status_code == 302
    actors = db.session.execute(select(RaciActor.organisation_id, RaciActor.person_id).where(
        RaciActor.grid_id == grid.id).order_by(RaciActor.position)).all()
    assert [tuple(a) for a in actors] == [(mairie.id, None), (None, camille.id)]


def test_several_partners_are_placed_on_the_frise_at_once(signed_in, factory, territory):
    project = factory.project(territory)
    timeline = factory.frise(project)
    one, two = factory.organisation(territory), factory.organisation(territory)
    response = signed_in.post(f"/t/{territory.slug}/frises/{timeline.id}/entries", data={
        "entry-partner": [f"organisation:{one.id}", f"organisation:{two.id}"],
        "entry-level_id": timeline.levels[1].id, "entry-term": "moyen"})
    assert response.status_code == 302
    entries = db.session.execute(select(TimelineEntry.organisation_id, TimelineEntry.term)
                                 .where(TimelineEntry.timeline_id == timeline.id)).all()
    assert sorted(tuple(e) for e in entries) == sorted([(one.id, "moyen"), (two.id, "moyen")])


# Created from the picker ----------------------------------------------------------

def test_an_organisation_is_created_from_the_picker(signed_in, territory):
    response = signed_in.post(f"/t/{territory.slug}/organisations/quick",
                              data={"name": "Épicerie du Port", "mixed": "1"})
    assert response.status_code == 201
    answer = response.get_json()
    organisation = db.session.scalar(select(Organisation).where(
        Organisation.name == "Épicerie du Port"))
    assert answer["id"] == f"organisation:{organisation.id}"
    assert answer["label"] == "Épicerie du Port" and organisation.kind == "autre"
    assert "complétez sa fiche" in answer["message"]
    assert labels(found(signed_in, territory, q="epicerie port")) == ["Épicerie du Port"]


def test_creating_without_a_name_is_refused(signed_in, territory):
    response = signed_in.post(f"/t/{territory.slug}/organisations/quick", data={"name": " "},
                              headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "Donnez le nom" in response.get_json()["error"]


def test_only_coordinators_create_organisations(client, factory, login):
    territory = factory.territory()
    login(factory.user(territory, role="facilitator"))
    response = client.post(f"/t/{territory.slug}/organisations/quick", data={"name": "X"})
    assert response.status_code == 403


def test_without_javascript_the_creation_form_comes_back_to_the_page(signed_in, factory,
                                                                    territory):
    grid = factory.raci_grid(territory)
    page = text(signed_in.get(f"/t/{territory.slug}/raci/{grid.id}"))
    assert f"/t/{territory.slug}/organisations/new?next=/t/{territory.slug}/raci/{grid.id}" \
        in page
    back = f"/t/{territory.slug}/raci/{grid.id}"
    response = signed_in.post(f"/t/{territory.slug}/organisations/new?next={back}",
                              data={"name": "Régie de quartier", "kind": "association",
                                    "next": back})
    assert response.headers["Location"].endswith(back)
    outside = signed_in.post(f"/t/{territory.slug}/organisations/new",
                             data={"name": "Autre", "kind": "association",
                                   "next": "//evil.example/"})
    assert "evil" not in outside.headers["Location"]


def test_without_javascript_the_creation_form_never_comes_back_to_a_post_only_address(
        signed_in, factory, territory):
    """A second « Chercher »: the form shown again has the address of the POST, which
    coming back to would answer 405."""
    timeline = factory.frise(factory.project(territory))
    entries = f"/t/{territory.slug}/frises/{timeline.id}/entries"
    page = text(signed_in.post(entries, data={"entry-partner-q": "Maison de quartier",
                                              "entry-partner-search": "1"},
                               headers={"Referer": f"http://localhost{entries}"}))
    assert f"/t/{territory.slug}/organisations/new?name=Maison" in page
    assert f"next={entries}" not in page.replace("%2F", "/")


# The frise's partners on the RACI grid --------------------------------------------

def test_the_frise_partners_join_the_raci_grid_once(signed_in, factory, territory):
    project = factory.project(territory)
    grid = grid_of(project)
    already = factory.organisation(territory, name="Déjà là")
    factory.frise_entry(territory, project, organisation=already)
    factory.frise_entry(territory, project, organisation=factory.organisation(territory))
    factory.frise_entry(territory, project, person=factory.person(territory))
    db.session.add(RaciActor(territory_id=territory.id, grid_id=grid.id,
                             organisation_id=already.id, label="Déjà là", position=1))
    db.session.commit()
    page = text(signed_in.get(f"/t/{territory.slug}/raci/{grid.id}"))
    assert "Ajouter les partenaires de la frise" in page
    response = signed_in.post(f"/t/{territory.slug}/raci/{grid.id}/actors/from-frise",
                              follow_redirects=True)
    assert "2 partenaires de la frise ajoutés à la grille" in text(response)
    assert len(db.session.scalars(select(RaciActor).where(
        RaciActor.grid_id == grid.id)).all()) == 3
    again = signed_in.post(f"/t/{territory.slug}/raci/{grid.id}/actors/from-frise",
                           follow_redirects=True)
    assert "Tous les partenaires de la frise sont déjà dans la grille" in text(again)
    assert frise_of(project).id is not None


def test_postgresql_finds_words_through_a_trigram_index_of_the_territory(transaction):
    """A common word (« comm ») is looked up among the territory's names, not the whole
    directory's: the trigram indexes hold the territory (btree_gin)."""
    if transaction.dialect.name != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    indexes = dict(transaction.execute(text_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")).all())
    for table in ("organisation", "person"):
        assert "(territory_id, search_name gin_trgm_ops)" in \
            indexes[f"ix_{table}_territory_search_name_trgm"]
    assert not {"ix_organisation_search_name_trgm", "ix_person_search_name_trgm"} & set(indexes)


# The live board's card, said on behalf of an organisation ---------------------------

def test_a_board_card_on_behalf_of_an_organisation_found_without_javascript(
        app, client, login, factory):
    from tests.live_support import live_setup, session_url

    live = live_setup(factory, app)
    foreign = factory.organisation(factory.territory(), name="Ailleurs")
    login(live.facilitator)
    searched = client.post(session_url(live, "/board/cards"), data={
        "kind": "piste", "text": "Une piste", "organisation_id-q": "batir",
        "organisation_id-search": "1"})
    assert "organisation_id-q=batir" in searched.headers["Location"]
    board_page = text(client.get(searched.headers["Location"]))
    assert ">Bâtir Ensemble BTP (Entreprise)</option>" in board_page
    assert ">Mission locale des Bords de Marne" not in board_page.split("organisation_id-choice")[1]
    refused = client.post(session_url(live, "/board/cards"), data={
        "kind": "piste", "text": "Une piste", "organisation_id": foreign.id},
        headers={"Accept": "application/json"})
    assert refused.status_code == 422


def test_the_picker_and_the_raci_grid_speak_the_language_of_each_page(signed_in, factory,
                                                                      territory):
    """Their texts are translated once per language: a page in English after one in
    French (and back) is in its own language."""
    grid = factory.raci_grid(territory, activities=["Accueil"], actors=["Mairie"])
    url = f"/t/{territory.slug}/raci/{grid.id}"
    french = ['data-remove="Retirer « {label} »"', ">Chercher</button>",
              "Rôle de Mairie pour « Accueil »", 'aria-label="Retirer « Accueil »"']
    english = ['data-remove="Remove “{label}”"', ">Search</button>",
               "Role of Mairie for “Accueil”", 'aria-label="Remove “Accueil”"']
    for language, expected, other in (("fr", french, english), ("en", english, french),
                                      ("fr", french, english)):
        signed_in.post("/language", data={"language": language, "next": url})
        page = text(signed_in.get(url))
        assert all(words in page for words in expected), language
        assert not any(words in page for words in other), language
