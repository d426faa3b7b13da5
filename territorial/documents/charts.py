"""Charts drawn on the server for the documents (matplotlib, Agg: no browser, no display).

Each function returns ``(png, width_cm, height_cm)`` for ``DocumentBuilder.figure``; it is
given the width of the page's text and chooses its height from its content. The house
font is used, so a chart reads like the text around it. The data of every chart is also in
a table of the document (a chart is never the only place a figure is written).

Every number on a chart is written the French way (« 1,5 », « 40 % »); an axis of counts
has whole ticks only; a percentage axis starts at 0. Legends sit outside the axes, under
everything else (``figure.legend(loc="outside lower center")`` with the constrained
layout), so that they never cover an axis title, and their names are wrapped, not cut.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from io import BytesIO

from territorial.common.dates import format_date

from territorial.documents import house
from territorial.documents.formats import number

DPI = 200
PALETTE = ["#1F3A5F", "#2F7D4F", "#B35900", "#6A3D9A", "#B3261E", "#00727A", "#5C4B00",
           "#A0307A"]
GRID = "#D5DCE3"


@cache
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager

    for path in house.FONT_FILES.values():
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({
        "font.family": house.ODF_FONT, "font.size": 8, "axes.edgecolor": "#8A99A8",
        "axes.labelcolor": "#1F2933", "xtick.color": "#1F2933", "ytick.color": "#1F2933",
        "axes.titlesize": 9, "axes.titleweight": "bold", "svg.fonttype": "none",
    })
    return matplotlib


def _figure(width: float, height: float):
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width / 2.54, height / 2.54), dpi=DPI, layout="constrained")


def _png(figure, width: float, height: float) -> tuple[bytes, float, float]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    output = BytesIO()
    figure.savefig(output, format="png", dpi=DPI, facecolor="white")
    return output.getvalue(), width, height


def short(text: str, width: int = 40, lines: int = 2) -> str:
    """A label on at most ``lines`` lines of ``width`` characters."""
    return "\n".join(textwrap.wrap(" ".join(text.split()), width, max_lines=lines,
                                   placeholder=" …")) or "—"


def wrapped(text: str, width: int = 28) -> str:
    """A legend's name on as many lines of ``width`` characters as it needs (never cut)."""
    return "\n".join(textwrap.wrap(" ".join(text.split()), width)) or "—"


def french(value: float, _position=None) -> str:
    """A tick's number the French way: « 1 250 », « 0,5 »."""
    return number(round(value, 2)).replace("-", "\u2212")


def percent(value: float, _position=None) -> str:
    return f"{french(value)}\u00a0%"


def count_axis(axis) -> None:
    """An axis of counts: whole ticks only, written the French way."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_major_formatter(FuncFormatter(french))


def value_axis(axis, values) -> None:
    """An axis of measures: whole ticks when every value is whole, French numbers."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if all(float(value).is_integer() for value in values if value is not None):
        axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_major_formatter(FuncFormatter(french))


def legend_below(figure, handles, names, width: float) -> None:
    """The legend under the chart, outside its axes (the constrained layout makes room
    for it below the axis titles), as many columns as the width allows."""
    if not handles:
        return
    columns = max(1, min(len(handles), int(width // 4.2)))
    figure.legend(handles, [wrapped(name) for name in names], loc="outside lower center",
                  ncols=columns, frameon=False, fontsize=7)


def _months(start: date, end: date) -> list[date]:
    first = date(start.year, start.month, 1)
    months = []
    while first <= end:
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


# Gantt ---------------------------------------------------------------------------------

@dataclass
class Bar:
    row: str
    start: date
    end: date
    label: str = ""
    colour: str = "#9EC5FE"


@dataclass
class Marker:
    row: str
    on: date
    label: str  # written above the marker (« GT1 »)
    family: str  # legend
    symbol: str = "o"
    colour: str = "#0F62FE"


def gantt(rows: list[str], bars: list[Bar], markers: list[Marker], start: date, end: date,
          width: float, today: date | None = None, today_label: str = ""
          ) -> tuple[bytes, float, float]:
    """Bars (the parts) and markers (the sessions) on one row each, months on top."""
    height = 2.2 + 0.75 * max(len(rows), 1)
    figure = _figure(width, height)
    axes = figure.add_subplot()
    position = {row: index for index, row in enumerate(rows)}
    import matplotlib.dates as mdates

    for bar in bars:
        left = mdates.date2num(bar.start)
        span = max((bar.end - bar.start).days + 1, 1)
        axes.barh(position[bar.row], span, left=left, height=0.55, color=bar.colour,
                  edgecolor="#1F2933", linewidth=0.6)
        if bar.label:
            axes.text(left + span / 2, position[bar.row], short(bar.label, 60, 1),
                      ha="center", va="center", fontsize=7)
    families: dict[str, tuple[str, str]] = {}
    for marker in markers:
        x = mdates.date2num(marker.on)
        axes.scatter([x], [position[marker.row]], marker=marker.symbol, s=42,
                     color=marker.colour, edgecolor="white", linewidth=0.6, zorder=3)
        axes.annotate(marker.label, (x, position[marker.row]), xytext=(0, 6),
                      textcoords="offset points", ha="center", fontsize=6.5)
        families.setdefault(marker.family, (marker.symbol, marker.colour))
    shows_today = bool(today and start <= today <= end)
    if shows_today:
        axes.axvline(mdates.date2num(today), color="#B91C1C", linestyle="--", linewidth=1)
    axes.set_yticks(range(len(rows)), [short(row, 30, 2) for row in rows])
    axes.set_ylim(len(rows) - 0.4, -0.8)
    axes.set_xlim(mdates.date2num(start - timedelta(days=7)),
                  mdates.date2num(end + timedelta(days=7)))
    months = _months(start - timedelta(days=7), end + timedelta(days=7))
    step = max(1, len(months) // 14 + 1)
    step = max(step, len(months) // max(1, int(width // 1.9)) + 1)  # « sept. 2026 » fits
    axes.set_xticks([mdates.date2num(m) for m in months[::step]],
                    [format_date(m, "MMM yyyy") for m in months[::step]])
    axes.xaxis.tick_top()
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("right", "bottom"):
        axes.spines[side].set_visible(False)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker=symbol, color=colour, linestyle="", markersize=6)
               for symbol, colour in families.values()]
    names = list(families)
    if shows_today:
        handles.append(Line2D([], [], color="#B91C1C", linestyle="--", linewidth=1))
        names.append(today_label)
    legend_below(figure, handles, names, width)
    return _png(figure, width, height)


# Bars and lines -----------------------------------------------------------------------

def hbars(labels: list[str], values: list[float], width: float, *, xlabel: str = "",
          highlight: set[int] = frozenset(), value_format=french, label_width: int = 48,
          counts: bool = True) -> tuple[bytes, float, float]:
    """Horizontal bars, the first label on top; ``highlight``ed bars in the accent;
    ``counts``: the values are counts (whole ticks)."""
    height = 1.6 + 0.62 * max(len(labels), 1)
    figure = _figure(width, height)
    axes = figure.add_subplot()
    positions = range(len(labels))
    colours = [PALETTE[0] if index in highlight else "#7E9CB8" for index in positions]
    axes.barh(list(positions), values, color=colours, height=0.6)
    axes.set_yticks(list(positions), [short(label, label_width, 2) for label in labels])
    axes.invert_yaxis()
    top = max(values, default=0) or 1
    for index, value in enumerate(values):
        axes.text(value + top * 0.01, index, value_format(value), va="center", fontsize=7)
    axes.set_xlim(0, top * 1.12)
    axes.set_xlabel(xlabel)
    count_axis(axes.xaxis) if counts else value_axis(axes.xaxis, values)
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
    return _png(figure, width, height)


def stacked_hbars(labels: list[str], series: list[tuple[str, list[float], str]], width: float,
                  *, xlabel: str = "") -> tuple[bytes, float, float]:
    """One horizontal bar per label, stacked by series (label, values, colour): counts."""
    height = 2.4 + 0.6 * max(len(labels), 1)
    figure = _figure(width, height)
    axes = figure.add_subplot()
    left = [0.0] * len(labels)
    for name, values, colour in series:
        axes.barh(range(len(labels)), values, left=left, color=colour, height=0.6, label=name)
        for index, value in enumerate(values):
            if value:
                axes.text(left[index] + value / 2, index, french(value), ha="center",
                          va="center", fontsize=6.5, color="white")
        left = [a + b for a, b in zip(left, values)]
    axes.set_yticks(range(len(labels)), [short(label, 32, 2) for label in labels])
    axes.invert_yaxis()
    axes.set_xlabel(xlabel)
    count_axis(axes.xaxis)
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
    handles, names = axes.get_legend_handles_labels()
    legend_below(figure, handles, names, width)
    return _png(figure, width, height)


def lines(x_labels: list[str], series: list[tuple[str, list[float | None]]], width: float,
          *, ylabel: str = "", height: float = 7.5, percentages: bool = False
          ) -> tuple[bytes, float, float]:
    """Lines over ``x_labels`` (a gap where a value is None); ``percentages``: the axis
    goes from 0 to 100 %."""
    figure = _figure(width, height)
    axes = figure.add_subplot()
    for index, (name, values) in enumerate(series):
        axes.plot(range(len(x_labels)), [float("nan") if v is None else v for v in values],
                  marker="o", markersize=3, linewidth=1.4, label=name,
                  color=PALETTE[index % len(PALETTE)])
    step = max(1, len(x_labels) // 12 + 1)
    axes.set_xticks(range(0, len(x_labels), step), x_labels[::step])
    axes.set_ylabel(ylabel)
    if percentages:
        from matplotlib.ticker import FuncFormatter, MultipleLocator

        axes.set_ylim(0, 100)
        axes.yaxis.set_major_locator(MultipleLocator(20))
        axes.yaxis.set_major_formatter(FuncFormatter(percent))
    else:
        axes.set_ylim(bottom=0)
        value_axis(axes.yaxis, [v for _name, values in series for v in values])
    axes.grid(color=GRID, linewidth=0.5)
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
    handles, names = axes.get_legend_handles_labels()
    legend_below(figure, handles, names, width)
    return _png(figure, width, height)


@dataclass
class Trajectory:
    title: str
    unit: str
    years: list[int]
    targets: list[float | None]
    reached: list[float | None]


def trajectories(items: list[Trajectory], width: float, *, target_label: str,
                 reached_label: str) -> tuple[bytes, float, float]:
    """Small multiples: for each quantitative indicator, its targets (dashed) and the
    values reached (solid) year by year."""
    columns = 2 if len(items) > 1 else 1
    rows = (len(items) + columns - 1) // columns
    height = 1.2 + 5.2 * rows
    figure = _figure(width, height)
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, item in enumerate(items):
        axes = grid[index // columns][index % columns]
        x = [str(year) for year in item.years]
        nan = float("nan")
        axes.plot(x, [nan if v is None else v for v in item.targets], linestyle="--",
                  marker="s", markersize=3.5, color="#8A99A8", label=target_label)
        axes.plot(x, [nan if v is None else v for v in item.reached], marker="o",
                  markersize=4, linewidth=1.6, color=PALETTE[0], label=reached_label)
        axes.set_title(short(item.title, 48, 2), loc="left", fontsize=8)
        axes.set_ylabel(item.unit, fontsize=7)
        axes.set_ylim(bottom=0)
        value_axis(axes.yaxis, item.targets + item.reached)
        axes.grid(color=GRID, linewidth=0.5)
        for side in ("right", "top"):
            axes.spines[side].set_visible(False)
    for index in range(len(items), rows * columns):
        grid[index // columns][index % columns].set_visible(False)
    handles, labels = grid[0][0].get_legend_handles_labels()
    legend_below(figure, handles, labels, width)
    return _png(figure, width, height)


# Frise -----------------------------------------------------------------------------------

@dataclass
class Point:
    x: float  # 0 … 3 across the three terms
    lane: int
    offset: float  # within the lane, -0.5 … 0.5
    name: str
    kind: str  # legend


def frise(lanes: list[str], terms: list[str], points: list[Point],
          styles: dict[str, tuple[str, str]], width: float) -> tuple[bytes, float, float]:
    """Partners in lanes (levels of involvement) across three terms, a symbol and a
    colour per kind of partner (named in the legend, never told by colour alone)."""
    stack = max([sum(1 for q in points if q.lane == p.lane and int(min(q.x, 2.99)) ==
                     int(min(p.x, 2.99))) for p in points] or [1])
    lane_height = max(2.2, 0.55 * stack + 0.6)
    height = min(1.8 + lane_height * max(len(lanes), 1), 17.0)
    figure = _figure(width, height)
    axes = figure.add_subplot()
    for index in range(len(lanes)):
        axes.axhspan(index - 0.5, index + 0.5, color="#F4F6F8" if index % 2 == 0 else "white",
                     zorder=0)
    for x in (1, 2):
        axes.axvline(x, color="#9AA5B1", linestyle="--", linewidth=0.8)
    seen: dict[str, object] = {}
    symbols = {"square": "s", "diamond": "D", "circle": "o", "star": "*", "triangle-up": "^",
               "pentagon": "p", "hexagon": "h", "cross": "P", "x": "X", "circle-open": "o"}
    for point in points:
        colour, symbol = styles.get(point.kind, ("#4A5560", "x"))
        marker = symbols.get(symbol, "o")
        face = "white" if symbol == "circle-open" else colour
        y = point.lane + point.offset
        handle = axes.scatter([point.x], [y], marker=marker, s=38, color=face,
                              edgecolor=colour if face == "white" else "#1F2933",
                              linewidth=0.7, zorder=3)
        seen.setdefault(point.kind, handle)
        axes.annotate(short(point.name, 30, 2), (point.x, y), xytext=(5, 0),
                      textcoords="offset points", va="center", fontsize=6.5, zorder=4)
    axes.set_xlim(-0.05, 3.2)
    axes.set_ylim(len(lanes) - 0.5, -0.5)
    axes.set_xticks([0.5, 1.5, 2.5], terms)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(lanes)), [short(lane, 16, 2) for lane in lanes])
    axes.tick_params(length=0)
    for side in ("right", "bottom", "top", "left"):
        axes.spines[side].set_visible(False)
    legend_below(figure, list(seen.values()), list(seen), width)
    return _png(figure, width, height)
