"""Reviews (bilans) of a project, their photos and guests."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.models import TerritoryOwned

MAX_PHOTO_BYTES = 2 * 1024 * 1024  # stored, once re-encoded
MAX_PHOTO_UPLOAD_BYTES = 20 * 1024 * 1024  # sent (a phone photo, before it is reduced)
PHOTO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}

GUEST_KINDS = {
    "field_visit": _l("Financeur invité sur le terrain"),
    "conseil_municipal": _l("Présentation en conseil municipal"),
    "invited": _l("Invité au bilan"),
}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Review(TerritoryOwned, db.Model):
    __audit_name__ = _l("Revue de projet")
    __audit_link__ = ("reviews.show", {"project_id": "project_id", "project_review_id": "id"})
    __table_args__ = (Index("ix_review_project_held_on", "project_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True, info={"label": _l("Projet")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    held_on: Mapped[date] = mapped_column(Date, info={"label": _l("Date")})
    observed: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Constats")})  # ce qu'on observe
    progress: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Avancement")})  # ce qui avance
    adjustments: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Ajustements")})  # comment le projet évolue
    figures: Mapped[list] = mapped_column(
        db.JSON, default=list, info={"label": _l("Chiffres")})  # [[label, value], …]
    writings: Mapped[str] = mapped_column(
        Text, default="", info={"label": _l("Écrits")})  # productions écrites
    snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_snapshot.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Photo de la frise")})

    photos: Mapped[list["ReviewPhoto"]] = relationship(
        lazy="raise", order_by="ReviewPhoto.id", cascade="all, delete-orphan",
        passive_deletes=True)
    guests: Mapped[list["ReviewGuest"]] = relationship(
        lazy="raise", order_by="ReviewGuest.id", cascade="all, delete-orphan",
        passive_deletes=True)


class ReviewPhoto(TerritoryOwned, db.Model):
    """A photo's description; the bytes live in ``ReviewPhotoData`` (not audited, not
    loaded by lists)."""
    __audit_name__ = _l("Photo d'une revue")
    __audit_link__ = ("reviews.show", {"project_id": "review_id.project_id",
                                       "project_review_id": "review_id"})

    __table_args__ = (
        CheckConstraint(f"size <= {MAX_PHOTO_BYTES}", name="size"),
        CheckConstraint(_in("mimetype", PHOTO_TYPES), name="mimetype"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Revue de projet")})
    filename: Mapped[str] = mapped_column(String(255), info={"label": _l("Nom du fichier")})
    mimetype: Mapped[str] = mapped_column(String(30), info={"label": _l("Type de fichier")})
    size: Mapped[int] = mapped_column(info={"label": _l("Taille")})
    caption: Mapped[str] = mapped_column(
        String(300), info={"label": _l("Légende")})  # also the image's alternative text

    def audit_label(self) -> str:
        return self.caption


class ReviewPhotoData(db.Model):
    photo_id: Mapped[int] = mapped_column(
        ForeignKey("review_photo.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ReviewGuest(TerritoryOwned, db.Model):
    """Who was invited: a funder on the field, a conseil municipal, a partner…"""
    __audit_name__ = _l("Invité d'une revue")
    __audit_link__ = ("reviews.show", {"project_id": "review_id.project_id",
                                       "project_review_id": "review_id"})
    __audit_title__ = ("organisation_id", "person_id")

    __table_args__ = (
        CheckConstraint(_in("kind", GUEST_KINDS), name="kind"),
        CheckConstraint("organisation_id IS NOT NULL OR person_id IS NOT NULL", name="guest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Revue de projet")})
    kind: Mapped[str] = mapped_column(
        String(30), info={"label": _l("Qualité"), "choices": GUEST_KINDS})
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Structure")})
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, info={"label": _l("Personne")})
    came: Mapped[bool] = mapped_column(default=False, info={"label": _l("Présent")})

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    person: Mapped[Person | None] = relationship(lazy="raise")

    @property
    def kind_label(self) -> str:
        return str(GUEST_KINDS.get(self.kind, self.kind))

    @property
    def name(self) -> str:
        if self.organisation is not None:
            return self.organisation.name
        return self.person.full_name

    def audit_label(self) -> str:
        return self.kind_label
