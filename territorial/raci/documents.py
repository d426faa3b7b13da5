"""The RACI grid as a document: the grid (split in several tables when there are too many
actors for a landscape page, the activity column repeated), the roles per actor as a
chart and a table, and the points to correct."""
from __future__ import annotations

from flask_babel import gettext as _

from territorial.common.owners import raci_owners
from territorial.documents import Document, DocumentBuilder, charts
from territorial.documents.gallery import example
from territorial.raci.exports import count_rows, raci_rows
from territorial.raci.models import LETTERS, RaciGrid
from territorial.raci.operations import report_for
from territorial.raci.rules import LETTER_ORDER

LETTER_COLOURS = ["#1F3A5F", "#B35900", "#2F7D4F", "#8A99A8", "#6A3D9A"]


def describe_raci(grid: RaciGrid, territory, owner: str = "") -> Document:
    report = report_for(grid)
    doc = DocumentBuilder(_("Grille RACI"), territory, subtitle=grid.title)
    doc.heading(_("Grille RACI – %(title)s", title=grid.title))
    if owner:
        doc.paragraph(owner)
    doc.note(" · ".join(f"{letter} : {meaning}" for letter, meaning in LETTERS.items()))
    headers, rows = raci_rows(grid)
    doc.table(headers, rows, split_after=1,
              empty=_("La grille ne compte encore aucune activité."))

    doc.heading(_("Rôles par acteur"))
    count_headers, count_values = count_rows(grid, report)
    if count_values:
        doc.figure(lambda width: charts.stacked_hbars(
            [row[0] for row in count_values],
            [(letter, [row[index + 1] for row in count_values],
              LETTER_COLOURS[index % len(LETTER_COLOURS)])
             for index, letter in enumerate(LETTER_ORDER)], width, xlabel=_("Activités")),
            caption=_("Nombre d'activités par acteur et par rôle"),
            alt=_("Barres empilées : pour chaque acteur, le nombre d'activités où il réalise, "
                  "approuve, approuve et réalise, est consulté ou informé ; les chiffres sont dans le tableau qui "
                  "suit."))
        doc.table(count_headers, count_values + [
            [_("Total"), *[report.per_letter[letter] for letter in LETTER_ORDER]]],
            align_right=tuple(range(1, len(count_headers))))
    doc.heading(_("Points à corriger"))
    if report.empty:
        doc.paragraph(_("Grille vide : ajoutez les activités et les acteurs, puis attribuez "
                        "les rôles."))
    if report.problems:
        doc.bullets([problem.message for problem in report.problems])
    elif report.ok:
        doc.paragraph(_("La grille respecte toutes les règles."))
    return doc.build()


@example("grille-raci", "Grille RACI")
def _raci_examples():
    from sqlalchemy import select

    from extensions import db
    from territorial.raci.operations import load_grid
    from territorial.territories.models import Territory

    for grid_id in db.session.scalars(select(RaciGrid.id).order_by(RaciGrid.id)).all():
        grid = load_grid(grid_id)
        if not grid.activities:
            continue
        territory = db.session.get(Territory, grid.territory_id)
        owner = raci_owners.link(grid.owner_type, grid.owner_id)
        yield f"{grid.id}-{grid.title}", territory, lambda g=grid, t=territory, o=owner: \
            describe_raci(g, t, o[0] if o else "")
