"""Queries of decisions: the register with its filters, the decisions of a project's step, the
instance a project's pending step decision now sits with."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.decisions.models import OUTCOMES, Decision, InformationNote
from facilitation.decisions.operations import BODY_TYPE
from facilitation.joint_projects.models import JointProject
from territorial.charters import queries as charter_queries
from facilitation.sessions.models import Meeting
from territorial.charters.models import Charter, CharterInstance


def step_decisions(project: JointProject, charter: Charter, step) -> dict:
    """For the project page: the decisions already put for this step, and the consensus
    decisions of the step's instance on this project that could settle it."""
    if not step or not step.get("decision"):
        return {"put": [], "linkable": []}
    instance = charter_queries.instance_row(charter, step["instance"])
    if instance is None:
        return {"put": [], "linkable": []}
    rows = db.session.scalars(select(Decision).where(
        Decision.joint_project_id == project.id, Decision.instance_id == instance.id,
        Decision.escalated_from_id.is_(None)).order_by(Decision.id.desc())).all()
    return {"put": [d for d in rows if d.step_key == step["key"]],
            "linkable": [d for d in rows if d.step_key is None and d.outcome == "consensus"],
            "instance": instance}


def deciding_now(project_ids) -> dict[int, str]:
    """For projects waiting for a step that is a decision: the instance the decision now sits
    with (the newest open decision put for that step: the step's instance, or the one it was
    escalated to), in words."""
    rows = db.session.execute(
        select(Decision.joint_project_id, CharterInstance.name, Decision.escalated_from_id)
        .join(CharterInstance, CharterInstance.id == Decision.instance_id)
        .join(JointProject, JointProject.id == Decision.joint_project_id)
        .where(Decision.joint_project_id.in_(list(project_ids) or [0]),
               Decision.step_key == JointProject.step_key,
               Decision.outcome.in_(("pending", "blocked")))
        .order_by(Decision.id)).all()
    return {project_id: (_("%(instance)s, en arbitrage", instance=name) if escalated else name)
            for project_id, name, escalated in rows}


def register_query(territory_id: int, filters: Mapping[str, object]):
    """Every decision of the territory with the register's filters."""
    statement = select(Decision).where(Decision.territory_id == territory_id)
    if filters.get("charter"):
        statement = statement.where(Decision.charter_id == filters["charter"])
    if filters.get("instance"):
        statement = statement.join(CharterInstance, CharterInstance.id == Decision.instance_id) \
            .where(CharterInstance.key == filters["instance"])
    if filters.get("level"):
        statement = statement.where(Decision.level == filters["level"])
    if filters.get("outcome") in OUTCOMES:
        statement = statement.where(Decision.outcome == filters["outcome"])
    if filters.get("project"):
        statement = statement.where(Decision.joint_project_id == filters["project"])
    if filters.get("review") == "due":
        statement = statement.where(Decision.review_on.is_not(None),
                                    Decision.review_on <= date.today())
    elif filters.get("review") == "planned":
        statement = statement.where(Decision.review_on.is_not(None))
    if filters.get("q"):
        statement = statement.where(Decision.statement.ilike(f"%{filters['q']}%"))
    return statement.options(
        selectinload(Decision.instance), selectinload(Decision.joint_project),
        selectinload(Decision.session),
    ).order_by(Decision.decided_on.desc().nulls_first(), Decision.id.desc())




def instance_meetings(territory_id: int, limit: int = 50) -> list[Meeting]:
    """The meetings of the charters' instances, the latest first."""
    return db.session.scalars(
        select(Meeting).where(Meeting.territory_id == territory_id,
                              Meeting.body_type == BODY_TYPE)
        .order_by(Meeting.starts_at.desc()).limit(limit)).all()


def _due_for_review(territory_id, today):
    return ((Decision.territory_id == territory_id) & Decision.review_on.is_not(None)
            & (Decision.review_on <= today))


def _blocked(territory_id):
    return (Decision.territory_id == territory_id) & (Decision.outcome == "blocked")


def decisions_due_for_review(territory_id: int, limit: int = 5) -> list:
    """(id, statement, review date) of the decisions whose review date has come."""
    return db.session.execute(
        select(Decision.id, Decision.statement, Decision.review_on)
        .where(_due_for_review(territory_id, date.today()))
        .order_by(Decision.review_on).limit(limit)).all()


def blocked_decisions(territory_id: int, limit: int = 5) -> list:
    """(id, statement) of the blocked decisions, the latest first."""
    return db.session.execute(
        select(Decision.id, Decision.statement)
        .where(_blocked(territory_id))
        .order_by(Decision.id.desc()).limit(limit)).all()


def any_to_review_or_blocked(territory_id, today):
    """SQL condition: the territory has a decision due for review on ``today`` or a blocked
    one (``territory_id``, ``today``: values or bound parameters)."""
    return select(Decision.id).where(
        _due_for_review(territory_id, today) | _blocked(territory_id)).exists()


def notes_by_meeting(meeting_ids: list[int]) -> dict[int, InformationNote]:
    """The information notes of these meetings, by meeting id."""
    return {n.session_id: n for n in db.session.scalars(
        _NOTES_OF_MEETINGS, {"meeting_ids": meeting_ids or [0]})}


def decision_counts_by_meeting(meeting_ids: list[int]) -> dict[int, int]:
    """How many decisions each of these meetings took, by meeting id."""
    return dict(db.session.execute(
        _DECISION_COUNTS, {"meeting_ids": meeting_ids or [0]}).all())


# The statements of an instance's page, built once (ids bound, lists expanding): SQLAlchemy
# computes their cache key once per process, not at each page.
_MEETING_IDS = bindparam("meeting_ids", expanding=True)
_NOTES_OF_MEETINGS = select(InformationNote).where(InformationNote.session_id.in_(_MEETING_IDS))
_DECISION_COUNTS = (select(Decision.session_id, func.count())
                    .where(Decision.session_id.in_(_MEETING_IDS)).group_by(Decision.session_id))


def latest_decisions(territory_id: int, limit: int = 6) -> list[Decision]:
    """The territory's latest decisions (undated first) with their instances and joint
    projects."""
    return db.session.scalars(
        select(Decision).where(Decision.territory_id == territory_id)
        .options(selectinload(Decision.instance), selectinload(Decision.joint_project))
        .order_by(Decision.decided_on.desc().nulls_first(), Decision.id.desc()).limit(limit)).all()


def latest_decisions_of_instance(instance: CharterInstance, limit: int = 10) -> list[Decision]:
    """An instance's latest decisions (undated first) with their joint projects."""
    return db.session.scalars(_LATEST_OF_INSTANCE,
                              {"instance_id": instance.id, "limit": limit}).all()


_LATEST_OF_INSTANCE = (
    select(Decision).where(Decision.instance_id == bindparam("instance_id"))
    .options(selectinload(Decision.joint_project))
    .order_by(Decision.decided_on.desc().nulls_first(), Decision.id.desc())
    .limit(bindparam("limit")))


def decisions_of_project(project: JointProject) -> list[Decision]:
    """A joint project's decisions with their instances, in the order taken."""
    return db.session.scalars(
        select(Decision).where(Decision.joint_project_id == project.id)
        .options(selectinload(Decision.instance)).order_by(Decision.id)).all()


def decision_of_territory(territory_id: int, decision_id: int) -> Decision | None:
    """The territory's decision of this id, or None."""
    return db.session.scalar(select(Decision).where(
        Decision.id == decision_id, Decision.territory_id == territory_id))
