"""The territory's Agenda: every session, upcoming first, with its iCalendar feed."""
from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.sessions.exports import build_ics
from facilitation.sessions.models import Meeting
from territorial.access import needs
from territorial.common.blueprints import territory_blueprint
from territorial.common.downloads import send_download
from territorial.common.models import utcnow
from territorial.common.pagination import paginate

bp = territory_blueprint("agenda", __name__, url_prefix="/agenda")

MAX_FEED_SESSIONS = 5000


def _options():
    return (selectinload(Meeting.experiment), selectinload(Meeting.working_group))


@bp.route("")
@login_required
@needs("view")
def index():
    when = request.args.get("when", "upcoming")
    statement = select(Meeting).where(Meeting.territory_id == g.territory.id)
    now = utcnow()
    if when == "past":
        statement = statement.where(Meeting.starts_at < now).order_by(
            Meeting.starts_at.desc(), Meeting.id.desc())
    elif when == "all":
        statement = statement.order_by(Meeting.starts_at, Meeting.id)
    else:
        when = "upcoming"
        statement = statement.where(Meeting.ends_at >= now).order_by(
            Meeting.starts_at, Meeting.id)
    page = paginate(statement.options(*_options()))
    return render_template("agenda/index.html", page=page, when=when)


@bp.route("/calendar.ics")
@login_required
@needs("view")
def feed():
    sessions = db.session.scalars(
        select(Meeting).where(Meeting.territory_id == g.territory.id)
        .options(selectinload(Meeting.working_group))
        .order_by(Meeting.starts_at.desc()).limit(MAX_FEED_SESSIONS)).all()
    data = build_ics(sessions, f"Agenda – {g.territory.name}",
                     lambda s: url_for("sessions.detail", session_id=s.id, _external=True))
    return send_download(data, f"agenda-{g.territory.slug}.ics")
