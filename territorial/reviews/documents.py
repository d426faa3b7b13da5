"""A project's bilan as a document, for the funders and the board: what is observed,
what moves forward, how the project evolves, the figures, the writings, the photos, who
was invited, and the frise as it was on the day of the bilan."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from territorial.documents import Document, DocumentBuilder, bold
from territorial.documents.formats import long_date
from territorial.documents.gallery import example
from territorial.reviews.models import Review, ReviewPhotoData
from territorial.timelines.compare import board
from territorial.timelines.documents import frise_figure
from territorial.timelines.models import TERM_ORDER, TERMS, TimelineSnapshot


def describe_review(review: Review, project, territory,
                    snapshot: TimelineSnapshot | None = None) -> Document:
    """``review`` loaded with its photos and guests (``views._review``)."""
    kind = _("Bilan")
    says_kind = review.title.strip().lower().startswith(kind.lower())
    doc = DocumentBuilder(review.title if says_kind else
                          _("Bilan – %(title)s", title=review.title), territory,
                          subtitle=project.title, issued_on=review.held_on, kind=kind)
    doc.title_page([_("Bilan du %(date)s", date=long_date(review.held_on)),
                    project.description])
    for title, text in ((_("Ce qu'on observe"), review.observed),
                        (_("Ce qui avance"), review.progress),
                        (_("Comment le projet évolue"), review.adjustments)):
        doc.heading(title)
        doc.text(text, empty=_("Rien de noté."))
    doc.heading(_("Chiffres"))
    doc.table([_("Indicateur"), _("Valeur")], [[label, value] for label, value in
                                                 review.figures], align_right=(1,),
              empty=_("Aucun chiffre."))
    writings = [line.strip() for line in (review.writings or "").splitlines() if line.strip()]
    if writings:
        doc.heading(_("Productions écrites"))
        doc.bullets(writings)
    if review.photos:
        doc.heading(_("Photos"))
        data = dict(db.session.execute(
            select(ReviewPhotoData.photo_id, ReviewPhotoData.data)
            .where(ReviewPhotoData.photo_id.in_([photo.id for photo in review.photos]))).all())
        for photo in review.photos:
            if data.get(photo.id):
                doc.photo(data[photo.id], caption=photo.caption)
    doc.heading(_("Qui a été invité"))
    doc.table([_("Invité"), _("À quel titre"), _("Présent")],
              [[guest.name, guest.kind_label, _("oui") if guest.came else _("non")]
               for guest in review.guests], empty=_("Aucun invité noté."))
    doc.heading(_("La frise à la date du bilan"))
    if snapshot is None:
        doc.paragraph(_("Aucun instantané de la frise pour ce bilan."))
    else:
        doc.paragraph(_("Instantané « %(label)s » du %(date)s.", label=snapshot.label,
                        date=long_date(snapshot.taken_on)))
        frise_figure(doc, data=snapshot.data,
                     caption=_("La frise au %(date)s", date=long_date(snapshot.taken_on)))
        doc.table([_("Niveau")] + [str(TERMS[term]) for term in TERM_ORDER],
                  [[bold(level)] + [tuple(entry["name"] for entry in cell) or ""
                                    for cell in cells] for level, cells in board(snapshot.data)])
    return doc.build()


@example("bilan", "Bilan d'un projet")
def _review_examples():
    from sqlalchemy.orm import selectinload

    from territorial.projects.models import Project
    from territorial.reviews.models import ReviewGuest
    from territorial.territories.models import Territory

    reviews = db.session.scalars(
        select(Review).options(selectinload(Review.photos),
                               selectinload(Review.guests).selectinload(ReviewGuest.organisation),
                               selectinload(Review.guests).selectinload(ReviewGuest.person))
        .order_by(Review.id)).all()
    for review in reviews:
        project = db.session.get(Project, review.project_id)
        territory = db.session.get(Territory, review.territory_id)
        snapshot = db.session.get(TimelineSnapshot, review.snapshot_id) \
            if review.snapshot_id else None
        yield review.title, territory, lambda r=review, p=project, t=territory, s=snapshot: \
            describe_review(r, p, t, s)
