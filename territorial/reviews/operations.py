"""Reviews: save, photos (re-encoded), guests, snapshot of the frise."""
from territorial.common.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from extensions import db
from territorial.common.errors import DomainError
from territorial.projects.models import Project
from territorial.projects.operations import frise_of
from territorial.reviews.forms import parse_figures
from territorial.reviews.models import (
    MAX_PHOTO_BYTES, MAX_PHOTO_UPLOAD_BYTES, Review, ReviewGuest, ReviewPhoto, ReviewPhotoData,
)
from territorial.common.images import clean_photo
from territorial.timelines import operations as timelines

FIELDS = ("title", "held_on", "observed", "progress", "adjustments", "writings")

# What each guest kind means in the partner's contact history on the frise.
GUEST_CONTACTS = {"field_visit": "field_visit", "conseil_municipal": "conseil_municipal",
                  "invited": "invited"}


def save_review(review: Review, project: Project, data: dict) -> Review:
    for key in FIELDS:
        setattr(review, key, data.get(key) if data.get(key) is not None else "")
    review.figures = parse_figures(data.get("figures_text", ""))
    if review.id is None:
        review.project_id, review.territory_id = project.id, project.territory_id
        db.session.add(review)
    db.session.flush()
    return review


def delete_review(review: Review) -> None:
    db.session.delete(review)
    db.session.flush()


def add_photo(review: Review, data: bytes, caption: str) -> ReviewPhoto:
    """The photo re-encoded from its pixels (``territorial.common.images``): no EXIF or GPS
    position, upright, reduced; its name says nothing of the original file."""
    if len(data) > MAX_PHOTO_UPLOAD_BYTES:
        raise DomainError(_("La photo pèse %(size).1f Mo : %(max)d Mo au plus.",
                            size=len(data) / 1024 / 1024,
                            max=MAX_PHOTO_UPLOAD_BYTES // (1024 * 1024)))
    if not data:
        raise DomainError(_("Le fichier est vide."))
    if not (caption or "").strip():
        raise DomainError(_("Décrivez la photo."))
    image = clean_photo(data, MAX_PHOTO_BYTES)
    number = db.session.scalar(select(func.count()).select_from(ReviewPhoto)
                               .where(ReviewPhoto.review_id == review.id)) + 1
    photo = ReviewPhoto(territory_id=review.territory_id, review_id=review.id,
                        filename=f"photo-bilan-{review.id}-{number}.{image.extension}",
                        mimetype=image.mimetype, size=len(image.data),
                        caption=caption.strip()[:300])
    db.session.add(photo)
    db.session.flush()
    db.session.add(ReviewPhotoData(photo_id=photo.id, data=image.data))
    db.session.flush()
    return photo


def photo_bytes(photo: ReviewPhoto) -> bytes:
    return db.session.scalar(select(ReviewPhotoData.data)
                             .where(ReviewPhotoData.photo_id == photo.id)) or b""


def remove_photo(photo: ReviewPhoto) -> None:
    db.session.delete(photo)
    db.session.flush()


def add_guest(review: Review, project: Project, kind: str, organisation=None, person=None,
              came: bool = False) -> ReviewGuest:
    """A guest of the review; if the guest is on the project's frise, the visit is also
    written in their contact history."""
    subject = organisation or person
    if subject is None:
        raise DomainError(_("Choisissez une organisation ou une personne du territoire."))
    if subject.territory_id != review.territory_id:
        raise DomainError(_("Cet invité n'appartient pas à ce territoire."))
    guest = ReviewGuest(territory_id=review.territory_id, review_id=review.id, kind=kind,
                        organisation_id=organisation.id if organisation else None,
                        person_id=person.id if person else None, came=came)
    db.session.add(guest)
    db.session.flush()
    timelines.record_contact_for_partner(
        frise_of(project), GUEST_CONTACTS[kind], review.held_on,
        _("Bilan « %(title)s »", title=review.title),
        organisation_id=guest.organisation_id, person_id=guest.person_id)
    return guest


def remove_guest(guest: ReviewGuest) -> None:
    db.session.delete(guest)
    db.session.flush()


def snapshot_frise(review: Review, project: Project):
    """Take a snapshot of the project's frise and attach it to the review."""
    snapshot = timelines.take_snapshot(
        frise_of(project), _("Bilan du %(date)s : %(title)s",
                             date=format_date(review.held_on, "long"), title=review.title),
        review.held_on)
    review.snapshot_id = snapshot.id
    db.session.flush()
    return snapshot
