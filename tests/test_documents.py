"""Every document type of the demo, in every format, as people open them.

The demo is loaded in a scratch database and ``flask documents gallery`` writes every
document once for the module; then, for each type and format: the file opens (python-docx,
odfpy, pypdf), every page is A4, the footer numbers the pages (fields in Word and
OpenDocument, « page X sur Y » printed in the PDF), every table repeats its header row and
no column is narrower than its longest word, the charts are there as pictures, and the
demo's key content is in the text. LibreOffice converts one file of each type and format
(in one run) without error.
"""
from __future__ import annotations

import re
import shutil
from collections import defaultdict

import pytest

from tests.documents_support import (
    blank_pages, convert_with_libreoffice, docx_facts, is_a4, narrow_columns, odt_facts,
    pdf_facts, plain,
)
from tests.scratch_db import flask_cli, scratch_databases

FACTS = {"docx": docx_facts, "odt": odt_facts, "pdf": pdf_facts}

# Document type → (charts every file of the type holds, texts every file holds)
EXPECTED = {
    "cadre-methodologique": (1, ["Exposé des motifs", "Focus sur chaque partie",
                                 "Réunion collective de lancement", "Les GT thématiques",
                                 "GT1 : diagnostic partagé du territoire",
                                 "Réunion collective de restitution",
                                 "Répartition des rôles opérationnels", "Planning prévisionnel"]),
    "planning": (1, ["Planning prévisionnel", "Réunion collective de lancement",
                     "Ordre du jour des séances"]),
    "plan-action-consolide": (2, ["Plan d'action consolidé", "Synthèse", "Suivi",
                                  "Indicateurs et cibles"]),
    "plan-action": (0, ["Synthèse", "Indicateurs et cibles"]),
    "compte-rendu": (0, ["Ordre du jour", "Date :", "Lieu :"]),
    "grille-raci": (1, ["Grille RACI", "Rôles par acteur", "Points à corriger"]),
    "frise": (1, ["Frise des partenariats", "Co-porteur", "Détail des partenaires"]),
    "pas-de-cote": (0, ["Pas de côté", "Réponse prévue", "Levier"]),
    "bilan": (1, ["Ce qu'on observe", "Chiffres", "La frise à la date du bilan"]),
    "charte": (0, ["Qui prend quelle décision", "Structures signataires"]),
    "fiche-mission": (0, ["Personne nommée"]),
    "note-information": (0, ["Destinataires", "Décisions prises"]),
    "convention": (1, ["Tableau de bord pluriannuel", "Dialogue annuel", "Cible :"]),
    "portefeuille-conventions": (1, ["Portefeuille des conventions", "Dialogues à prévoir"]),
}


@pytest.fixture(scope="module")
def gallery(database_url, tmp_path_factory):
    """The demo's documents, written by the command people use."""
    folder = tmp_path_factory.mktemp("gallery")
    with scratch_databases(database_url) as new_database:
        url = new_database()
        flask_cli(url, "db", "upgrade", "heads")
        flask_cli(url, "seed-demo")
        result = flask_cli(url, "documents", "gallery", str(folder), "--no-pages", timeout=900)
        files = defaultdict(lambda: defaultdict(list))
        for path in sorted(folder.iterdir()):
            key = next((k for k in sorted(EXPECTED, key=len, reverse=True)
                        if path.stem.startswith(k + "-") or path.stem == k), None)
            if key:
                files[key][path.suffix[1:]].append(path)
        yield files, result.stdout, url


def test_the_gallery_writes_every_document_type_in_every_format(gallery):
    files, output, _url = gallery
    assert set(files) == set(EXPECTED)
    for key, by_format in files.items():
        assert set(by_format) == {"docx", "odt", "pdf"}, key
        assert len(by_format["docx"]) == len(by_format["odt"]) == len(by_format["pdf"]), key
    assert "fichiers écrits dans" in output


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_house_style(gallery, key, fmt):
    files, _output, _url = gallery
    charts, texts = EXPECTED[key]
    for path in files[key][fmt]:
        facts = FACTS[fmt](path)
        assert facts.pages and all(is_a4(size) for size in facts.pages), (path.name, facts.pages)
        assert facts.page_fields, f"{path.name}: no « page X sur Y » in the footer"
        for table in facts.tables:
            assert table.header_repeats, f"{path.name}: a table's header row does not repeat"
            assert table.rows_kept, f"{path.name}: a table's rows may split across pages"
            assert not narrow_columns(table), (path.name, narrow_columns(table))
        assert facts.images >= charts, f"{path.name}: {facts.images} pictures, {charts} expected"
        words = " ".join(facts.text.split())  # a PDF reader sees a cell's lines
        for text in texts:
            assert text in words, f"{path.name}: « {text} » missing"


# Wording a reader would stop at: the plural of zero and one, « 1 septembre », a kind said
# twice, a draft's placeholder.
SLIPS = re.compile(r"(?<![\d,])[01] (?:objectifs|contributions|présent·es|excusé·es|conventions|"
                   r"livrés|actions|axes|thèmes|membres|votants|partenaires|freins|leviers|"
                   r"acteurs|séances)\b|(?<![\d,])1 (?:janvier|février|mars|avril|mai|juin|"
                   r"juillet|août|septembre|octobre|novembre|décembre)\b|Bilan – Bilan|"
                   r"Complétez ici")


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_no_wording_slip(gallery, key):
    files, _output, _url = gallery
    for path in files[key]["pdf"]:
        words = " ".join(pdf_facts(path).text.split())
        assert not SLIPS.search(words), (path.name, SLIPS.search(words).group(0))


def test_minutes_without_data_and_sessions_to_come_say_so(gallery):
    """A session where nothing was recorded says each part is empty; a session to come
    is not a compte rendu with every attendance « non renseignée »."""
    files, _output, _url = gallery
    texts = [" ".join(pdf_facts(path).text.split()) for path in files["compte-rendu"]["pdf"]]
    assert any("Compte rendu" in text and "Présences" in text for text in texts)
    empty = [text for text in texts if "Ordre du jour vide." in text]
    assert empty and all("Aucun membre ni invité" in text and "Aucun vote" in text
                         for text in empty)
    to_come = [text for text in texts if "Séance à venir" in text]
    assert to_come and all("non renseignée" not in text and "Compte rendu –" not in text
                           for text in to_come)


def test_the_minutes_with_a_vote_show_its_chart(gallery):
    files, _output, _url = gallery
    for fmt in ("docx", "odt", "pdf"):
        with_votes = [FACTS[fmt](path) for path in files["compte-rendu"][fmt]]
        voted = [facts for facts in with_votes if "Quelles pistes approfondir" in facts.text]
        assert voted and all(facts.images >= 1 for facts in voted), fmt


def test_the_consolidated_plan_holds_every_action_with_its_targets(gallery, app):
    """Every action of the demo's consolidated plan, and every indicator's target for
    each year of the plan's period, in all three formats."""
    files, _output, url = gallery
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        titles = [row[0] for row in connection.execute(text(
            "SELECT a.title FROM action a JOIN action_plan p ON p.id = a.plan_id "
            "WHERE p.owner_type IN ('working_group', 'experiment')"))]
        targets = list(connection.execute(text(
            "SELECT i.title, t.year, t.value, i.unit FROM indicator_target t "
            "JOIN indicator i ON i.id = t.indicator_id JOIN action a ON a.id = i.owner_id "
            "JOIN action_plan p ON p.id = a.plan_id WHERE i.owner_type = 'action' "
            "AND p.owner_type IN ('working_group', 'experiment') AND t.value IS NOT NULL")))
    engine.dispose()
    assert titles and targets
    for fmt in ("docx", "odt", "pdf"):
        [path] = files["plan-action-consolide"][fmt]
        document = " ".join(FACTS[fmt](path).text.split())
        for title in titles:
            assert " ".join(title.split()) in document, (fmt, title)
        for title, year, value, unit in targets:
            number = f"{float(value):g}".replace(".", ",")
            assert f"{year} : {number} {unit}" in document, (fmt, title, year)


def test_every_cell_of_the_charter_decision_matrix_keeps_its_role(gallery, app):
    files, _output, url = gallery
    from sqlalchemy import create_engine, select

    from territorial.charters.exports import matrix_rows
    from territorial.charters.models import Charter

    engine = create_engine(url)
    with engine.connect() as connection:
        content = connection.execute(select(Charter.content).order_by(Charter.id)).scalar()
    engine.dispose()
    with app.test_request_context():
        headers, rows = matrix_rows(content)
    expected = [plain(cell.text if hasattr(cell, "text") else cell) for row in rows
                for cell in row]
    for fmt in ("docx", "odt", "pdf"):
        document = " ".join(FACTS[fmt](files["charte"][fmt][0]).text.split())
        for header in headers:
            assert " ".join(header.split()) in document, (fmt, header)
        for cell in expected:
            assert " ".join(cell.split()) in document, (fmt, cell)
    # In Word, the matrix is one landscape table: every cell in its place.
    from docx import Document

    word = Document(str(files["charte"]["docx"][0]))
    matrix = next(t for t in word.tables if plain(t.rows[0].cells[0].text) == headers[0])
    assert [[plain(c.text) for c in row.cells] for row in matrix.rows][1:] == [
        [plain(cell.text if hasattr(cell, "text") else cell) for cell in row] for row in rows]
    landscape = [s for s in word.sections if s.page_width > s.page_height]
    assert landscape


def test_libreoffice_converts_every_type_in_word_and_opendocument(gallery, tmp_path):
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed (.ci/run installs it)")
    files, _output, _url = gallery
    sources = []
    for key, by_format in sorted(files.items()):
        for fmt in ("docx", "odt"):
            copy = tmp_path / "in" / f"{key}-{fmt}.{fmt}"
            copy.parent.mkdir(exist_ok=True)
            copy.write_bytes(by_format[fmt][0].read_bytes())
            sources.append((key, copy))
    converted = convert_with_libreoffice([path for _key, path in sources], tmp_path / "out")
    for key, source in sources:
        pdf = converted[source]
        assert pdf is not None, f"LibreOffice could not convert {source.name}"
        facts = pdf_facts(pdf)
        assert facts.pages and all(is_a4(size) for size in facts.pages), source.name
        assert facts.page_fields, f"{source.name}: LibreOffice does not number the pages"
        words = " ".join(facts.text.split())
        for text in EXPECTED[key][1]:
            assert text in words, (source.name, text)
        # The first page in the orientation the document begins with (a planning, a RACI
        # grid, a frise begin in landscape), and no blank page.
        ours = pdf_facts(files[key]["pdf"][0]).pages[0]
        assert (facts.pages[0][0] > facts.pages[0][1]) == (ours[0] > ours[1]), source.name
        assert not blank_pages(pdf), (source.name, blank_pages(pdf))
