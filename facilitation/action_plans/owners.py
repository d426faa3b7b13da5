"""Who may own an action plan, how to name it and link to it.

Working groups, experiments and the territory's partnership are known here; other
capabilities (joint projects, conventions) register their owner type at import time::

    register_plan_owner("joint_project", _l("Projet commun"), model=JointProject,
                        url_fn=lambda id: url_for("joint_projects.project", project_id=id))

A partnership plan (the charter's 3-year plan) is owned by the territory itself
(owner_type "partnership", owner_id = the territory's id) until the charter capability
provides a partnership object of its own.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.routing import BuildError

from extensions import db


@dataclass(frozen=True)
class PlanOwner:
    key: str
    label: object
    model: type | None = None
    url_fn: Callable[[int], str | None] | None = None
    name_fn: Callable[[int], str] | None = None
    exists_fn: Callable[[int], bool] | None = None

    def exists(self, owner_id: int) -> bool:
        if self.exists_fn is not None:
            return bool(self.exists_fn(owner_id))
        if self.model is None:
            return False
        return db.session.scalar(
            select(self.model.id).where(self.model.id == owner_id,
                                        self.model.territory_id == g.territory.id)
        ) is not None

    def name(self, owner_id: int) -> str:
        if self.name_fn is not None:
            return self.name_fn(owner_id)
        if self.model is None:
            return ""
        column = getattr(self.model, "title", None) or getattr(self.model, "name", None)
        if column is None:
            return ""
        return db.session.scalar(
            select(column).where(self.model.id == owner_id,
                                 self.model.territory_id == g.territory.id)
        ) or ""

    def url(self, owner_id: int) -> str | None:
        if self.url_fn is None:
            return None
        try:
            return self.url_fn(owner_id)
        except BuildError:
            return None


_OWNERS: dict[str, PlanOwner] = {}


def register_plan_owner(key: str, label, *, model: type | None = None,
                        url_fn: Callable[[int], str | None] | None = None,
                        name_fn: Callable[[int], str] | None = None,
                        exists_fn: Callable[[int], bool] | None = None) -> PlanOwner:
    owner = PlanOwner(key, label, model, url_fn, name_fn, exists_fn)
    _OWNERS[key] = owner
    return owner


def plan_owner(key: str) -> PlanOwner | None:
    return _OWNERS.get(key)


def _experiment_url(experiment_id: int) -> str:
    return url_for("experiments.workspace", experiment_id=experiment_id)


def _group_url(group_id: int) -> str | None:
    from facilitation.working_groups.models import WorkingGroup

    experiment_id = db.session.scalar(
        select(WorkingGroup.experiment_id).where(WorkingGroup.id == group_id)
    )
    if experiment_id is None:
        return None
    return url_for("action_plans.experiment_plan", experiment_id=experiment_id)


def _register_known_owners() -> None:
    from facilitation.experiments.models import Experiment
    from facilitation.working_groups.models import WorkingGroup

    register_plan_owner("working_group", _l("Groupe de travail"), model=WorkingGroup,
                        url_fn=_group_url)
    register_plan_owner("experiment", _l("Expérimentation"), model=Experiment,
                        url_fn=_experiment_url)
    register_plan_owner(
        "partnership", _l("Partenariat"),
        exists_fn=lambda owner_id: owner_id == g.territory.id,
        name_fn=lambda owner_id: g.territory.name,
        url_fn=lambda owner_id: None,
    )


_register_known_owners()
