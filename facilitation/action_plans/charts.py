"""Plotly figures (plain dicts) of the restitution and the follow-up. Each page shows
the data table of a figure just below it."""
from territorial.common.dates import format_date
from flask_babel import gettext as _

from facilitation.action_plans.models import HORIZONS, SCOPES
from facilitation.action_plans.reports import Scope
from facilitation.action_plans.key_figures import FollowUp, Synthesis
from territorial.common.charts import chart_text

# Colour-blind-safe palette (Okabe–Ito), dark enough on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
HORIZON_COLOURS = {"court": "#0072B2", "moyen": "#E69F00", "long": "#009E73"}
SCOPE_COLOURS = {"participants": "#0072B2", "territoire": "#D55E00"}


def _layout(title: str, **extra) -> dict:
    layout = {
        "title": {"text": title},
        "font": {"family": "system-ui, sans-serif", "size": 14},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 80},
        "legend": {"orientation": "h", "y": -0.2},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
    layout.update(extra)
    return layout


def restitution_charts(figures: Synthesis, scope: Scope) -> dict[str, dict]:
    groups = [chart_text(group.title) for group, _h, _s, _t in figures.by_group]
    charts = {}
    if groups:
        charts["horizons"] = {
            "data": [
                {"type": "bar", "name": str(label), "x": groups,
                 "y": [horizons.get(key, 0) for _g, horizons, _s, _t in figures.by_group],
                 "marker": {"color": HORIZON_COLOURS[key]}}
                for key, label in HORIZONS.items()
            ],
            "layout": _layout(_("Actions par %(kind)s et par horizon", kind=scope.group_label.lower()),
                              barmode="stack", yaxis={"title": {"text": _("Actions")}, "dtick": 1}),
        }
        charts["scopes"] = {
            "data": [
                {"type": "bar", "name": str(label), "x": groups,
                 "y": [scopes.get(key, 0) for _g, _h, scopes, _t in figures.by_group],
                 "marker": {"color": SCOPE_COLOURS[key]}}
                for key, label in SCOPES.items()
            ],
            "layout": _layout(_("Engagements des participants et propositions pour le territoire"),
                              barmode="group", yaxis={"title": {"text": _("Actions")}, "dtick": 1}),
        }
    top = figures.organisations[:10]
    if top:
        names = [chart_text(name) for name, _p, _r, _t in reversed(top)]
        charts["organisations"] = {
            "data": [
                {"type": "bar", "orientation": "h", "name": _("Actions portées"),
                 "y": names, "x": [p for _n, p, _r, _t in reversed(top)],
                 "marker": {"color": "#0072B2"}},
                {"type": "bar", "orientation": "h", "name": _("Autres actions où elle est impliquée"),
                 "y": names, "x": [t - p for _n, p, _r, t in reversed(top)],
                 "marker": {"color": "#E69F00"}},
            ],
            "layout": _layout(_("Organisations les plus impliquées"), barmode="stack",
                              margin={"l": 20, "r": 20, "t": 60, "b": 80},
                              xaxis={"title": {"text": _("Actions")}, "dtick": 1},
                              yaxis={"automargin": True},
                              height=max(320, 60 + 36 * len(top))),
        }
    return charts


def month_label(day) -> str:
    return format_date(day, "MMM yyyy")


def progress_chart(follow: FollowUp, scope: Scope) -> dict | None:
    if not follow.months or not follow.progress_series:
        return None
    labels = [month_label(day) for day in follow.months]
    return {
        "data": [
            {"type": "scatter", "mode": "lines+markers", "name": chart_text(group.title), "x": labels,
             "y": values, "connectgaps": False,
             "line": {"color": PALETTE[index % len(PALETTE)], "width": 3,
                      "dash": ["solid", "dash", "dot", "dashdot"][index % 4]}}
            for index, (group, values) in enumerate(follow.progress_series)
        ],
        "layout": _layout(
            _("Avancement moyen par %(kind)s, mois par mois", kind=scope.group_label.lower()),
            yaxis={"title": {"text": _("Avancement moyen (%)")}, "range": [0, 100]},
            xaxis={"type": "category"},
        ),
    }
