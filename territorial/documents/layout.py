"""Column widths from the content: no column narrower than its longest word, and the room
shared where it makes the table shortest.

Like a browser's automatic table layout, each column needs at least its longest word (bold
in the header row) plus the cell's padding, and would like its longest paragraph on one
line. A column of short cells (« Court terme ») gets that when the page allows, then a
column of phrases (a date, a name, a status) the width that keeps each on two lines.
The room left is then given, a slice at a time, to the column where it saves the most
height: the table's height is the sum of its rows' heights, each row as tall as its cell
with the most lines, and a cell's lines count each of its paragraphs — so the whole content
of every column weighs, not only its longest word or line (a column of indicators with
three paragraphs a row widens before a column with one long title). Rows are sampled on
long tables, so the time stays linear in the number of rows. When even the minimums do
not fit, the table goes to a landscape page, then to a smaller type (down to 7 pt).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from territorial.documents import house
from territorial.documents.model import Line

SHORT = 3.5  # cm: a column whose longest line is this narrow is not wrapped if room allows
SIZES = (house.TABLE_SIZE, 8.5, 8.0, 7.5, house.SMALLEST_TABLE_SIZE)
SAMPLE = 60  # rows weighed when sharing the room of a long table
SLICES = 80  # the room is shared in this many slices
PHRASE = 7.0  # cm: a paragraph this short (a date, a name, a status) is a phrase


def _padding() -> float:
    return 2 * house.CELL_PADDING + house.WIDTH_SLACK


@dataclass
class Measures:
    """Widths in cm of each column at one type size."""
    minimum: list[float]  # its longest word, padded
    preferred: list[float]  # its longest paragraph on one line, padded
    body: list[float]  # the same without the header row (a header may wrap), padded
    phrase: list[float]  # its short paragraphs (a date, a name) on two lines at most, padded
    cells: list[list[list[tuple[float, float]]]]  # sampled rows (the header first) → column
    # → (width, average word width) of each paragraph

    def fit(self) -> float:
        return sum(self.minimum)


def _two_lines(words: list[float], space: float) -> float:
    """The narrowest width holding these words (their widths) on two lines."""
    total = sum(words) + space * (len(words) - 1)
    best, left = total, -space
    for word in words[:-1]:
        left += space + word
        best = min(best, max(left, total - left - space))
    return best


def measure(headers: list[str], rows: list[list[list[Line]]], size: float) -> Measures:
    """What each column of the table needs at ``size`` points."""
    count = len(headers)
    minimum = [house.longest_word(header, size, bold=True) for header in headers]
    header = [house.text_width(text, size, bold=True) for text in headers]
    body, phrase = [0.0] * count, [0.0] * count
    every = max(1, len(rows) // SAMPLE)
    cells = [[[(width, width / max(1, len(text.split())))]
              for width, text in zip(header, headers)]]
    space = house.text_width(" ", size)
    word_width = house.word_width
    for number, row in enumerate(rows):
        sampled = [] if number % every == 0 else None
        for index in range(count):
            paragraphs = []
            for line in row[index]:
                words: list[float] = []
                for run in line:
                    for part, segment in enumerate(run.text.split("\n")):
                        if part:  # a typed line break: a new line of the paragraph
                            paragraphs.append(words)
                            words = []
                        words += [word_width(word, size, run.bold) for word in house.words(segment)]
                paragraphs.append(words)
            widths = []
            for words in paragraphs:
                total = sum(words) + space * max(0, len(words) - 1)
                widths.append((total, total / max(1, len(words))))
                if words and max(words) > minimum[index]:
                    minimum[index] = min(max(words), house.MAX_WORD)
                if total > body[index]:
                    body[index] = total
                if total <= PHRASE and len(words) > 1:
                    phrase[index] = max(phrase[index], _two_lines(words, space))
            if sampled is not None:
                sampled.append(widths)
        if sampled is not None:
            cells.append(sampled)
    pad = _padding()
    minimum = [value + pad for value in minimum]
    body = [max(value + pad, low) for value, low in zip(body, minimum)]
    phrase = [min(max(value + pad, low), high) for value, low, high in zip(phrase, minimum, body)]
    preferred = [max(value + pad, low) for value, low in zip(header, body)]
    return Measures(minimum, preferred, body, phrase, cells)


def _lines(cells, column: int, width: float) -> list[float]:
    """The lines of ``column``'s cell in each sampled row at ``width`` cm: each paragraph
    at least one line, and a line holds its width less half a word (the word that did not
    fit goes to the next line); fractions keep the measure smooth."""
    room = max(width - _padding(), 0.1)
    return [sum(1.0 if paragraph <= room else paragraph / max(room - word / 2, room / 2)
                for paragraph, word in row[column]) or 1.0
            for row in cells]


def share(measures: Measures, available: float) -> list[float]:
    """Widths filling ``available`` (the minimums must fit)."""
    preferred = measures.preferred
    if sum(preferred) <= available:
        extra = available - sum(preferred)
        total = sum(preferred) or 1.0
        return [value + extra * value / total for value in preferred]
    floor = list(measures.minimum)
    short = sorted((body - low, column) for column, (body, low)
                   in enumerate(zip(measures.body, measures.minimum)) if body <= SHORT)
    for need, column in short:  # short cells (« 1 ex æquo », a date) on one line if room allows
        if sum(floor) + need <= available:
            floor[column] += need
    phrases = sorted((wanted - low, column) for column, (wanted, low)
                     in enumerate(zip(measures.phrase, floor)) if wanted > low)
    for need, column in phrases:  # then no phrase on more than two lines, if room allows
        if sum(floor) + need <= available:
            floor[column] += need
    cap = [max(pref, low) for pref, low in zip(preferred, floor)]
    widths = list(floor)
    cells = measures.cells
    lines = [_lines(cells, column, width) for column, width in enumerate(widths)]
    extra = available - sum(widths)
    step = extra / SLICES
    while extra > 1e-9:
        give = min(step, extra)
        # each row's tallest cell, and the tallest once one column is set aside
        tallest = []
        for row in range(len(cells)):
            heights = sorted(((lines[column][row], column) for column in range(len(widths))),
                             reverse=True)
            tallest.append((heights[0], heights[1][0] if len(heights) > 1 else 0.0))
        best, best_height, best_lines = None, 0.0, None
        for column, width in enumerate(widths):
            if width >= cap[column] - 1e-9:
                continue
            wider = _lines(cells, column, min(cap[column], width + give))
            height = sum(max(second if top_column == column else top, wider[row])
                         for row, ((top, top_column), second) in enumerate(tallest))
            height += 0.2 * (sum(wider) - sum(lines[column]))  # then fewer lines in all
            if best is None or height < best_height - 1e-9:
                best, best_height, best_lines = column, height, wider
        if best is None:
            break  # every column on one line
        added = min(give, cap[best] - widths[best])
        widths[best] += added
        lines[best] = best_lines if added == give else _lines(cells, best, widths[best])
        extra -= added
    if extra > 1e-9:  # every column has its longest line: the rest in proportion
        total = sum(widths)
        widths = [width + extra * width / total for width in widths]
    return widths


def wants_more(headers: list[str], rows: list[list[list[Line]]], size: float,
               available: float) -> bool:
    """Whether some cell would wrap on this width (a table of many columns stays in
    portrait only when every cell fits on one line, like a table of figures, whose
    headers may take two lines)."""
    return sum(measure(headers, rows, size).body) > available


def column_widths(headers: list[str], rows: list[list[list[Line]]], available: float
                  ) -> tuple[list[float], float] | None:
    """(widths in cm, font size) of the largest type whose minimums fit ``available``;
    None when none does."""
    for size in SIZES:
        found = measure(headers, rows, size)
        if found.fit() <= available:
            return [_floor(width) for width in share(found, available)], size
    return None


def squeezed(headers: list[str], rows: list[list[list[Line]]], available: float
             ) -> tuple[list[float], float]:
    """The last resort: the smallest type, minimums scaled to the page (words may break)."""
    minimum = measure(headers, rows, house.SMALLEST_TABLE_SIZE).minimum
    ratio = available / sum(minimum)
    return [_floor(width * ratio) for width in minimum], house.SMALLEST_TABLE_SIZE


def _floor(width: float) -> float:
    """Rounded down to 0.01 mm, so that the columns never exceed the page."""
    return math.floor(width * 1000) / 1000
