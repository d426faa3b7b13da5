"""Scheduling the yearly review of a convention: a session of kind « revue », with the
review's agenda."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from facilitation.sessions import operations as sessions
from facilitation.sessions.models import Meeting
from territorial.common.errors import DomainError
from territorial.conventions.models import Convention

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
        agenda=REVIEW_AGENDA,
    )
