"""The charter's document (read back from Word): every part of the charter, in the
original's order, the decision matrix as a table, the signatory structures."""
from io import BytesIO

import pytest
from docx import Document

from territorial.charters import queries as charter_queries
from territorial.charters.exports import describe_charter, outline
from territorial.documents import render
from tests.documents_support import paragraphs_text, plain


def headings(document, level=None):
    names = {f"Heading {level}"} if level else {"Heading 1", "Heading 2", "Title"}
    return [plain(p.text) for p in document.paragraphs if p.style.name in names]


@pytest.mark.parametrize("key", ["quartier_libre", "collectif_solidaire_val"])
def test_every_part_of_the_charter_has_its_heading(app, key):
    content = charter_queries.templates()[key]
    with app.test_request_context():
        data = render(describe_charter("Charte", content, structures=["A", "B"], version=1,
                                       adopted_on=None, is_adopted=False), "docx")
    document = Document(BytesIO(data.getvalue()))
    titles = headings(document, 1)
    assert titles == [title for _key, title, _other in outline(content)] + ["Structures signataires"]
    text = paragraphs_text(document)
    for instance in content["instances"]:
        assert instance["name"] in headings(document, 2)
    for step in content["lifecycle"]:
        assert step["title"] in text
    for entry in content["arbitration"]:
        assert " ".join(entry["text"].split()) in text
    for axis in content["action_plan_axes"]:
        assert axis["title"] in text
    for essential in content.get("project_conduct", {}).get("essentials", []):
        assert essential["title"] in headings(document, 2)
    assert "Version 1, non encore adoptée." in text


def test_quartier_libre_reads_like_the_original(app):
    content = charter_queries.templates()["quartier_libre"]
    with app.test_request_context():
        data = render(describe_charter("Charte", content, structures=["MJC de Palente"],
                                       version=2,
                                       adopted_on=__import__("datetime").date(2024, 6, 18),
                                       is_adopted=True), "docx")
    document = Document(BytesIO(data.getvalue()))
    assert headings(document, 1)[:7] == [
        "Préambule", "Langage commun", "Valeurs", "Vocation du partenariat",
        "Gouvernance du partenariat", "Place des instances de chaque maison et comité de pilotage",
        "Naissance et vie d'un projet commun : étapes"]
    [matrix] = document.tables
    assert [plain(c.text) for c in matrix.rows[0].cells][1:3] == ["Assemblée plénière",
                                                          "Comité de pilotage"]
    assert [plain(row.cells[0].text) for row in matrix.rows[1:]] == [
        "Décisions stratégiques", "Décisions opérationnelles", "Décisions fonctionnelles"]
    assert matrix.rows[2].cells[2].text.startswith("Validation des projets communs.")
    text = paragraphs_text(document)
    assert "Version 2, adoptée le 18 juin 2024." in text
    assert "Processus de prise de décision" in headings(document, 2)


def test_the_charter_page_offers_its_word_document(client, login, factory):
    territory = factory.territory()
    charter = factory.charter(territory)
    login(factory.user(territory, role="observer"))
    url = f"/t/{territory.slug}/partnerships/charters/{charter.id}"
    assert f"{url}/charter.docx" in client.get(url).get_data(as_text=True)
    response = client.get(url + "/charter.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        "attachment; filename=charte-quartier-libre-besancon-v1.docx")
    document = Document(BytesIO(response.data))
    assert "Structures signataires" in headings(document, 1)
