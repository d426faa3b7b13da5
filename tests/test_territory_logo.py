"""The territory's logo in its settings: uploaded (checked and resized by Pillow), shown,
removed; only the territory's administrators change it. And the Documents blocks list
each document in the three formats."""
import base64
import io
import re

from PIL import Image

from territorial.territories import logo as logos


def _png(size=(1200, 300)) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", size, "#1f3a5f").save(data, "PNG")
    return data.getvalue()


def test_an_administrator_uploads_replaces_and_removes_the_logo(client, login, factory):
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))
    base = f"/t/{territory.slug}/settings"
    page = client.get(base).get_data(as_text=True)
    assert "Logo des documents" in page and "Aucun logo" in page
    response = client.post(f"{base}/logo", data={"logo-logo": (io.BytesIO(_png()), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(base).get_data(as_text=True)
    shown = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="Logo actuel de', page)
    assert shown and Image.open(io.BytesIO(base64.b64decode(shown.group(1)))).size == (600, 150)
    assert client.post(f"{base}/logo/remove").status_code == 302
    assert "Aucun logo" in client.get(base).get_data(as_text=True)


def test_the_logo_field_is_not_called_required(client, login, factory):
    """A territory may have no logo: the field's label does not say « (obligatoire) »,
    while sending the form without a file still asks for one."""
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))
    page = client.get(f"/t/{territory.slug}/settings").get_data(as_text=True)
    label = re.search(r'<label for="logo-logo">(.*?)</label>', page, re.S).group(1)
    assert label == "Logo (PNG, JPEG, GIF ou WebP, 5 Mo au plus)"
    assert "(obligatoire)" in page  # the territory's name still is


def test_a_file_that_is_not_an_image_is_refused_next_to_the_field(client, login, factory):
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))
    response = client.post(f"/t/{territory.slug}/settings/logo",
                           data={"logo-logo": (io.BytesIO(b"bonjour"), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ce fichier n&#39;est pas une image lisible." in page
    assert f'value="{territory.name}"' in page  # the settings form keeps the territory's values
    empty = client.post(f"/t/{territory.slug}/settings/logo", data={},
                        content_type="multipart/form-data")
    assert empty.status_code == 422 and "Choisissez une image." in empty.get_data(as_text=True)


def test_only_administrators_change_the_logo(client, login, factory):
    territory = factory.territory()
    login(factory.user(territory, role="facilitator"))
    response = client.post(f"/t/{territory.slug}/settings/logo",
                           data={"logo-logo": (io.BytesIO(_png()), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert client.post(f"/t/{territory.slug}/settings/logo/remove").status_code == 403


def test_the_logo_change_is_in_the_journal(ctx, factory):
    from sqlalchemy import select

    from extensions import db
    from territorial.audit.models import AuditEntry

    territory = factory.territory()
    logos.set_logo(territory, "logo.png", _png())
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "TerritoryLogo"))
    assert entry is not None and entry.territory_id == territory.id
    assert entry.changes["data"].endswith("octets>")  # the picture itself is not copied


def test_the_experiment_documents_tab_lists_every_document_in_three_formats(
        client, login, factory):
    territory = factory.territory()
    experiment = factory.experiment(territory, themes=["Emploi"])
    login(factory.user(territory, role="observer"))
    page = client.get(f"/t/{territory.slug}/experiments/{experiment.id}/documents") \
        .get_data(as_text=True)
    base = f"/t/{territory.slug}/experiments/{experiment.id}"
    for name in ("cadre", "planning", "action-plan"):
        for fmt in ("docx", "odt", "pdf"):
            assert f'href="{base}/{name}.{fmt}"' in page, (name, fmt)
    assert "Plan d'action consolidé" in page
    assert client.get(f"{base}/action-plan.odt").mimetype == "application/vnd.oasis.opendocument.text"
    assert client.get(f"{base}/action-plan.rtf").status_code == 404
