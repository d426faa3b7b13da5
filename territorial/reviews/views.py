"""Reviews (bilans) of a project: /t/<territory>/projects/<project_id>/reviews/…"""
import hashlib
from io import BytesIO

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from territorial.access import can, get_or_404, needs
from territorial.actors.models import Organisation, Person
from territorial.common.blueprints import territory_blueprint
from territorial.common.errors import DomainError, show_errors
from territorial.common.requests import accepts_uploads_up_to
from territorial.documents.web import send_document
from territorial.reviews.documents import describe_review
from territorial.projects.models import Project
from territorial.reviews import operations
from territorial.reviews.forms import GuestForm, PhotoForm, ReviewForm, figures_text
from territorial.reviews.models import Review, ReviewGuest, ReviewPhoto
from territorial.timelines.models import TimelineSnapshot

bp = territory_blueprint("reviews", __name__, url_prefix="/projects/<int:project_id>/reviews")

EDIT = "facilitate"
# A photo up to 20 Mo is taken; up to 64 Mo it is refused on the form, its caption kept.
PHOTO_REQUEST_BYTES = 64 * 1024 * 1024


def _project(project_id: int) -> Project:
    return get_or_404(Project, project_id)


def _review(project: Project, review_id: int) -> Review:
    review = get_or_404(Review, review_id, selectinload(Review.photos),
                        selectinload(Review.guests).options(
                            joinedload(ReviewGuest.organisation), joinedload(ReviewGuest.person)))
    if review.project_id != project.id:
        abort(404)
    return review


def _review_url(review: Review, anchor=None) -> str:
    return url_for("reviews.show", project_id=review.project_id, project_review_id=review.id,
                   _anchor=anchor)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@needs(EDIT)
def new(project_id: int):
    project = _project(project_id)
    form = ReviewForm()
    if form.validate_on_submit():
        review = operations.save_review(Review(), project, form.data)
        if request.form.get("snapshot"):
            operations.snapshot_frise(review, project)
        flash(_("Bilan « %(title)s » enregistré.", title=review.title), "success")
        return redirect(_review_url(review))
    return render_template("reviews/form.html", form=form, project=project, review=None), \
        422 if form.errors else 200


@bp.route("/<int:project_review_id>/edit", methods=["GET", "POST"])
@login_required
@needs(EDIT)
def edit(project_id: int, project_review_id: int):
    project = _project(project_id)
    review = _review(project, project_review_id)
    form = ReviewForm(obj=review)
    if request.method == "GET":
        form.figures_text.data = figures_text(review.figures)
    if form.validate_on_submit():
        operations.save_review(review, project, form.data)
        flash(_("Bilan enregistré."), "success")
        return redirect(_review_url(review))
    return render_template("reviews/form.html", form=form, project=project, review=review), \
        422 if form.errors else 200


def _render_show(project, review, photo_form=None, guest_form=None, status=200):
    guest_form = guest_form or GuestForm(prefix="guest", formdata=None)
    snapshot = db.session.get(TimelineSnapshot, review.snapshot_id) if review.snapshot_id \
        else None
    return render_template("reviews/show.html", project=project, review=review,
                           snapshot=snapshot, photo_form=photo_form or PhotoForm(prefix="photo"),
                           guest_form=guest_form, editable=can(EDIT)), status


@bp.route("/<int:project_review_id>")
@login_required
@needs("view")
def show(project_id: int, project_review_id: int):
    project = _project(project_id)
    return _render_show(project, _review(project, project_review_id))


@bp.route("/<int:project_review_id>/bilan.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def review_document(project_id: int, project_review_id: int, fmt: str):
    project = _project(project_id)
    review = _review(project, project_review_id)
    snapshot = db.session.get(TimelineSnapshot, review.snapshot_id) if review.snapshot_id \
        else None
    return send_document(describe_review(review, project, g.territory, snapshot), fmt)


@bp.route("/<int:project_review_id>/delete", methods=["POST"])
@login_required
@needs(EDIT)
def delete(project_id: int, project_review_id: int):
    project = _project(project_id)
    operations.delete_review(_review(project, project_review_id))
    flash(_("Bilan supprimé."), "success")
    return redirect(url_for("projects.show", project_id=project.id, _anchor="bilans"))


@bp.route("/<int:project_review_id>/snapshot", methods=["POST"])
@login_required
@needs(EDIT)
def snapshot(project_id: int, project_review_id: int):
    project = _project(project_id)
    review = _review(project, project_review_id)
    operations.snapshot_frise(review, project)
    flash(_("Instantané de la frise pris pour ce bilan."), "success")
    return redirect(_review_url(review, "frise"))


@bp.route("/<int:project_review_id>/photos", methods=["POST"])
@login_required
@accepts_uploads_up_to(PHOTO_REQUEST_BYTES)
@needs(EDIT)
def add_photo(project_id: int, project_review_id: int):
    project = _project(project_id)
    review = _review(project, project_review_id)
    form = PhotoForm(prefix="photo")
    if form.validate_on_submit():
        upload = form.photo.data
        try:
            operations.add_photo(review, upload.read(), form.caption.data)
        except DomainError as error:
            show_errors(form, error, default="photo")
        else:
            flash(_("Photo ajoutée."), "success")
            return redirect(_review_url(review, "photos"))
    return _render_show(project, review, photo_form=form, status=422)


def _photo(review: Review, photo_id: int) -> ReviewPhoto:
    photo = next((p for p in review.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    return photo


@bp.route("/<int:project_review_id>/photos/<int:review_photo_id>")
@login_required
@needs("view")
def photo(project_id: int, project_review_id: int, review_photo_id: int):
    """The image, after the same access check as the review. The browser keeps it but
    asks again each time (``no-cache``, answered 304 by its ETag): a member who lost access,
    or the next person on a shared computer, does not see it from the cache."""
    project = _project(project_id)
    photo = _photo(_review(project, project_review_id), review_photo_id)
    data = operations.photo_bytes(photo)
    response = send_file(BytesIO(data), mimetype=photo.mimetype, download_name=photo.filename,
                         etag=hashlib.sha256(data).hexdigest()[:32], conditional=True)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<int:project_review_id>/photos/<int:review_photo_id>/delete", methods=["POST"])
@login_required
@needs(EDIT)
def remove_photo(project_id: int, project_review_id: int, review_photo_id: int):
    project = _project(project_id)
    review = _review(project, project_review_id)
    operations.remove_photo(_photo(review, review_photo_id))
    flash(_("Photo retirée."), "success")
    return redirect(_review_url(review, "photos"))


@bp.route("/<int:project_review_id>/guests", methods=["POST"])
@login_required
@needs(EDIT)
def add_guest(project_id: int, project_review_id: int):
    project = _project(project_id)
    review = _review(project, project_review_id)
    form = GuestForm(prefix="guest")
    if form.validate_on_submit():
        subject = next(iter(form.guest.objects()), None)
        organisation = subject if isinstance(subject, Organisation) else None
        person = subject if isinstance(subject, Person) else None
        try:
            guest = operations.add_guest(review, project, form.kind.data, organisation, person,
                                         form.came.data)
        except DomainError as error:
            show_errors(form, error, default="guest")
        else:
            flash(_("Invité ajouté : %(kind)s.", kind=guest.kind_label), "success")
            return redirect(_review_url(review, "invites"))
    return _render_show(project, review, guest_form=form, status=422)


@bp.route("/<int:project_review_id>/guests/<int:review_guest_id>/delete", methods=["POST"])
@login_required
@needs(EDIT)
def remove_guest(project_id: int, project_review_id: int, review_guest_id: int):
    project = _project(project_id)
    review = _review(project, project_review_id)
    guest = next((guest for guest in review.guests if guest.id == review_guest_id), None)
    if guest is None:
        abort(404)
    operations.remove_guest(guest)
    flash(_("Invité retiré."), "success")
    return redirect(_review_url(review, "invites"))
