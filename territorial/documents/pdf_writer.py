"""``to_pdf(document)``: the document tree as a PDF (fpdf2, pure Python: no browser, no
office suite, no system library).

The house font (Liberation Sans, ``fonts/``) is embedded, so accents and « € » print on
any machine. Pages are laid out here: the header and the footer (« page X sur Y », the
total filled in when the file is written), headings kept with what follows, tables drawn
row by row (a row moves whole to the next page, the header row repeats at the top of
every page), charts centred with their caption.
"""
from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from fpdf import FPDF

from territorial.documents import house
from territorial.documents.properties import pdf_properties
from territorial.documents.model import (
    Document, Figure, Heading, ListBlock, Paragraph, Run, Table, TitlePage,
)

MM = 10.0  # per cm
PT = 25.4 / 72  # mm per point
MARKERS = ("**", "__", "~~", "--")
TABLE_TAIL = 3  # rows: the end of a table never goes alone to a new page


def _rgb(value: str) -> tuple[int, int, int]:
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _escape(text: str) -> str:
    """Plain text inside fpdf2's markdown: markers and link brackets written as typed."""
    text = text.replace("\\", "\\\\")
    for marker in MARKERS:
        text = text.replace(marker, "\\" + marker)
    return text.replace("](", "]\u200b(")  # not a link: a zero-width space breaks « ](»


def _markdown(runs) -> str:
    """Runs of one style side by side are written as one (``__a____b__`` would print
    the markers of two italic runs as « ____ »)."""
    merged: list[list] = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1][1:] == [run.bold, run.italic]:
            merged[-1][0] += run.text
        else:
            merged.append([run.text, run.bold, run.italic])
    parts = []
    for raw, bold, italic in merged:
        text = _escape(raw)
        if italic:
            text = f"__{text}__"
        if bold:
            text = f"**{text}**"
        parts.append(text)
    return "".join(parts)


class _PDF(FPDF):
    def __init__(self, doc: Document):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        for style, path in house.FONT_FILES.items():
            self.add_font(house.PDF_FONT, style, str(path))
        pdf_properties(self, doc)
        self.set_display_mode("fullwidth")
        self.outline_level = -1
        self._logo = BytesIO(doc.logo) if doc.logo else None

    # Page furniture -----------------------------------------------------------------

    @property
    def is_landscape(self) -> bool:
        return self.cur_orientation == "L"

    def header(self) -> None:
        side, top = house.MARGINS[self.is_landscape]
        x, y = side * MM, house.HEADER_DISTANCE * MM
        height = house.LOGO_HEIGHT * MM
        if self._logo is not None:
            self._logo.seek(0)
            info = self.image(self._logo, x=x, y=y, h=height, alt_text=_("Logo"))
            x += info.rendered_width + 3
        self.set_font(house.PDF_FONT, "B", house.HEADER_FOOTER_SIZE)
        self.set_text_color(*_rgb(house.MUTED))
        self.set_xy(x, y + height - 4)
        if self.doc.territory:
            self.cell(text=self.doc.territory)
        self._rule(y + height + 1.5)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        rule = self.h - house.HEADER_DISTANCE * MM - 6
        self._rule(rule)
        self.set_font(house.PDF_FONT, "", house.HEADER_FOOTER_SIZE)
        self.set_text_color(*_rgb(house.MUTED))
        self.set_xy(self.l_margin, rule + 1.5)
        page = _("page %(number)s sur %(total)s", number=self.page_no(), total="{nb}")
        self.cell(w=self.epw, text=f"{self.doc.footer} — {page}", align="C")

    def _rule(self, y: float) -> None:
        self.set_draw_color(*_rgb(house.RULE))
        self.set_line_width(0.2)
        self.line(self.l_margin, y, self.w - self.r_margin, y)

    def new_page(self, landscape: bool) -> None:
        side, top = house.MARGINS[landscape]
        self.set_margins(side * MM, top * MM, side * MM)
        self.set_auto_page_break(True, margin=top * MM)
        self.add_page(orientation="L" if landscape else "P")
        self._ink()

    def _ink(self, size: float = house.BODY_SIZE, style: str = "",
             colour: str = house.INK) -> None:
        self.set_font(house.PDF_FONT, style, size)
        self.set_text_color(*_rgb(colour))

    def _line_height(self, size: float) -> float:
        return size * house.LINE_SPACING * PT

    def _keep(self, height: float) -> None:
        """A new page when ``height`` does not fit on this one."""
        if self.will_page_break(height):
            self.add_page(same=True)
            self._ink()

    def keep_with_following(self, blocks: list, index: int) -> None:
        """A heading, and the paragraphs introducing a table or a chart, start a new page
        rather than stay alone at the bottom of one."""
        needed = 0.0
        for block in blocks[index:]:
            if isinstance(block, Heading):
                size = house.HEADING_SIZES[block.level]
                needed += 6 + len(house.wrap([Run(block.text, True)], self.epw / MM, size)) \
                    * self._line_height(size)
            elif isinstance(block, Paragraph) and block.keep:
                needed += 2 + len(house.wrap(block.runs, self.epw / MM, house.BODY_SIZE)) \
                    * self._line_height(house.BODY_SIZE)
            else:
                if isinstance(block, Figure) and block.png is not None:
                    needed += block.height * MM + 12
                elif isinstance(block, ListBlock) and block.keep:
                    needed += sum(1 + len(item.children) for item in block.items) * (
                        self._line_height(house.BODY_SIZE) + 0.8)
                elif isinstance(block, Table):
                    needed += 4 * self._line_height(block.font_size) + 4
                else:
                    needed += 3 * self._line_height(house.BODY_SIZE)
                break
        self._keep(min(needed, self.h - self.t_margin - self.b_margin - 1))

    # Blocks -------------------------------------------------------------------------

    def write_title_page(self, block: TitlePage) -> None:
        self.set_y(70)
        self._ink(14, "B")
        self.multi_cell(0, self._line_height(14), self.doc.territory, align="L",
                        new_x="LMARGIN", new_y="NEXT")
        self.ln(4)
        self._ink(house.TITLE_SIZE, "B", house.ACCENT)
        self.multi_cell(0, self._line_height(house.TITLE_SIZE), block.title, align="L",
                        new_x="LMARGIN", new_y="NEXT")
        if block.subtitle:
            self.ln(2)
            self._ink(15)
            self.multi_cell(0, self._line_height(15), block.subtitle, align="L",
                            new_x="LMARGIN", new_y="NEXT")
        self.ln(6)
        self._ink()
        for line in block.lines:
            self.multi_cell(0, self._line_height(house.BODY_SIZE), line, align="L",
                            new_x="LMARGIN", new_y="NEXT")
            self.ln(1.5)
        self.ln(12)
        self.multi_cell(0, self._line_height(house.BODY_SIZE), block.issued, align="L",
                        new_x="LMARGIN", new_y="NEXT")

    def write_heading(self, block: Heading) -> None:
        size = house.HEADING_SIZES[block.level]
        space = 5 if block.level == 1 else 3.5
        lines = len(house.wrap([Run(block.text, True)], self.epw / MM, size))
        self._keep(space + lines * self._line_height(size) + 2 * self._line_height(house.BODY_SIZE))
        if self.y > self.t_margin + 1:
            self.ln(space)
        level = min(block.level - 1, self.outline_level + 1)
        self.outline_level = level
        self.start_section(block.text, level=level)
        self._ink(size, "B", house.ACCENT)
        self.multi_cell(0, self._line_height(size), block.text, align="L",
                        new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)
        self._ink()

    def write_paragraph(self, block: Paragraph) -> None:
        size = house.BODY_SIZE if block.style == "body" else 8.5
        colour = house.INK if block.style == "body" else house.MUTED
        self._ink(size, "I" if block.style == "caption" else "", colour)
        self._lines(0, self._line_height(size), _markdown(block.runs),
                    align="C" if block.style == "caption" else "L")
        self.ln(2)
        self._ink()

    def _lines(self, width: float, height: float, text: str, align: str = "L") -> None:
        """A paragraph that never leaves a single line alone at the bottom or the top of a
        page (widows and orphans): a short one moves whole, a long one breaks a line early."""
        count = len(self.multi_cell(width, height, text, markdown=True, dry_run=True,
                                    output="LINES"))
        room = int((self.page_break_trigger - self.y) // height)
        early = False
        if count > room:
            if room < 2 or count <= 3:
                self.add_page(same=True)
            elif count - room < 2:
                early = True
                self.set_auto_page_break(True, margin=self.b_margin + height)
        self.multi_cell(width, height, text, markdown=True, align=align, new_x="LMARGIN",
                        new_y="NEXT")
        if early:
            self.set_auto_page_break(True, margin=self.b_margin - height)

    def write_listing(self, block: ListBlock) -> None:
        height = self._line_height(house.BODY_SIZE)
        if block.keep:  # a short list on one page
            self._keep(sum(1 + len(item.children) for item in block.items) * (height + 0.8))
        for number, item in enumerate(block.items, start=1):
            self._item(f"{number}." if block.numbered else "•", item.runs, 2.5, height)
            for child in item.children:
                self._item("–", child, 8.5, height)
        self.ln(2)

    def _item(self, label: str, runs, indent: float, height: float) -> None:
        text = _markdown(runs)
        width = self.epw - indent - 6
        count = len(self.multi_cell(width, height, text, markdown=True, dry_run=True,
                                    output="LINES"))
        if count <= 3 or self.page_break_trigger - self.y < 2 * height:
            self._keep(min(count, 3) * height)  # the label and its first lines together
        y = self.y
        self.set_x(self.l_margin + indent)
        self.cell(w=6, h=height, text=label)
        self.set_xy(self.l_margin + indent + 6, y)
        self._lines(width, height, text)
        self.ln(0.8)

    def write_table(self, block: Table) -> None:
        """Rows drawn one by one with lines wrapped on the house metrics (the widths were
        computed on them): a row that does not fit moves to the next page, under the
        header row drawn again. Linear in the number of rows."""
        size = block.font_size
        widths = [width * MM for width in block.widths]
        pad_x, pad_y = house.CELL_PADDING * MM, house.CELL_PADDING_TOP * MM
        inner = [(width - 2 * pad_x) / MM for width in widths]
        line = self._line_height(size) * 0.95
        header = [house.wrap([Run(text, bold=True)], room, size)
                  for text, room in zip(block.headers, inner)]
        header_height = self._row_height(header, line, pad_y)
        self.set_draw_color(*_rgb(house.RULE))
        self.set_line_width(0.2)
        first = True
        rows = [[[piece for runs in paragraphs for piece in house.wrap(runs, room, size)]
                 if paragraphs else [[]] for paragraphs, room in zip(cells, inner)]
                for cells in block.rows]
        heights = [self._row_height(wrapped, line, pad_y) for wrapped in rows]
        tail = len(rows) - min(TABLE_TAIL, len(rows))  # the last rows go together
        for index, (wrapped, height) in enumerate(zip(rows, heights)):
            bottom = self.h - self.b_margin
            if index == tail >= TABLE_TAIL and self.y + sum(heights[tail:]) > bottom \
                    and sum(heights[tail:]) < bottom - self.t_margin - header_height:
                self.add_page(same=True)  # never one or two rows alone on a page
                self._draw_row(header, widths, header_height, line, size, (), fill=True)
            elif first or self.y + height > bottom:
                if not first or self.y + header_height + min(height, 30) > bottom:
                    if self.y > self.t_margin + 0.5:
                        self.add_page(same=True)
                self._draw_row(header, widths, header_height, line, size, (), fill=True)
                first = False
            while self.y + height > self.h - self.b_margin:  # taller than a page: split it
                part, rest, part_height = self._fit(wrapped, line, pad_y)
                self._draw_row(part, widths, part_height, line, size, block.align_right)
                self.add_page(same=True)
                self._draw_row(header, widths, header_height, line, size, (), fill=True)
                wrapped, height = rest, self._row_height(rest, line, pad_y)
            self._draw_row(wrapped, widths, height, line, size, block.align_right)
        if first:
            self._draw_row(header, widths, header_height, line, size, (), fill=True)
        self.ln(1.5)
        if block.caption:
            self.write_paragraph(Paragraph([Run(block.caption)], "caption"))
        else:
            self.ln(2)
        self._ink()

    @staticmethod
    def _row_height(cells, line: float, pad_y: float) -> float:
        return max(len(lines) for lines in cells) * line + 2 * pad_y + 0.6

    def _fit(self, cells, line: float, pad_y: float):
        """A row taller than a page: (the lines that fit here, the rest, height here)."""
        room = max(1, int((self.h - self.b_margin - self.y - 2 * pad_y - 0.6) // line))
        return ([lines[:room] for lines in cells], [lines[room:] or [[]] for lines in cells],
                room * line + 2 * pad_y + 0.6)

    def _draw_row(self, cells, widths, height, line, size, right, fill=False) -> None:
        x, y = self.l_margin, self.y
        if fill:
            self.set_fill_color(*_rgb(house.HEADER_FILL))
        baseline = size * PT * 0.905 + (line - size * PT) / 2
        pad_x, pad_y = house.CELL_PADDING * MM, house.CELL_PADDING_TOP * MM
        current = None
        self.set_text_color(*_rgb(house.INK))
        for index, (lines, width) in enumerate(zip(cells, widths)):
            self.rect(x, y, width, height, style="DF" if fill else "D")
            for number, pieces in enumerate(lines):
                left = x + pad_x
                if index in right:
                    used = sum(house.text_width(text, size, bold, italic)
                               for text, bold, italic in pieces) * MM
                    left = x + width - pad_x - used
                for text, bold, italic in pieces:
                    style = ("B" if bold else "") + ("I" if italic else "")
                    if style != current:
                        self.set_font(house.PDF_FONT, style, size)
                        current = style
                    self.text(left, y + pad_y + number * line + baseline, text)
                    left += house.text_width(text, size, bold, italic) * MM
            x += width
        self.set_y(y + height)

    def write_figure(self, block: Figure) -> None:
        if block.png is None:
            self.write_paragraph(Paragraph([Run(block.failure)], "note"))
            return
        width, height = block.width * MM, block.height * MM
        self._keep(height + 12)
        x = self.l_margin + (self.epw - width) / 2
        self.image(BytesIO(block.png), x=x, y=self.y, w=width, h=height, alt_text=block.alt,
                   title=block.caption)
        self.set_y(self.y + height + 1.5)
        self.write_paragraph(Paragraph([Run(block.caption)], "caption"))


def to_pdf(doc: Document) -> BytesIO:
    pdf = _PDF(doc)
    for section in doc.sections:
        pdf.new_page(section.landscape)
        for index, block in enumerate(section.blocks):
            if isinstance(block, Heading) or (isinstance(block, Paragraph) and block.keep):
                pdf.keep_with_following(section.blocks, index)
            if isinstance(block, Heading):
                pdf.write_heading(block)
            elif isinstance(block, Paragraph):
                pdf.write_paragraph(block)
            elif isinstance(block, ListBlock):
                pdf.write_listing(block)
            elif isinstance(block, Table):
                pdf.write_table(block)
            elif isinstance(block, Figure):
                pdf.write_figure(block)
            elif isinstance(block, TitlePage):
                pdf.write_title_page(block)
    return BytesIO(bytes(pdf.output()))
