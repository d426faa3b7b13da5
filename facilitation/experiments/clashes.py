"""What the planning of an experiment says about itself: the sessions' clashes (the same
person in two sessions at once, one place taken twice, a weekend or a public holiday:
``facilitation.sessions.clashes``), sessions outside the experiment's period, and
livrables due outside it. Warnings shown on the planning and after a save, never silent."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from territorial.common.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import Date, bindparam, select

from extensions import db
from facilitation.experiments.models import Deliverable, Experiment, Part
from facilitation.sessions.clashes import Clash, people_of, session_clashes
from facilitation.sessions.models import Meeting
from facilitation.sessions.operations import date_errors, local_datetime, to_local
from territorial.common import working_days


def _period(experiment: Experiment) -> str:
    return _("du %(start)s au %(end)s", start=format_date(experiment.start_date, "long"),
             end=format_date(experiment.end_date, "long"))


def outside(sessions: list[Meeting], start: date, end: date,
            delta: timedelta = timedelta(0)) -> list[Meeting]:
    """The sessions that do not fall within ``start`` – ``end`` (once moved by ``delta``)."""
    return [s for s in sessions
            if date_errors(s.starts_at + delta, s.ends_at + delta, (start, end))]


def deliverables_outside(experiment: Experiment) -> list[Deliverable]:
    return list(db.session.scalars(_DELIVERABLES_OUTSIDE, {
        "experiment_id": experiment.id, "start": experiment.start_date,
        "end": experiment.end_date}))


# Built once, the experiment and its period bound: its cache key computed once per process.
_DELIVERABLES_OUTSIDE = (
    select(Deliverable).join(Part, Part.id == Deliverable.part_id)
    .where(Part.experiment_id == bindparam("experiment_id"), Deliverable.due_date.is_not(None),
           (Deliverable.due_date < bindparam("start", type_=Date))
           | (Deliverable.due_date > bindparam("end", type_=Date)))
    .order_by(Deliverable.due_date, Deliverable.id))


def deliverable_warning(experiment: Experiment, due: date | None) -> str | None:
    """What a livrable due on ``due`` is told, when that is outside the experiment."""
    if due is None or experiment.start_date <= due <= experiment.end_date:
        return None
    return _("Échéance en dehors de la période de l'expérimentation (%(period)s) : "
             "vérifiez la date.", period=_period(experiment))


def planning_clashes(experiment: Experiment, sessions: list[Meeting]) -> list[Clash]:
    """What the planning warns about besides the sessions outside the period (listed on
    their own): the sessions' clashes, then the livrables due outside the period."""
    clashes = session_clashes(sessions, people_of(sessions))
    clashes += [Clash("deliverable", _(
        "Le livrable « %(title)s » est dû le %(day)s, en dehors de la période de "
        "l'expérimentation (%(period)s).", title=d.title, day=format_date(d.due_date, "long"),
        period=_period(experiment))) for d in deliverables_outside(experiment)]
    return clashes


def _inside(day: date, start: date, end: date) -> date:
    """The working day nearest to ``day`` within ``start`` – ``end`` (``day`` itself when
    it is one)."""
    day = min(max(day, start), end)
    later = working_days.next_working_day(day)
    if later <= end:
        return later
    earlier = working_days.previous_working_day(day)
    return earlier if earlier >= start else day


def moved_inside(session: Meeting, start: date, end: date) -> tuple[datetime, datetime]:
    """Where a session outside the period goes: the nearest working day within it, at the
    same time, for the same length."""
    local = to_local(session.starts_at)
    day = _inside(local.date(), start, end)
    starts_at = local_datetime(day, time(local.hour, local.minute))
    return starts_at, starts_at + (session.ends_at - session.starts_at)
