"""The document tree every export is described in, once, before a renderer writes it.

A ``Document`` is a list of ``Section``s (portrait or landscape A4, each starting on a new
page); a section holds blocks: ``TitlePage``, ``Heading``, ``Paragraph``, ``ListBlock``,
``Table`` (column widths already computed from the content, header row repeated) and
``Figure`` (a chart drawn as PNG, or the reason it could not be drawn). Text is made of
``Run``s (bold, italic). The renderers (``to_docx``, ``to_odt``, ``to_pdf``) read this
tree and nothing else, the way Pandoc's writers read one document tree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

LANGUAGE = "fr-FR"  # documents are written in the territory's language


@dataclass(slots=True)
class Run:
    text: str  # a « \n » is a line break inside the paragraph
    bold: bool = False
    italic: bool = False


Line = list[Run]  # one paragraph of text


@dataclass(slots=True)
class TitlePage:
    title: str
    subtitle: str = ""
    lines: list[str] = field(default_factory=list)  # period, perimeter, method…
    issued: str = ""  # « Document établi le 12 mars 2026 »


@dataclass(slots=True)
class Heading:
    text: str
    level: int = 1  # 1, 2 or 3


@dataclass(slots=True)
class Paragraph:
    runs: Line
    style: str = "body"  # body, note (small, muted), caption
    keep: bool = False  # on the same page as what follows (it introduces a table or chart)


@dataclass(slots=True)
class ListItem:
    runs: Line
    children: list[Line] = field(default_factory=list)  # one nested level, bulleted


@dataclass(slots=True)
class ListBlock:
    items: list[ListItem]
    numbered: bool = False
    keep: bool = False  # a short list: its items on one page (never one item left alone)


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: list[list[list[Line]]]  # row → cell → paragraphs
    widths: list[float]  # cm, from the content (see layout.column_widths)
    font_size: float
    caption: str = ""
    align_right: tuple[int, ...] = ()  # columns of figures

    @property
    def width(self) -> float:
        return sum(self.widths)


@dataclass(slots=True)
class Figure:
    png: bytes | None
    width: float  # cm
    height: float  # cm
    caption: str
    alt: str  # what the chart shows, for readers who cannot see it
    failure: str = ""  # said instead of the chart when it could not be drawn
    mimetype: str = "image/png"  # a photo may be a JPEG


@dataclass(slots=True)
class Section:
    landscape: bool
    blocks: list = field(default_factory=list)
    auto: bool = False  # opened for a wide table: the next heading goes back to portrait


@dataclass
class Document:
    title: str
    territory: str
    issued_on: date
    sections: list[Section]
    logo: bytes | None = None  # PNG, already resized (territories.logo)
    subtitle: str = ""
    footer: str = ""  # « Titre — 12 mars 2026 »: the footer's text before « page X sur Y »
    file_stem: str = "document"  # the download's name, without its extension
    created: datetime | None = None  # when the file is made (the files' properties)
    language: str = LANGUAGE

    def blocks(self):
        for section in self.sections:
            yield from section.blocks

    def tables(self) -> list[Table]:
        return [block for block in self.blocks() if isinstance(block, Table)]

    def figures(self) -> list[Figure]:
        return [block for block in self.blocks() if isinstance(block, Figure)]
