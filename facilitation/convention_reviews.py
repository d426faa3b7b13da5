"""Yearly review meetings of a convention: sessions with ``body_type = "convention"``.

Each year the authority and the association meet around the dashboard (« en moyenne,
un tableau générait 3 heures de discussions »): this module schedules that session
and shows the convention's reviews on its page, through
``territorial.common.panels.convention_panels`` (the territorial layer does not import
facilitation).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from extensions import db
from facilitation.sessions import operations as sessions
from facilitation.sessions.forms import times_errors
from facilitation.sessions.models import SESSION_STATUSES
from facilitation.sessions.models import Meeting
from territorial.access import can, needs
from territorial.common.blueprints import territory_blueprint
from territorial.common.dates import datetime_formatter
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import Form
from territorial.common.loading import rows
from territorial.common.panels import Panel, convention_panels
from territorial.common.urls import url_for_ids
from territorial.conventions.models import Convention
from territorial.conventions.operations import load_convention

BODY_TYPE = "convention"
REVIEW_MINUTES = 180  # « en moyenne, un tableau générait 3 heures de discussions »
REVIEW_AGENDA = [
    {"title": "Retour sur l'année : valeurs atteintes et sources", "duration_minutes": 40},
    {"title": "Dialogue sur chaque indicateur (collectivité et association)", "duration_minutes": 90},
    {"title": "Trajectoire : cibles des années suivantes, ajustements", "duration_minutes": 35},
    {"title": "Relevé des engagements et prochaine revue", "duration_minutes": 15},
]

bp = territory_blueprint("convention_reviews", __name__, url_prefix="/conventions")


class ReviewForm(Form):
    year = SelectField(_l("Année passée en revue"), coerce=int)
    day = DateField(_l("Date de la revue"), validators=[DataRequired(_l("Indiquez la date."))])
    start_time = TimeField(_l("Heure de début"), validators=[DataRequired(_l("Indiquez l'heure."))])
    end_time = TimeField(_l("Heure de fin"), validators=[DataRequired(_l("Indiquez l'heure."))],
                         description=_l("Prévoyez large : un tableau de bord suscite en moyenne "
                                        "trois heures de discussions."))
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=300)])

    def rule_errors(self):
        return times_errors(self.day.data, self.start_time.data, self.end_time.data)


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


def reviews_of(convention_id: int) -> list:
    """The convention's review meetings in date order: rows of (id, title, start, place,
    status), what the panel shows, rather than whole sessions."""
    return rows(
        select(Meeting.id, Meeting.title, Meeting.starts_at,
               Meeting.place, Meeting.status)
        .where(Meeting.body_type == BODY_TYPE, Meeting.body_id == convention_id)
        .order_by(Meeting.starts_at, Meeting.id))


@convention_panels.register
def reviews_panel(convention: Convention) -> Panel:
    """The convention's review meetings; a partner sees them without links (the session
    pages are the authority's)."""
    linked = can("view")
    statuses = {key: str(label) for key, label in SESSION_STATUSES.items()}
    day_and_time = datetime_formatter("EEEE d MMMM yyyy, HH:mm")
    session_url = url_for_ids("sessions.detail", "session_id")
    items = []
    for review_id, title, starts_at, place, status in reviews_of(convention.id):
        where = f" – {place}" if place else ""
        text = f"{title} – {day_and_time(starts_at)}{where} ({statuses.get(status, status)})"
        items.append((text, session_url(review_id) if linked else None))
    return Panel(
        title=_("Revues annuelles"),
        items=items,
        empty_text=_("Aucune revue annuelle planifiée pour l'instant."),
        more_url=url_for("convention_reviews.new", convention_id=convention.id)
        if can("facilitate") else None,
        order=10,
    )


@bp.route("/<int:convention_id>/reviews/new", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def new(convention_id: int):
    convention = load_convention(g.territory.id, convention_id)
    if convention is None:
        abort(404)
    form = ReviewForm()
    form.year.choices = [(year, str(year)) for year in convention.years]
    if not form.is_submitted():
        today = date.today()
        form.year.data = min(max(today.year - 1, convention.start_year), convention.end_year)
        form.day.data = today + timedelta(days=21)
        form.start_time.data, form.end_time.data = time(9, 30), time(12, 30)
    if form.validate_on_submit():
        starts_at = sessions.local_datetime(form.day.data, form.start_time.data)
        ends_at = sessions.local_datetime(form.day.data, form.end_time.data)
        try:
            review = schedule_review(convention, form.year.data, starts_at, ends_at, form.place.data)
        except DomainError as error:
            show_errors(form, error, default="year")
        else:
            flash(_("Revue annuelle %(year)s planifiée.", year=form.year.data), "success")
            return redirect(url_for("sessions.detail", session_id=review.id))
    return render_template("convention_reviews/review_form.html", form=form, convention=convention), (
        422 if form.errors else 200)


# Demo --------------------------------------------------------------------------------

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
