"""The frise as a Plotly figure (a plain dict) and as the rows of its accessible table.

Both come from ``placements()`` so that the table always holds the chart's data:
lanes are rows (the levels, the most involved on top), the three terms are columns;
a partner placed at a date sits in proportion between the project's start (left of
« court terme ») and end (right of « long terme »)."""
from dataclasses import dataclass
from functools import cached_property
from html import escape

from flask_babel import gettext as _
from markupsafe import Markup
from markupsafe import escape as markup_escape

from territorial.actors.models import ORGANISATION_KINDS
from territorial.common.charts import chart_text
from territorial.common.dates import date_formatter
from territorial.timelines.models import (
    CONTACT_KINDS, TERM_ORDER, TERMS, PartnerTimeline, TimelineEntry,
)
from territorial.timelines.queries import effective_term

# Colours (readable on white, distinct for colour-blind readers) and symbols, so that
# the kind of partner is never told by colour alone (the legend and hover name it).
KIND_STYLES = {
    "collectivite": ("#0b5cad", "square"),
    "institution": ("#6a3d9a", "diamond"),
    "association": ("#1b7a3a", "circle"),
    "centre_social": ("#b3261e", "star"),
    "commerce": ("#b35900", "triangle-up"),
    "entreprise": ("#5c4b00", "pentagon"),
    "fondation": ("#00727a", "hexagon"),
    "habitant_relais": ("#a0307a", "cross"),
    "autre": ("#4a5560", "x"),
    "personne": ("#333333", "circle-open"),
}


def wrap(name: str, width: int = 26) -> str:
    """A long partner name on two or three lines of the chart (« <br> » for Plotly)."""
    lines, line = [], ""
    for word in escape(name).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def kind_label(kind: str) -> str:
    if kind == "personne":
        return _("Personne")
    return str(ORGANISATION_KINDS.get(kind, kind))


class DateFormats:
    """The date formats, term and contact labels of one frise's placements, looked up
    once (not once per date or row)."""

    @cached_property
    def terms(self) -> dict[str, str]:
        return {term: str(label) for term, label in TERMS.items()}

    @cached_property
    def contact_kinds(self) -> dict[str, str]:
        return {kind: str(label) for kind, label in CONTACT_KINDS.items()}

    @cached_property
    def dated(self) -> str:
        """« 12 mars 2026 (moyen terme) » to fill in."""
        return _("%(date)s (%(term)s)")

    @cached_property
    def long(self):
        return date_formatter("long")

    @cached_property
    def short(self):
        return date_formatter("short")


@dataclass
class Placement:
    entry: TimelineEntry
    lane: int  # index of the level, 0 = first lane (top)
    level: str
    term: str  # court / moyen / long (the column)
    x: float
    y: float
    dates: DateFormats

    @cached_property
    def when(self) -> str:
        """« Court terme » or « 12 mars 2026 (moyen terme) »."""
        if self.entry.on_date:
            return self.dates.dated % {"date": self.dates.long(self.entry.on_date),
                                       "term": self.dates.terms[self.term].lower()}
        return self.dates.terms[self.term]

    @cached_property
    def contacts(self) -> str:
        kinds = self.dates.contact_kinds
        return "; ".join(f"{kinds.get(c.kind, c.kind)} : {self.dates.short(c.on_date)}"
                         for c in self.entry.contacts)


def placements(timeline: PartnerTimeline) -> list[Placement]:
    """Where each entry goes. Needs a timeline loaded with ``load_timeline``."""
    lanes = {level.id: (index, level.label) for index, level in enumerate(timeline.levels)}
    cells: dict[tuple[int, str], list[TimelineEntry]] = {}
    for entry in timeline.entries:
        cells.setdefault((lanes[entry.level_id][0], effective_term(timeline, entry)), []) \
            .append(entry)
    result, dates = [], DateFormats()
    start, end = timeline.starts_on, timeline.ends_on
    for (lane, term), entries in cells.items():
        count = len(entries)
        for index, entry in enumerate(entries):
            offset = 0.0 if count == 1 else (index / (count - 1) - 0.5) * min(0.8, 0.2 * count)
            if entry.on_date and start and end and end > start:
                x = 3 * (entry.on_date - start).days / (end - start).days
            else:
                x = TERM_ORDER.index(term) + 0.12
            result.append(Placement(entry, lane, lanes[entry.level_id][1], term, round(x, 4),
                                    round(lane + offset, 4), dates))
    return sorted(result, key=lambda p: (p.lane, TERM_ORDER.index(p.term), p.y, p.x))


class _KindLabels(dict):
    """``kind_label`` of each kind met, translated once per table."""

    def __missing__(self, kind: str) -> str:
        self[kind] = kind_label(kind)
        return self[kind]


class TableRows(list):
    """The rows of the accessible table (dicts), which write their own HTML (``html``)."""

    def html(self, editable: bool, csrf_field: Markup, edit_url, move_url, labels) -> Markup:
        """The ``<tr>`` of the rows as ``_table.html`` wrote them, character for character
        (Jinja took ~60 µs a row): ``edit_url``/``move_url`` by entry id, ``labels``:
        ``frise_move_labels()``; the move buttons when ``editable``."""
        buttons = {move: Markup(text) for move, text in (
            ("earlier", _("Plus tôt")), ("later", _("Plus tard")), ("up", _("Monter d'un niveau")),
            ("down", _("Descendre d'un niveau")))}
        return Markup("".join(
            _row_html(row, edit_url, move_url(row["entry"].id) if editable else None,
                      csrf_field, labels, buttons) for row in self))


_MOVES = ("earlier", "later", "up", "down")


def _row_html(row: dict, edit_url, move_url: str | None, csrf_field: Markup, labels,
              buttons: dict) -> str:
    """One row of ``TableRows.html``; its move buttons when ``move_url`` is given."""
    entry, name = row["entry"], markup_escape(row["name"])
    moves = ""
    if move_url is not None:
        named = {"name": row["name"]}
        cells = "".join(
            f'\n            <button type="submit" name="move" value="{move}" class="secondary '
            f'outline" aria-label="{markup_escape(labels[move] % named)}">{buttons[move]}</button>'
            if row["moves"][move] else "\n            <span></span>" for move in _MOVES)
        moves = (f'\n        <td>\n          <form method="post" action="{move_url}" '
                 f'class="frise-moves">\n            {csrf_field}\n            <input '
                 f'type="hidden" name="edit_version" value="{entry.edit_version}">{cells}'
                 f'\n          </form>\n        </td>\n        ')
    return (f'\n      \n      <tr id="ligne-{entry.id}" tabindex="-1" data-frise-row>'
            f'\n        <th scope="row"><a href="{edit_url(entry.id)}">{name}</a></th>'
            f'\n        <td>{markup_escape(row["kind"])}</td>'
            f'\n        <td>{markup_escape(row["level"])}</td>'
            f'\n        <td>{markup_escape(row["when"])}</td>'
            f'\n        <td class="prewrap">{markup_escape(row["notes"])}</td>'
            f'\n        <td>{markup_escape(row["contacts"] or "—")}</td>\n        {moves}'
            f'\n      </tr>\n    ')


def table_rows(timeline: PartnerTimeline, placed: list[Placement] | None = None) -> TableRows:
    """The accessible table below the chart: the same placements (``placed``, those of
    the chart), in reading order."""
    last_lane, kinds = len(timeline.levels) - 1, _KindLabels()
    return TableRows(
        {"entry": p.entry, "name": p.entry.name, "kind": kinds[p.entry.kind],
         "level": p.level, "term": p.dates.terms[p.term], "when": p.when,
         "notes": p.entry.notes, "contacts": p.contacts,
         # which of « Plus tôt / Plus tard / Monter / Descendre » make sense here
         "moves": {"earlier": bool(p.entry.on_date) or p.term != TERM_ORDER[0],
                   "later": bool(p.entry.on_date) or p.term != TERM_ORDER[-1],
                   "up": p.lane > 0, "down": p.lane < last_lane}}
        for p in (placements(timeline) if placed is None else placed)
    )


def _term_ticks(timeline: PartnerTimeline) -> list[str]:
    labels = [str(TERMS[term]) for term in TERM_ORDER]
    start, end = timeline.starts_on, timeline.ends_on
    if start and end and end > start:
        span, month = end - start, date_formatter("MMM yyyy")
        bounds = [month(start + span * i / 3) for i in range(4)]
        labels = [f"{label}<br>{bounds[i]} – {bounds[i + 1]}" for i, label in enumerate(labels)]
    return labels


def _trace(kind: str) -> dict:
    """The empty trace of one kind of partner: its legend name, colour and symbol."""
    colour, symbol = KIND_STYLES.get(kind, KIND_STYLES["autre"])
    return {
        "type": "scatter", "mode": "markers+text", "name": kind_label(kind),
        "x": [], "y": [], "text": [], "customdata": [],
        "textposition": "middle right", "cliponaxis": False,
        "texttemplate": "%{customdata[4]}",
        "textfont": {"size": 12, "color": "#1f2933"},
        "marker": {"size": 14, "color": colour, "symbol": symbol,
                   "line": {"width": 1, "color": "#1f2933"}},
        # No <b>, <i> or <span>: Plotly draws them with style attributes, which the
        # Content-Security-Policy refuses (one violation per hover). The name is escaped.
        "hovertemplate": "%{customdata[4]}<br>%{customdata[0]} · %{customdata[1]}"
                         "<br>%{customdata[2]}<br>%{customdata[3]}<extra>%{fullData.name}"
                         "</extra>",
    }


def build_frise_figure(timeline: PartnerTimeline, placed: list[Placement] | None = None
                       ) -> dict:
    """A Plotly figure: one trace per kind of partner (legend), lanes × terms; ``placed``:
    the timeline's ``placements()`` when the page has them already."""
    placed = placements(timeline) if placed is None else placed
    lanes = [chart_text(level.label) for level in timeline.levels]
    traces: dict[str, dict] = {}
    no_note, no_contact = _("Pas de note"), _("Aucun contact enregistré")
    for p in placed:
        kind = p.entry.kind
        if kind not in traces:
            traces[kind] = _trace(kind)
        trace = traces[kind]
        trace["x"].append(p.x)
        trace["y"].append(p.y)
        trace["text"].append(chart_text(p.entry.name))
        trace["customdata"].append([
            chart_text(p.level), chart_text(p.when),
            escape(p.entry.notes or no_note).replace("\n", "<br>"),
            escape(p.contacts or no_contact),
            wrap(p.entry.name),
        ])
    stack = max([sum(1 for q in placed if q.lane == p.lane and q.term == p.term)
                 for p in placed] or [1])
    height = 200 + len(lanes) * max(100, 44 * stack)
    shapes = [
        {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
         "line": {"color": "#9aa5b1", "width": 1, "dash": "dash"}}
        for x in (1, 2)
    ] + [
        {"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1,
         "y0": index - 0.5, "y1": index + 0.5, "layer": "below", "line": {"width": 0},
         "fillcolor": "#f4f6f8" if index % 2 == 0 else "#ffffff"}
        for index in range(len(lanes))
    ]
    return {
        "data": list(traces.values()),
        "layout": {
            "title": {"text": _("Frise des partenariats – %(title)s", title=chart_text(timeline.title)),
                      "y": 0.99, "yanchor": "top"},
            "height": height,
            "margin": {"l": 130, "r": 140, "t": 100, "b": 70},
            "xaxis": {"range": [-0.05, 3.05], "tickvals": [0.5, 1.5, 2.5],
                      "ticktext": _term_ticks(timeline), "showgrid": False,
                      "zeroline": False, "fixedrange": True, "side": "top"},
            "yaxis": {"range": [len(lanes) - 0.5, -0.5], "tickvals": list(range(len(lanes))),
                      "ticktext": lanes, "showgrid": False, "zeroline": False,
                      "fixedrange": True},
            "shapes": shapes,
            "legend": {"orientation": "h", "y": -0.05, "title": {"text": _("Type d'acteur")}},
            "hoverlabel": {"align": "left"},
            "plot_bgcolor": "#ffffff",
            "font": {"family": "system-ui, sans-serif"},
        },
    }
