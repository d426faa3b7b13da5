"""Business rules of an experiment: instantiate the method, edit the cadre, the parts and
their deliverables, the stakeholders, the themes and their groups, the interviews.

Every function flushes and never commits; French messages come in ``DomainError``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from extensions import db
from facilitation.experiments import clashes, planning, queries, roles, rules
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
from facilitation.sessions.operations import agenda_from_method, create_session
from facilitation.working_groups import operations as groups
from facilitation.working_groups.models import WorkingGroup
from territorial.actors.models import Organisation, Person
from territorial.common import versions
from territorial.common.errors import DomainError
from territorial.common.models import utcnow


# Creation from the method --------------------------------------------------------------

def create_experiment(territory_id: int, method: Mapping[str, Any], *, title: str,
                      start_date: date, perimeter: str = "",
                      themes: Iterable[str] = ()) -> Experiment:
    """An experiment with the method's cadre sections, parts and deliverables, themes with
    one working group each, and the proposed sessions (launch, GT1–GT3 per group,
    restitution, copils) dated over the period."""
    defaults = method["defaults"]
    experiment = Experiment(
        territory_id=territory_id, method_key=method["key"], title=title,
        perimeter=perimeter, start_date=start_date,
        end_date=planning.period_end(start_date, defaults["duration_months"]),
        status="preparation",
    )
    db.session.add(experiment)
    db.session.flush()
    _create_sections(experiment, method)
    _create_parts(experiment, method)
    for proposal in planning.proposed_collective_sessions(method, start_date):
        _create_proposed_session(experiment, method, proposal)
    theme_titles = [t.strip() for t in themes if t and t.strip()]
    suggested = {str(s["label"]).lower(): s["key"] for s in method.get("suggested_themes", [])}
    for position, theme_title in enumerate(theme_titles):
        theme = Theme(territory_id=territory_id, experiment_id=experiment.id,
                      key=suggested.get(theme_title.lower(), ""), title=theme_title,
                      position=position)
        db.session.add(theme)
        db.session.flush()
        create_group(experiment, method, title=_group_title(theme_title), theme=theme,
                     index=position, count=len(theme_titles))
    roles.ensure_grid(experiment, method)
    return experiment


def _create_sections(experiment: Experiment, method: Mapping[str, Any]) -> None:
    position = 0
    for section in method["cadre_sections"]:
        common = {
            "territory_id": experiment.territory_id, "experiment_id": experiment.id,
            "key": section["key"], "group_title": section.get("group", ""),
        }
        content = experiment.perimeter if section["key"] == "perimetre" else ""
        db.session.add(CadreSection(
            **common, title=section["title"], position=position,
            guiding_questions=[" ".join(q.split()) for q in section["guiding_questions"]],
            help_text=section.get("help", ""), example=section.get("example", ""),
            content=content, actor_kind=None,
        ))
        position += 1
        for kind in section.get("per_actor_kind", []):
            db.session.add(CadreSection(
                **common, title=kind["label"], position=position, guiding_questions=[],
                help_text="", example=kind.get("example", ""), content="",
                actor_kind=kind["key"],
            ))
            position += 1
    db.session.flush()


def _create_parts(experiment: Experiment, method: Mapping[str, Any]) -> None:
    for position, spec in enumerate(method["parts"]):
        start, end = planning.month_span(experiment.start_date, spec["start_month"],
                                         spec["end_month"])
        part = Part(
            territory_id=experiment.territory_id, experiment_id=experiment.id, key=spec["key"],
            title=spec["title"], objectives=spec.get("objectives", ""),
            description=spec.get("description", ""),
            mode_operatoire=spec.get("mode_operatoire", ""), start_date=start, end_date=end,
            position=position,
        )
        db.session.add(part)
        db.session.flush()
        for index, deliverable in enumerate(spec.get("deliverables", [])):
            db.session.add(Deliverable(
                territory_id=experiment.territory_id, part_id=part.id,
                key=deliverable["key"], title=deliverable["title"], status="prevu",
                due_date=end, position=index,
            ))
    db.session.flush()


def _create_proposed_session(experiment: Experiment, method: Mapping[str, Any],
                             proposal: Mapping[str, Any],
                             working_group_id: int | None = None) -> Meeting:
    return create_session(
        experiment.territory_id, kind=proposal["kind"], title=proposal["title"],
        starts_at=proposal["starts_at"], ends_at=proposal["ends_at"],
        experiment_id=experiment.id, working_group_id=working_group_id,
        participation_level="participation" if proposal["kind"] in planning.GT_KINDS else None,
        agenda=agenda_from_method(method, proposal["kind"]),
    )


def _group_title(theme_title: str) -> str:
    return f"GT {theme_title}"


# Themes and working groups ---------------------------------------------------------------


def create_group(experiment: Experiment, method: Mapping[str, Any], *, title: str,
                 theme: Theme | None = None, facilitator_person_id: int | None = None,
                 description: str = "", index: int | None = None,
                 count: int | None = None, with_sessions: bool = True) -> WorkingGroup:
    """A working group of the experiment, with its GT1, GT2 and GT3 on the planning."""
    if theme is not None and theme.experiment_id != experiment.id:
        raise DomainError(_("Cette thématique n'appartient pas à l'expérimentation."))
    group = groups.create_group(
        experiment.territory_id, title, experiment_id=experiment.id,
        theme_id=theme.id if theme else None,
        facilitator_person_id=facilitator_person_id, description=description,
    )
    if with_sessions:
        if count is None:
            count = queries.active_group_count(experiment)
            index = count - 1
        label = theme.title if theme else title
        for proposal in planning.proposed_group_sessions(method, experiment.start_date, label,
                                                         index or 0, max(count, 1)):
            _create_proposed_session(experiment, method, proposal, working_group_id=group.id)
    return group


def add_theme(experiment: Experiment, method: Mapping[str, Any], title: str, *,
              with_group: bool = True) -> Theme:
    title = title.strip()
    if not title:
        raise DomainError(_("Donnez un intitulé à la thématique."))
    taken = db.session.scalar(select(Theme.id).where(
        Theme.experiment_id == experiment.id, func.lower(Theme.title) == title.lower(),
        Theme.archived_at.is_(None)))
    if taken is not None:
        raise DomainError(_("La thématique « %(title)s » existe déjà.", title=title))
    position = db.session.scalar(select(func.count()).select_from(Theme).where(
        Theme.experiment_id == experiment.id))
    suggested = {str(s["label"]).lower(): s["key"] for s in method.get("suggested_themes", [])}
    theme = Theme(territory_id=experiment.territory_id, experiment_id=experiment.id,
                  key=suggested.get(title.lower(), ""), title=title, position=position)
    db.session.add(theme)
    db.session.flush()
    if with_group:
        create_group(experiment, method, title=_group_title(title), theme=theme)
    return theme


def remove_theme(theme: Theme) -> str:
    """Delete a theme nothing hangs on; archive (with its groups) a theme that has groups,
    sessions or interviews. Returns "deleted" or "archived"."""
    footprint = queries.theme_footprint(theme)
    if not any(footprint.values()):
        db.session.delete(theme)
        db.session.flush()
        return "deleted"
    set_theme_archived(theme, True)
    return "archived"


def set_theme_archived(theme: Theme, archived: bool) -> None:
    moment = utcnow() if archived else None
    theme.archived_at = moment
    for group in db.session.scalars(select(WorkingGroup).where(WorkingGroup.theme_id == theme.id)):
        group.archived_at = moment
    db.session.flush()


# Cadre ---------------------------------------------------------------------------------


def update_section(section: CadreSection, content: str, version: int | None = None) -> None:
    """``version``: the section's version on the user's page (``versions.Conflict`` if a
    colleague saved the section since)."""
    versions.check(section, version)
    section.content = content
    versions.flush(section)


# Experiment and parts ---------------------------------------------------------------------

def sessions_left_outside(experiment: Experiment, start_date: date, end_date: date,
                          shift_planning: bool) -> list[Meeting]:
    """The sessions a change of the experiment's dates would leave outside its period."""
    delta = start_date - experiment.start_date if shift_planning else timedelta(0)
    sessions = list(db.session.scalars(select(Meeting).where(
        Meeting.experiment_id == experiment.id).order_by(Meeting.starts_at, Meeting.id)))
    return clashes.outside(sessions, start_date, end_date, delta)


def update_experiment(experiment: Experiment, *, title: str, perimeter: str, start_date: date,
                      end_date: date, status: str, shift_planning: bool = False,
                      move_outside: bool = False) -> None:
    """Change the experiment; ``shift_planning`` moves its parts and sessions by as many
    days as its start moved; ``move_outside`` then brings the sessions still outside the
    period to its nearest working day (same time, same length)."""
    if errors := rules.period_errors(start_date, end_date):
        raise DomainError(errors)
    left_outside = sessions_left_outside(experiment, start_date, end_date, shift_planning) \
        if move_outside else []
    delta = start_date - experiment.start_date
    experiment.title, experiment.perimeter, experiment.status = title, perimeter, status
    experiment.start_date, experiment.end_date = start_date, end_date
    if shift_planning and delta:
        for part in db.session.scalars(select(Part).where(Part.experiment_id == experiment.id)):
            part.start_date += delta
            part.end_date += delta
        for session in db.session.scalars(select(Meeting).where(
                Meeting.experiment_id == experiment.id)):
            session.starts_at += delta
            session.ends_at += delta
        for deliverable in db.session.scalars(
                select(Deliverable).join(Part, Part.id == Deliverable.part_id)
                .where(Part.experiment_id == experiment.id, Deliverable.due_date.is_not(None))):
            deliverable.due_date += delta
    for session in left_outside:  # already shifted above when asked
        session.starts_at, session.ends_at = clashes.moved_inside(session, start_date, end_date)
    db.session.flush()


def update_part(part: Part, experiment: Experiment, values: Mapping[str, Any]) -> None:
    if errors := rules.part_errors(values["start_date"], values["end_date"], experiment):
        raise DomainError(errors)
    for key in ("title", "objectives", "description", "mode_operatoire", "start_date",
                "end_date"):
        setattr(part, key, values[key])
    db.session.flush()


# Deliverables ------------------------------------------------------------------------------

def _owner_ids(territory_id: int, organisation_id: int | None, person_id: int | None
               ) -> tuple[int | None, int | None]:
    if organisation_id:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None or organisation.territory_id != territory_id:
            raise DomainError(_("Cette organisation n'appartient pas à ce territoire."))
    if person_id:
        person = db.session.get(Person, person_id)
        if person is None or person.territory_id != territory_id:
            raise DomainError(_("Cette personne n'appartient pas à ce territoire."))
    return organisation_id or None, person_id or None


def save_deliverable(deliverable: Deliverable, part: Part, values: Mapping[str, Any]) -> None:
    organisation_id, person_id = _owner_ids(part.territory_id, values.get("owner_organisation_id"),
                                            values.get("owner_person_id"))
    deliverable.territory_id = part.territory_id
    deliverable.part_id = part.id
    deliverable.title = values["title"]
    deliverable.status = values["status"]
    deliverable.due_date = values.get("due_date")
    deliverable.owner_organisation_id = organisation_id
    deliverable.owner_person_id = person_id
    if deliverable.id is None:
        deliverable.position = db.session.scalar(
            select(func.count()).select_from(Deliverable).where(Deliverable.part_id == part.id))
        db.session.add(deliverable)
    db.session.flush()


def delete_deliverable(deliverable: Deliverable) -> None:
    db.session.delete(deliverable)
    db.session.flush()


# Stakeholders ------------------------------------------------------------------------------

def save_stakeholder(stakeholder: Stakeholder, experiment: Experiment,
                     values: Mapping[str, Any]) -> None:
    organisation_id, _person = _owner_ids(experiment.territory_id, values["organisation_id"], None)
    if organisation_id is None:
        raise DomainError(_("Choisissez une organisation du territoire."))
    duplicate = db.session.scalar(select(Stakeholder.id).where(
        Stakeholder.experiment_id == experiment.id,
        Stakeholder.organisation_id == organisation_id))
    if duplicate is not None and duplicate != stakeholder.id:
        raise DomainError(_("Cette organisation figure déjà parmi les parties prenantes."))
    stakeholder.territory_id = experiment.territory_id
    stakeholder.experiment_id = experiment.id
    stakeholder.organisation_id = organisation_id
    for key in ("role", "positioning", "contribution", "reason"):
        setattr(stakeholder, key, values[key])
    if stakeholder.id is None:
        stakeholder.position = db.session.scalar(select(func.count()).select_from(Stakeholder)
                                                 .where(Stakeholder.experiment_id == experiment.id))
        db.session.add(stakeholder)
    db.session.flush()
    if stakeholder.role == "pilote":
        roles.add_missing_pilots(experiment)


def delete_stakeholder(stakeholder: Stakeholder) -> None:
    db.session.delete(stakeholder)
    db.session.flush()


# Interviews --------------------------------------------------------------------------------

def save_interview(interview: Interview, experiment: Experiment, values: Mapping[str, Any]) -> None:
    _organisation, person_id = _owner_ids(experiment.territory_id, None, values["person_id"])
    if person_id is None:
        raise DomainError(_("Choisissez la personne rencontrée."), field="person_id")
    _organisation, interviewer_id = _owner_ids(experiment.territory_id, None,
                                               values.get("interviewer_person_id"))
    theme_id = values.get("theme_id") or None
    if theme_id is not None:
        theme = db.session.get(Theme, theme_id)
        if theme is None or theme.experiment_id != experiment.id:
            raise DomainError(_("Cette thématique n'appartient pas à l'expérimentation."))
    interview.territory_id = experiment.territory_id
    interview.experiment_id = experiment.id
    interview.person_id = person_id
    interview.interviewer_person_id = interviewer_id
    interview.theme_id = theme_id
    for key in ("interviewer_name", "held_on", "individual_stakes", "territorial_stakes",
                "notes"):
        setattr(interview, key, values.get(key) or ("" if key != "held_on" else None))
    if interview.id is None:
        db.session.add(interview)
    db.session.flush()


def delete_interview(interview: Interview) -> None:
    db.session.delete(interview)
    db.session.flush()


def set_deliverable_status(deliverable: Deliverable, status: str) -> None:
    deliverable.status = status
    db.session.flush()
