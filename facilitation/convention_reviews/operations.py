"""Scheduling the yearly review of a convention: a session of kind « revue », with the
review's agenda."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from facilitation.sessions import operations as sessions
from facilitation.sessions.models import Meeting
from territorial.common import working_days
from territorial.common.errors import DomainError
from territorial.conventions import exports, queries
from territorial.conventions.models import Convention
from territorial.conventions.queries import load_convention

BODY_TYPE = "convention"
REVIEW_AGENDA = [
    {"title": "Retour sur l'année : valeurs atteintes et sources", "duration_minutes": 40},
    {"title": "Dialogue sur chaque indicateur (collectivité et association)", "duration_minutes": 90},
    {"title": "Trajectoire : cibles des années suivantes, ajustements", "duration_minutes": 35},
    {"title": "Relevé des engagements et prochaine revue", "duration_minutes": 15},
]


def review_title(convention: Convention, year: int) -> str:
    return _("Revue annuelle %(year)s – %(ref)s (%(association)s)", year=year,
             ref=convention.reference, association=convention.association.name)


def schedule_review(convention: Convention, year: int, starts_at: datetime, ends_at: datetime,
                    place: str = "") -> Meeting:
    """A « revue » session of the convention for ``year``, with the review's agenda."""
    if not convention.in_period(year):
        raise DomainError(_(
            "L'année %(year)s est en dehors de la période de la convention (%(period)s).",
            year=year, period=convention.period_label), field="year")
    return sessions.create_session(
        convention.territory_id, kind="revue", title=review_title(convention, year),
        starts_at=starts_at, ends_at=ends_at, place=place or "",
        participation_level="concertation", body_type=BODY_TYPE, body_id=convention.id,
        body_year=year, agenda=REVIEW_AGENDA,
    )


def default_day(year: int, today: date) -> date:
    """The date a new review of ``year`` is proposed for: three weeks ahead, on a working
    day (no weekend, no public holiday), in the year under review when it can be (the
    review of a year still to come is proposed in that year's December)."""
    return working_days.working_day_in_year(today + timedelta(days=21), year, today)


def minutes_lines(session: Meeting) -> list[str]:
    """What the minutes of a yearly review hold besides the board: for each indicator of
    the convention, the figures discussed (target and value of the year under review) and
    the dialogue notes of that year, each signed (on whose behalf, who wrote it)."""
    convention = load_convention(session.territory_id, session.body_id, details=False)
    year = session.body_year
    if convention is None or year is None:
        return []
    indicators = queries.indicators_of(convention.objectives, convention.territory_id)
    notes = queries.notes_of(convention.id, year)
    lines = ["## " + _("Indicateurs et dialogue %(year)s", year=year)]
    for objective in convention.objectives:
        for indicator in indicators.get(objective.id, []):
            target = exports.target_text(indicator, indicator.target_for(year)) or "—"
            reached = exports.reached_text(indicator, indicator.latest_value(year)) or \
                _("pas de valeur saisie")
            lines.append("- " + _("%(title)s : cible %(target)s ; atteint %(reached)s.",
                                  title=indicator.title, target=target, reached=reached))
            lines += [f"  - {note.party_label} : {note.text} ({note.signature})"
                      for note in notes.get((indicator.id, year), [])]
    if len(lines) == 1:
        lines.append(_("La convention n'a pas encore d'indicateur."))
    return lines
