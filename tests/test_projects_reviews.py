"""Reviews (bilans): fields and figures, photos checked by content and served behind the
access check, guests written into the frise's contact history, snapshot of the frise."""
from datetime import date
from html import unescape
from io import BytesIO

import pytest
from PIL import Image

from territorial.common.errors import DomainError
from territorial.reviews import operations
from territorial.reviews.forms import parse_figures
from territorial.reviews.models import MAX_PHOTO_UPLOAD_BYTES, Review
from territorial.timelines import queries as timeline_queries
from tests.factories import TINY_PNG



def _image(kind: str, mode: str = "RGB") -> bytes:
    out = BytesIO()
    Image.new(mode, (40, 30), (20, 120, 60)).save(out, kind)
    return out.getvalue()


JPEG, WEBP = _image("JPEG"), _image("WEBP")


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def setup(factory, login):
    territory = factory.territory()
    user = factory.user(territory, role="coordinator")
    project = factory.project(territory, title="Le cam's")
    login(user)
    return territory, project


def test_parse_figures():
    assert parse_figures("Haltes : 12\n\nHabitants rencontrés : 164") == [
        ["Haltes", "12"], ["Habitants rencontrés", "164"]]
    with pytest.raises(ValueError, match="Ligne 2"):
        parse_figures("Haltes : 12\nbeaucoup")


def test_create_review_with_snapshot(setup, client, factory):
    territory, project = setup
    factory.frise_entry(territory, project, organisation=factory.organisation(territory, name="CCAS"))
    response = client.post(f"/t/{territory.slug}/projects/{project.id}/reviews/new", data={
        "title": "Bilan des trois premiers mois", "held_on": "2026-11-20",
        "observed": "Une quinzaine d'habitants à chaque halte", "progress": "Le CCAS oriente",
        "figures_text": "Haltes : 12", "writings": "Article du bulletin", "snapshot": "1"})
    assert response.status_code == 302
    html = text(client.get(response.headers["Location"]))
    assert "Une quinzaine d'habitants" in html and "<th scope=\"row\">Haltes</th>" in html
    assert "Instantané « Bilan du 20 novembre 2026 : Bilan des trois premiers mois » : 1 partenaire." in html
    assert "Comparer avec la frise d'aujourd'hui" in html


def test_bad_figures_line_is_shown_next_to_the_field(setup, client):
    territory, project = setup
    response = client.post(f"/t/{territory.slug}/projects/{project.id}/reviews/new", data={
        "title": "Bilan", "held_on": "2026-11-20", "figures_text": "Haltes 12",
        "observed": "Gardé"})
    assert response.status_code == 422
    html = text(response)
    assert "Ligne 1 : écrivez « libellé : valeur »" in html and "Gardé" in html


@pytest.mark.parametrize("data, mimetype", [(TINY_PNG, "image/png"), (JPEG, "image/jpeg"),
                                            (WEBP, "image/jpeg")])
def test_photos_are_read_by_content_and_stored_re_encoded(ctx, factory, data, mimetype):
    """JPEG for photos, PNG when the image has transparency (TINY_PNG is RGBA)."""
    territory = factory.territory()
    review = factory.project_review(territory)
    photo = operations.add_photo(review, data, "Halte sur la place")
    stored = operations.photo_bytes(photo)
    assert photo.mimetype == mimetype and photo.size == len(stored)
    assert Image.open(BytesIO(stored)).get_format_mimetype() == mimetype


def test_a_file_that_is_not_an_image_is_refused(ctx, factory):
    review = factory.project_review(factory.territory())
    with pytest.raises(DomainError, match="pas une image JPEG, PNG ou WebP"):
        operations.add_photo(review, b"<svg onload=alert(1)>", "Faux")


def test_a_photo_over_20_mb_is_refused(ctx, factory):
    review = factory.project_review(factory.territory())
    with pytest.raises(DomainError, match="20 Mo au plus"):
        operations.add_photo(review, TINY_PNG + b"\x00" * MAX_PHOTO_UPLOAD_BYTES, "Grande")


def test_photo_upload_and_access_checked_serving(setup, client, factory, app, login):
    territory, project = setup
    review = factory.project_review(territory, project)
    base = f"/t/{territory.slug}/projects/{project.id}/reviews/{review.id}"
    response = client.post(f"{base}/photos", data={
        "photo-photo": (BytesIO(TINY_PNG), "halte.png"), "photo-caption": "La halte d'Aramits"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    html = text(client.get(base))
    assert 'alt="La halte d\'Aramits"' in html
    photo_id = review.id and _photo_id(review.id)
    image = client.get(f"{base}/photos/{photo_id}")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    stranger = login(factory.user(factory.territory()), target=app.test_client())
    assert stranger.get(f"{base}/photos/{photo_id}").status_code == 404


def _photo_id(review_id):
    from sqlalchemy import select

    from extensions import db
    from territorial.reviews.models import ReviewPhoto

    return db.session.scalar(select(ReviewPhoto.id).where(ReviewPhoto.review_id == review_id))


def test_bad_photo_upload_redisplays_with_a_message(setup, client, factory):
    territory, project = setup
    review = factory.project_review(territory, project)
    response = client.post(
        f"/t/{territory.slug}/projects/{project.id}/reviews/{review.id}/photos",
        data={"photo-photo": (BytesIO(b"GIF89a..."), "anim.gif"), "photo-caption": "Animation"},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "pas une image JPEG, PNG ou WebP" in text(response)


def test_photo_of_another_review_is_404(setup, client, factory):
    territory, project = setup
    review = factory.project_review(territory, project)
    other = factory.review_photo(territory)  # another project's review
    url = f"/t/{territory.slug}/projects/{project.id}/reviews/{review.id}/photos/{other.id}"
    assert client.get(url).status_code == 404


def test_guest_on_the_frise_gets_a_contact(setup, client, factory):
    territory, project = setup
    caf = factory.organisation(territory, name="CAF")
    entry = factory.frise_entry(territory, project, level=1, term="moyen", organisation=caf)
    review = factory.project_review(territory, project, held_on=date(2026, 11, 20))
    response = client.post(
        f"/t/{territory.slug}/projects/{project.id}/reviews/{review.id}/guests",
        data={"guest-guest": f"organisation:{caf.id}", "guest-kind": "field_visit",
              "guest-came": "y"})
    assert response.status_code == 302
    loaded = timeline_queries.load_timeline(entry.timeline_id)
    contact = loaded.entries[0].contacts[0]
    assert (contact.kind, contact.on_date) == ("field_visit", date(2026, 11, 20))
    assert "Bilan" in contact.note


def test_guest_of_another_territory_is_refused(setup, client, factory):
    territory, project = setup
    review = factory.project_review(territory, project)
    foreign = factory.organisation(factory.territory(), name="Ailleurs")
    response = client.post(
        f"/t/{territory.slug}/projects/{project.id}/reviews/{review.id}/guests",
        data={"guest-guest": f"organisation:{foreign.id}", "guest-kind": "invited"})
    assert response.status_code == 422
    assert "n'appartient pas à ce territoire" in text(response)


def test_review_of_another_project_is_404(setup, client, factory):
    territory, project = setup
    other_review = factory.project_review(territory)
    url = f"/t/{territory.slug}/projects/{project.id}/reviews/{other_review.id}"
    assert client.get(url).status_code == 404


def test_snapshot_button_attaches_a_snapshot(setup, client, factory):
    territory, project = setup
    factory.frise_entry(territory, project)
    review = factory.project_review(territory, project)
    review_id = review.id
    client.post(f"/t/{territory.slug}/projects/{project.id}/reviews/{review_id}/snapshot")
    from extensions import db

    assert db.session.get(Review, review_id).snapshot_id is not None
