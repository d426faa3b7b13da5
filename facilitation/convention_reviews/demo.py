"""Demo data: review meetings of the Champagne-Ardenne conventions."""
from __future__ import annotations

from datetime import date, time

from flask import current_app
from sqlalchemy import select

from extensions import db
from facilitation.sessions import operations as sessions
from facilitation.sessions.models import Meeting
from territorial.conventions.models import Convention
from territorial.conventions.queries import load_convention

from facilitation.convention_reviews.operations import review_title, schedule_review


def seed_convention_reviews_demo() -> None:
    """Review meetings of the Champagne-Ardenne conventions: 2024 and 2025 held, 2026
    planned. Idempotent (looked up by title). French labels need a request context."""
    with current_app.test_request_context():
        _seed_reviews()


def _seed_reviews() -> None:
    from territorial.territories.models import Territory

    territory = db.session.scalar(select(Territory).where(Territory.slug == "champagne-ardenne"))
    if territory is None:
        return
    conventions = db.session.scalars(
        select(Convention).where(Convention.territory_id == territory.id)
        .order_by(Convention.reference)).all()
    for index, convention in enumerate(conventions):
        convention = load_convention(territory.id, convention.id)
        for year, day, status in ((2024, date(2025, 2, 4 + index), "cloturee"),
                                  (2025, date(2026, 2, 3 + index), "cloturee"),
                                  (2026, date(2027, 2, 2 + index), "preparee")):
            if not convention.in_period(year):
                continue
            title = review_title(convention, year)
            exists = db.session.scalar(select(Meeting.id).where(
                Meeting.territory_id == territory.id, Meeting.title == title))
            if exists:
                continue
            review = schedule_review(
                convention, year, sessions.local_datetime(day, time(9, 30)),
                sessions.local_datetime(day, time(12, 30)),
                "Hôtel de Région, 5 rue de Jéricho, Châlons-en-Champagne")
            review.status = status
    db.session.flush()
