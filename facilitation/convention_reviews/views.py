"""Scheduling a yearly review (blueprint ``convention_reviews``, under ``/conventions``), and
the reviews' block on a convention's page."""
from __future__ import annotations

from datetime import date, time

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from facilitation.sessions import operations as sessions
from facilitation.sessions.models import SESSION_STATUSES
from territorial.access import can, needs
from territorial.common.blueprints import territory_blueprint
from territorial.common.dates import datetime_formatter
from territorial.common.errors import DomainError, show_errors
from territorial.common.models import utcnow
from territorial.common.panels import Panel, convention_agenda, convention_panels
from territorial.common.urls import url_for_ids
from territorial.conventions.models import Convention
from territorial.conventions.queries import load_convention

from facilitation.convention_reviews.forms import ReviewForm
from facilitation.convention_reviews.operations import (BODY_TYPE, default_day, minutes_lines,
                                                        schedule_review)
from facilitation.sessions.clashes import flash_clashes
from facilitation.sessions.live import minutes
from facilitation.convention_reviews.queries import reviews_of

bp = territory_blueprint("convention_reviews", __name__, url_prefix="/conventions")
minutes.draft_sections[BODY_TYPE] = minutes_lines


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


@convention_agenda.register
def next_review_panel(convention: Convention) -> Panel:
    """The convention's next review (what its partner prepares for)."""
    day_and_time = datetime_formatter("EEEE d MMMM yyyy, HH:mm")
    now = utcnow()
    coming = [(title, starts_at, place) for _id, title, starts_at, place, status
              in reviews_of(convention.id) if starts_at >= now and status != "cloturee"]
    items = [(f"{day_and_time(starts_at)}" + (f" – {place}" if place else ""), None)
             for _title, starts_at, place in coming[:1]]
    return Panel(title=_("Prochaine revue"), items=items,
                 empty_text=_("pas encore planifiée : la collectivité vous en dira la date."),
                 order=10)


@bp.route("/<int:convention_id>/reviews/new", methods=["GET", "POST"])
@login_required
@needs("facilitate")
def new(convention_id: int):
    convention = load_convention(g.territory.id, convention_id, details=False)
    if convention is None:
        abort(404)
    form = ReviewForm()
    form.year.choices = [(year, str(year)) for year in convention.years]
    if not form.is_submitted():
        today = date.today()
        form.year.data = min(max(today.year - 1, convention.start_year), convention.end_year)
        form.day.data = default_day(form.year.data, today)
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
            flash_clashes(review)
            return redirect(url_for("sessions.detail", session_id=review.id))
    return render_template("convention_reviews/review_form.html", form=form, convention=convention), (
        422 if form.errors else 200)
