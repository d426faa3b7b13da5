"""The territory's Agenda: every session, upcoming first, with its iCalendar feed."""
from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_login import login_required

from facilitation.sessions import queries
from facilitation.sessions.exports import build_ics
from facilitation.sessions.models import kind_labels
from territorial.access import needs
from territorial.common.blueprints import territory_blueprint
from territorial.common.dates import datetime_formatter
from territorial.common.downloads import send_download
from territorial.common.pagination import paginate
from territorial.common.urls import url_for_ids

bp = territory_blueprint("agenda", __name__, url_prefix="/agenda")

MAX_FEED_SESSIONS = 5000


@bp.route("")
@login_required
@needs("view")
def index():
    when = request.args.get("when", "upcoming")
    if when not in ("past", "all"):
        when = "upcoming"
    page = paginate(queries.agenda_statement(g.territory.id, when))
    return render_template(
        "agenda/index.html", page=page, when=when,
        day=datetime_formatter("EEE d MMM y"), hour=datetime_formatter("HH:mm"),
        kind_labels=kind_labels(),
        session_url=url_for_ids("sessions.detail", "session_id"),
        experiment_url=url_for_ids("experiments.workspace", "experiment_id"))


@bp.route("/calendar.ics")
@login_required
@needs("view")
def feed():
    sessions = queries.feed_sessions(g.territory.id, MAX_FEED_SESSIONS)
    data = build_ics(sessions, f"Agenda – {g.territory.name}",
                     lambda s: url_for("sessions.detail", session_id=s.id, _external=True))
    return send_download(data, f"agenda-{g.territory.slug}.ics")
