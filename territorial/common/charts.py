"""Plotly's one configuration, for every chart of the platform: emitted once in each page
that draws charts (``templates/_plotly.html``) and applied by ``static/js/plotly_config.js``
with ``Plotly.setPlotConfig`` before any chart is drawn. The chart scripts add only what is
their own (the frise's buttons); nothing there can bring a cloud or link button back."""
from html import escape

PLOTLY_CONFIG = {
    "responsive": True,
    "displaylogo": False,  # the Plotly logo links to Plotly's site
    "showSendToCloud": False,  # « Share chart » uploads the figure (a territory's data)
    "plotlyServerURL": "",  # … to Plotly's cloud: no destination at all
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def plotly_config(locale: str) -> dict:
    return PLOTLY_CONFIG | {"locale": locale}


def chart_text(value) -> str:
    """A user's text as a Plotly label: Plotly draws a subset of HTML in every label
    (title, tick, legend, bar text, hover), so a card reading ``<a href=…>x</a>`` would be
    a link in the chart (and styles the CSP refuses); escaped, it reads as typed."""
    return escape(str(value if value is not None else ""), quote=False)
