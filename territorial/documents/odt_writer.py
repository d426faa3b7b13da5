"""``to_odt(document)``: the document tree as an OpenDocument text file (odfpy), the format
the Référentiel Général d'Interopérabilité asks administrations to exchange.

Two master pages (A4 portrait and landscape) carry the header (logo, territory) and the
footer (« titre — date — page X sur Y » with ``text:page-number`` and ``text:page-count``
fields). A section starts on a new page by naming its master page on its first block.
Tables have the computed column widths, a repeated header row (``table:table-header-rows``)
and rows kept on one page (``fo:keep-together``).
"""
from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from odf import draw, style, svg, table, text
from odf.opendocument import OpenDocumentText

from territorial.documents import house
from territorial.documents.properties import odt_properties
from territorial.documents.model import (
    Document, Figure, Heading, ListBlock, Paragraph, Run, Table, TitlePage,
)

MASTERS = {False: "Standard", True: "Paysage"}
NO_BREAK = "\u00a0"


def _cm(value: float) -> str:
    return f"{value:.3f}cm"


def _colour(value: str) -> str:
    return f"#{value}"


class _Writer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.odt = OpenDocumentText()
        self.counter = 0
        self.cell_styles: dict[float, style.Style] = {}
        self.section_styles: dict[tuple[str, bool], style.Style] = {}
        self._fonts()
        self._styles()
        self._pages()

    # Styles -------------------------------------------------------------------------

    def _fonts(self) -> None:
        self.odt.fontfacedecls.addElement(style.FontFace(
            name=house.ODF_FONT, fontfamily=f"'{house.ODF_FONT}'", fontfamilygeneric="swiss",
            fontpitch="variable"))

    @staticmethod
    def _text_properties(size: float, bold: bool = False, italic: bool = False,
                         colour: str = house.INK) -> style.TextProperties:
        extra = {}
        if bold:
            extra.update(fontweight="bold", fontweightasian="bold", fontweightcomplex="bold")
        if italic:
            extra.update(fontstyle="italic", fontstyleasian="italic", fontstylecomplex="italic")
        return style.TextProperties(fontname=house.ODF_FONT, fontsize=f"{size:g}pt",
                                    fontsizeasian=f"{size:g}pt", fontsizecomplex=f"{size:g}pt",
                                    color=_colour(colour), language="fr", country="FR", **extra)

    def _paragraph_style(self, name: str, size: float, *, before: float = 0, after: float = 0.15,
                         bold: bool = False, italic: bool = False, colour: str = house.INK,
                         keep_next: bool = False, align: str = "start", common: bool = True,
                         outline: int | None = None, display: str | None = None) -> style.Style:
        attributes = {"name": name, "family": "paragraph"}
        if display:
            attributes["displayname"] = display
        if outline:
            attributes["defaultoutlinelevel"] = str(outline)
        found = style.Style(**attributes)
        paragraph = {"margintop": _cm(before), "marginbottom": _cm(after), "textalign": align,
                     "lineheight": "115%", "orphans": "2", "widows": "2"}
        if keep_next:
            paragraph["keepwithnext"] = "always"
        found.addElement(style.ParagraphProperties(**paragraph))
        found.addElement(self._text_properties(size, bold, italic, colour))
        (self.odt.styles if common else self.odt.automaticstyles).addElement(found)
        return found

    def _styles(self) -> None:
        p = self._paragraph_style
        self.body = p("Standard", house.BODY_SIZE, display="Standard")
        self.note = p("Note", 8.5, colour=house.MUTED)
        self.caption = p("Caption", 8.5, italic=True, colour=house.MUTED, align="center",
                         display="Illustration")
        self.title = p("Title", house.TITLE_SIZE, bold=True, colour=house.ACCENT, after=0.4)
        self.subtitle = p("Subtitle", 15, after=0.3)
        self.kicker = p("Kicker", 14, bold=True, before=4.0, after=0.3)
        self.issued = p("Issued", house.BODY_SIZE, before=1.2)
        self.headings = {
            level: p(f"Heading_20_{level}", size, bold=True, colour=house.ACCENT,
                     before=0.5 if level == 1 else 0.35, after=0.15, keep_next=True,
                     outline=level, display=f"Heading {level}")
            for level, size in house.HEADING_SIZES.items()}
        self.header_style = p("Header", house.HEADER_FOOTER_SIZE, bold=True,
                              colour=house.MUTED, display="Header")
        self.footer_style = p("Footer", house.HEADER_FOOTER_SIZE, colour=house.MUTED,
                              align="center", display="Footer")
        self.figure_style = p("Figure", house.BODY_SIZE, align="center", keep_next=True)
        self.separator = p("Separateur", 1, after=0, common=False)
        self.bold = style.Style(name="Gras", family="text")
        self.bold.addElement(style.TextProperties(fontweight="bold", fontweightasian="bold",
                                                  fontweightcomplex="bold"))
        self.italic = style.Style(name="Italique", family="text")
        self.italic.addElement(style.TextProperties(fontstyle="italic", fontstyleasian="italic",
                                                    fontstylecomplex="italic"))
        self.bold_italic = style.Style(name="GrasItalique", family="text")
        self.bold_italic.addElement(style.TextProperties(
            fontweight="bold", fontweightasian="bold", fontweightcomplex="bold",
            fontstyle="italic", fontstyleasian="italic", fontstylecomplex="italic"))
        for found in (self.bold, self.italic, self.bold_italic):
            self.odt.styles.addElement(found)
        self.bullets = self._list_style("Puces", numbered=False)
        self.numbers = self._list_style("Numeros", numbered=True)
        self.list_paragraph = p("Liste", house.BODY_SIZE, after=0.08)
        self.cell = style.Style(name="Cellule", family="table-cell")
        self.header_cell = style.Style(name="CelluleEntete", family="table-cell")
        for found, fill in ((self.cell, None), (self.header_cell, house.HEADER_FILL)):
            properties = {"border": f"0.5pt solid {_colour(house.RULE)}",
                          "paddingleft": _cm(house.CELL_PADDING),
                          "paddingright": _cm(house.CELL_PADDING),
                          "paddingtop": _cm(house.CELL_PADDING_TOP),
                          "paddingbottom": _cm(house.CELL_PADDING_TOP)}
            if fill:
                properties["backgroundcolor"] = _colour(fill)
            found.addElement(style.TableCellProperties(**properties))
            self.odt.automaticstyles.addElement(found)
        self.row = style.Style(name="Ligne", family="table-row")
        self.row.addElement(style.TableRowProperties(keeptogether="always"))
        self.odt.automaticstyles.addElement(self.row)
        self.frame = style.Style(name="Image", family="graphic")
        self.frame.addElement(style.GraphicProperties(wrap="none", verticalpos="top",
                                                      horizontalpos="center",
                                                      horizontalrel="paragraph"))
        self.odt.automaticstyles.addElement(self.frame)

    def _list_style(self, name: str, numbered: bool) -> text.ListStyle:
        found = text.ListStyle(name=name)
        for level in (1, 2):
            if numbered and level == 1:
                level_style = text.ListLevelStyleNumber(level=str(level), numformat="1",
                                                        numsuffix=".")
            else:
                level_style = text.ListLevelStyleBullet(level=str(level),
                                                        bulletchar="•" if level == 1 else "–")
            level_style.addElement(style.ListLevelProperties(
                spacebefore=_cm(0.2 + 0.6 * (level - 1)), minlabelwidth=_cm(0.6)))
            found.addElement(level_style)
        self.odt.styles.addElement(found)
        return found

    def _cell_style(self, size: float, right: bool) -> style.Style:
        key = (size, right)
        if key not in self.cell_styles:
            self.cell_styles[key] = self._paragraph_style(
                f"Tableau_{size:g}{'_droite' if right else ''}".replace(".", "_"), size,
                after=0, align="end" if right else "start", common=False)
        return self.cell_styles[key]

    def _pages(self) -> None:
        for landscape, name in MASTERS.items():
            width, height = (house.PAGE[1], house.PAGE[0]) if landscape else house.PAGE
            side, top = house.MARGINS[landscape]
            layout = style.PageLayout(name=f"Page{name}")
            layout.addElement(style.PageLayoutProperties(
                pagewidth=_cm(width), pageheight=_cm(height),
                printorientation="landscape" if landscape else "portrait",
                marginleft=_cm(side), marginright=_cm(side),
                margintop=_cm(house.HEADER_DISTANCE), marginbottom=_cm(house.HEADER_DISTANCE)))
            band = top - house.HEADER_DISTANCE
            header = style.HeaderStyle()
            header.addElement(style.HeaderFooterProperties(minheight=_cm(band - 0.3),
                                                           marginbottom=_cm(0.3)))
            footer = style.FooterStyle()
            footer.addElement(style.HeaderFooterProperties(minheight=_cm(band - 0.3),
                                                           margintop=_cm(0.3)))
            layout.addElement(header)
            layout.addElement(footer)
            self.odt.automaticstyles.addElement(layout)
            master = style.MasterPage(name=name, pagelayoutname=layout)
            master_header = style.Header()
            line = text.P(stylename=self.header_style)
            if self.doc.logo:
                line.addElement(self._image(self.doc.logo, None, house.LOGO_HEIGHT, _("Logo"), as_char=True))
                line.addText("   ")
            line.addText(self.doc.territory)
            master_header.addElement(line)
            master.addElement(master_header)
            master_footer = style.Footer()
            line = text.P(stylename=self.footer_style)
            # « page 1 sur 9 » on one line: no-break spaces around the numbers
            line.addText(f"{self.doc.footer} — {_('page')}{NO_BREAK}")
            line.addElement(text.PageNumber(selectpage="current", text="1"))
            line.addText(f"{NO_BREAK}{_('sur')}{NO_BREAK}")
            line.addElement(text.PageCount(text="1"))
            master_footer.addElement(line)
            master.addElement(master_footer)
            self.odt.masterstyles.addElement(master)

    def _image(self, png: bytes, width: float | None, height: float, description: str,
               as_char: bool = False, mimetype: str = "image/png") -> draw.Frame:
        from PIL import Image

        if width is None:
            with Image.open(BytesIO(png)) as image:
                width = height * image.width / image.height
        self.counter += 1
        extension = "jpg" if mimetype == "image/jpeg" else "png"
        href = self.odt.addPicture(f"Pictures/image{self.counter}.{extension}", mimetype, png)
        frame = draw.Frame(stylename=self.frame, width=_cm(width), height=_cm(height),
                           anchortype="as-char" if as_char else "paragraph",
                           name=f"Image{self.counter}")
        frame.addElement(draw.Image(href=href))
        frame.addElement(svg.Desc(text=description))
        return frame

    def _kept(self, base: style.Style) -> style.Style:
        """``base`` kept with the next paragraph or table (an introduction)."""
        key = (base.getAttribute("name"), "keep")
        if key not in self.section_styles:
            found = style.Style(name=f"{base.getAttribute('name')}_Suivi", family="paragraph",
                                parentstylename=base)
            found.addElement(style.ParagraphProperties(keepwithnext="always"))
            self.odt.automaticstyles.addElement(found)
            self.section_styles[key] = found
        return self.section_styles[key]

    def _starting(self, base: style.Style, landscape: bool):
        """A variant of ``base`` whose block starts a page of the section's orientation."""
        key = (base.getAttribute("name"), landscape)
        if key not in self.section_styles:
            self.counter += 1
            found = style.Style(name=f"Debut{self.counter}", family="paragraph",
                                masterpagename=MASTERS[landscape], parentstylename=base)
            self.odt.automaticstyles.addElement(found)
            self.section_styles[key] = found
        return self.section_styles[key]

    # Blocks -------------------------------------------------------------------------

    def _spans(self, element, runs) -> None:
        for run in runs:
            target = element
            if run.bold or run.italic:
                found = self.bold_italic if run.bold and run.italic else \
                    self.bold if run.bold else self.italic
                target = text.Span(stylename=found)
                element.addElement(target)
            for number, segment in enumerate(run.text.split("\n")):
                if number:  # a line break typed in the text
                    target.addElement(text.LineBreak())
                if segment:
                    target.addText(segment)

    def _paragraph(self, runs, stylename) -> text.P:
        paragraph = text.P(stylename=stylename)
        self._spans(paragraph, runs)
        return paragraph

    def _table_style(self, width: float, landscape: bool | None = None,
                     space_after: float = 0.3) -> style.Style:
        """A table's style: its width, and the master page when it starts a section."""
        self.counter += 1
        attributes = {"name": f"Tableau{self.counter}", "family": "table"}
        if landscape is not None:
            attributes["masterpagename"] = MASTERS[landscape]
        found = style.Style(**attributes)
        found.addElement(style.TableProperties(width=_cm(width), align="left",
                                               marginbottom=_cm(space_after)))
        self.odt.automaticstyles.addElement(found)
        return found

    def _table(self, block: Table) -> list:
        element = table.Table(name=f"Tableau{self.counter + 1}",
                              stylename=self._table_style(block.width))
        element.width_cm, element.master = block.width, None
        for index, width in enumerate(block.widths):
            column = style.Style(name=f"Tableau{self.counter}.C{index}", family="table-column")
            column.addElement(style.TableColumnProperties(columnwidth=_cm(width)))
            self.odt.automaticstyles.addElement(column)
            element.addElement(table.TableColumn(stylename=column))
        header_rows = table.TableHeaderRows()
        row = table.TableRow(stylename=self.row)
        left = self._cell_style(block.font_size, False)
        right = self._cell_style(block.font_size, True)
        for header in block.headers:
            cell = table.TableCell(stylename=self.header_cell, valuetype="string")
            paragraph = text.P(stylename=left)
            paragraph.addElement(text.Span(stylename=self.bold, text=header))
            cell.addElement(paragraph)
            row.addElement(cell)
        header_rows.addElement(row)
        element.addElement(header_rows)
        aligned = block.align_right
        for cells in block.rows:
            row = table.TableRow(stylename=self.row)
            for index, paragraphs in enumerate(cells):
                cell = table.TableCell(stylename=self.cell, valuetype="string")
                paragraph_style = right if index in aligned else left
                for runs in paragraphs or [[]]:
                    cell.addElement(self._paragraph(runs, paragraph_style))
                row.addElement(cell)
            element.addElement(row)
        result = [element]
        if block.caption:
            result.append(self._paragraph([Run(block.caption)], self.caption))
        return result

    def _blocks(self, block) -> list:
        if isinstance(block, Heading):
            heading = text.H(outlinelevel=block.level, stylename=self.headings[block.level])
            heading.addText(block.text)
            return [heading]
        if isinstance(block, Paragraph):
            stylename = {"note": self.note, "caption": self.caption}.get(block.style, self.body)
            if block.keep:
                stylename = self._kept(stylename)
            return [self._paragraph(block.runs, stylename)]
        if isinstance(block, ListBlock):
            listing = text.List(stylename=self.numbers if block.numbered else self.bullets)
            # a short list on one page: each item kept with the next (the last one too
            # would keep the list with what follows)
            kept = self._kept(self.list_paragraph) if block.keep else self.list_paragraph
            paragraphs = []
            for item in block.items:
                entry = text.ListItem()
                paragraphs.append(self._paragraph(item.runs, kept))
                entry.addElement(paragraphs[-1])
                if item.children:
                    nested = text.List()
                    for child in item.children:
                        sub = text.ListItem()
                        paragraphs.append(self._paragraph(child, kept))
                        sub.addElement(paragraphs[-1])
                        nested.addElement(sub)
                    entry.addElement(nested)
                listing.addElement(entry)
            paragraphs[-1].setAttribute("stylename", self.list_paragraph)
            return [listing]
        if isinstance(block, Table):
            return self._table(block)
        if isinstance(block, Figure):
            if block.png is None:
                return [self._paragraph([Run(block.failure)], self.note)]
            paragraph = text.P(stylename=self.figure_style)
            # as a character: the paragraph is as tall as the chart, so that the heading
            # and the introduction kept with it move with it to the next page
            paragraph.addElement(self._image(block.png, block.width, block.height, block.alt,
                                             as_char=True, mimetype=block.mimetype))
            return [paragraph, self._paragraph([Run(block.caption)], self.caption)]
        if isinstance(block, TitlePage):
            elements = [self._paragraph([Run(self.doc.territory)], self.kicker),
                        self._paragraph([Run(block.title)], self.title)]
            if block.subtitle:
                elements.append(self._paragraph([Run(block.subtitle)], self.subtitle))
            elements += [self._paragraph([Run(line)], self.body) for line in block.lines]
            elements.append(self._paragraph([Run(block.issued)], self.issued))
            return elements
        raise TypeError(block)

    def write(self) -> BytesIO:
        for section in self.doc.sections:
            elements = []
            for block in section.blocks:
                elements += self._blocks(block)
            if elements:  # the first page too: a document may begin in landscape
                self._start_page(elements, section.landscape)
            for element in elements:
                self.odt.text.addElement(element)
        last = self.odt.text.childNodes[-1] if self.odt.text.childNodes else None
        if last is not None and last.qname == table.Table().qname:
            # Writer ends a text with a paragraph: one point high, right under the table
            # (the space below a table ending a full page would open a blank one)
            last.setAttribute("stylename", self._table_style(last.width_cm, last.master, 0))
            self.odt.text.addElement(text.P(stylename=self.separator))
        odt_properties(self.odt, self.doc)
        output = BytesIO()
        self.odt.write(output)
        output.seek(0)
        return output

    def _start_page(self, elements: list, landscape: bool) -> None:
        """Name the section's master page on its first block (a new page)."""
        first = elements[0]
        if first.qname == table.Table().qname:
            first.master = landscape
            first.setAttribute("stylename", self._table_style(first.width_cm, landscape))
            return
        if first.qname not in (text.P().qname, text.H(outlinelevel=1).qname):
            elements.insert(0, text.P(stylename=self._starting(self.body, landscape)))
            return
        base = first.getAttribute("stylename")
        found = next((s for s in [self.body, self.note, self.caption, self.kicker,
                                  self.figure_style, *self.headings.values(),
                                  *self.section_styles.values()]
                      if s.getAttribute("name") == base), self.body)
        first.setAttribute("stylename", self._starting(found, landscape))


def to_odt(doc: Document) -> BytesIO:
    return _Writer(doc).write()
