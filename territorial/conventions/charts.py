"""Plotly figures (plain dicts) of a convention: the trajectory of each quantitative
indicator against its targets. The page shows each figure's data table below it."""
from __future__ import annotations

from flask_babel import gettext as _

from territorial.common.charts import chart_text
from territorial.conventions.rules import Dashboard

# Colour-blind-safe (Okabe–Ito); the traces also differ by line style and marker shape.
TARGET_COLOUR = "#0072B2"
REACHED_COLOUR = "#D55E00"
BASELINE_COLOUR = "#000000"


def _float(value):
    return float(value) if value is not None else None


def trajectory_figure(convention, row) -> dict:
    """Targets (dashed, diamonds) and values reached (solid, circles) per year; the
    baseline as a square when it is known."""
    indicator = row.indicator
    years = [cell.year for cell in row.cells]
    targets = [_float(cell.target.value) if cell.target else None for cell in row.cells]
    reached = [_float(cell.measure.value) if cell.measure else None for cell in row.cells]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": _("Cible"), "x": years, "y": targets,
         "connectgaps": True, "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
         "marker": {"symbol": "diamond", "size": 10},
         "hovertemplate": "%{x} : %{y} " + indicator.unit + "<extra>" + _("Cible") + "</extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": _("Atteint"), "x": years, "y": reached,
         "line": {"color": REACHED_COLOUR, "width": 3}, "marker": {"symbol": "circle", "size": 10},
         "hovertemplate": "%{x} : %{y} " + indicator.unit + "<extra>" + _("Atteint") + "</extra>"},
    ]
    ticks = list(years)
    if indicator.baseline is not None and indicator.baseline_year:
        data.append({
            "type": "scatter", "mode": "markers", "name": _("Référence"),
            "x": [indicator.baseline_year], "y": [_float(indicator.baseline)],
            "marker": {"symbol": "square", "size": 10, "color": BASELINE_COLOUR},
            "hovertemplate": "%{x} : %{y} " + indicator.unit + "<extra>" + _("Référence") + "</extra>",
        })
        ticks = sorted({indicator.baseline_year, *years})
    return {
        "data": data,
        "layout": {
            "title": {"text": chart_text(indicator.title)},
            "font": {"family": "system-ui, sans-serif", "size": 14},
            "margin": {"l": 70, "r": 20, "t": 60, "b": 70},
            "legend": {"orientation": "h", "y": -0.25},
            "xaxis": {"title": {"text": _("Année")}, "tickvals": ticks,
                      "ticktext": [str(y) for y in ticks]},
            "yaxis": {"title": {"text": chart_text(indicator.unit)}, "rangemode": "tozero",
                      "separatethousands": True},
            "separators": ", ",
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "height": 360,
        },
    }


def trajectory_figures(dashboard: Dashboard) -> list[tuple[object, object, dict]]:
    """(objective, indicator row, figure) for every quantitative indicator that has a
    target or a value in the period (an empty chart says nothing)."""
    return [(objective, row, trajectory_figure(dashboard.convention, row))
            for objective, row in dashboard.indicator_rows()
            if row.indicator.kind == "quantitative"
            and any(cell.target or cell.measure for cell in row.cells)]
