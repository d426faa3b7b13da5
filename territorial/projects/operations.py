"""Projects: create (with their frise and RACI grid), update, delete, list."""
from sqlalchemy import func, select

from extensions import db
from territorial.common.collation import french
from territorial.common.models import utcnow
from territorial.projects.models import OWNER_TYPE, Project
from territorial.raci import operations as raci
from territorial.timelines import operations as timelines
from territorial.timelines.models import PartnerTimeline, StepAsideNote, TimelineEntry

FIELDS = ("title", "description", "why", "objectives", "starts_on", "ends_on")


def create_project(territory_id: int, data: dict) -> Project:
    project = Project(territory_id=territory_id,
                      **{key: data.get(key) or ("" if key not in ("starts_on", "ends_on")
                                                else None) for key in FIELDS})
    db.session.add(project)
    db.session.flush()
    frise_of(project)
    grid_of(project)
    return project


def frise_of(project: Project) -> PartnerTimeline:
    return timelines.get_or_create_timeline(project.territory_id, OWNER_TYPE, project.id,
                                            project.title, project.starts_on, project.ends_on)


def grid_of(project: Project):
    return raci.get_or_create_grid(project.territory_id, OWNER_TYPE, project.id, project.title)


def update_project(project: Project, data: dict) -> Project:
    """Raises ``DomainError`` (field ``starts_on``) when new dates would leave dated
    partners of the frise outside the project's span."""
    timeline = frise_of(project)
    timelines.set_span(timeline, data.get("starts_on"), data.get("ends_on"))
    for key in FIELDS:
        value = data.get(key)
        setattr(project, key, value if value is not None or key in ("starts_on", "ends_on")
                else "")
    timeline.title = project.title[:200]
    grid_of(project).title = project.title[:200]
    db.session.flush()
    return project


def set_archived(project: Project, archived: bool) -> None:
    project.archived_at = utcnow() if archived else None
    db.session.flush()


def delete_project(project: Project) -> None:
    timelines.delete_timelines(project.territory_id, OWNER_TYPE, project.id)
    raci.delete_grids(project.territory_id, OWNER_TYPE, project.id)
    db.session.delete(project)
    db.session.flush()


def project_query(territory_id: int, archived: bool = False):
    statement = select(Project).where(Project.territory_id == territory_id)
    statement = statement.where(Project.archived_at.is_not(None) if archived
                                else Project.archived_at.is_(None))
    return statement.order_by(Project.starts_on.desc().nulls_last(), french(Project.title))


def project_stats(territory_id: int, project_ids: list[int]) -> dict[int, dict]:
    """Per project: partners on the frise and freins without an answer (2 queries)."""
    stats = {pid: {"partners": 0, "unanswered": 0} for pid in project_ids}
    if not project_ids:
        return stats
    owner = (PartnerTimeline.owner_type == OWNER_TYPE) & \
        PartnerTimeline.owner_id.in_(project_ids) & (PartnerTimeline.territory_id == territory_id)
    for owner_id, count in db.session.execute(
            select(PartnerTimeline.owner_id, func.count(TimelineEntry.id))
            .join(TimelineEntry, TimelineEntry.timeline_id == PartnerTimeline.id)
            .where(owner).group_by(PartnerTimeline.owner_id)):
        stats[owner_id]["partners"] = count
    for owner_id, count in db.session.execute(
            select(PartnerTimeline.owner_id, func.count(StepAsideNote.id))
            .join(TimelineEntry, TimelineEntry.timeline_id == PartnerTimeline.id)
            .join(StepAsideNote, StepAsideNote.entry_id == TimelineEntry.id)
            .where(owner, StepAsideNote.kind == "frein", StepAsideNote.answer == "")
            .group_by(PartnerTimeline.owner_id)):
        stats[owner_id]["unanswered"] = count
    return stats
