"""Operational roles of the pilots: the shared RACI component, rows = the method's
operational tasks, columns = the pilots."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from extensions import db
from facilitation.experiments.models import Experiment, Stakeholder
from territorial.actors.models import Organisation
from territorial.raci import operations as raci
from territorial.raci.models import RaciActor, RaciGrid
from territorial.common.owners import raci_owners

OWNER_TYPE = "experiment"

raci_owners.register(
    OWNER_TYPE, _l("Expérimentation"),
    lambda experiment_id: url_for("experiments.roles", experiment_id=experiment_id),
    model=Experiment, section="experiments.index")


def task_rows(method: Mapping[str, Any]) -> list[tuple[str, str]]:
    parts = {part["key"]: part["title"] for part in method["parts"]}
    return [(f"task:{task['key']}", f"{parts.get(task['part'], task['part'])} – {task['title']}")
            for task in method.get("operational_tasks", [])]


def ensure_grid(experiment: Experiment, method: Mapping[str, Any]) -> RaciGrid:
    """The experiment's grid, created with it: its rows follow the method's tasks and one
    column per pilot (columns added by hand stay); loaded for display. A write: called when
    the experiment is created, never when a page is shown (renamed rows would come back)."""
    grid = raci.get_or_create_grid(
        experiment.territory_id, OWNER_TYPE, experiment.id,
        f"Rôles opérationnels – {experiment.title}")
    raci.sync_activities(grid, task_rows(method))
    add_missing_pilots(experiment, grid)
    return raci.load_grid(grid)


def add_missing_pilots(experiment: Experiment, grid: RaciGrid | None = None) -> None:
    """A column for each pilot not yet in the grid (when a pilot is named)."""
    grid = grid or raci.find_grid(experiment.territory_id, OWNER_TYPE, experiment.id)
    if grid is None:
        return
    present = set(db.session.scalars(
        select(RaciActor.organisation_id).where(RaciActor.grid_id == grid.id)))
    missing = db.session.scalars(
        select(Organisation).join(Stakeholder, Stakeholder.organisation_id == Organisation.id)
        .where(Stakeholder.experiment_id == experiment.id, Stakeholder.role == "pilote",
               Organisation.id.not_in(present or {0}))
        .order_by(Stakeholder.position, Stakeholder.id))
    for organisation in missing:
        raci.add_actor(grid, organisation=organisation)


def find_grid(experiment: Experiment) -> RaciGrid | None:
    return raci.find_filled_grid(experiment.territory_id, OWNER_TYPE, experiment.id)
