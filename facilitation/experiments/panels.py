"""What the experiments show elsewhere: the territory's home (« Prochaines séances »,
« Livrables à venir ») and an organisation's page (experiments and groups it sits in)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from extensions import db
from facilitation.experiments.models import Deliverable, Experiment, Part, Stakeholder
from facilitation.sessions.models import Meeting
from facilitation.working_groups.models import WorkingGroup, WorkingGroupMember
from territorial.actors.models import Person
from territorial.common.collation import french
from territorial.common.dates import date_formatter, datetime_formatter
from territorial.common.loading import rows
from territorial.common.models import utcnow
from territorial.common.panels import Panel, home_panels, organisation_panels
from territorial.common.urls import url_for_ids

LIMIT = 5


@cache
def _sessions_statement():
    """The next sessions of a territory (parameters ``territory_id``, ``now``): built once,
    for the home page."""
    return (select(Meeting.id, Meeting.title, Meeting.starts_at)
            .where(Meeting.territory_id == bindparam("territory_id"),
                   Meeting.ends_at >= bindparam("now"))
            .order_by(Meeting.starts_at, Meeting.id).limit(LIMIT))


@cache
def _deliverables_statement():
    """The next deliverables not delivered of a territory (parameter ``territory_id``) with
    their experiment: built once, for the home page."""
    return (select(Deliverable.id, Deliverable.title, Deliverable.due_date, Part.experiment_id,
                   Experiment.title)
            .join(Part, Part.id == Deliverable.part_id)
            .join(Experiment, Experiment.id == Part.experiment_id)
            .where(Deliverable.territory_id == bindparam("territory_id"),
                   Deliverable.status != "livre", Deliverable.due_date.is_not(None))
            .order_by(Deliverable.due_date, Deliverable.id).limit(LIMIT))


@home_panels.register
def upcoming_sessions(territory) -> Panel:
    sessions = rows(_sessions_statement(), {"territory_id": territory.id, "now": utcnow()})
    day_and_time = datetime_formatter("EEEE d MMMM y, HH:mm")
    session_url = url_for_ids("sessions.detail", "session_id")
    return Panel(
        title=_("Prochaines séances"),
        items=[(f"{day_and_time(starts_at)} – {title}", session_url(session_id))
               for session_id, title, starts_at in sessions],
        empty_text=_("Aucune séance prévue."),
        more_url=url_for("agenda.index"),
        order=20,
    )


@home_panels.register
def upcoming_deliverables(territory) -> Panel | None:
    found = rows(_deliverables_statement(), {"territory_id": territory.id})
    if not found:
        return None
    today, day = date.today(), date_formatter("d MMM y")
    several = len({row.experiment_id for row in found}) > 1
    parts_url = url_for_ids("experiments.parts", "experiment_id")
    items = []
    for deliverable_id, title, due_date, experiment_id, experiment_title in found:
        late = _(" (en retard)") if due_date < today else ""
        text = _("%(title)s – pour le %(due)s%(late)s", title=title, due=day(due_date),
                 late=late)
        items.append((f"{text} · {experiment_title}" if several else text,
                      f"{parts_url(experiment_id)}#deliverable-{deliverable_id}"))
    return Panel(title=_("Livrables à venir"), items=items, order=30,
                 more_url=url_for("experiments.index"))


@organisation_panels.register
def organisation_involvement(organisation) -> Panel | None:
    items = []
    stakes = db.session.execute(
        select(Stakeholder.role, Experiment.id, Experiment.title)
        .join(Experiment, Experiment.id == Stakeholder.experiment_id)
        .where(Stakeholder.organisation_id == organisation.id)
        .order_by(Experiment.start_date.desc())).all()
    for role, experiment_id, title in stakes:
        label = _("Pilote") if role == "pilote" else _("Partie prenante")
        items.append((f"{label} – {title}",
                      url_for("experiments.workspace", experiment_id=experiment_id)))
    seats = db.session.execute(
        select(WorkingGroup.id, WorkingGroup.title, Person.first_name, Person.last_name)
        .join(WorkingGroupMember, WorkingGroupMember.working_group_id == WorkingGroup.id)
        .join(Person, Person.id == WorkingGroupMember.person_id)
        .where(Person.organisation_id == organisation.id, WorkingGroup.archived_at.is_(None))
        .order_by(french(WorkingGroup.title), french(Person.last_name),
                  french(Person.first_name))).all()
    people: dict[tuple[int, str], list[str]] = defaultdict(list)
    for group_id, group_title, first, last in seats:
        people[(group_id, group_title)].append(f"{first} {last}".strip())
    for (group_id, group_title), names in people.items():
        items.append((f"{group_title} : {', '.join(names)}",
                      url_for("working_groups.detail", working_group_id=group_id)))
    if not items:
        return None
    return Panel(title=_("Expérimentations et groupes de travail"), items=items, order=20)
