"""Read-side helpers of the workspace: choices for forms and loads with their options,
in a number of queries that does not grow with the data."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.experiments.models import Deliverable, Experiment, Part, Stakeholder, Theme
from facilitation.sessions.models import Meeting
from facilitation.working_groups.models import WorkingGroup
from territorial.actors.models import Organisation, Person


def person_choices(territory_id: int, blank: str | None = None) -> list[tuple[int, str]]:
    """Active people of the territory as (id, « Nom Prénom — Organisation »)."""
    rows = db.session.execute(
        select(Person.id, Person.first_name, Person.last_name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.territory_id == territory_id, Person.archived_at.is_(None))
        .order_by(func.lower(Person.last_name), func.lower(Person.first_name))
    )
    choices = [
        (pid, f"{last} {first}".strip() + (f" — {org}" if org else ""))
        for pid, first, last, org in rows
    ]
    return ([(0, blank)] if blank is not None else []) + choices


def organisation_choices(territory_id: int, blank: str | None = None) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == territory_id, Organisation.archived_at.is_(None))
        .order_by(func.lower(Organisation.name))
    )
    return ([(0, blank)] if blank is not None else []) + [tuple(row) for row in rows]


def theme_choices(experiment_id: int, blank: str | None = None) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Theme.id, Theme.title)
        .where(Theme.experiment_id == experiment_id, Theme.archived_at.is_(None))
        .order_by(Theme.position, Theme.id)
    )
    return ([(0, blank)] if blank is not None else []) + [tuple(row) for row in rows]


def parts_with_deliverables(experiment_id: int) -> list[Part]:
    return list(db.session.scalars(
        select(Part).where(Part.experiment_id == experiment_id)
        .options(selectinload(Part.deliverables).selectinload(Deliverable.owner_organisation),
                 selectinload(Part.deliverables).selectinload(Deliverable.owner_person))
        .order_by(Part.position, Part.id)
    ))


def stakeholders(experiment_id: int) -> list[Stakeholder]:
    return list(db.session.scalars(
        select(Stakeholder).where(Stakeholder.experiment_id == experiment_id)
        .options(selectinload(Stakeholder.organisation))
        .order_by(Stakeholder.role != "pilote", Stakeholder.position, Stakeholder.id)
    ))


def themes(experiment_id: int, include_archived: bool = True) -> list[Theme]:
    statement = select(Theme).where(Theme.experiment_id == experiment_id)
    if not include_archived:
        statement = statement.where(Theme.archived_at.is_(None))
    return list(db.session.scalars(
        statement.order_by(Theme.archived_at.is_not(None), Theme.position, Theme.id)))


def planned_sessions(experiment_id: int) -> list[Meeting]:
    """The experiment's sessions, except those of archived groups, by date."""
    return list(db.session.scalars(
        select(Meeting)
        .outerjoin(WorkingGroup, WorkingGroup.id == Meeting.working_group_id)
        .where(Meeting.experiment_id == experiment_id, WorkingGroup.archived_at.is_(None))
        .options(selectinload(Meeting.working_group))
        .order_by(Meeting.starts_at, Meeting.id)
    ))


def experiments_page_query(territory_id: int):
    return (select(Experiment).where(Experiment.territory_id == territory_id)
            .order_by(Experiment.start_date.desc(), Experiment.id.desc()))
