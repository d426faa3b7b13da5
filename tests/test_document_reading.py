"""Documents as an elected official reads them: what the review of every document (each
file printed through LibreOffice) found, one test per finding, on documents made for the
purpose — the page a document begins on, its file name and properties, typed line breaks,
headings never alone at the bottom of a page, no blank page, charts whose legend leaves
the axis titles alone, French wording and dates, empty parts said in words, the footer on
one line, column widths from the whole content."""
from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from territorial.documents import DocumentBuilder, bold, charts, house, render
from territorial.documents.formats import hours, long_date
from territorial.documents.model import ListBlock, Paragraph, Run, Table
from territorial.documents.naming import file_stem
from tests.documents_support import blank_pages, convert_with_libreoffice, plain, rendered



def _landscape_table(doc):
    doc.table([f"Colonne {n}" for n in range(8)],
              [[f"Partenaire {n} de la frise des partenariats" for n in range(8)]] * 3)


# 1. A document that begins in landscape ------------------------------------------------

def test_a_document_that_begins_in_landscape_opens_on_a_landscape_page(ctx, tmp_path):
    from odf import style, table, text
    from odf.opendocument import load

    doc = DocumentBuilder("Planning prévisionnel", None)
    doc.new_section(landscape=True)
    doc.heading("Planning prévisionnel")
    _landscape_table(doc)
    paths = rendered(doc.build(), tmp_path)
    odt = load(str(paths["odt"]))
    first = next(node for node in odt.text.childNodes
                 if node.qname in (text.H(outlinelevel=1).qname, text.P().qname,
                                   table.Table().qname))
    styles = {s.getAttribute("name"): s for s in odt.automaticstyles.getElementsByType(style.Style)}
    master_name = styles[first.getAttribute("stylename")].getAttribute("masterpagename")
    master = next(m for m in odt.masterstyles.getElementsByType(style.MasterPage)
                  if m.getAttribute("name") == master_name)
    layout_ = next(p for p in odt.automaticstyles.getElementsByType(style.PageLayout)
                   if p.getAttribute("name") == master.getAttribute("pagelayoutname"))
    page = layout_.getElementsByType(style.PageLayoutProperties)[0]
    assert float(page.getAttribute("pagewidth")[:-2]) > float(page.getAttribute("pageheight")[:-2])
    word = WordDocument(str(paths["docx"]))
    assert word.sections[0].page_width > word.sections[0].page_height
    box = PdfReader(paths["pdf"]).pages[0].mediabox
    assert box.width > box.height


# 2. File names ----------------------------------------------------------------------------

def test_file_names_never_repeat_the_kind_nor_cut_a_word():
    assert file_stem("Bilan", "Bilan des trois premiers mois") == "bilan-des-trois-premiers-mois"
    assert file_stem("Plan d'action", "Plan d'action du GT Emploi", "Agir ensemble") == \
        "plan-d-action-du-gt-emploi-agir-ensemble"
    source = "Agir ensemble sur le territoire de Charenton-Saint-Maurice"
    stem = file_stem("Cadre méthodologique", source, limit=55)
    assert len(stem) <= 55 and stem.startswith("cadre-methodologique-agir")
    assert set(stem.split("-")) <= set("cadre methodologique agir ensemble sur le territoire de "
                                       "charenton saint maurice".split())


def test_two_plans_of_one_experiment_are_downloaded_under_two_names(ctx):
    from facilitation.action_plans.exports import filename_stem
    from facilitation.action_plans.reports import Scope

    experiment = "Agir ensemble sur le territoire de Charenton-Saint-Maurice"
    consolidated = Scope(None, "Plan d'action consolidé", experiment, [], lambda a: None, [])
    transversal = Scope(None, f"Actions transversales — {experiment}", experiment, [],
                        lambda a: None, [])
    assert filename_stem(consolidated) != filename_stem(transversal)
    assert filename_stem(transversal).startswith("plan-d-action-actions-transversales-agir")


def test_a_download_is_named_after_its_document(client, login, factory):
    territory = factory.territory()
    review = factory.project_review(territory, title="Bilan de juin")
    login(factory.user(territory, role="observer"))
    response = client.get(f"/t/{territory.slug}/projects/{review.project_id}/reviews/"
                          f"{review.id}/bilan.pdf")
    disposition = response.headers["Content-Disposition"]
    assert "bilan-de-juin" in disposition and "bilan-bilan" not in disposition
    word = WordDocument(io.BytesIO(client.get(f"/t/{territory.slug}/projects/"
                                              f"{review.project_id}/reviews/{review.id}/"
                                              "bilan.docx").data))
    assert word.core_properties.title == "Bilan de juin"  # not « Bilan – Bilan de juin »


# 3. Every month of the chart in the follow-up table ----------------------------------

def test_the_follow_up_table_holds_every_month_the_chart_shows(ctx):
    from facilitation.action_plans.documents import follow_up_part
    from facilitation.action_plans.reports import Group, Scope
    from facilitation.action_plans.key_figures import FollowUp

    months = [date(2025, 12 + m, 1) if m < 1 else date(2026, m, 1) for m in range(0, 8)]
    groups = [Group(f"g{n}", f"Axe {n}") for n in range(5)]
    follow = FollowUp([], [], [], months, [(g, [10 * n for n in range(8)]) for g in groups], 2026)
    doc = DocumentBuilder("Plan d'action à 3 ans", None)
    follow_up_part(doc, Scope(None, "Plan", "", [], lambda a: None, groups), follow)
    shown = [header for table in doc.build().tables() for header in table.headers[1:]]
    assert len(shown) == len(months) and "juin 2026" in shown


# 4. Typed line breaks -------------------------------------------------------------------

TYPED = ("Inventer collectivement des solutions pour répondre :\n- aux enjeux du territoire ;\n"
         "- aux enjeux particuliers des associations.\nLes demandes portent sur les démarches.")


def test_typed_lines_stay_paragraphs_and_dashes_make_a_real_list(ctx, tmp_path):
    from odf import text
    from odf.opendocument import load

    doc = DocumentBuilder("Cadre", None)
    doc.text(TYPED)
    doc.table(["Contact"], [[[Run("Maison des associations\n12 rue de Paris")]]])
    document = doc.build()
    kinds = [type(block).__name__ for block in document.blocks()]
    assert kinds == ["Paragraph", "ListBlock", "Paragraph", "Table"]
    paths = rendered(document, tmp_path)
    word = WordDocument(str(paths["docx"]))
    listed = [plain(p.text) for p in word.paragraphs if p.style.name == "List Bullet"]
    assert listed == ["aux enjeux du territoire ;", "aux enjeux particuliers des associations."]
    assert "<w:br/>" in word.tables[0]._tbl.xml  # the line break in the cell
    odt = load(str(paths["odt"]))
    assert len(odt.text.getElementsByType(text.ListItem)) == 2
    assert odt.text.getElementsByType(text.LineBreak)
    lines = [line.strip() for line in plain(PdfReader(paths["pdf"]).pages[0].extract_text())
             .splitlines()]
    assert "• aux enjeux du territoire ;" in [" ".join(line.split()) for line in lines]
    assert "Maison des associations" in lines and "12 rue de Paris" in lines


# 5. No heading alone at the bottom of a page, no blank page ---------------------------

def _tall_chart(width):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (600, 500), "#1F3A5F").save(picture, "PNG")
    return picture.getvalue(), width, width * 5 / 6


def test_no_heading_ends_a_page_alone_and_no_page_is_blank(ctx, tmp_path):
    """Read through LibreOffice: a heading and its introduction above a chart that does
    not fit at the bottom of a page go with the chart; a table ending anywhere near the
    bottom of a page never leaves a blank page after it."""
    if not _soffice():
        pytest.skip("LibreOffice (soffice) is not installed (.ci/run installs it)")
    doc = DocumentBuilder("Tableau de bord", None)
    doc.heading("La convention")
    for n in range(26):
        doc.paragraph(f"Paragraphe {n} de la convention, sur une ligne.")
    doc.heading("Tableau de bord pluriannuel")
    doc.paragraph("Pour chaque année : la cible, la valeur atteinte et la situation, en regard "
                  "de la trajectoire prévue par la convention et ses avenants successifs.")
    doc.figure(_tall_chart, caption="Trajectoires", alt="Trajectoires")
    sources = list(rendered(doc.build(), tmp_path, "heading", ("docx", "odt")).values())
    for rows in range(44, 56):  # one of them ends right at the bottom of the page
        table = DocumentBuilder("Pas de côté", None)
        table.table(["Frein", "Catégorie"], [[f"Frein {n}", "Concurrence"] for n in range(rows)])
        sources += rendered(table.build(), tmp_path, f"rows-{rows}", ("docx", "odt")).values()
    converted = convert_with_libreoffice(sources, tmp_path / "out")
    ours = tmp_path / "heading.pdf"
    ours.write_bytes(render(doc.build(), "pdf").getvalue())
    for pdf in [converted[sources[0]], converted[sources[1]], ours]:
        pages = PdfReader(pdf).pages
        holding = [page for page in pages if "Tableau de bord pluriannuel" in page.extract_text()]
        assert len(holding) == 1 and holding[0].images, pdf.name
    for source in sources[2:]:
        assert not blank_pages(converted[source]), source.name


def _soffice():
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


# 6. Charts ---------------------------------------------------------------------------------

@pytest.fixture
def drawn(monkeypatch):
    """The matplotlib figures the charts draw, laid out as in the PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figures = []

    def keep(figure, width, height):
        FigureCanvasAgg(figure).draw()
        figures.append(figure)
        return b"", width, height

    monkeypatch.setattr(charts, "_png", keep)
    return figures


def _box(artist, figure):
    return artist.get_window_extent(figure.canvas.get_renderer())


def test_legends_stay_clear_of_axis_titles_and_ticks(ctx, drawn):
    long_name = "Financement des projets communs et des actions partagées"
    charts.stacked_hbars(["Insertion des jeunes", "Emploi"],
                         [("Court terme", [2, 1], "#1F3A5F"), ("Moyen terme", [1, 2], "#B35900")],
                         17.0, xlabel="Actions")
    charts.lines(["août 2026", "sept. 2026"], [(long_name, [10, 20]), ("Emploi", [15, 40])],
                 17.0, ylabel="Avancement moyen", percentages=True)
    charts.trajectories([charts.Trajectory("Personnes", "personnes", [2024, 2025],
                                           [1.5, 2.5], [0.5, 1.25])], 17.0,
                        target_label="Cible", reached_label="Atteint")
    for figure in drawn:
        [legend] = figure.legends
        box = _box(legend, figure)
        for axes in figure.axes:
            for artist in [axes.xaxis.label, *axes.get_xticklabels()]:
                if artist.get_text():
                    assert not box.overlaps(_box(artist, figure)), artist.get_text()
    bars, progress, trajectory = drawn
    assert all(re.fullmatch(r"\d+", t.get_text()) for t in bars.axes[0].get_xticklabels())
    assert progress.axes[0].get_ylim()[0] == 0
    assert all(t.get_text().endswith("%") for t in progress.axes[0].get_yticklabels())
    names = [t.get_text().replace("\n", " ") for t in progress.legends[0].get_texts()]
    assert long_name in names  # wrapped, never cut
    ticks = [t.get_text() for t in trajectory.axes[0].get_yticklabels()]
    assert any("," in tick for tick in ticks) and not any("." in tick for tick in ticks)


def test_gantt_months_name_their_year(ctx, drawn):
    charts.gantt(["Préparation"], [charts.Bar("Préparation", date(2026, 9, 1),
                                              date(2027, 3, 31))], [],
                 date(2026, 9, 1), date(2027, 3, 31), 26.0)
    labels = [t.get_text() for t in drawn[0].axes[0].get_xticklabels()]
    assert "oct. 2026" in labels and "janv. 2027" in labels


# 7. French wording -------------------------------------------------------------------------

def test_french_says_zero_in_the_singular_and_english_in_the_plural(ctx):
    from flask_babel import force_locale, ngettext

    assert [ngettext("%(num)d objectif", "%(num)d objectifs", n) for n in (0, 1, 2)] == [
        "0 objectif", "1 objectif", "2 objectifs"]
    with force_locale("en"):
        assert ngettext("%(num)d action", "%(num)d actions", 0) == "0 actions"


def test_the_first_of_the_month_is_1er_and_times_read_in_french(ctx):
    assert plain(long_date(date(2026, 9, 1))) == "1er septembre 2026"
    doc = DocumentBuilder("Note", None)
    doc.paragraph("Réunion du 1 octobre, puis du 21 octobre.")
    [paragraph] = doc.build().blocks()
    assert plain(paragraph.runs[0].text) == "Réunion du 1er octobre, puis du 21 octobre."
    assert plain(hours(time(14, 0), time(16, 0))) == "14 h – 16 h"
    assert plain(hours(time(22, 40), time(1, 10))) == "22 h 40 – 1 h 10"


# 8. Empty parts, sessions to come, placeholders --------------------------------------------

def test_a_table_without_rows_says_so_in_words(ctx):
    doc = DocumentBuilder("Portefeuille", None)
    doc.heading("Conventions")
    doc.table(["Référence", "Convention"], [], empty="Aucune convention n'est encore suivie.")
    blocks = list(doc.build().blocks())
    assert not any(isinstance(block, Table) for block in blocks)
    assert any(isinstance(block, Paragraph) and "Aucune convention" in block.runs[0].text
               for block in blocks)


def _minutes(client, territory, session, fmt="docx"):
    response = client.get(f"/t/{territory.slug}/sessions/{session.id}/minutes.{fmt}")
    assert response.status_code == 200
    return WordDocument(io.BytesIO(response.data))


def test_minutes_of_a_session_without_data_and_of_a_session_to_come(client, login, factory):
    territory = factory.territory()
    login(factory.user(territory))
    empty = factory.meeting_session(territory, agenda=(), title="Coprédir")
    word = _minutes(client, territory, empty)
    text = plain("\n".join(p.text for p in word.paragraphs))
    assert not word.tables  # no header-only table
    assert "Ordre du jour vide." in text and "Aucun membre ni invité" in text
    assert "0 présent·e, 0 excusé·e" in text
    soon = datetime.now(UTC) + timedelta(days=20)
    future = factory.meeting_session(territory, title="Copil de clôture", starts_at=soon)
    text = plain("\n".join(p.text for p in _minutes(client, territory, future).paragraphs))
    assert "Séance à venir – Copil de clôture" in text
    assert "Compte rendu" not in text and "non renseignée" not in text and "Accueil" in text


def test_an_unedited_placeholder_is_not_printed_and_the_page_warns(client, login, factory):
    from extensions import db
    from facilitation.sessions.live.minutes import PLACEHOLDER

    territory = factory.territory()
    login(factory.user(territory))
    session = factory.meeting_session(territory)
    session.minutes = f"## Synthèse\n7 contributions.\n{PLACEHOLDER}"
    db.session.flush()
    text = "\n".join(p.text for p in _minutes(client, territory, session).paragraphs)
    assert "7 contributions." in text and "Complétez ici" not in text
    page = client.get(f"/t/{territory.slug}/sessions/{session.id}/minutes")
    assert "contient encore « (Complétez ici" in page.get_data(as_text=True)
    printable = client.get(f"/t/{territory.slug}/sessions/{session.id}/minutes/print")
    assert "Complétez ici" not in printable.get_data(as_text=True)


def test_the_minutes_page_counts_one_excused_in_the_singular(app, client, login, factory):
    from extensions import db
    from facilitation.sessions.live import participation
    from tests.live_support import live_setup, session_url

    setup = live_setup(factory, app, members=2)
    with app.test_request_context():
        participation.record_attendance(setup.session, {f"p{setup.people[0].id}": "excuse"})
        db.session.commit()
    login(setup.facilitator)
    for path in ("/minutes", "/minutes/print"):
        page = " ".join(plain(client.get(session_url(setup, path)).get_data(as_text=True))
                        .split())
        assert "0 présent·e, 1 excusé·e." in page, path


# 9. The footer --------------------------------------------------------------------------

def test_the_footer_keeps_page_x_sur_y_together_on_one_line(ctx, tmp_path):
    title = ("Compte rendu – GT1 : diagnostic partagé du territoire – Insertion des jeunes "
             "et des personnes éloignées de l'emploi de la communauté de communes")
    doc = DocumentBuilder(title, None)
    doc.paragraph("Texte.")
    document = doc.build()
    line = f"{document.footer} — page 999 sur 999"
    assert house.text_width(line, house.HEADER_FOOTER_SIZE) < house.TEXT_WIDTH[False]
    assert document.footer.startswith("Compte rendu – GT1") and "…" in document.footer
    paths = rendered(document, tmp_path)
    footer = WordDocument(str(paths["docx"])).sections[0].footer.paragraphs[0]
    assert "page\u00a0" in footer.text and "\u00a0sur\u00a0" in footer.text
    from odf import style, teletype
    from odf.opendocument import load

    master = load(str(paths["odt"])).masterstyles.getElementsByType(style.MasterPage)[0]
    assert "page\u00a0" in teletype.extractText(master.getElementsByType(style.Footer)[0])


# 10. File properties --------------------------------------------------------------------

def test_the_files_say_what_they_are_who_made_them_and_when(ctx, factory, tmp_path):
    territory = factory.territory(name="Commune d'Essai")
    doc = DocumentBuilder("Grille RACI", territory, subtitle="Le cam's")
    doc.paragraph("Texte.")
    paths = rendered(doc.build(), tmp_path)
    today = datetime.now(UTC).date()
    word = WordDocument(str(paths["docx"]))
    properties = word.core_properties
    assert (properties.title, properties.subject, properties.author) == (
        "Grille RACI", "Le cam's", "Commune d'Essai")
    assert properties.created.date() == today and properties.modified.date() == today
    assert properties.comments == "" and properties.language == "fr-FR"
    parts = {str(part.partname): part for part in word.part.package.iter_parts()}
    assert "/docProps/thumbnail.jpeg" not in parts
    assert b"Microsoft" not in parts["/docProps/app.xml"].blob
    from odf import dc, meta
    from odf.opendocument import load

    odt = load(str(paths["odt"])).meta

    def first(kind):
        return str(odt.getElementsByType(kind)[0])

    assert (first(dc.Title), first(dc.Subject), first(dc.Creator)) == (
        "Grille RACI", "Le cam's", "Commune d'Essai")
    assert first(dc.Language) == "fr-FR" and first(meta.CreationDate).startswith(str(today))
    info = PdfReader(paths["pdf"]).metadata
    assert (info.title, info.subject, info.author) == ("Grille RACI", "Le cam's",
                                                       "Commune d'Essai")
    assert info.creation_date.date() == today


# 11. Column widths from the whole content ------------------------------------------------

def test_columns_share_the_page_by_what_they_hold(ctx):
    headers = ["Action", "Horizon", "Porteur", "Dates", "Indicateurs et cibles 2026"]
    row = [(bold("Organiser 4 job datings associations – entreprises d'ici six mois"),
            "Un job dating par trimestre, dans les locaux d'une entreprise du groupe."),
           "Court terme", "Association Tremplin Emploi — Louis Perrin",
           ("du 5 septembre 2026", "au 3 mai 2027"),
           (bold("Job datings organisés"), "Cibles : 2026 : 4 job datings",
            "Mesuré en 2026 : 2 job datings — En retard sur la cible",
            "Mesuré en 2025 : 1 job dating")]
    doc = DocumentBuilder("Plan", None)
    doc.table(headers, [row] * 6, landscape=False)
    [table] = doc.build().tables()
    widths = dict(zip(headers, table.widths))
    room = {name: width - 2 * house.CELL_PADDING for name, width in widths.items()}
    # a date stays on two lines at most, « Court terme » on one
    for phrase in ("du 5 septembre 2026", "au 3 mai 2027"):
        assert len(house.wrap([Run(plain(phrase))], room["Dates"], table.font_size)) <= 2
    assert len(house.wrap([Run("Court terme")], room["Horizon"], table.font_size)) == 1
    # four paragraphs a row weigh more than one long name
    assert widths["Indicateurs et cibles 2026"] > widths["Porteur"]


def test_the_activity_column_is_the_widest_of_a_raci_grid(ctx, factory):
    from territorial.raci.documents import describe_raci
    from territorial.raci.operations import load_grid

    territory = factory.territory()
    grid = factory.raci_grid(
        territory, activities=["Repérer les lieux de halte avec les communes",
                               "Transporter les habitants vers les services"],
        actors=["Centre social Lo Solan", "Mairie d'Aramits", "CCAS d'Oloron-Sainte-Marie",
                "CAF des Pyrénées-Atlantiques", "Pharmacie du Barétous"])
    grid_table = describe_raci(load_grid(grid.id), territory).tables()[0]
    assert grid_table.widths[0] == max(grid_table.widths)


# 12. The territory's language, whoever reads ------------------------------------------------

def test_a_document_is_written_in_french_for_a_reader_in_english(client, login, factory):
    territory = factory.territory()
    grid = factory.raci_grid(territory, activities=["Animer le café itinérant"],
                             actors=["Mairie d'Aramits"])
    login(factory.user(territory, locale="en"))
    assert 'lang="en"' in client.get(f"/t/{territory.slug}/raci/{grid.id}").get_data(
        as_text=True)
    response = client.get(f"/t/{territory.slug}/raci/{grid.id}/raci.pdf")
    text = " ".join(plain(PdfReader(io.BytesIO(response.data)).pages[0].extract_text()).split())
    assert "Grille RACI" in text and "page 1 sur" in text and "Points à corriger" in text
    assert " of " not in text and "Roles" not in text


def test_lists_and_short_lists_keep_their_items_together(ctx):
    doc = DocumentBuilder("Charte", None)
    doc.bullets(["MJC de Palente", "MJC Clairs-Soleils", "Comité de quartier Rosemont"])
    doc.bullets([f"Principe {n}" for n in range(12)])
    short, long_ = [b for b in doc.build().blocks() if isinstance(b, ListBlock)]
    assert short.keep and not long_.keep
