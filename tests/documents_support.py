"""Reading documents back in tests, as Word, LibreOffice and a PDF reader would.

``plain`` reads no-break spaces as spaces; ``docx_facts``, ``odt_facts`` and ``pdf_facts``
return what the house style promises (A4 pages, page-number fields, repeated header rows,
column widths, pictures, text) so that one test checks every document type alike.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from territorial.documents import house

NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " "})
CM_PER_TWIP = 2.54 / 1440


def plain(text: str | None) -> str:
    return (text or "").translate(NO_BREAK)


def paragraphs_text(document) -> str:
    """Every paragraph of a python-docx document, no-break spaces read as spaces."""
    return plain("\n".join(p.text for p in document.paragraphs))


def rows_text(table) -> list[list[str]]:
    return [[plain(cell.text) for cell in row.cells] for row in table.rows]


@dataclass
class TableFacts:
    widths: list[float]  # cm, as set in the file
    font_size: float
    columns: list[list[tuple[str, bool]]]  # column → (text, bold) of every run
    header_repeats: bool
    rows_kept: bool


@dataclass
class Facts:
    pages: list[tuple[float, float]] = field(default_factory=list)  # cm
    page_fields: bool = False
    tables: list[TableFacts] = field(default_factory=list)
    images: int = 0
    text: str = ""


def narrow_columns(table: TableFacts) -> list[str]:
    """The columns narrower than their longest word at the table's font size."""
    problems = []
    for index, (width, runs) in enumerate(zip(table.widths, table.columns)):
        room = width - 2 * house.CELL_PADDING
        longest = max((house.longest_word(text, table.font_size, bold) for text, bold in runs),
                      default=0.0)
        if longest > room + 0.001:
            word = max(((w, text) for text, bold in runs for w in house.words(text)),
                       key=lambda item: house.text_width(item[0], table.font_size))[0]
            problems.append(f"column {index}: {room:.2f} cm for « {word} » ({longest:.2f} cm)")
    return problems


def rendered(document, folder: Path, name: str = "doc",
             formats: tuple[str, ...] = ("docx", "odt", "pdf")) -> dict[str, Path]:
    """``document`` written in each format into ``folder``: format → file."""
    from territorial.documents import render

    paths = {}
    for fmt in formats:
        paths[fmt] = folder / f"{name}.{fmt}"
        paths[fmt].write_bytes(render(document, fmt).getvalue())
    return paths


def is_a4(size: tuple[float, float]) -> bool:
    return sorted(round(value, 1) for value in size) == [21.0, 29.7]


# Word ----------------------------------------------------------------------------------

def _size_of_style(name: str) -> float:
    found = re.search(r"(\d+(?:[.,_]\d+)?)$", name or "")
    return float(found.group(1).replace("_", ".").replace(",", ".")) if found else house.BODY_SIZE


def docx_facts(path: Path) -> Facts:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(path))
    facts = Facts()
    for section in document.sections:
        facts.pages.append((section.page_width.cm, section.page_height.cm))
    footer = document.sections[0].footer._element.xml
    facts.page_fields = "PAGE" in footer and "NUMPAGES" in footer
    for table in document.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        widths = [int(col.get(qn("w:w"))) * CM_PER_TWIP for col in grid]
        first = table.rows[0].cells[0].paragraphs[0]
        columns: list[list[tuple[str, bool]]] = [[] for _ in widths]
        rows = table.rows
        for row in rows:
            for index, cell in enumerate(row.cells[:len(widths)]):
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        columns[index].append((run.text, bool(run.bold)))
        header = rows[0]._tr.trPr
        facts.tables.append(TableFacts(
            widths=widths, font_size=_size_of_style(first.style.name), columns=columns,
            header_repeats=header is not None and header.find(qn("w:tblHeader")) is not None,
            rows_kept=all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit"))
                          is not None for r in rows)))
    body = document.element.body
    facts.images = len(body.findall(".//" + qn("w:drawing")))
    cells = "\n".join(cell.text for table in document.tables for row in table.rows
                      for cell in row.cells)
    facts.text = plain("\n".join(p.text for p in document.paragraphs) + "\n" + cells)
    return facts


# OpenDocument ---------------------------------------------------------------------------

def odt_facts(path: Path) -> Facts:
    from odf import draw, style, table, teletype, text
    from odf.opendocument import load

    document = load(str(path))
    facts = Facts()
    for layout in document.automaticstyles.getElementsByType(style.PageLayout):
        properties = layout.getElementsByType(style.PageLayoutProperties)[0]
        facts.pages.append((float(properties.getAttribute("pagewidth").rstrip("cm")),
                            float(properties.getAttribute("pageheight").rstrip("cm"))))
    masters = document.masterstyles.getElementsByType(style.MasterPage)
    facts.page_fields = bool(masters) and all(
        master.getElementsByType(text.PageNumber) and master.getElementsByType(text.PageCount)
        for master in masters)
    widths_by_style = {}
    for found in document.automaticstyles.getElementsByType(style.Style):
        for properties in found.getElementsByType(style.TableColumnProperties):
            widths_by_style[found.getAttribute("name")] = float(
                properties.getAttribute("columnwidth").rstrip("cm"))
    for element in document.text.getElementsByType(table.Table):
        widths = [widths_by_style[column.getAttribute("stylename")]
                  for column in element.getElementsByType(table.TableColumn)]
        columns: list[list[tuple[str, bool]]] = [[] for _ in widths]
        size = house.BODY_SIZE
        rows = element.getElementsByType(table.TableRow)
        for row in rows:
            for index, cell in enumerate(row.getElementsByType(table.TableCell)):
                for paragraph in cell.getElementsByType(text.P):
                    size = _size_of_style(paragraph.getAttribute("stylename").replace(
                        "_droite", ""))
                    for node in paragraph.childNodes:
                        bold = getattr(node, "qname", ("", ""))[1] == "span" and "Gras" in (
                            node.getAttribute("stylename") or "")
                        columns[index].append((teletype.extractText(node), bold))
        facts.tables.append(TableFacts(
            widths=widths, font_size=size, columns=columns,
            header_repeats=bool(element.getElementsByType(table.TableHeaderRows)),
            rows_kept=True))
    facts.images = len(document.text.getElementsByType(draw.Image))
    facts.text = plain(teletype.extractText(document.text))
    return facts


# PDF -------------------------------------------------------------------------------------

def pdf_facts(path: Path) -> Facts:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    facts = Facts()
    texts = []
    total = len(reader.pages)
    numbered = True
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        facts.pages.append((float(box.width) / 72 * 2.54, float(box.height) / 72 * 2.54))
        page_text = plain(page.extract_text())
        numbered = numbered and f"page {number} sur {total}" in page_text
        texts.append(page_text)
        facts.images += len(page.images)
    facts.page_fields = numbered
    facts.text = "\n".join(texts)
    return facts


def blank_pages(path: Path) -> list[int]:
    """The pages (from 1) holding nothing but the header and the footer."""
    from pypdf import PdfReader

    blank = []
    for number, page in enumerate(PdfReader(str(path)).pages, start=1):
        lines = [line for line in plain(page.extract_text()).splitlines() if line.strip()]
        body = [line for line in lines[1:] if not re.search(r"page \d+ sur \d+", line)]
        if not body and not page.images:
            blank.append(number)
    return blank


# LibreOffice -----------------------------------------------------------------------------

def convert_with_libreoffice(files: list[Path], folder: Path, timeout: float = 900
                             ) -> dict[Path, Path | None]:
    """Every file converted to PDF by LibreOffice in ONE soffice run; source → PDF (None
    when LibreOffice could not convert it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
                   check=True, capture_output=True, timeout=timeout)
    result = {}
    for source in files:
        converted = folder / f"{source.stem}.pdf"
        result[source] = converted if converted.exists() and converted.stat().st_size else None
    return result
