"""Word export of the frise: a page with a table lanes × terms, then the details."""
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from flask_babel import format_date
from flask_babel import gettext as _

from territorial.timelines.figure import Placement, kind_label, placements
from territorial.timelines.models import TERM_ORDER, TERMS, PartnerTimeline


def frise_board(timeline: PartnerTimeline, placed: list[Placement] | None = None
                ) -> list[tuple[str, list[list]]]:
    """[(level label, [placements of court, moyen, long])] from a loaded timeline (or its
    ``placements()`` when the page has them already)."""
    placed = placements(timeline) if placed is None else placed
    return [
        (level.label, [[p for p in placed if p.lane == index and p.term == term]
                       for term in TERM_ORDER])
        for index, level in enumerate(timeline.levels)
    ]


def build_frise_docx(timeline: PartnerTimeline, heading: str) -> BytesIO:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.add_heading(_("Frise des partenariats – %(title)s", title=heading), level=1)
    if timeline.starts_on and timeline.ends_on:
        document.add_paragraph(_("Du %(start)s au %(end)s",
                                 start=format_date(timeline.starts_on, "long"),
                                 end=format_date(timeline.ends_on, "long")))

    document.add_heading(_("Partenaires par niveau d'implication et par échéance"), level=2)
    table = document.add_table(rows=1, cols=1 + len(TERM_ORDER))
    table.style = "Table Grid"
    headers = [_("Niveau")] + [str(TERMS[term]) for term in TERM_ORDER]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = True
    for level, columns in frise_board(timeline):
        cells = table.add_row().cells
        cells[0].text = level
        cells[0].paragraphs[0].runs[0].font.bold = True
        for cell, placed in zip(cells[1:], columns, strict=True):
            cell.text = "\n".join(
                p.entry.name + (f" ({format_date(p.entry.on_date, 'short')})"
                                if p.entry.on_date else "")
                for p in placed)

    document.add_heading(_("Détail des partenaires"), level=2)
    detail = document.add_table(rows=1, cols=5)
    detail.style = "Table Grid"
    for cell, text in zip(detail.rows[0].cells, [_("Partenaire"), _("Type"), _("Placement"),
                                                 _("Notes"), _("Contacts")], strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = True
    for p in placements(timeline):
        cells = detail.add_row().cells
        values = [p.entry.name, kind_label(p.entry.kind), f"{p.level} · {p.when}",
                  p.entry.notes, p.contacts]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value or ""
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    data = BytesIO()
    document.save(data)
    data.seek(0)
    return data
