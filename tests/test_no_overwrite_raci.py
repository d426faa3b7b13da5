"""No silent overwrite on a RACI grid: two colleagues on one grid, cell by cell (background
saves answer 409 with the current letter) and with the whole-grid form (a cell a colleague
changed after the page was loaded is never put back; the user's other changes are saved)."""
import pytest

from tests.conflict_support import colleagues, hidden, text, told_who
from tests.html_forms import form_data
from territorial.common import versions
from territorial.raci import operations

JSON = {"Accept": "application/json"}


@pytest.fixture
def grid_of_two(app, factory):
    two = colleagues(app, factory)
    grid = factory.raci_grid(two.territory, title="Le cam's", activities=["Repérer", "Animer"],
                             actors=["Centre social", "Mairie"])
    grid = operations.load_grid(grid.id)
    return two, grid


def _cell(grid, activity_id, actor_id):
    return operations.cell_map(operations.load_grid(grid.id)).get((activity_id, actor_id))


def test_stale_cell_save_is_refused_with_who_and_the_current_letter(grid_of_two):
    two, grid = grid_of_two
    page = two.url(f"/raci/{grid.id}")
    activity, actor = grid.activities[0].id, grid.actors[1].id
    suffix = f"{activity}-{actor}"
    seen = hidden(text(two.second.get(page)), f"version-{suffix}")      # Dominique's page
    cell = {"activity_id": activity, "actor_id": actor}
    first = two.first.post(page + "/cells", data={**cell, "letter": "R", "edit_version":
                                                  hidden(text(two.first.get(page)),
                                                         f"version-{suffix}")}, headers=JSON)
    assert first.status_code == 200 and first.get_json()["ok"]

    stale = two.second.post(page + "/cells", data={**cell, "letter": "A", "edit_version": seen},
                            headers=JSON)
    assert stale.status_code == 409
    answer = stale.get_json()
    assert answer["conflict"] and answer["letter"] == "R"
    assert told_who(answer["error"]) and "Rôle de Mairie pour « Repérer »" in answer["error"]
    assert "Valeur enregistrée : R." in answer["error"]
    assert _cell(grid, activity, actor) == "R"                          # Camille's letter kept

    retried = two.second.post(page + "/cells", data={**cell, "letter": "A",
                                                     "edit_version": answer["edit_version"]},
                              headers=JSON)
    assert retried.status_code == 200 and _cell(grid, activity, actor) == "A"


def test_a_cell_a_colleague_emptied_is_not_refilled_silently(grid_of_two):
    two, grid = grid_of_two
    page = two.url(f"/raci/{grid.id}")
    activity, actor = grid.activities[0].id, grid.actors[0].id
    cell = {"activity_id": activity, "actor_id": actor}
    two.first.post(page + "/cells", data={**cell, "letter": "R", "edit_version": 0}, headers=JSON)
    seen = hidden(text(two.second.get(page)), f"version-{activity}-{actor}")
    emptied = two.first.post(page + "/cells", data={**cell, "letter": "", "edit_version": seen},
                             headers=JSON)
    assert emptied.status_code == 200 and _cell(grid, activity, actor) is None

    stale = two.second.post(page + "/cells", data={**cell, "letter": "C", "edit_version": seen},
                            headers=JSON)
    assert stale.status_code == 409 and told_who(stale.get_json()["error"])
    assert "aucun rôle" in stale.get_json()["error"]
    assert _cell(grid, activity, actor) is None


def test_whole_grid_save_never_puts_back_a_colleagues_cells(grid_of_two):
    """A coordinator saving a whole grid opened before a colleague's changes."""
    two, grid = grid_of_two
    page = two.url(f"/raci/{grid.id}")
    (a1, a2), (c1, c2) = [a.id for a in grid.activities], [a.id for a in grid.actors]
    mine = form_data(text(two.second.get(page)), "raci-form")          # opened before
    for activity, actor, letter in ((a1, c1, "R"), (a1, c2, "A")):
        two.first.post(page + "/cells", data={"activity_id": activity, "actor_id": actor,
                                              "letter": letter, "edit_version": 0}, headers=JSON)

    mine[f"cell-{a2}-{c1}"] = "C"        # my own change, on a cell nobody touched
    mine[f"cell-{a1}-{c2}"] = "I"        # a cell Camille changed too: refused, shown
    # cell a1-c1 left as the page showed it (empty): Camille's R must stay
    response = two.second.post(page + "/save", data=mine)
    html = text(response)
    assert response.status_code == 200
    assert told_who(html) and "Rôle de Mairie pour « Repérer »" in html
    assert operations.cell_map(operations.load_grid(grid.id)) == {
        (a1, c1): "R", (a1, c2): "A", (a2, c1): "C"}

    again = form_data(html, "raci-form")        # my choice is kept in the re-displayed form
    assert again[f"cell-{a1}-{c2}"] == "I" and again[f"cell-{a1}-{c1}"] == "R"
    two.second.post(page + "/save", data=again)
    assert operations.cell_map(operations.load_grid(grid.id)) == {
        (a1, c1): "R", (a1, c2): "I", (a2, c1): "C"}


def test_emptied_cells_stay_out_of_the_grid_exports_and_api(grid_of_two, ctx):
    two, grid = grid_of_two
    activity, actor = grid.activities[0].id, grid.actors[0].id
    operations.set_cell(grid, activity, actor, "R")
    operations.set_cell(grid, activity, actor, "")
    grid = operations.load_grid(grid.id)
    assert operations.cell_map(grid) == {}
    assert operations.cell_versions(grid) == {(activity, actor): 2}
    assert operations.report_for(grid).per_letter == {"R": 0, "A": 0, "A/R": 0, "C": 0, "I": 0}


def test_two_people_filling_the_same_empty_cell_at_once(grid_of_two, ctx, factory,
                                                        monkeypatch):
    """The second insert meets the first's row (unique pair): a conflict, not an error."""
    two, grid = grid_of_two
    activity, actor = grid.activities[0].id, grid.actors[0].id
    from flask_login import login_user

    login_user(two.camille)
    operations.set_cell(grid, activity, actor, "R", 0)
    factory.session.commit()                  # Camille's request is done
    login_user(two.dominique)
    real = operations._cell
    calls = []

    def not_yet_there(*args):                 # Dominique's request read before that commit
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(operations, "_cell", not_yet_there)
    with pytest.raises(versions.Conflict) as refused:
        operations.set_cell(operations.load_grid(grid.id), activity, actor, "A", 0)
    assert "Camille Durand" in refused.value.message
    assert _cell(grid, activity, actor) == "R"
