"""RACI component: operations, grid page, cell saving (JSON and no-JS), exports."""
import re
from html import unescape
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from territorial.raci import operations
from territorial.raci.models import RaciActivity, RaciCell
from territorial.common.owners import OwnerRegistry, raci_owners
from tests.documents_support import paragraphs_text


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def setup(factory, login):
    territory = factory.territory()
    user = factory.user(territory, role="coordinator")
    grid = factory.raci_grid(territory, title="Le cam's", activities=["Repérer", "Animer"],
                             actors=["Centre social", "Mairie"])
    login(user)
    return territory, user, operations.load_grid(grid.id)


# Operations ---------------------------------------------------------------------

def test_get_or_create_grid_is_idempotent(ctx, factory):
    territory = factory.territory()
    first = operations.get_or_create_grid(territory.id, "project", 7, "Grille")
    again = operations.get_or_create_grid(territory.id, "project", 7, "Autre titre")
    assert first.id == again.id
    assert operations.get_or_create_grid(territory.id, "experiment", 7, "G").id != first.id


def test_set_cell_writes_changes_and_empties(ctx, setup):
    territory, user, grid = setup
    activity, actor = grid.activities[0], grid.actors[0]
    operations.set_cell(grid, activity.id, actor.id, "r")
    operations.set_cell(grid, activity.id, actor.id, "A")
    grid = operations.load_grid(grid)
    assert operations.cell_map(grid) == {(activity.id, actor.id): "A"}
    operations.set_cell(grid, activity.id, actor.id, "")
    assert operations.cell_map(operations.load_grid(grid)) == {}


def test_set_cell_refuses_another_letter_in_french(ctx, setup):
    territory, user, grid = setup
    with pytest.raises(ValueError, match="n'est pas un rôle RACI"):
        operations.set_cell(grid, grid.activities[0].id, grid.actors[0].id, "X")


def test_set_cell_refuses_ids_of_another_grid(ctx, setup, factory):
    territory, user, grid = setup
    other = operations.load_grid(factory.raci_grid(territory, activities=["A"], actors=["B"]))
    with pytest.raises(ValueError):
        operations.set_cell(grid, other.activities[0].id, grid.actors[0].id, "R")
    with pytest.raises(ValueError):
        operations.set_cell(grid, grid.activities[0].id, other.actors[0].id, "R")


def test_add_actor_refuses_another_territory(ctx, setup, factory):
    territory, user, grid = setup
    elsewhere = factory.territory()
    with pytest.raises(ValueError, match="n'appartient pas à ce territoire"):
        operations.add_actor(grid, organisation=factory.organisation(elsewhere))
    with pytest.raises(ValueError, match="n'appartient pas à ce territoire"):
        operations.add_actor(grid, person=factory.person(elsewhere))


def test_add_actor_person_and_duplicates(ctx, setup, factory):
    territory, user, grid = setup
    person = factory.person(territory, first_name="Sandrine", last_name="Casaubon",
                            function="Secrétaire de mairie")
    actor = operations.add_actor(grid, person=person)
    assert actor.label == "Sandrine Casaubon (Secrétaire de mairie)"
    with pytest.raises(ValueError, match="déjà une colonne"):
        operations.add_actor(grid, person=person)
    free = operations.add_actor(grid, label="Bénévoles")
    assert free.organisation_id is None and free.person_id is None


def test_sync_activities_adds_relabels_keeps_cells_and_removes(ctx, factory):
    territory = factory.territory()
    grid = operations.get_or_create_grid(territory.id, "action_plan", 1, "Plan")
    actor = operations.add_actor(grid, label="Centre")
    operations.sync_activities(grid, [("action:1", "Repérer"), ("action:2", "Animer")])
    manual = operations.add_activity(grid, "Faire le bilan")
    grid = operations.load_grid(grid)
    first = grid.activities[0]
    operations.set_cell(grid, first.id, actor.id, "R")
    operations.sync_activities(grid, [("action:3", "Communiquer"), ("action:1", "Repérer les lieux")])
    grid = operations.load_grid(grid)
    assert [(a.source_key, a.label) for a in grid.activities] == [
        ("action:3", "Communiquer"), ("action:1", "Repérer les lieux"), (None, "Faire le bilan"),
    ]
    assert grid.activities[2].id == manual.id
    assert operations.cell_map(grid) == {(first.id, actor.id): "R"}


def test_remove_activity_and_actor_drop_their_cells(ctx, setup):
    territory, user, grid = setup
    activity, actor = grid.activities[0], grid.actors[0]
    operations.set_cell(grid, activity.id, actor.id, "R")
    operations.set_cell(grid, grid.activities[1].id, grid.actors[1].id, "A")
    operations.remove_activity(grid, activity.id)
    operations.remove_actor(grid, grid.actors[1].id)
    db.session.expire_all()
    assert db.session.scalars(select(RaciCell).where(RaciCell.grid_id == grid.id)).all() == []


def test_move_activity(ctx, setup):
    territory, user, grid = setup
    second = grid.activities[1]
    operations.move_activity(grid, second.id, -1)
    assert operations.load_grid(grid).activities[0].id == second.id


def test_load_grid_query_count_is_constant(ctx, factory, count_queries):
    territory = factory.territory()

    def make(n):
        grid = factory.raci_grid(territory, activities=[f"A{i}" for i in range(n)],
                                 actors=[f"Acteur {n}-{i}" for i in range(n)])
        grid = operations.load_grid(grid)
        for activity in grid.activities:
            operations.set_cell(grid, activity.id, grid.actors[0].id, "R")
        return grid.id

    small, large = make(3), make(9)
    db.session.commit()  # (releases the test's savepoint; the test's transaction still rolls back)
    db.session.expire_all()
    with count_queries() as q_small:
        operations.report_for(operations.load_grid(small))
    with count_queries() as q_large:
        loaded = operations.load_grid(large)
        operations.report_for(loaded)
    assert len(q_small) == len(q_large) == 1
    # each activity once, with its one cell, whatever the number of actors
    assert [a.label for a in loaded.activities] == [f"A{i}" for i in range(9)]
    assert len(loaded.actors) == 9 and len(loaded.cells) == 9


def test_find_filled_grid_reads_an_owner_grid_as_load_grid_does_in_one_query(
        ctx, factory, count_queries):
    """An owner's page reads its grid with its actors, activities and cells in one
    query; the same content as ``load_grid``, the actors and activities in order; an
    owner without a grid, or a grid without actors, too."""
    territory = factory.territory()
    grid = factory.raci_grid(territory, owner_type="action_plan", owner_id=7,
                             activities=["Repérer", "Animer"], actors=["Mairie", "Centre social"])
    grid = operations.load_grid(grid.id)
    operations.set_cell(grid, grid.activities[1].id, grid.actors[1].id, "R")
    operations.set_cell(grid, grid.activities[1].id, grid.actors[0].id, "A")
    bare = factory.raci_grid(territory, owner_type="action_plan", owner_id=8, activities=["Seule"])
    territory_id, bare_id, grid_id = territory.id, bare.id, grid.id
    db.session.flush()
    db.session.expire_all()
    with count_queries() as queries:
        found = operations.find_filled_grid(territory_id, "action_plan", 7)
    assert len(queries) == 1
    loaded = operations.load_grid(grid_id)
    assert ([a.label for a in found.actors], [a.label for a in found.activities]) == (
        ["Mairie", "Centre social"], ["Repérer", "Animer"])
    assert operations.cell_map(found) == operations.cell_map(loaded) != {}
    bare_found = operations.find_filled_grid(territory_id, "action_plan", 8)
    assert bare_found.id == bare_id and bare_found.actors == [] and len(bare_found.activities) == 1
    assert operations.find_filled_grid(territory_id, "action_plan", 9) is None
    assert operations.find_filled_grid(factory.territory().id, "action_plan", 7) is None


# Pages ------------------------------------------------------------------------

def test_grid_page_shows_labels_and_problems(setup, client):
    territory, user, grid = setup
    html = text(client.get(f"/t/{territory.slug}/raci/{grid.id}"))
    assert "Rôle de Mairie pour « Repérer »" in html
    assert "L'activité « Repérer » n'a pas de A" in html
    assert "« Centre social » n'a aucun rôle" in html
    assert "raci.js" in html


def test_a_plan_grid_page_names_its_plan_to_go_back(client, login, factory):
    """The way back from a plan's grid reads the plan's title, not the grid's."""
    territory = factory.territory()
    plan = factory.action_plan(territory, title="Plan du GT Emploi")
    grid = factory.raci_grid(territory, owner_type="action_plan", owner_id=plan.id,
                             title="Rôles — Plan du GT Emploi", activities=["Repérer"])
    login(factory.user(territory, role="coordinator"))
    html = text(client.get(f"/t/{territory.slug}/raci/{grid.id}"))
    back = f'<a href="/t/{territory.slug}/action-plans/{plan.id}">'
    assert f"{back}Retour : Plan d'action « Plan du GT Emploi »</a>" in html
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs)
    assert links == [(f"/t/{territory.slug}/", territory.name),
                     (f"/t/{territory.slug}/action-plans", "Plans d'action"),
                     (f"/t/{territory.slug}/action-plans/{plan.id}", "Plan du GT Emploi")]
    assert '<li aria-current="page">Grille RACI</li>' in crumbs


def test_cell_saved_by_json_returns_live_validation(setup, client):
    territory, user, grid = setup
    url = f"/t/{territory.slug}/raci/{grid.id}/cells"
    for activity in grid.activities:
        client.post(url, data={"activity_id": activity.id, "actor_id": grid.actors[0].id,
                               "letter": "R"}, headers={"Accept": "application/json"})
        response = client.post(url, data={"activity_id": activity.id,
                                          "actor_id": grid.actors[1].id, "letter": "A"},
                               headers={"Accept": "application/json"})
    data = response.get_json()
    assert response.status_code == 200 and data["ok"]
    assert data["report"]["ok"] is True
    assert "respecte toutes les règles" in data["report_html"]


def test_cell_with_another_letter_is_refused_and_nothing_changes(setup, client):
    territory, user, grid = setup
    url = f"/t/{territory.slug}/raci/{grid.id}/cells"
    grid_id, activity_id, actor_id = grid.id, grid.activities[0].id, grid.actors[0].id
    client.post(url, data={"activity_id": activity_id, "actor_id": actor_id, "letter": "C"})
    response = client.post(url, data={"activity_id": activity_id, "actor_id": actor_id,
                                      "letter": "Z"}, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "n'est pas un rôle RACI" in response.get_json()["error"]
    assert operations.cell_map(operations.load_grid(grid_id)) == {(activity_id, actor_id): "C"}
    page = client.post(url, data={"activity_id": activity_id, "actor_id": actor_id,
                                  "letter": "Z"}, follow_redirects=True)
    assert "n'est pas un rôle RACI" in text(page)


def test_whole_grid_form_without_javascript(setup, client):
    territory, user, grid = setup
    a1, a2 = grid.activities
    c1, c2 = grid.actors
    response = client.post(f"/t/{territory.slug}/raci/{grid.id}/save", data={
        f"cell-{a1.id}-{c1.id}": "R", f"cell-{a1.id}-{c2.id}": "A",
        f"cell-{a2.id}-{c1.id}": "A", f"cell-{a2.id}-{c2.id}": "Q",
    }, follow_redirects=True)
    html = text(response)
    assert "n'est pas un rôle RACI" in html
    assert operations.cell_map(operations.load_grid(grid)) == {
        (a1.id, c1.id): "R", (a1.id, c2.id): "A", (a2.id, c1.id): "A"}


def test_add_activity_and_actor_by_form(setup, client, factory):
    territory, user, grid = setup
    pharmacy = factory.organisation(territory, name="Pharmacie du Barétous")
    base = f"/t/{territory.slug}/raci/{grid.id}"
    client.post(f"{base}/activities", data={"activity-label": "Faire le bilan"})
    client.post(f"{base}/actors", data={"actor-actor": f"organisation:{pharmacy.id}"})
    grid = operations.load_grid(grid)
    assert grid.activities[-1].label == "Faire le bilan"
    assert grid.actors[-1].label == "Pharmacie du Barétous"


def test_add_actor_of_another_territory_is_refused_with_a_message(setup, client, factory):
    territory, user, grid = setup
    foreign = factory.organisation(factory.territory(), name="Ailleurs")
    grid_id = grid.id
    response = client.post(f"/t/{territory.slug}/raci/{grid_id}/actors",
                           data={"actor-actor": f"organisation:{foreign.id}"})
    assert response.status_code == 422
    assert "n'appartient pas à ce territoire" in text(response)
    assert len(operations.load_grid(grid_id).actors) == 2


def test_empty_activity_label_redisplays_the_form(setup, client):
    territory, user, grid = setup
    response = client.post(f"/t/{territory.slug}/raci/{grid.id}/activities",
                           data={"activity-label": "  "})
    assert response.status_code == 422
    assert "Donnez un intitulé" in text(response)


def test_observer_sees_but_cannot_edit(setup, app, factory, login):
    territory, user, grid = setup
    observer = factory.user(territory, role="observer")
    client = login(observer, target=app.test_client())
    html = text(client.get(f"/t/{territory.slug}/raci/{grid.id}"))
    assert "disabled" in html and "Ajouter l'activité" not in html
    response = client.post(f"/t/{territory.slug}/raci/{grid.id}/cells", data={
        "activity_id": grid.activities[0].id, "actor_id": grid.actors[0].id, "letter": "R"})
    assert response.status_code == 403


def test_grid_page_query_count_is_constant(client, factory, login, count_queries):
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))

    def queries(n):
        grid = factory.raci_grid(territory, activities=[f"A{i}" for i in range(n)],
                                 actors=[f"Acteur {n}-{i}" for i in range(n)])
        with count_queries() as q:
            assert client.get(f"/t/{territory.slug}/raci/{grid.id}").status_code == 200
        return len(q)

    assert queries(3) == queries(9)


def test_owner_link_from_registry(ctx, setup):
    territory, user, grid = setup
    owners = OwnerRegistry("RACI grids")
    owners.register("test_owner", "Propriétaire de test", lambda owner_id: f"/owner/{owner_id}")
    assert owners.link("test_owner", grid.owner_id) == ("Propriétaire de test",
                                                        f"/owner/{grid.owner_id}")
    assert owners.link("unknown", grid.owner_id) is None
    with pytest.raises(ValueError, match="registered twice"):
        owners.register("test_owner", "Autre", lambda owner_id: "/")


def test_every_owner_of_a_grid_links_to_its_page(ctx, setup):
    assert set(raci_owners.keys()) == {"action_plan", "experiment", "joint_project", "project"}


# Exports ------------------------------------------------------------------------

def _filled(grid):
    a1, a2 = grid.activities
    c1, c2 = grid.actors
    operations.set_cell(grid, a1.id, c1.id, "R")
    operations.set_cell(grid, a1.id, c2.id, "A")
    operations.set_cell(grid, a2.id, c2.id, "I")
    return operations.load_grid(grid)


def test_xlsx_export_parses_back(setup, client):
    territory, user, grid = setup
    _filled(grid)
    response = client.get(f"/t/{territory.slug}/raci/{grid.id}/raci.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    rows = [list(r) for r in workbook["RACI"].iter_rows(values_only=True)]
    assert rows[0][0] == "Le cam's"
    assert rows[2] == ["Activité", "Centre social", "Mairie"]
    assert rows[3] == ["Repérer", "R", "A"]
    assert rows[4] == ["Animer", None, "I"]
    checks = [r[0] for r in workbook["Contrôles"].iter_rows(values_only=True)]
    assert any("« Animer » n'a pas de A" in (c or "") for c in checks)


def test_docx_export_parses_back(setup, client):
    territory, user, grid = setup
    _filled(grid)
    response = client.get(f"/t/{territory.slug}/raci/{grid.id}/raci.docx")
    document = Document(BytesIO(response.data))
    assert document.paragraphs[0].style.name == "Heading 1"
    table = document.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells == [["Activité", "Centre social", "Mairie"], ["Repérer", "R", "A"],
                     ["Animer", "", "I"]]
    assert "« Animer » n'a pas de A" in paragraphs_text(document)


def test_activity_rows_are_audited(ctx, setup):
    from territorial.audit.models import AuditEntry

    territory, user, grid = setup
    operations.add_activity(grid, "Nouvelle")
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "RaciActivity").order_by(AuditEntry.id.desc())).first()
    assert entry.label == "Nouvelle" and entry.territory_id == territory.id
    assert db.session.get(RaciActivity, entry.object_id) is not None


# Issue 17: « A/R », empty grids and the coordination's thresholds --------------------

def test_a_r_is_saved_shown_and_exported(setup, client):
    territory, user, grid = setup
    a1, a2 = grid.activities
    c1, c2 = grid.actors
    url = f"/t/{territory.slug}/raci/{grid.id}/cells"
    for activity, actor, letter in ((a1, c1, "A/R"), (a2, c1, "ar"), (a2, c2, "R")):
        response = client.post(url, data={"activity_id": activity.id, "actor_id": actor.id,
                                          "letter": letter},
                               headers={"Accept": "application/json"})
        assert response.status_code == 200
    data = response.get_json()
    assert data["report"]["ok"] is True  # A/R is the A and an R of its activity
    assert operations.cell_map(operations.load_grid(grid.id))[(a2.id, c1.id)] == "A/R"
    page = text(client.get(f"/t/{territory.slug}/raci/{grid.id}"))
    assert '<option value="A/R" selected>A/R</option>' in page
    workbook = load_workbook(BytesIO(client.get(
        f"/t/{territory.slug}/raci/{grid.id}/raci.xlsx").data))
    rows = [list(r) for r in workbook["RACI"].iter_rows(values_only=True)]
    assert rows[3] == ["Repérer", "A/R", None]
    document = Document(BytesIO(client.get(f"/t/{territory.slug}/raci/{grid.id}/raci.docx").data))
    assert [c.text for c in document.tables[0].rows[1].cells] == ["Repérer", "A/R", ""]
    assert "La grille respecte toutes les règles." in paragraphs_text(document)


def test_an_empty_grid_says_empty_not_complete(client, factory, login):
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))
    grid = factory.raci_grid(territory, title="Vide", activities=[], actors=[])
    page = text(client.get(f"/t/{territory.slug}/raci/{grid.id}"))
    assert "Grille vide" in page
    assert "Grille complète" not in page and "respecte toutes les règles" not in page
    document = Document(BytesIO(client.get(f"/t/{territory.slug}/raci/{grid.id}/raci.docx").data))
    assert "Grille vide" in paragraphs_text(document)
    assert "respecte toutes les règles" not in paragraphs_text(document)


def test_the_coordination_sets_the_overload_thresholds(setup, app, client, factory, login):
    territory, user, grid = setup
    a1, a2 = grid.activities
    c1, c2 = grid.actors
    cells = f"/t/{territory.slug}/raci/{grid.id}/cells"
    for activity in (a1, a2):
        for actor, letter in ((c1, "R"), (c2, "A")):
            client.post(cells, data={"activity_id": activity.id, "actor_id": actor.id,
                                     "letter": letter})
    url = f"/t/{territory.slug}/raci/{grid.id}/thresholds"
    refused = client.post(url, data={"limits-max_accountable": "0", "limits-max_load": ""})
    assert refused.status_code == 422
    assert "entre 1 et 100" in text(refused)
    client.post(url, data={"limits-max_accountable": "", "limits-max_load": "1"})
    page = text(client.get(f"/t/{territory.slug}/raci/{grid.id}"))
    assert "« Centre social » réalise ou rend compte de 2 activités sur 2 (plus de 1)" in page
    assert "« Mairie » rend compte de 2 activités (plus de 1)" not in page
    facilitator = login(factory.user(territory, role="facilitator"), target=app.test_client())
    assert facilitator.post(url, data={"limits-max_load": "9"}).status_code == 403
    assert "Seuils de surcharge" not in text(facilitator.get(f"/t/{territory.slug}/raci/{grid.id}"))
