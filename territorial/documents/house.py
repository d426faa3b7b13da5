"""The house style: page, margins, font, sizes and colours shared by every renderer, and
the font metrics that size table columns.

Every number a renderer needs is here, so that the Word, OpenDocument and PDF files of a
document look alike and a column computed wide enough for its longest word is wide enough
in all three (Liberation Sans has the metrics of Arial: see ``fonts/README.md``).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from territorial.common.dates import first_of_month

FONTS = Path(__file__).parent / "fonts"
FONT_FILES = {
    "": FONTS / "LiberationSans-Regular.ttf",
    "B": FONTS / "LiberationSans-Bold.ttf",
    "I": FONTS / "LiberationSans-Italic.ttf",
    "BI": FONTS / "LiberationSans-BoldItalic.ttf",
}
WORD_FONT = "Arial"  # metric-compatible; LibreOffice substitutes Liberation Sans
ODF_FONT = "Liberation Sans"
PDF_FONT = "LiberationSans"

# A4, in centimetres
PAGE = (21.0, 29.7)
MARGINS = {False: (2.0, 2.2), True: (1.5, 2.0)}  # landscape? → (left/right, top/bottom)
HEADER_DISTANCE = 0.8  # from the page's edge to the header, and to the footer
TEXT_WIDTH = {False: PAGE[0] - 2 * MARGINS[False][0], True: PAGE[1] - 2 * MARGINS[True][0]}
TEXT_HEIGHT = {False: PAGE[1] - 2 * MARGINS[False][1], True: PAGE[0] - 2 * MARGINS[True][1]}

BODY_SIZE = 10.0
TABLE_SIZE = 9.0
SMALLEST_TABLE_SIZE = 7.0
HEADER_FOOTER_SIZE = 8.0
TITLE_SIZE = 24.0
HEADING_SIZES = {1: 15.0, 2: 12.5, 3: 11.0}
LINE_SPACING = 1.2  # × the font size

CELL_PADDING = 0.12  # cm, left and right of a cell's text
CELL_PADDING_TOP = 0.05
WIDTH_SLACK = 0.08  # cm added to every column so rounding never breaks a word

LOGO_HEIGHT = 0.8  # cm, in the header

INK = "1F2933"
ACCENT = "1F3A5F"  # headings, title
HEADER_FILL = "DCE6F0"  # table header rows
RULE = "8A99A8"  # table borders, header and footer rules
MUTED = "52606D"

MAX_WORD = 7.0  # cm: a longer « word » (an address, a code) may break


@cache
def _advances(style: str) -> tuple[dict[int, int], int, int]:
    """(code point → advance width, units per em, default advance) of one style."""
    from fontTools.ttLib import TTFont

    with TTFont(FONT_FILES[style]) as font:
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        return widths, font["head"].unitsPerEm, metrics[".notdef"][0]


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` in centimetres at ``size`` points in the house font."""
    widths, units, default = _advances(("B" if bold else "") + ("I" if italic else ""))
    total = sum(widths.get(ord(char), default) for char in text)
    return total / units * size * 2.54 / 72


SPACES = re.compile(r"[ \t\r\n]+")  # where a line may break (never at a no-break space)
FRENCH_SPACES = [(" :", "\u00a0:"), (" ;", "\u202f;"), (" !", "\u202f!"), (" ?", "\u202f?"),
                 ("« ", "«\u00a0"), (" »", "\u00a0»"), (" %", "\u00a0%"), (" €", "\u00a0€")]


def words(text: str) -> list[str]:
    return [word for word in SPACES.split(text) if word]


def french_spaces(text: str) -> str:
    """French typography on a document's text: no line starts with « : », « ; », « » »,
    « % » or « € » (no-break spaces), and the first of a month is « 1er »."""
    for plain, kept in FRENCH_SPACES:
        if plain in text:
            text = text.replace(plain, kept)
    return first_of_month(text, "\u00a0")


def longest_word(text: str, size: float, bold: bool = False) -> float:
    """Width in cm of the longest word of ``text`` (capped at ``MAX_WORD``)."""
    return min(MAX_WORD, max((text_width(word, size, bold) for word in words(text)),
                             default=0.0))


def line_height(size: float) -> float:
    """Height in cm of one line at ``size`` points."""
    return size * LINE_SPACING * 2.54 / 72


def wrap(runs, width: float, size: float) -> list[list[tuple[str, bool, bool]]]:
    """The lines of a paragraph of runs in ``width`` cm at ``size`` points: each line a
    list of (text, bold, italic) pieces. Breaks between words; a word wider than the line
    (an address) is cut."""
    lines: list[list[tuple[str, bool, bool]]] = []
    pieces: list[tuple[str, bool, bool]] = []
    used = 0.0
    for run in runs:
        space = text_width(" ", size, run.bold, run.italic)
        for index, segment in enumerate(run.text.split("\n")):
            if index:  # a line break typed in the text
                lines.append(pieces)
                pieces, used = [], 0.0
            pieces, used = _fill(segment, run, width, size, space, lines, pieces, used)
    if pieces or not lines:
        lines.append(pieces)
    return lines


def _fill(text, run, width, size, space, lines, pieces, used):
    """The words of ``text`` appended to the line being filled (``pieces``, ``used`` cm
    long), full lines moved to ``lines``; returns the line being filled."""
    for word in words(text):
        word_width = _word_width(word, size, run.bold, run.italic)
        gap = space if pieces else 0.0
        if pieces and used + gap + word_width > width:
            lines.append(pieces)
            pieces, used, gap = [], 0.0, 0.0
        while word_width > width and len(word) > 1:  # cut a word longer than the line
            cut = len(word) - 1
            while cut > 1 and _word_width(word[:cut], size, run.bold, run.italic) > width:
                cut -= 1
            lines.append([(word[:cut], run.bold, run.italic)])
            word = word[cut:]
            word_width = _word_width(word, size, run.bold, run.italic)
        piece = (" " if gap else "") + word
        if pieces and pieces[-1][1:] == (run.bold, run.italic):
            pieces[-1] = (pieces[-1][0] + piece, run.bold, run.italic)
        else:
            pieces.append((piece, run.bold, run.italic))
        used += gap + word_width
    return pieces, used


@lru_cache(maxsize=65536)
def _word_width(word: str, size: float, bold: bool, italic: bool) -> float:
    return text_width(word, size, bold, italic)


def word_width(word: str, size: float, bold: bool = False) -> float:
    """Width in cm of one word (cached: a table measures the same words many times)."""
    return _word_width(word, size, bold, False)
