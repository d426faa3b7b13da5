"""RACI validation rules on small grids: each rule alone, then together (no database)."""
from types import SimpleNamespace as N

from territorial.raci import rules
from territorial.raci.rules import check_grid


def grid(rows: dict[str, str], actors: list[str]):
    """rows: activity label → letters per actor, "." for an empty cell, "X" for « A/R »:
    {"Repérer": "RA."}."""
    actor_objs = [N(id=100 + i, label=name) for i, name in enumerate(actors)]
    activities, cells = [], []
    for i, (label, letters) in enumerate(rows.items()):
        activities.append(N(id=i + 1, label=label))
        for actor, letter in zip(actor_objs, letters, strict=True):
            if letter != ".":
                cells.append(N(activity_id=i + 1, actor_id=actor.id,
                               letter="A/R" if letter == "X" else letter))
    return activities, actor_objs, cells


def kinds(report):
    return sorted(p.kind for p in report.problems)


def test_a_complete_grid_has_no_problem():
    report = check_grid(*grid({"Repérer les lieux": "RA", "Animer": "AR"}, ["Centre", "Mairie"]))
    assert report.ok
    assert report.problems == []


def test_an_activity_without_a_is_flagged_by_name():
    report = check_grid(*grid({"Repérer les lieux": "RC"}, ["Centre", "Mairie"]))
    assert kinds(report) == [rules.NO_ACCOUNTABLE]
    assert "« Repérer les lieux »" in report.problems[0].message
    assert "pas de A" in report.problems[0].message


def test_an_activity_with_two_a_names_both_actors():
    report = check_grid(*grid({"Animer": "RAA"}, ["Centre", "Mairie", "CAF"]))
    assert kinds(report) == [rules.MANY_ACCOUNTABLE]
    message = report.problems[0].message
    assert "2 A" in message and "Mairie" in message and "CAF" in message


def test_an_activity_without_r_is_flagged():
    report = check_grid(*grid({"Financer": "AC"}, ["CAF", "Mairie"]))
    assert kinds(report) == [rules.NO_RESPONSIBLE]
    assert "pas de R" in report.problems[0].message


def test_an_empty_activity_misses_both_a_and_r():
    report = check_grid(*grid({"Communiquer": "..", "Animer": "RA"}, ["Centre", "Mairie"]))
    assert kinds(report) == [rules.NO_ACCOUNTABLE, rules.NO_RESPONSIBLE]
    assert all(p.activity_id == 1 for p in report.problems)


def test_an_actor_accountable_beyond_the_limit_is_overloaded():
    n = rules.MAX_ACCOUNTABLE + 1
    rows = {f"Activité {i}": "AR" for i in range(n)}
    report = check_grid(*grid(rows, ["Centre", "Mairie"]))
    assert kinds(report) == [rules.OVERLOADED]
    assert report.overloaded_actor_ids == {100}
    assert f"{n} activités" in report.problems[0].message


def test_the_limit_itself_is_not_overloaded():
    rows = {f"Activité {i}": "AR" for i in range(rules.MAX_ACCOUNTABLE)}
    assert check_grid(*grid(rows, ["Centre", "Mairie"])).ok


def test_an_actor_without_any_letter_is_unused():
    report = check_grid(*grid({"Animer": "RA."}, ["Centre", "Mairie", "Pharmacie"]))
    assert kinds(report) == [rules.UNUSED]
    assert report.unused_actor_ids == {102}
    assert "« Pharmacie »" in report.problems[0].message


def test_a_column_of_only_i_is_allowed():
    report = check_grid(*grid({"Animer": "RAI", "Bilan": "ARI"}, ["Centre", "Mairie", "CAF"]))
    assert report.ok


def test_counts_per_actor_and_per_letter():
    report = check_grid(*grid({"Animer": "RAI", "Bilan": "ARC"}, ["Centre", "Mairie", "CAF"]))
    assert report.per_actor[100] == {"R": 1, "A": 1, "A/R": 0, "C": 0, "I": 0}
    assert report.per_actor[102] == {"R": 0, "A": 0, "A/R": 0, "C": 1, "I": 1}
    assert report.per_letter == {"R": 2, "A": 2, "A/R": 0, "C": 1, "I": 1}
    assert report.per_activity[1] == {"R": 1, "A": 1, "A/R": 0, "C": 0, "I": 1}


def test_combined_problems_are_all_reported():
    n = rules.MAX_ACCOUNTABLE + 1
    rows = {f"Activité {i}": "RA.." for i in range(n)}
    rows["Double"] = "AA.."
    rows["Vide"] = "...I"
    report = check_grid(*grid(rows, ["Centre", "Mairie", "CAF", "Café"]))
    assert kinds(report) == sorted([
        rules.MANY_ACCOUNTABLE, rules.NO_RESPONSIBLE,  # Double
        rules.NO_ACCOUNTABLE, rules.NO_RESPONSIBLE,  # Vide
        rules.OVERLOADED,  # Mairie: n + 1 A
        rules.UNUSED,  # CAF
    ])


def test_cells_of_unknown_rows_or_columns_are_ignored():
    activities, actors, cells = grid({"Animer": "RA"}, ["Centre", "Mairie"])
    cells.append(N(activity_id=99, actor_id=100, letter="A"))
    assert check_grid(activities, actors, cells).ok


# Issue 17: an empty grid is « vide », overload counts R and A, « A/R ». -------------------

def test_a_grid_without_activities_is_empty_not_complete():
    report = check_grid([], [], [])
    assert report.empty and not report.ok
    assert report.status == "empty"


def test_a_grid_with_rows_and_columns_but_no_letter_is_empty():
    report = check_grid(*grid({"Animer": "..", "Bilan": ".."}, ["Centre", "Mairie"]))
    assert report.empty and not report.ok


def test_a_filled_grid_is_complete():
    report = check_grid(*grid({"Animer": "RA"}, ["Centre", "Mairie"]))
    assert report.status == "complete"


def test_an_actor_doing_every_task_is_overloaded_even_without_a():
    # « Association » does all 7 tasks; « Mairie » answers for 3 of them (not overloaded).
    rows = {f"Tâche {i}": "RA" if i < 3 else "R." for i in range(7)}
    activities, actors, cells = grid(rows, ["Association", "Mairie"])
    report = check_grid(activities, actors, cells)
    overloaded = [p for p in report.problems if p.kind == rules.OVERLOADED]
    assert [p.actor_id for p in overloaded] == [100]
    assert "7 activités sur 7" in overloaded[0].message


def test_overload_thresholds_are_the_grids():
    rows = {f"Tâche {i}": "RA" for i in range(4)}
    assert rules.OVERLOADED in kinds(check_grid(*grid(rows, ["Centre", "Mairie"])))
    relaxed = rules.Thresholds(accountable=4, load=10)
    assert check_grid(*grid(rows, ["Centre", "Mairie"]), relaxed).ok
    strict = rules.Thresholds(accountable=10, load=2)
    report = check_grid(*grid(rows, ["Centre", "Mairie"]), strict)
    assert report.overloaded_actor_ids == {100, 101}
    assert rules.Thresholds.of(N(max_accountable=None, max_load=8)) == rules.Thresholds(
        rules.MAX_ACCOUNTABLE, 8)


def test_a_r_is_the_activitys_accountable_and_responsible():
    report = check_grid(*grid({"Animer": "X.", "Bilan": "XC"}, ["Centre", "Mairie"]))
    assert report.ok
    assert report.per_actor[100]["A/R"] == 2
    assert report.load(100) == 2


def test_a_r_with_another_a_is_two_accountables():
    report = check_grid(*grid({"Animer": "XA"}, ["Centre", "Mairie"]))
    assert kinds(report) == [rules.MANY_ACCOUNTABLE]


def test_a_r_counts_towards_the_accountable_threshold():
    rows = {f"Tâche {i}": "X." for i in range(rules.MAX_ACCOUNTABLE + 1)}
    rows["Lien"] = "RA"
    report = check_grid(*grid(rows, ["Centre", "Mairie"]))
    assert report.overloaded_actor_ids == {100}
