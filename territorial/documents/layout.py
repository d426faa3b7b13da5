"""Column widths from the content: no column narrower than its longest word.

Like a browser's automatic table layout: each column needs at least its longest word
(bold in the header row) plus the cell's padding, and would like its longest paragraph on
one line; the room left on the page after every column has its minimum is shared in
proportion to what each column would still like. When even the minimums do not fit, the
table goes to a landscape page, then to a smaller type (down to 7 pt).
"""
from __future__ import annotations

import math

from territorial.documents import house
from territorial.documents.model import Line

SHORT = 3.5  # cm: a column whose longest line is this narrow is not wrapped if room allows
SIZES = (house.TABLE_SIZE, 8.5, 8.0, 7.5, house.SMALLEST_TABLE_SIZE)


def _padding() -> float:
    return 2 * house.CELL_PADDING + house.WIDTH_SLACK


def measure(headers: list[str], rows: list[list[list[Line]]], size: float
            ) -> tuple[list[float], list[float]]:
    """(minimum, preferred) width in cm of each column at ``size`` points."""
    count = len(headers)
    minimum = [house.longest_word(header, size, bold=True) for header in headers]
    preferred = [house.text_width(header, size, bold=True) for header in headers]
    width, longest = house.text_width, house.longest_word
    for row in rows:
        for index in range(count):
            for line in row[index]:
                line_width = 0.0
                for run in line:
                    if not run.text:
                        continue
                    line_width += width(run.text, size, run.bold)
                    word = longest(run.text, size, run.bold)
                    if word > minimum[index]:
                        minimum[index] = word
                if line_width > preferred[index]:
                    preferred[index] = line_width
    pad = _padding()
    minimum = [value + pad for value in minimum]
    preferred = [max(value + pad, low) for value, low in zip(preferred, minimum)]
    return minimum, preferred


def share(minimum: list[float], preferred: list[float], available: float) -> list[float]:
    """Widths filling ``available`` (the minimums must fit)."""
    if sum(preferred) <= available:
        extra = available - sum(preferred)
        total = sum(preferred) or 1.0
        return [value + extra * value / total for value in preferred]
    relaxed = [pref if pref <= SHORT else low for pref, low in zip(preferred, minimum)]
    if sum(relaxed) <= available:  # short cells (« 1 ex æquo », a date) stay on one line
        minimum = relaxed
    extra = available - sum(minimum)
    wants = [min(pref, available) - low for pref, low in zip(preferred, minimum)]
    total = sum(wants) or 1.0
    return [low + extra * want / total for low, want in zip(minimum, wants)]


def wants_more(headers: list[str], rows: list[list[list[Line]]], size: float,
               available: float) -> bool:
    """Whether some column would wrap on this width (a table of many columns stays in
    portrait only when every cell fits on one line, like a table of figures)."""
    _minimum, preferred = measure(headers, rows, size)
    return sum(preferred) > available


def column_widths(headers: list[str], rows: list[list[list[Line]]], available: float
                  ) -> tuple[list[float], float] | None:
    """(widths in cm, font size) of the largest type whose minimums fit ``available``;
    None when none does."""
    for size in SIZES:
        minimum, preferred = measure(headers, rows, size)
        if sum(minimum) <= available:
            return [_floor(width) for width in share(minimum, preferred, available)], size
    return None


def squeezed(headers: list[str], rows: list[list[list[Line]]], available: float
             ) -> tuple[list[float], float]:
    """The last resort: the smallest type, minimums scaled to the page (words may break)."""
    minimum, _preferred = measure(headers, rows, house.SMALLEST_TABLE_SIZE)
    ratio = available / sum(minimum)
    return [_floor(width * ratio) for width in minimum], house.SMALLEST_TABLE_SIZE


def _floor(width: float) -> float:
    """Rounded down to 0.01 mm, so that the columns never exceed the page."""
    return math.floor(width * 1000) / 1000
