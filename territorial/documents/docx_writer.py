"""``to_docx(document)``: the document tree as a Word file (python-docx).

Styles are set once here (Arial, sizes and colours of ``house``); sections are A4 with
the territory in the header and « titre — date — page X sur Y » in the footer (PAGE and
NUMPAGES fields, so Word and LibreOffice number the pages themselves). Tables are written
as WordprocessingML with lxml, row by row: fixed layout with the computed widths, header
row repeated (``tblHeader``), rows that never split across pages (``cantSplit``). The time
grows linearly with the number of rows.
"""
from __future__ import annotations

from io import BytesIO

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask_babel import gettext as _
from lxml import etree

from territorial.documents import house
from territorial.documents.properties import docx_properties
from territorial.documents.model import (
    Document, Figure, Heading, ListBlock, Paragraph, Run, Table, TitlePage,
)

TWIPS_PER_CM = 1440 / 2.54
SEPARATOR = "Séparateur"  # a one-point paragraph: after a table, and before a section break
W = {name: qn(f"w:{name}") for name in (
    "p", "pPr", "pStyle", "jc", "r", "rPr", "b", "i", "t", "tbl", "tblPr", "tblStyle", "tblW",
    "tblLayout", "tblCellMar", "left", "right", "top", "bottom", "tblGrid", "gridCol", "tr",
    "trPr", "cantSplit", "tblHeader", "tc", "tcPr", "tcW", "shd", "val", "w", "type", "fill",
    "color", "keepNext", "tblLook", "firstRow", "noHBand", "noVBand", "lastRow", "firstColumn",
    "lastColumn", "br")}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NO_BREAK = "\u00a0"


def _twips(cm: float) -> str:
    return str(round(cm * TWIPS_PER_CM))


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)


def _set_font(style, size: float, *, bold: bool | None = None, colour: str | None = None
              ) -> None:
    """The house font on a style, replacing the template's theme fonts."""
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour:
        style.font.color.rgb = _rgb(colour)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attribute}"), house.WORD_FONT)


def _spacing(style, before: float, after: float, keep_next: bool = False) -> None:
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.15
    if keep_next:
        fmt.keep_with_next = True


def _styles(word) -> None:
    styles = word.styles
    _set_font(styles["Normal"], house.BODY_SIZE, colour=house.INK)
    _spacing(styles["Normal"], 0, 6)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "fr-FR")
    styles["Normal"].element.get_or_add_rPr().append(language)
    _set_font(styles["Title"], house.TITLE_SIZE, bold=True, colour=house.ACCENT)
    _spacing(styles["Title"], 0, 12)
    _set_font(styles["Subtitle"], 15, colour=house.INK)
    styles["Subtitle"].font.italic = False
    for level, size in house.HEADING_SIZES.items():
        style = styles[f"Heading {level}"]
        _set_font(style, size, bold=True, colour=house.ACCENT)
        style.font.italic = False
        _spacing(style, 14 if level == 1 else 10, 4, keep_next=True)
    for name in ("Header", "Footer"):
        _set_font(styles[name], house.HEADER_FOOTER_SIZE, colour=house.MUTED)
    _set_font(styles["Caption"], 8.5, bold=False, colour=house.MUTED)
    styles["Caption"].font.italic = True
    for name in ("List Bullet", "List Bullet 2", "List Number"):
        _spacing(styles[name], 0, 3)
    styles["Normal"].paragraph_format.widow_control = True
    note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    _set_font(note, 8.5, colour=house.MUTED)
    separator = styles.add_style(SEPARATOR, WD_STYLE_TYPE.PARAGRAPH)
    separator.base_style = styles["Normal"]
    _set_font(separator, 1)
    separator.paragraph_format.space_before = Pt(0)
    separator.paragraph_format.space_after = Pt(4)
    separator.paragraph_format.line_spacing = Pt(1)


def _table_style(word, size: float) -> str:
    """The paragraph style of table cells at ``size`` points (one per size used)."""
    name = f"Tableau {size:g}"
    try:
        return word.styles[name].style_id
    except KeyError:
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = word.styles["Normal"]
        _set_font(style, size)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        return style.style_id


def _page(section, landscape: bool) -> None:
    width, height = (Cm(house.PAGE[1]), Cm(house.PAGE[0])) if landscape else \
        (Cm(house.PAGE[0]), Cm(house.PAGE[1]))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    side, top = house.MARGINS[landscape]
    section.left_margin = section.right_margin = Cm(side)
    section.top_margin = section.bottom_margin = Cm(top)
    section.header_distance = section.footer_distance = Cm(house.HEADER_DISTANCE)


def _field(paragraph, instruction: str) -> None:
    """A field (PAGE, NUMPAGES) computed by the word processor when it lays out pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None),
                       (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _rule(paragraph, side: str) -> None:
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", "4"), ("space", "4"), ("color", house.RULE)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def _header_footer(section, doc: Document) -> None:
    header = section.header.paragraphs[0]
    header.style = "Header"
    if doc.logo:
        header.add_run().add_picture(BytesIO(doc.logo), height=Cm(house.LOGO_HEIGHT))
        header.add_run("   ")
    header.add_run(doc.territory).bold = True
    _rule(header, "bottom")
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{doc.footer} — " + _("page") + NO_BREAK)  # « page 1 sur 9 » on one line
    _field(footer, "PAGE")
    footer.add_run(NO_BREAK + _("sur") + NO_BREAK)
    _field(footer, "NUMPAGES")
    _rule(footer, "top")


class _Numbering:
    """A new numbering instance per numbered list, so each list starts at 1."""

    def __init__(self, word):
        self.word = word
        style = word.styles["List Number"].element
        self.style_num = style.pPr.numPr.numId.val
        self.numbering = word.part.numbering_part.element
        num = next(n for n in self.numbering.num_lst if n.numId == self.style_num)
        self.abstract = num.abstractNumId.val

    def restart(self) -> int:
        num = self.numbering.add_num(self.abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId


def _runs(paragraph, runs) -> None:
    for run in runs:
        added = paragraph.add_run(run.text)
        if run.bold:
            added.bold = True
        if run.italic:
            added.italic = True


def _title_page(word, block: TitlePage, doc: Document) -> None:
    territory = word.add_paragraph()
    territory.paragraph_format.space_before = Pt(110)
    run = territory.add_run(doc.territory)
    run.bold, run.font.size = True, Pt(14)
    word.add_paragraph(block.title, style="Title")
    if block.subtitle:
        word.add_paragraph(block.subtitle, style="Subtitle")
    for text in block.lines:
        word.add_paragraph(text)
    issued = word.add_paragraph(block.issued)
    issued.paragraph_format.space_before = Pt(36)


def _list(word, block: ListBlock, numbering: _Numbering) -> None:
    num_id = numbering.restart() if block.numbered else None
    paragraphs = []
    for item in block.items:
        paragraph = word.add_paragraph(style="List Number" if block.numbered else "List Bullet")
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        _runs(paragraph, item.runs)
        paragraphs.append(paragraph)
        for child in item.children:
            paragraphs.append(word.add_paragraph(style="List Bullet 2"))
            _runs(paragraphs[-1], child)
    if block.keep:  # a short list on one page
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True


def _cell_paragraph(tc, style_id: str, runs, right: bool) -> None:
    paragraph = etree.SubElement(tc, W["p"])
    properties = etree.SubElement(paragraph, W["pPr"])
    etree.SubElement(properties, W["pStyle"]).set(W["val"], style_id)
    if right:
        etree.SubElement(properties, W["jc"]).set(W["val"], "right")
    for run in runs:
        element = etree.SubElement(paragraph, W["r"])
        if run.bold or run.italic:
            run_properties = etree.SubElement(element, W["rPr"])
            if run.bold:
                etree.SubElement(run_properties, W["b"])
            if run.italic:
                etree.SubElement(run_properties, W["i"])
        for number, segment in enumerate(run.text.split("\n")):
            if number:  # a line break typed in the text
                etree.SubElement(element, W["br"])
            text = etree.SubElement(element, W["t"])
            text.text = segment
            text.set(XML_SPACE, "preserve")


def _row(tbl, cells, widths: list[str], style_id: str, right: tuple[int, ...],
         header: bool = False) -> None:
    tr = etree.SubElement(tbl, W["tr"])
    row_properties = etree.SubElement(tr, W["trPr"])
    etree.SubElement(row_properties, W["cantSplit"])
    if header:
        etree.SubElement(row_properties, W["tblHeader"])
    for index, (paragraphs, width) in enumerate(zip(cells, widths)):
        tc = etree.SubElement(tr, W["tc"])
        cell_properties = etree.SubElement(tc, W["tcPr"])
        tc_width = etree.SubElement(cell_properties, W["tcW"])
        tc_width.set(W["w"], width)
        tc_width.set(W["type"], "dxa")
        if header:
            shading = etree.SubElement(cell_properties, W["shd"])
            shading.set(W["val"], "clear")
            shading.set(W["color"], "auto")
            shading.set(W["fill"], house.HEADER_FILL)
        for runs in paragraphs or [[]]:
            _cell_paragraph(tc, style_id, runs, index in right)


def _table(word, block: Table) -> None:
    style_id = _table_style(word, block.font_size)
    widths = [_twips(width) for width in block.widths]
    tbl = etree.Element(W["tbl"])
    properties = etree.SubElement(tbl, W["tblPr"])
    etree.SubElement(properties, W["tblStyle"]).set(W["val"], word.styles["Table Grid"].style_id)
    table_width = etree.SubElement(properties, W["tblW"])
    table_width.set(W["w"], _twips(block.width))
    table_width.set(W["type"], "dxa")
    borders = etree.SubElement(properties, qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = etree.SubElement(borders, qn(f"w:{side}"))
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"),
                           ("color", house.RULE)):
            line.set(qn(f"w:{key}"), value)
    etree.SubElement(properties, W["tblLayout"]).set(W["type"], "fixed")
    margins = etree.SubElement(properties, W["tblCellMar"])
    for side, value in (("top", house.CELL_PADDING_TOP), ("left", house.CELL_PADDING),
                        ("bottom", house.CELL_PADDING_TOP), ("right", house.CELL_PADDING)):
        margin = etree.SubElement(margins, W[side])
        margin.set(W["w"], _twips(value))
        margin.set(W["type"], "dxa")
    look = etree.SubElement(properties, W["tblLook"])
    look.set(W["val"], "04A0")
    grid = etree.SubElement(tbl, W["tblGrid"])
    for width in widths:
        etree.SubElement(grid, W["gridCol"]).set(W["w"], width)
    bold_headers = [[[Run(header, bold=True)]] for header in block.headers]
    _row(tbl, bold_headers, widths, style_id, (), header=True)
    right = block.align_right
    for cells in block.rows:
        _row(tbl, cells, widths, style_id, right)
    word.element.body.sectPr.addprevious(tbl)
    if block.caption:
        word.add_paragraph(block.caption, style="Caption")
    else:  # Word needs a paragraph after a table: one point high, never a page of its own
        word.add_paragraph(style=SEPARATOR)


def _figure(word, block: Figure) -> None:
    if block.png is None:
        word.add_paragraph(block.failure, style="Note")
        return
    word.add_picture(BytesIO(block.png), width=Cm(block.width), height=Cm(block.height))
    picture = word.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    for properties in picture._p.xpath(".//wp:docPr"):
        properties.set("descr", block.alt)
        properties.set("title", block.caption)
    caption = word.add_paragraph(block.caption, style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _new_section(word, landscape: bool) -> None:
    """A new page of ``landscape`` orientation; the paragraph that ends the section
    before it is one point high (a full page before never spills it onto a blank one)."""
    _page(word.add_section(WD_SECTION.NEW_PAGE), landscape)
    ending = word.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1]
    ending.get_or_add_pPr().style = word.styles[SEPARATOR].style_id


def to_docx(doc: Document) -> BytesIO:
    word = WordDocument()
    _styles(word)
    docx_properties(word, doc)
    numbering = _Numbering(word)
    for index, section in enumerate(doc.sections):
        if index == 0:
            page = word.sections[0]
            _page(page, section.landscape)
            _header_footer(page, doc)
        else:
            _new_section(word, section.landscape)
        for block in section.blocks:
            if isinstance(block, Heading):
                paragraph = word.add_heading(level=block.level)
                paragraph.add_run(block.text)
            elif isinstance(block, Paragraph):
                style = {"note": "Note", "caption": "Caption"}.get(block.style)
                paragraph = word.add_paragraph(style=style)
                _runs(paragraph, block.runs)
                if block.keep:
                    paragraph.paragraph_format.keep_with_next = True
            elif isinstance(block, ListBlock):
                _list(word, block, numbering)
            elif isinstance(block, Table):
                _table(word, block)
            elif isinstance(block, Figure):
                _figure(word, block)
            elif isinstance(block, TitlePage):
                _title_page(word, block, doc)
    output = BytesIO()
    word.save(output)
    output.seek(0)
    return output
