"""Read-side helpers of the workspace: choices for forms and loads with their options,
in a number of queries that does not grow with the data."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from extensions import db
from facilitation.experiments.models import (
    CadreSection,
    Deliverable,
    Experiment,
    Interview,
    Part,
    Stakeholder,
    Theme,
)
from facilitation.sessions.models import Meeting
from facilitation.working_groups.models import WorkingGroup
from territorial.actors.models import Person


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
        .options(selectinload(Part.deliverables).options(
            joinedload(Deliverable.owner_organisation), joinedload(Deliverable.owner_person)))
        .order_by(Part.position, Part.id)
    ))


def stakeholders(experiment_id: int) -> list[Stakeholder]:
    return list(db.session.scalars(
        select(Stakeholder).where(Stakeholder.experiment_id == experiment_id)
        .options(joinedload(Stakeholder.organisation))
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
    return list(db.session.scalars(_PLANNED_SESSIONS, {"experiment_id": experiment_id}))


# Built once with the experiment's id as a bound parameter: SQLAlchemy computes its cache
# key once per process, not at each planning shown.
_PLANNED_SESSIONS = (
    select(Meeting)
    .outerjoin(WorkingGroup, WorkingGroup.id == Meeting.working_group_id)
    .where(Meeting.experiment_id == bindparam("experiment_id"),
           WorkingGroup.archived_at.is_(None))
    .options(contains_eager(Meeting.working_group))
    .order_by(Meeting.starts_at, Meeting.id))


def experiments_page_query(territory_id: int):
    return (select(Experiment).where(Experiment.territory_id == territory_id)
            .order_by(Experiment.start_date.desc(), Experiment.id.desc()))


def active_group_count(experiment: Experiment) -> int:
    return db.session.scalar(select(func.count()).select_from(WorkingGroup).where(
        WorkingGroup.experiment_id == experiment.id, WorkingGroup.archived_at.is_(None)))


def theme_footprint(theme: Theme) -> dict[str, int]:
    """What hangs on a theme: its groups and their sessions, its interviews."""
    group_ids = select(WorkingGroup.id).where(WorkingGroup.theme_id == theme.id)
    return {
        "groups": db.session.scalar(select(func.count()).select_from(WorkingGroup)
                                    .where(WorkingGroup.theme_id == theme.id)),
        "sessions": db.session.scalar(select(func.count()).select_from(Meeting)
                                      .where(Meeting.working_group_id.in_(group_ids))),
        "interviews": db.session.scalar(select(func.count()).select_from(Interview)
                                        .where(Interview.theme_id == theme.id)),
    }


@dataclass(frozen=True)
class Completion:
    filled: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 0


def cadre_completion(sections: Sequence[CadreSection]) -> Completion:
    return Completion(sum(1 for s in sections if s.is_filled), len(sections))


def part_progress(part: Part) -> tuple[int, int]:
    """(delivered, total) deliverables of a part loaded with its deliverables."""
    return sum(1 for d in part.deliverables if d.status == "livre"), len(part.deliverables)


def pilots(experiment_id: int) -> list[Stakeholder]:
    return list(db.session.scalars(
        select(Stakeholder).where(Stakeholder.experiment_id == experiment_id,
                                  Stakeholder.role == "pilote")
        .options(joinedload(Stakeholder.organisation)).order_by(Stakeholder.position)))


def interview_options() -> tuple:
    """An interview's person and organisation, interviewer and theme, in its own query."""
    return (
        joinedload(Interview.person).joinedload(Person.organisation),
        joinedload(Interview.interviewer),
        joinedload(Interview.theme),
    )


def interviews_by_theme(experiment_id: int, theme_ids: Iterable[int | None]
                        ) -> dict[int | None, list[Interview]]:
    """The interviews of these themes (with people), by theme — one round of queries."""
    wanted = {t for t in theme_ids if t is not None}
    grouped: dict[int | None, list[Interview]] = defaultdict(list)
    if not wanted:
        return grouped
    statement = (select(Interview).where(Interview.experiment_id == experiment_id,
                                         Interview.theme_id.in_(wanted))
                 .options(*interview_options()).order_by(Interview.held_on, Interview.id))
    for interview in db.session.scalars(statement):
        grouped[interview.theme_id].append(interview)
    return grouped


def interviews_for_session(session: Meeting) -> list[Interview]:
    """The interviews of the theme of a session's working group (GT1's « situation
    territoriale » step shares them); empty when the session has no themed group."""
    if session.experiment_id is None or session.working_group_id is None:
        return []
    theme_id = db.session.scalar(select(WorkingGroup.theme_id).where(
        WorkingGroup.id == session.working_group_id))
    if theme_id is None:
        return []
    return interviews_by_theme(session.experiment_id, [theme_id]).get(theme_id, [])


def parts_of(experiment: Experiment) -> list[Part]:
    """The experiment's parts, in their order."""
    return list(db.session.scalars(select(Part).where(Part.experiment_id == experiment.id)
                                   .order_by(Part.position, Part.id)))


def cadre_sections(experiment: Experiment) -> list[CadreSection]:
    """The sections of the experiment's cadre, in their order."""
    return list(db.session.scalars(
        select(CadreSection).where(CadreSection.experiment_id == experiment.id)
        .order_by(CadreSection.position, CadreSection.id)))


def interviews_of(experiment: Experiment) -> list[Interview]:
    """The experiment's interviews with their people and themes, by date (undated last)."""
    return list(db.session.scalars(
        select(Interview).where(Interview.experiment_id == experiment.id)
        .options(*interview_options())
        .order_by(Interview.held_on.is_(None), Interview.held_on, Interview.id)))
