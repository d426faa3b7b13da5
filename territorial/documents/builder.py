"""Describing a document: ``DocumentBuilder`` appends blocks and decides the pages.

    doc = DocumentBuilder(_("Grille RACI"), territory, subtitle=grid.title)
    doc.title_page([...])
    doc.heading(_("Grille des rôles"))
    doc.table(headers, rows)          # widths from the content; landscape if it needs it
    doc.figure(lambda width: charts.bars(..., width), caption=..., alt=...)
    return doc.build()

A table with more than five columns, or whose words do not fit a portrait page, opens a
landscape section (taking the heading and the paragraphs just above it along); the next
heading of the same or a higher level goes back to portrait. Charts are drawn here, once,
so that the three formats show the same picture; a chart that cannot be drawn leaves a
sentence saying so, and the table that follows it keeps the data.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from flask_babel import gettext as _

from territorial.documents import freetext, house, layout, naming
from territorial.documents.formats import long_date
from territorial.documents.model import (
    Document, Figure, Heading, Line, ListBlock, ListItem, Paragraph, Run, Section, Table,
    TitlePage,
)

log = logging.getLogger(__name__)

WIDE_COLUMNS = 5  # more columns than this: landscape
SHORT_PARAGRAPH = 160  # characters: a paragraph this short under a heading stays with what follows
SHORT_LIST = 6  # lines: a list this short is kept on one page
Text = str | Run | list | None


def line(value: Text) -> Line:
    """One paragraph's runs from a string, a run or a list of both."""
    if value is None:
        return []
    if isinstance(value, str):
        return [Run(house.french_spaces(value))] if value else []
    if isinstance(value, Run):
        return [Run(house.french_spaces(value.text), value.bold, value.italic)]
    runs: Line = []
    for part in value:
        runs.extend(line(part))
    return runs


def cell(value: Text | tuple) -> list[Line]:
    """A table cell's paragraphs: a string (one paragraph per line), a run, a list of
    runs (one paragraph) or a tuple of paragraphs."""
    if value is None or value == "":
        return []
    if isinstance(value, tuple):
        return [line(part) for part in value if part not in (None, "")]
    if isinstance(value, str):
        return [[Run(house.french_spaces(part))] for part in value.split("\n")]
    if isinstance(value, (int, float)):
        return [[Run(str(value))]]
    return [line(value)]


def bold(text: str) -> Run:
    return Run(text, bold=True)


def italic(text: str) -> Run:
    return Run(text, italic=True)


class DocumentBuilder:
    """``kind``: what the document is (« Plan d'action »), the start of its file name
    when its title does not already say it; ``file_name``: the parts of the file name
    when the title and subtitle are not the right ones."""

    def __init__(self, title: str, territory, *, subtitle: str = "",
                 issued_on: date | None = None, kind: str = "",
                 file_name: Iterable[str] = ()):
        from territorial.territories.logo import logo_png

        self.title = title
        self.subtitle = subtitle
        self.issued_on = issued_on or date.today()
        self.file_name = list(file_name) or [kind, title, subtitle]
        self.territory_name = territory.name if territory is not None else ""
        self.logo = logo_png(territory.id) if territory is not None else None
        self.sections: list[Section] = [Section(landscape=False)]

    # Sections -----------------------------------------------------------------------

    @property
    def section(self) -> Section:
        return self.sections[-1]

    @property
    def landscape(self) -> bool:
        return self.section.landscape

    @property
    def text_width(self) -> float:
        return house.TEXT_WIDTH[self.landscape]

    def new_section(self, landscape: bool = False, *, auto: bool = False) -> None:
        """Start a new page (portrait or landscape); an empty section is reused."""
        if not self.section.blocks:
            self.section.landscape, self.section.auto = landscape, auto
            return
        self.sections.append(Section(landscape=landscape, auto=auto))

    def _add(self, block) -> None:
        self.section.blocks.append(block)

    # Blocks -------------------------------------------------------------------------

    def title_page(self, lines: Iterable[str] = (), *, title: str | None = None) -> None:
        """The first page: territory (in the header), title, subtitle, lines, date; the
        content starts on the next page."""
        self._add(TitlePage(
            title=title or self.title, subtitle=self.subtitle,
            lines=[house.french_spaces(text) for text in lines if text],
            issued=_("Document établi le %(date)s", date=long_date(self.issued_on))))
        self.sections.append(Section(landscape=False))

    def _keep_intro(self) -> None:
        """The paragraphs just above a table or a chart stay on its page."""
        for block in reversed(self.section.blocks):
            if not isinstance(block, Paragraph):
                break
            block.keep = True

    def heading(self, text: str, level: int = 1) -> None:
        if self.section.auto and self.section.blocks:
            opened_by = next((b.level for b in self.section.blocks if isinstance(b, Heading)), 1)
            if level <= opened_by:
                self.new_section(landscape=False)
        self._add(Heading(house.french_spaces(text), level))

    def paragraph(self, *parts: Text, style: str = "body") -> None:
        runs = line(list(parts))
        if runs:
            self._add(Paragraph(runs, style))

    def text(self, text: str | None, style: str = "body", *, empty: str = "") -> None:
        """Free text typed by someone, as typed (``freetext``): a paragraph per line,
        « - » and « 1. » lines as real lists; ``empty`` is said when there is no text."""
        found = freetext.blocks(text)
        if not found and empty:
            found = [empty]
        for block in found:
            if isinstance(block, str):
                self._add(Paragraph(line(block), style))
            else:
                self.bullets([(item.text, item.children) for item in block.items],
                             numbered=block.numbered)

    def labelled(self, label: str, value: Text) -> None:
        """« Label : value », the label in bold (nothing when the value is empty)."""
        runs = line(value)
        if runs:
            self._add(Paragraph([Run(f"{label} : ", bold=True), *runs]))

    def note(self, *parts: Text) -> None:
        self.paragraph(*parts, style="note")

    def bullets(self, items: Iterable, numbered: bool = False, *, empty: str = "") -> None:
        """Items are text, or (text, [sub-items]) for one nested level; ``empty`` is said
        when there is no item."""
        result = []
        for item in items:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], list):
                result.append(ListItem(line(item[0]), [line(child) for child in item[1]]))
            else:
                result.append(ListItem(line(item)))
        result = [item for item in result if item.runs or item.children]
        if result:
            lines = sum(1 + len(item.children) for item in result)
            length = sum(len(run.text) for item in result for run in item.runs)
            self._add(ListBlock(result, numbered, keep=lines <= SHORT_LIST and
                                length <= SHORT_LIST * 90))
        elif empty:
            self.paragraph(empty)

    def numbered(self, items: Iterable, *, empty: str = "") -> None:
        self.bullets(items, numbered=True, empty=empty)

    def table(self, headers: list[str], rows: Iterable, *, caption: str = "",
              landscape: bool | None = None, align_right: tuple[int, ...] = (),
              split_after: int | None = None, empty: str = "") -> None:
        """A table; ``landscape`` None decides from the content. ``split_after``: when
        the columns cannot fit even a landscape page, repeat the first ``split_after``
        columns in several tables of the others (a RACI grid with many actors). A table
        without rows is not drawn: ``empty`` says in words that there is nothing."""
        headers = [house.french_spaces(str(header)) for header in headers]
        body = [[cell(value) for value in row] for row in rows]
        if not body:
            self.paragraph(empty or _("Rien à présenter pour le moment."))
            return
        self._keep_intro()
        if landscape is None and not self.landscape:
            fits = layout.column_widths(headers, body, house.TEXT_WIDTH[False])
            if fits is None or (len(headers) > WIDE_COLUMNS and layout.wants_more(
                    headers, body, fits[1], house.TEXT_WIDTH[False])):
                self.go_landscape()
        elif landscape is not None and landscape != self.landscape:
            self.go_landscape() if landscape else self.new_section(False)
        found = layout.column_widths(headers, body, self.text_width)
        if found is None and split_after:
            self._split_table(headers, body, caption, align_right, split_after)
            return
        widths, size = found or layout.squeezed(headers, body, self.text_width)
        self._add(Table(headers, body, widths, size, caption, tuple(align_right)))

    def _split_table(self, headers, body, caption, align_right, keep: int) -> None:
        columns = list(range(keep, len(headers)))
        while columns:
            take = len(columns)
            while take > 1 and self._widths(headers, body, keep, columns[:take]) is None:
                take -= 1
            chosen = list(range(keep)) + columns[:take]
            part_headers = [headers[i] for i in chosen]
            part_rows = [[row[i] for i in chosen] for row in body]
            widths, size = (layout.column_widths(part_headers, part_rows, self.text_width)
                            or layout.squeezed(part_headers, part_rows, self.text_width))
            self._add(Table(part_headers, part_rows, widths, size, caption,
                            tuple(chosen.index(i) for i in align_right if i in chosen)))
            columns = columns[take:]

    def _widths(self, headers, body, keep: int, columns: list[int]):
        chosen = list(range(keep)) + columns
        return layout.column_widths([headers[i] for i in chosen],
                                    [[row[i] for i in chosen] for row in body], self.text_width)

    def go_landscape(self) -> None:
        """Open a landscape section (for a wide table or chart), taking along the heading
        and the paragraphs that introduce it; the next heading of that level goes back to
        portrait."""
        blocks = self.section.blocks
        start = len(blocks)
        while start > 0 and isinstance(blocks[start - 1], (Heading, Paragraph)):
            start -= 1
            if isinstance(blocks[start], Heading):
                while start > 0 and isinstance(blocks[start - 1], Heading):
                    start -= 1  # a part's heading and its first sub-heading stay together
                break
        if start < len(blocks) and not isinstance(blocks[start], Heading):
            start = len(blocks)  # no heading just above: the paragraphs stay
        moved = blocks[start:]
        del blocks[start:]
        self.new_section(landscape=True, auto=True)
        self.section.blocks.extend(moved)

    def figure(self, draw: Callable[[float], tuple[bytes, float, float]], *, caption: str,
               alt: str, width: float | None = None) -> None:
        """A chart: ``draw(width_cm)`` returns (PNG, width, height in cm). If drawing fails,
        the document says so; the data stays in the table the describer adds next."""
        width = min(width or self.text_width, self.text_width)
        self._keep_intro()
        try:
            png, width, height = draw(width)
        except Exception:  # noqa: BLE001 — a chart never stops a document
            log.exception("chart %r could not be drawn", caption)
            self._add(Figure(None, width, 0, caption, alt, failure=_(
                "Le graphique « %(caption)s » n'a pas pu être dessiné ; le tableau qui suit "
                "en donne les données.", caption=caption)))
            return
        room = house.TEXT_HEIGHT[self.landscape] - 1.5 - self._intro_height()  # caption
        if height > room:
            width, height = width * room / height, room
        self._add(Figure(png, width, height, caption, alt))

    def _intro_height(self) -> float:
        """The height in cm of the headings and paragraphs kept on a chart's page (a chart
        that leaves them no room would push them, alone, to the page before)."""
        height = 0.0
        for block in reversed(self.section.blocks):
            if isinstance(block, Heading):
                height += house.line_height(house.HEADING_SIZES[block.level]) + 0.8
            elif isinstance(block, Paragraph) and block.keep:
                lines = len(house.wrap(block.runs, self.text_width, house.BODY_SIZE))
                height += lines * house.line_height(house.BODY_SIZE) + 0.3
            else:
                break
        return height

    def photo(self, data: bytes, *, caption: str, width: float = 12.0) -> None:
        """A photo with its caption (the caption is also its alternative text)."""
        try:
            content, mimetype, ratio = photo_content(data)
        except Exception:  # noqa: BLE001 — an unreadable photo never stops a document
            log.exception("photo %r could not be read", caption)
            self.note(_("Photo « %(caption)s » illisible.", caption=caption))
            return
        width = min(width, self.text_width)
        height = width * ratio
        room = house.TEXT_HEIGHT[self.landscape] * 0.6
        if height > room:
            width, height = width * room / height, room
        self._add(Figure(content, width, height, caption, caption, mimetype=mimetype))

    def build(self) -> Document:
        sections = [section for section in self.sections if section.blocks]
        for section in sections:
            _keep_under_headings(section.blocks)
        return Document(title=self.title, territory=self.territory_name,
                        issued_on=self.issued_on, sections=sections or [Section(False)],
                        logo=self.logo, subtitle=self.subtitle, footer=self._footer(),
                        file_stem=naming.file_stem(*self.file_name),
                        created=datetime.now(UTC))

    def _footer(self) -> str:
        """« Title — date », the title shortened so that « page X sur Y » follows on the
        same line of a portrait page."""
        issued = long_date(self.issued_on)
        room = house.TEXT_WIDTH[False] - house.text_width(
            f" — {issued} — " + _("page %(number)s sur %(total)s", number=999, total=999),
            house.HEADER_FOOTER_SIZE) - 0.5
        title = naming.shortened(house.french_spaces(self.title), room,
                                 house.HEADER_FOOTER_SIZE)
        return f"{title} — {issued}"


def _keep_under_headings(blocks: list) -> None:
    """A short paragraph just under a heading (a period, a count) stays on the page of
    what follows it, so that a heading never ends a page alone with it."""
    for previous, block in zip(blocks, blocks[1:]):
        if isinstance(previous, Heading) and isinstance(block, Paragraph) and \
                sum(len(run.text) for run in block.runs) <= SHORT_PARAGRAPH:
            block.keep = True


def photo_content(data: bytes, max_side: int = 1600) -> tuple[bytes, str, float]:
    """A photo for a document: at most ``max_side`` pixels, JPEG (or PNG when it has
    transparency); returns (bytes, mimetype, height / width)."""
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        image.thumbnail((max_side, max_side))
        output = BytesIO()
        if image.mode in ("RGBA", "LA", "P"):
            image.convert("RGBA").save(output, format="PNG", optimize=True)
            mimetype = "image/png"
        else:
            image.convert("RGB").save(output, format="JPEG", quality=85)
            mimetype = "image/jpeg"
        return output.getvalue(), mimetype, image.height / image.width
