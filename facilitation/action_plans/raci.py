"""A plan's RACI grid (the shared component in ``territorial.raci``): one row per action,
kept in step with the plan; who does what on each action, in words, for the plan's pages
and documents."""
from __future__ import annotations

from collections import defaultdict
from functools import cache

from sqlalchemy import bindparam, select

from extensions import db
from facilitation.action_plans import queries
from facilitation.action_plans.models import ActionPlan
from territorial.common import loading
from territorial.raci import operations as raci
from territorial.raci.models import RaciActivity, RaciActor, RaciCell, RaciGrid
from territorial.raci.rules import LETTER_ORDER


def raci_summaries(territory_id: int, plan_ids: list[int],
                   action_ids: list[int] | None = None) -> dict[int, str]:
    """action id → « R : Org A · A : Mairie · C : … », from the plans' RACI grids
    (owner_type "action_plan", rows synced with source_key "action:<id>"); of the actions
    ``action_ids`` only, if given."""
    parameters = {"territory_id": territory_id, "plan_ids": plan_ids}
    if action_ids is not None:
        parameters["source_keys"] = [f"action:{action_id}" for action_id in action_ids]
    rows = db.session.execute(_summaries_statement(action_ids is not None), parameters).all()
    return _raci_texts((source_key, letter, label) for source_key, letter, label, _position in rows)


@cache
def _summaries_statement(of_some: bool):
    """``raci_summaries``'s query (parameters ``territory_id``, ``plan_ids`` and, ``of_some``
    actions only, ``source_keys``, written into the SQL: a page's fifty keys as bound
    parameters would make psycopg parse it anew each time): built once."""
    keys = bindparam("source_keys", expanding=True, literal_execute=True)
    rows_of = (RaciActivity.source_key.in_(keys) if of_some
               else RaciActivity.source_key.like("action:%"))
    return (
        select(RaciActivity.source_key, RaciCell.letter, RaciActor.label, RaciActor.position)
        .join(RaciGrid, RaciGrid.id == RaciActivity.grid_id)
        .join(RaciCell, RaciCell.activity_id == RaciActivity.id)
        .join(RaciActor, RaciActor.id == RaciCell.actor_id)
        .where(RaciGrid.territory_id == bindparam("territory_id"),
               RaciGrid.owner_type == "action_plan",
               RaciGrid.owner_id.in_(bindparam("plan_ids", expanding=True)), rows_of,
               RaciCell.letter.is_not(None))
        .order_by(RaciActivity.id, RaciActor.position)
    )


def grid_raci_summaries(grid) -> dict[int, str]:
    """``raci_summaries`` of one plan, from its grid (loaded with ``raci.load_grid``)."""
    sources = {activity.id: activity.source_key or "" for activity in grid.activities}
    actors = {actor.id: actor for actor in grid.actors}
    cells = sorted((cell for cell in grid.cells
                    if cell.letter and sources[cell.activity_id].startswith("action:")),
                   key=lambda cell: (cell.activity_id, actors[cell.actor_id].position))
    return _raci_texts((sources[cell.activity_id], cell.letter, actors[cell.actor_id].label)
                       for cell in cells)


def _raci_texts(cells) -> dict[int, str]:
    """action id → its summary, from (source_key, letter, actor label) in the actors' order."""
    letters: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source_key, letter, label in cells:
        try:
            action_id = int(source_key.split(":", 1)[1])
        except ValueError:
            continue
        letters[action_id][letter].append(label)
    return {
        action_id: " · ".join(
            f"{letter} : {', '.join(by_letter[letter])}" for letter in LETTER_ORDER if by_letter.get(letter)
        )
        for action_id, by_letter in letters.items()
    }


def raci_organisation_involvement(territory_id: int, plan_ids: list[int]) -> dict[int, set[int]]:
    """organisation id → ids of the actions where it holds a RACI letter."""
    rows = loading.rows(_involvement_statement(),
                        {"territory_id": territory_id, "plan_ids": list(plan_ids)})
    result: dict[int, set[int]] = defaultdict(set)
    for source_key, organisation_id in rows:
        try:
            result[organisation_id].add(int(source_key.split(":", 1)[1]))
        except ValueError:
            continue
    return result


@cache
def _involvement_statement():
    """``raci_organisation_involvement``'s query, built once (parameters ``territory_id``,
    ``plan_ids``)."""
    return (select(RaciActivity.source_key, RaciActor.organisation_id)
            .join(RaciGrid, RaciGrid.id == RaciActivity.grid_id)
            .join(RaciCell, RaciCell.activity_id == RaciActivity.id)
            .join(RaciActor, RaciActor.id == RaciCell.actor_id)
            .where(RaciGrid.territory_id == bindparam("territory_id"),
                   RaciGrid.owner_type == "action_plan",
                   RaciGrid.owner_id.in_(bindparam("plan_ids", expanding=True)),
                   RaciActivity.source_key.like("action:%"),
                   RaciActor.organisation_id.is_not(None), RaciCell.letter.is_not(None)))


def sync_raci(plan: ActionPlan) -> None:
    """Keep the rows of the plan's RACI grid in step with its actions, if it has one."""
    grid = raci.find_grid(plan.territory_id, "action_plan", plan.id)
    if grid is not None:
        raci.sync_activities(grid, queries.raci_rows(plan))


def open_raci_grid(plan: ActionPlan, title: str):
    """The plan's RACI grid, created on first use, its rows in step with the actions."""
    grid = raci.get_or_create_grid(plan.territory_id, "action_plan", plan.id, title)
    raci.sync_activities(grid, queries.raci_rows(plan))
    return grid
