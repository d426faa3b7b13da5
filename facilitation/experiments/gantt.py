"""The planning as a Gantt chart (a Plotly figure dict) and as rows for its table."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _

from facilitation.experiments.models import Experiment, Part
from facilitation.sessions.models import Meeting, kind_labels
from facilitation.sessions.operations import to_local
from territorial.common.charts import chart_text
from territorial.common.dates import date_formatter
from territorial.documents.formats import french_date_formatter, hours

COLLECTIVE_KINDS = ("lancement", "restitution", "pleniere")
MARKERS = {  # kind family → (legend, symbol, colour)
    "collective": ("Réunions collectives", "star", "#8a3ffc"),
    "gt": ("Groupes de travail", "circle", "#0f62fe"),
    "copil": ("Copils", "diamond", "#b45309"),
    "other": ("Autres séances", "square", "#4b5563"),
}
PART_COLOURS = ["#9ec5fe", "#a7f3d0", "#fde68a", "#fbcfe8", "#ddd6fe"]
DAY_MS = 24 * 3600 * 1000


def _family(session: Meeting) -> str:
    if session.kind in COLLECTIVE_KINDS:
        return "collective"
    if session.kind in ("gt1", "gt2", "gt3"):
        return "gt"
    if session.kind == "copil":
        return "copil"
    return "other"


def row_label(session: Meeting) -> str:
    """A group's sessions share its row; the others sit on the row of their family."""
    if session.working_group_id and session.working_group is not None:
        return session.working_group.title
    return str(MARKERS[_family(session)][0])


def short_label(session: Meeting, kinds: Mapping[str, str] | None = None) -> str:
    """« GT1 », else the kind of session (``kinds``: the ``kind_labels()`` of a page)."""
    if session.kind.startswith("gt"):
        return session.kind.upper()
    return session.kind_label if kinds is None else kinds.get(session.kind, session.kind)


def _iso(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return _local_iso(to_local(moment))
    return moment.isoformat()


def _local_iso(local: datetime) -> str:
    """« 2026-03-12 14:30 » (written without ``strftime``, which costs several times more
    on a planning's hundred dates)."""
    return (f"{local.year:04d}-{local.month:02d}-{local.day:02d} "
            f"{local.hour:02d}:{local.minute:02d}")


def build_gantt_figure(experiment: Experiment, parts: Sequence[Part],
                       sessions: Sequence[Meeting], today: date | None = None
                       ) -> dict[str, Any]:
    """Parts as bars, sessions as markers on one row per group (collective meetings and
    copils on their own rows), today as a dashed line."""
    rows: list[str] = [chart_text(part.title) for part in parts]
    traces: list[dict[str, Any]] = []
    long_date, full_date = date_formatter("long"), lru_cache(date_formatter("full"))
    for index, part in enumerate(parts):
        span_ms = ((part.end_date - part.start_date).days + 1) * DAY_MS
        period = _("du %(start)s au %(end)s", start=long_date(part.start_date),
                   end=long_date(part.end_date))
        title = chart_text(part.title)
        traces.append({
            "type": "bar", "orientation": "h", "name": title, "showlegend": False,
            "y": [title], "base": [_iso(part.start_date)], "x": [span_ms],
            "marker": {"color": PART_COLOURS[index % len(PART_COLOURS)],
                       "line": {"color": "#1f2937", "width": 1}},
            "text": [title], "textposition": "inside", "insidetextanchor": "middle",
            "hovertext": [f"{title} : {period}"], "hoverinfo": "text",
        })
    by_family: dict[str, dict[str, list]] = {}
    session_rows: list[str] = []
    kinds = kind_labels()
    for session in sessions:
        family = _family(session)
        label = chart_text(row_label(session))
        if label not in session_rows:
            session_rows.append(label)
        bucket = by_family.setdefault(family, {"x": [], "y": [], "text": [], "hovertext": []})
        local = to_local(session.starts_at)
        bucket["x"].append(_local_iso(local))
        bucket["y"].append(label)
        bucket["text"].append(short_label(session, kinds))
        bucket["hovertext"].append(
            f"{chart_text(session.title)}<br>{full_date(local.date())} · "
            f"{local.hour:02d}:{local.minute:02d}"
            + (f"<br>{chart_text(session.place)}" if session.place else "")
        )
    ordered = [r for r in session_rows if r == str(MARKERS["collective"][0])]
    ordered += [r for r in session_rows
                if r not in ordered and r not in (str(MARKERS["copil"][0]),
                                                  str(MARKERS["other"][0]))]
    ordered += [r for r in session_rows if r not in ordered]
    rows += ordered
    for family in ("collective", "gt", "copil", "other"):
        if family not in by_family:
            continue
        legend, symbol, colour = MARKERS[family]
        bucket = by_family[family]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": legend,
            "x": bucket["x"], "y": bucket["y"], "text": bucket["text"],
            "textposition": "top center", "textfont": {"size": 11},
            "hovertext": bucket["hovertext"], "hoverinfo": "text",
            "marker": {"symbol": symbol, "size": 13, "color": colour,
                       "line": {"color": "#ffffff", "width": 1}},
        })
    start = experiment.start_date - timedelta(days=7)
    end = experiment.end_date + timedelta(days=7)
    shapes, annotations = [], []
    today = today or date.today()
    if experiment.start_date <= today <= experiment.end_date:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(),
                       "x1": today.isoformat(), "y0": 0, "y1": 1,
                       "line": {"color": "#b91c1c", "width": 2, "dash": "dash"}})
        annotations.append({"x": today.isoformat(), "y": 1, "xref": "x", "yref": "paper",
                            "text": _("Aujourd'hui"), "showarrow": False, "yanchor": "bottom",
                            "font": {"color": "#b91c1c"}})
    return {
        "data": traces,
        "layout": {
            "barmode": "overlay",
            "height": 140 + 46 * max(len(rows), 1),
            "margin": {"l": 220, "r": 24, "t": 36, "b": 40},
            "xaxis": {"type": "date", "range": [_iso(start), _iso(end)],
                      "tickformat": "%b %Y", "gridcolor": "#e5e7eb"},
            "yaxis": {"type": "category", "categoryorder": "array",
                      "categoryarray": list(reversed(rows)), "automargin": True},
            "legend": {"orientation": "h", "y": -0.12, "x": 0},
            "shapes": shapes, "annotations": annotations,
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
            "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1f2937"},
            "hoverlabel": {"bgcolor": "#ffffff"},
        },
    }


def session_rows(sessions: Sequence[Meeting]) -> list[dict[str, Any]]:
    """One row per session for the accessible table under the chart and the Word export."""
    rows = []
    full_date, kinds = french_date_formatter("full"), kind_labels()
    for session in sessions:
        start, end = to_local(session.starts_at), to_local(session.ends_at)
        rows.append({
            "session": session,
            "kind": kinds.get(session.kind, session.kind),
            "title": session.title,
            "date": full_date(start.date()),
            "hours": hours(start, end),  # « 14 h – 16 h »
            "place": session.place,
            "group": session.working_group.title if session.working_group is not None else "",
        })
    return rows

