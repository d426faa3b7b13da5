"""The document tree and its three renderers on documents made for the purpose: column
widths from the content, landscape for wide tables, long tables across pages, a chart
that cannot be drawn, a row taller than a page, the territory's logo, plurals, French
amounts and accents in the PDF."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document as WordDocument
from PIL import Image
from pypdf import PdfReader

from facilitation.action_plans import key_figures, operations, reports
from facilitation.action_plans.documents import describe_action_plan
from territorial.common.errors import DomainError
from territorial.documents import DocumentBuilder, bold, house, layout, render
from territorial.documents.model import Table
from territorial.territories import logo as logos
from tests.documents_support import (
    TableFacts, docx_facts, narrow_columns, odt_facts, pdf_facts, plain, rendered,
)

LONG_TEXT = ("Organisation des rencontres entre associations et entreprises du territoire, "
             "avec la Boulangerie coopérative et l'Organisation intercommunale")


def test_columns_are_never_narrower_than_their_longest_word(ctx):
    rows = [[[[house_run(word)]] for word in ("Organisation", "Boulangerie", "Décisions")],
            [[[house_run(LONG_TEXT)]], [[house_run("Anticonstitutionnellement")]], [[]]]]
    headers = ["Organisation", "Structure", "Décisions prises"]
    widths, size = layout.column_widths(headers, rows, house.TEXT_WIDTH[False])
    assert sum(widths) <= house.TEXT_WIDTH[False]
    table = TableFacts(widths, size, [[(header, True)] + [(run.text, False) for row in rows
                                                        for run in row[index][0]]
                                      for index, header in enumerate(headers)], True, True)
    assert narrow_columns(table) == []
    # The check itself catches a column too narrow for « Anticonstitutionnellement ».
    squeezed = TableFacts([5.0, 1.5, 5.0], size, table.columns, True, True)
    assert narrow_columns(squeezed) and "Anticonstitutionnellement" in narrow_columns(squeezed)[0]


def house_run(text):
    from territorial.documents.model import Run

    return Run(text)


def test_a_wide_table_goes_to_a_landscape_page_with_its_heading(ctx):
    doc = DocumentBuilder("Essai", None)
    doc.heading("Portrait")
    doc.paragraph("Un paragraphe.")
    doc.heading("Les actions")
    doc.paragraph("Trois actions.")
    doc.table([f"Colonne {n}" for n in range(8)], [[LONG_TEXT] * 8] * 3)
    doc.heading("De retour")
    doc.table(["Mois"] + [f"2026-{m:02d}" for m in range(1, 7)],
              [["Emploi"] + ["40 %"] * 6])  # seven columns of figures: stays in portrait
    document = doc.build()
    assert [s.landscape for s in document.sections] == [False, True, False]
    assert [type(b).__name__ for b in document.sections[1].blocks] == [
        "Heading", "Paragraph", "Table"]
    assert document.sections[1].blocks[1].keep  # the introduction stays with its table


def test_a_long_table_repeats_its_header_and_never_splits_a_row(ctx, tmp_path):
    doc = DocumentBuilder("Plan de 300 actions", None)
    doc.table(["Action", "Porteur", "Échéance"],
              [[(bold(f"Action {n} : rencontre"), "Une rencontre entre associations et "
                 "entreprises du territoire, suivie d'un atelier."), "Mairie de Charenton",
                f"{n % 28 + 1}/03/2027"] for n in range(300)])
    paths = rendered(doc.build(), tmp_path)
    reader = PdfReader(paths["pdf"])
    assert len(reader.pages) > 5
    pages = [plain(page.extract_text()) for page in reader.pages]
    for text in pages:
        assert "Action Porteur Échéance" in " ".join(text.split())  # the header, every page
    for n in range(300):
        holding = [i for i, text in enumerate(pages) if f"Action {n} : rencontre" in text]
        assert len(holding) == 1  # each row whole on one page
        text = " ".join(pages[holding[0]].split())
        assert f"Action {n} : rencontre Une rencontre entre associations" in text
    for fmt in ("docx", "odt"):
        facts = docx_facts(paths[fmt]) if fmt == "docx" else odt_facts(paths[fmt])
        assert facts.tables[0].header_repeats and facts.tables[0].rows_kept


def test_a_chart_that_cannot_be_drawn_leaves_a_sentence_and_the_table(ctx, tmp_path):
    def broken(width):
        raise RuntimeError("no renderer")

    doc = DocumentBuilder("Essai", None)
    doc.heading("Suivi")
    doc.figure(broken, caption="Avancement", alt="Courbes")
    doc.table(["Mois", "Avancement"], [["mars", "40 %"]])
    paths = rendered(doc.build(), tmp_path)
    for fmt, path in paths.items():
        facts = {"docx": docx_facts, "odt": odt_facts, "pdf": pdf_facts}[fmt](path)
        text = " ".join(facts.text.split())
        assert "Le graphique « Avancement » n'a pas pu être dessiné" in text, fmt
        assert "40 %" in text and facts.images == 0, fmt


def test_a_row_taller_than_a_page_continues_on_the_next(ctx, tmp_path):
    doc = DocumentBuilder("Essai", None)
    doc.table(["Texte", "Note"], [[tuple(f"Ligne {n}" for n in range(150)), "courte"]])
    path = tmp_path / "long.pdf"
    path.write_bytes(render(doc.build(), "pdf").getvalue())
    text = " ".join(plain(p.extract_text()) for p in PdfReader(path).pages)
    assert "Ligne 0" in text and "Ligne 149" in text


def test_the_territory_logo_is_in_every_header(ctx, factory, tmp_path):
    territory = factory.territory(name="Commune d'Essai")
    picture = io.BytesIO()
    Image.new("RGB", (1200, 600), "#0b5cad").save(picture, "PNG")
    logo = logos.set_logo(territory, "logo.png", picture.getvalue())
    assert (logo.width, logo.height) == (480, 240)  # fits 600 × 240
    doc = DocumentBuilder("Essai", territory)
    doc.paragraph("Texte.")
    paths = rendered(doc.build(), tmp_path)
    word = WordDocument(str(paths["docx"]))
    assert "graphicData" in word.sections[0].header._element.xml
    assert "Commune d'Essai" in word.sections[0].header.paragraphs[0].text
    from odf import draw, style
    from odf.opendocument import load

    odt = load(str(paths["odt"]))
    assert all(master.getElementsByType(draw.Image)
               for master in odt.masterstyles.getElementsByType(style.MasterPage))
    page = PdfReader(paths["pdf"]).pages[0]
    assert len(page.images) == 1 and "Commune d'Essai" in page.extract_text()


def test_logos_that_are_not_images_are_refused_in_french(ctx, factory):
    territory = factory.territory()
    with pytest.raises(DomainError, match="pas une image lisible"):
        logos.set_logo(territory, "logo.png", b"%PDF-1.4 pas une image")
    with pytest.raises(DomainError, match="trop petite"):
        tiny = io.BytesIO()
        Image.new("RGB", (8, 8)).save(tiny, "PNG")
        logos.set_logo(territory, "logo.png", tiny.getvalue())
    assert logos.logo_png(territory.id) is None


def test_the_pdf_embeds_the_house_font_and_prints_french(ctx, tmp_path):
    doc = DocumentBuilder("Élaboration du budget", None)
    doc.paragraph("Dépenses prévues : ", bold("28 950 €"), " ; réalisé : 12,5 %.")
    path = tmp_path / "budget.pdf"
    path.write_bytes(render(doc.build(), "pdf").getvalue())
    reader = PdfReader(path)
    text = plain(reader.pages[0].extract_text())
    assert "Dépenses prévues : 28 950 € ; réalisé : 12,5 %." in " ".join(text.split())
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(fonts[name].get_object()["/BaseFont"]) for name in fonts]
    assert names and all("LiberationSans" in name for name in names)  # embedded, subset


def test_the_footer_numbers_are_the_size_of_the_footer_text(ctx, tmp_path):
    doc = DocumentBuilder("Essai", None)
    doc.paragraph("Texte.")
    path = tmp_path / "doc.docx"
    path.write_bytes(render(doc.build(), "docx").getvalue())
    word = WordDocument(str(path))
    footer = word.sections[0].footer.paragraphs[0]
    assert footer.style.font.size.pt == house.HEADER_FOOTER_SIZE
    assert all(run.font.size is None for run in footer.runs)  # digits included


@pytest.mark.parametrize("axes, expected, unexpected", [
    (("Communication",), "réparties en 1 axe :", "1 axes"),
    (("Communication", "Financement"), "réparties en 2 axes :", "2 axe :"),
])
def test_plurals_are_right(ctx, factory, axes, expected, unexpected):
    territory = factory.territory()
    plan = factory.action_plan(territory, axes=axes)
    for axis in plan_axes(plan):
        operations.create_action(plan, title=f"Action {axis.title}", axis_id=axis.id,
                                 budget_amount=Decimal("28950"))
    scope = reports.plan_scope(plan, territory)
    rows = reports.load_rows(scope)
    document = describe_action_plan(scope, rows, key_figures.synthesis(rows, scope),
                                    key_figures.follow_up(rows, scope))
    text = " ".join(plain(" ".join(run.text for block in document.blocks()
                                   for run in getattr(block, "runs", []))).split())
    assert expected in text and unexpected not in text
    assert f"Ce plan compte {len(axes)} action" in text


def plan_axes(plan):
    from sqlalchemy import select

    from extensions import db
    from facilitation.action_plans.models import ActionPlanAxis

    return db.session.scalars(select(ActionPlanAxis).where(ActionPlanAxis.plan_id == plan.id)
                              .order_by(ActionPlanAxis.position)).all()


def test_every_table_of_a_document_keeps_its_widths_in_word_and_opendocument(ctx, tmp_path):
    doc = DocumentBuilder("Essai", None)
    doc.table(["Organisation", "Décisions"], [[LONG_TEXT, "Anticonstitutionnellement"]])
    document = doc.build()
    [table] = document.tables()
    assert isinstance(table, Table)
    paths = rendered(document, tmp_path)
    for facts in (docx_facts(paths["docx"]), odt_facts(paths["odt"])):
        assert [round(w, 2) for w in facts.tables[0].widths] == [round(w, 2)
                                                                  for w in table.widths]
        assert facts.tables[0].font_size == table.font_size


def test_the_bilan_prints_its_photos_with_their_captions(client, login, factory, tmp_path):
    from territorial.reviews.operations import add_photo

    territory = factory.territory()
    review = factory.project_review(territory, title="Bilan de juin",
                                    figures=[["Haltes réalisées", "12"]])
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), "#2f7d4f").save(photo, "JPEG")
    add_photo(review, photo.getvalue(), "La halte d'Aramits un mardi")
    login(factory.user(territory, role="observer"))
    base = f"/t/{territory.slug}/projects/{review.project_id}/reviews/{review.id}"
    assert f"{base}/bilan.pdf" in client.get(base).get_data(as_text=True)
    for fmt, read in (("docx", docx_facts), ("odt", odt_facts), ("pdf", pdf_facts)):
        response = client.get(f"{base}/bilan.{fmt}")
        assert response.status_code == 200, fmt
        path = tmp_path / f"bilan.{fmt}"
        path.write_bytes(response.data)
        facts = read(path)
        assert facts.images == 1, fmt  # the photo (no frise snapshot for this bilan)
        text = " ".join(facts.text.split())
        assert "La halte d'Aramits un mardi" in text and "Haltes réalisées" in text, fmt
