"""Queries of projects: the latest review of each project, a project's reviews, the
short-term partners not met yet, and the frises where an organisation appears."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.collation import french
from territorial.projects.models import OWNER_TYPE, Project
from territorial.reviews.models import Review
from territorial.timelines.models import (
    ContactEvent, PartnerTimeline, TimelineEntry, TimelineLevel,
)


def last_review_dates(project_ids: list[int]) -> dict[int, date]:
    """The date of the latest review of each of these projects (those that have one)."""
    if not project_ids:
        return {}
    return dict(db.session.execute(
        select(Review.project_id, func.max(Review.held_on))
        .where(Review.project_id.in_(project_ids)).group_by(Review.project_id)).all())


def reviews_of_project(project: Project) -> list[Review]:
    """A project's reviews, the latest first."""
    return db.session.scalars(
        select(Review).where(Review.project_id == project.id)
        .order_by(Review.held_on.desc(), Review.id.desc())).all()


def _partners_not_met(territory_id, *columns):
    """Short-term entries of the frises of live projects with no « met » contact yet:
    ``columns`` of their rows (entry, project, level)."""
    met = select(ContactEvent.id).where(ContactEvent.entry_id == TimelineEntry.id,
                                        ContactEvent.kind == "met").exists()
    return (select(*columns)
            .join(PartnerTimeline, PartnerTimeline.id == TimelineEntry.timeline_id)
            .join(Project, (PartnerTimeline.owner_type == OWNER_TYPE)
                  & (Project.id == PartnerTimeline.owner_id))
            .join(TimelineLevel, TimelineLevel.id == TimelineEntry.level_id)
            .where(TimelineEntry.territory_id == territory_id, TimelineEntry.term == "court",
                   Project.archived_at.is_(None), ~met))


def partners_not_met(territory_id: int, limit: int = 8) -> list[tuple[TimelineEntry, str, str]]:
    """Short-term partners of live projects not met yet: (entry, project title, level label)."""
    return db.session.execute(
        _partners_not_met(territory_id, TimelineEntry, Project.title, TimelineLevel.label)
        .options(selectinload(TimelineEntry.organisation),
                 selectinload(TimelineEntry.person).joinedload(Person.organisation))
        .order_by(TimelineLevel.position, TimelineEntry.id).limit(limit)).all()


def any_partner_not_met(territory_id):
    """SQL condition: a short-term partner of a live project is not met yet
    (``territory_id``: an id or a bound parameter)."""
    return _partners_not_met(territory_id, TimelineEntry.id).exists()


def frise_entries_of_organisation(organisation: Organisation, limit: int = 20
                                  ) -> list[tuple[TimelineEntry, str, str]]:
    """The frise entries of an organisation or one of its people: (entry, frise title,
    level label), by frise title."""
    person_ids = select(Person.id).where(Person.organisation_id == organisation.id)
    return db.session.execute(
        select(TimelineEntry, PartnerTimeline.title, TimelineLevel.label)
        .join(PartnerTimeline, PartnerTimeline.id == TimelineEntry.timeline_id)
        .join(TimelineLevel, TimelineLevel.id == TimelineEntry.level_id)
        .where(TimelineEntry.territory_id == organisation.territory_id,
               (TimelineEntry.organisation_id == organisation.id)
               | TimelineEntry.person_id.in_(person_ids))
        .options(selectinload(TimelineEntry.organisation),
                 selectinload(TimelineEntry.person).joinedload(Person.organisation))
        .order_by(french(PartnerTimeline.title)).limit(limit)).all()
