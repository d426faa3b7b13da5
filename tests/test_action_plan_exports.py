"""The consolidated plan of an experiment on a known data set, the Word document (python-docx
and LibreOffice), the XLSX follow-up, and the fixed number of queries of the pages."""
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from facilitation.action_plans import consolidation, exports, key_figures, operations, reports
from facilitation.action_plans import raci as plan_raci
from facilitation.action_plans import queries as ap_queries
from facilitation.action_plans.documents import describe_action_plan
from facilitation.action_plans.models import Action, ActionPlan, ActionPlanAxis
from facilitation.experiments.models import Theme
from facilitation.working_groups.models import WorkingGroup
from territorial.documents.formats import money
from territorial.documents import render
from territorial.indicators import operations as indicators
from tests.documents_support import paragraphs_text, plain


@pytest.fixture
def experiment_data(factory):
    """Two GTs (Emploi, Handicap) with 3 and 2 actions, 1 transversal action."""
    territory = factory.territory(name="Charenton-Saint-Maurice")
    coordinator = factory.user(territory, role="coordinator")
    mairie = factory.organisation(territory, name="Mairie de Charenton", kind="collectivite")
    banque = factory.organisation(territory, name="Banque Populaire", kind="entreprise")
    experiment = factory.experiment(territory, themes=("Emploi", "Handicap"),
                                    title="Agir ensemble")
    created, own = consolidation.set_up_plans(experiment)
    assert created == 3
    groups = {g.title: g for g in db.session.scalars(
        select(WorkingGroup).where(WorkingGroup.experiment_id == experiment.id))}
    plans = {p.owner_id: p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.owner_type == "working_group"))}
    emploi = next(plans[g.id] for t, g in groups.items() if "Emploi" in t)
    handicap = next(plans[g.id] for t, g in groups.items() if "Handicap" in t)
    today = date.today()
    operations.create_action(emploi, title="Forum emploi associations – entreprises",
                             scope="territoire", horizon="court", owner_organisation_id=mairie.id,
                             budget_amount=Decimal("1250"), due_date=today - timedelta(days=10))
    operations.create_action(emploi, title="Parrainage de demandeurs d'emploi",
                             scope="participants", horizon="moyen", owner_organisation_id=banque.id)
    operations.create_action(emploi, title="Annuaire des offres de stage", scope="participants",
                             horizon="court")
    first = operations.create_action(handicap, title="Sensibilisation des recruteurs",
                                     scope="territoire", horizon="moyen",
                                     owner_organisation_id=banque.id, status="retenue")
    operations.create_action(handicap, title="Job dating inclusif", scope="participants",
                             horizon="long", owner_organisation_id=mairie.id)
    operations.create_action(own, title="Comité de suivi annuel", scope="territoire",
                             horizon="long", owner_organisation_id=mairie.id)
    indicator = indicators.create_indicator(territory.id, "action", first.id,
                                            title="Recruteurs sensibilisés", unit="personnes")
    indicators.set_target(indicator, today.year, 40)
    indicators.record_value(indicator, today.year, 12)
    db.session.flush()
    return territory, coordinator, experiment


def test_consolidated_figures(ctx, experiment_data):
    territory, coordinator, experiment = experiment_data
    scope = consolidation.experiment_scope(experiment, territory)
    rows = reports.load_rows(scope)
    figures = key_figures.synthesis(rows, scope)
    assert figures.total == 6
    by_group = {group.title: (horizons, scopes, total)
                for group, horizons, scopes, total in figures.by_group}
    assert by_group["Emploi"] == ({"court": 2, "moyen": 1, "long": 0},
                                  {"participants": 2, "territoire": 1}, 3)
    assert by_group["Handicap"][2] == 2
    assert by_group["Transversal"][2] == 1
    assert dict((k, n) for k, _l, n in figures.by_scope) == {"participants": 3, "territoire": 3}
    assert dict((k, n) for k, _l, n in figures.by_horizon) == {"court": 2, "moyen": 2, "long": 2}
    assert figures.organisations[0][:2] == ("Mairie de Charenton", 3)
    assert figures.organisations[1][:2] == ("Banque Populaire", 2)
    assert figures.budget_total == Decimal("1250")
    assert figures.overdue == 1
    assert figures.without_owner == 1
    follow = key_figures.follow_up(rows, scope)
    assert [row.action.title for row in follow.overdue] == ["Forum emploi associations – entreprises"]
    assert [row.action.title for row in follow.without_owner] == ["Annuaire des offres de stage"]
    assert [(a.indicator.title, a.code) for a in follow.indicator_alerts] == [
        ("Recruteurs sensibilisés", "behind")]
    assert follow.progress_series  # snapshots taken when the actions were created


def test_money_is_french(ctx):
    assert money(Decimal("1250")) == "1\u202f250\u00a0€"
    assert money(Decimal("1250.5")) == "1\u202f250,50\u00a0€"


def _docx(ctx_territory, experiment):
    scope = consolidation.experiment_scope(experiment, ctx_territory)
    rows = reports.load_rows(scope)
    figures = key_figures.synthesis(rows, scope)
    document = describe_action_plan(scope, rows, figures,
                                    key_figures.follow_up(rows, scope, date(2026, 3, 14)),
                                    date(2026, 3, 14))
    return scope, rows, render(document, "docx")


def test_word_document(ctx, experiment_data):
    territory, coordinator, experiment = experiment_data
    scope, rows, data = _docx(territory, experiment)
    document = Document(data)
    text = paragraphs_text(document)
    assert "Charenton-Saint-Maurice" in text
    assert "Agir ensemble" in text
    assert "14 mars 2026" in text  # French date on the title page
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Synthèse", "Suivi", "Emploi", "Handicap", "Transversal"]
    action_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
    assert len(action_tables) == 3
    titles = [row.cells[0].paragraphs[0].text for table in action_tables for row in table.rows[1:]]
    assert sorted(titles) == sorted(row.action.title for row in rows)  # each action exactly once
    emploi = action_tables[0]
    assert {row.cells[0].paragraphs[0].text for row in emploi.rows[1:]} == {
        "Forum emploi associations – entreprises", "Parrainage de demandeurs d'emploi",
        "Annuaire des offres de stage"}
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
    forum = next(r for r in emploi.rows if r.cells[0].paragraphs[0].text.startswith("Forum"))
    assert "1\u202f250\u00a0€" in forum.cells[0].text
    assert "Mairie de Charenton" in forum.cells[3].text
    sections = document.sections
    assert sections[0].orientation == 0  # portrait title page
    assert all(section.orientation == 1 for section in sections[-3:])  # one landscape page a theme
    footer_xml = sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    handicap = action_tables[1]
    assert "Recruteurs sensibilisés" in handicap.rows[1].cells[7].text + handicap.rows[2].cells[7].text


def test_word_document_converts_with_libreoffice(ctx, experiment_data, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot check the PDF conversion")
    territory, coordinator, experiment = experiment_data
    scope, rows, data = _docx(territory, experiment)
    source = tmp_path / "plan.docx"
    source.write_bytes(data.getvalue())
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = (tmp_path / "plan.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(tmp_path / "plan.pdf")
    assert len(reader.pages) >= 4  # title page, synthesis, one landscape section per theme
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Sensibilisation des recruteurs" in text
    assert "Transversal" in text
    assert "Synthèse" in text
    assert "Charenton-Saint-Maurice" in text


def test_follow_up_xlsx_parses_back(ctx, experiment_data):
    territory, coordinator, experiment = experiment_data
    scope = consolidation.experiment_scope(experiment, territory)
    rows = reports.load_rows(scope)
    data = exports.build_follow_up_xlsx(scope, rows, key_figures.follow_up(rows, scope))
    workbook = load_workbook(BytesIO(data.getvalue()))
    sheet = workbook["Suivi des actions"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Thème", "Action", "Horizon")
    assert len(values) == 7
    forum = next(row for row in values if row[1].startswith("Forum"))
    assert forum[0] == "Emploi"
    assert forum[10] == "oui"  # overdue
    assert forum[11] == 1250
    alerts = list(workbook["Indicateurs à surveiller"].iter_rows(values_only=True))
    assert alerts[1][2] == "Recruteurs sensibilisés"


def test_formula_injection_is_neutralised(ctx, factory):
    territory = factory.territory()
    plan = factory.action_plan(territory)
    operations.create_action(plan, title="=HYPERLINK(\"http://x\")")
    scope = reports.plan_scope(plan, territory)
    rows = reports.load_rows(scope)
    data = exports.build_follow_up_xlsx(scope, rows, key_figures.follow_up(rows, scope))
    sheet = load_workbook(BytesIO(data.getvalue())).active
    assert sheet["B2"].value.startswith("'=")


# Pages ---------------------------------------------------------------------------------

def test_the_consolidated_plan_pages_follow_the_themes_order(client, login, experiment_data):
    """The consolidated plan lists the actions by theme (a transversal action on a theme's
    axis goes to that theme), then the transversal ones, each theme's in its plans' order,
    50 a page: its pages end to end are the document's order (``reports.load_rows``), and a
    theme chosen shows its own actions in that order."""
    territory, coordinator, experiment = experiment_data
    own = ap_queries.plan_for("experiment", experiment.id)
    handicap = db.session.scalar(select(Theme).where(Theme.experiment_id == experiment.id,
                                                     Theme.title == "Handicap"))
    axis = db.session.scalar(select(ActionPlanAxis).where(
        ActionPlanAxis.plan_id == own.id, ActionPlanAxis.key == consolidation.theme_axis_key(handicap.id)))
    for n in range(30):
        operations.create_action(own, title=f"Transversale {n:02d}")
        operations.create_action(own, title=f"Handicap, en transversal {n:02d}", axis_id=axis.id)
    db.session.commit()
    scope = consolidation.experiment_scope(experiment, territory)
    rows = reports.load_rows(scope)
    assert len(rows) == 66 and [row.group.title for row in rows[:5]] == ["Emploi"] * 3 + [
        "Handicap"] * 2 and rows[-1].group.title == "Transversal"

    def shown(some_rows):  # each theme's rows shown by horizon (court, moyen, long)
        return [row.action.title for _group, items in reports.grouped(some_rows, scope)
                for _key, _label, by_horizon in reports.by_horizon(items) for row in by_horizon]

    login(coordinator)
    base = f"/t/{territory.slug}/experiments/{experiment.id}/action-plan"

    def titles(query):
        page = client.get(base + query).get_data(as_text=True)
        return [unescape(title) for title in re.findall(
            r'<a href="/t/[^"]+/action-plans/actions/\d+">([^<]+)</a>', page)]

    assert titles("") == shown(rows[:50]) and titles("?page=2") == shown(rows[50:])
    first, second = (client.get(f"{base}?page={n}").get_data(as_text=True) for n in (1, 2))
    assert f'href="{base}?page=2" rel="next">Page suivante' in first and 'rel="prev"' not in first
    assert f'href="{base}?page=1" rel="prev">Page précédente' in second and 'rel="next"' not in second
    assert titles(f"?group=theme:{handicap.id}") == shown(
        [row for row in rows if row.group.key == f"theme:{handicap.id}"])
    # a theme or a porteur the filters do not offer (an unknown id): no filter, page 1 as is
    assert titles("?group=theme:0") == titles("?owner=999999") == shown(rows[:50])


def test_the_consolidated_plan_counts_each_plan_filtered_or_not(client, login, experiment_data):
    """Each plan's number of actions and the « Porteur » filter's organisations are those
    of all the plans' actions, whatever the list below shows (filtered or not)."""
    territory, coordinator, experiment = experiment_data
    login(coordinator)
    base = f"/t/{territory.slug}/experiments/{experiment.id}/action-plan"
    for query in ("", "?horizon=long", "?scope=territoire&group=theme:none"):
        page = client.get(base + query).get_data(as_text=True)
        plans = page.split('id="plans-title"', 1)[1].split("</table>", 1)[0]
        counts = [cell.split("</td>", 1)[0] for cell in plans.split("<td>")[1:]][1::3]
        assert counts == ["3", "2", "1"], query  # GT Emploi, GT Handicap, transversal
        porteurs = page.split('id="f-owner"', 1)[1].split("</select>", 1)[0]
        assert ">Banque Populaire</option>" in porteurs and ">Mairie de Charenton<" in porteurs


def test_experiment_pages_and_downloads(client, login, experiment_data):
    territory, coordinator, experiment = experiment_data
    login(coordinator)
    base = f"/t/{territory.slug}/experiments/{experiment.id}"
    page = client.get(f"{base}/action-plan").get_data(as_text=True)
    assert "Forum emploi associations – entreprises" in page
    assert "Transversal" in page
    page = client.get(f"{base}/restitution").get_data(as_text=True)
    assert "propositions pour le territoire" in page
    assert 'id="chart-horizons-data"' in page and "chart-horizons-table" in page
    page = client.get(f"{base}/follow-up").get_data(as_text=True)
    assert "Annuaire des offres de stage" in page  # without porteur
    assert "Recruteurs sensibilisés" in page  # behind its target
    response = client.get(f"{base}/action-plan.docx")
    assert response.status_code == 200
    assert Document(BytesIO(response.data)).paragraphs
    response = client.get(f"{base}/follow-up.xlsx")
    assert load_workbook(BytesIO(response.data)).active.max_row == 7


def test_follow_up_page_lists_what_needs_attention_and_counts_every_action(
        client, login, experiment_data):
    territory, coordinator, experiment = experiment_data
    own = ap_queries.plan_for("experiment", experiment.id)
    past = date.today() - timedelta(days=30)
    operations.create_action(own, title="Bilan livré en retard", status="realisee", due_date=past)
    dropped = operations.create_action(own, title="Navette abandonnée", due_date=past)
    operations.set_progress(dropped, 90)
    operations.change_status(dropped, "abandonnee", "Plus de financement")
    indicator = indicators.create_indicator(territory.id, "action", dropped.id,
                                            title="Trajets assurés", unit="trajets")
    indicators.set_target(indicator, date.today().year, 40)
    forum = db.session.scalar(select(Action).where(Action.title.startswith("Forum")))
    operations.set_progress(forum, 50)
    login(coordinator)
    page = client.get(f"/t/{territory.slug}/experiments/{experiment.id}/follow-up")
    text = page.get_data(as_text=True)
    assert "<strong>8</strong> actions" in text  # the abandoned one too
    assert "<strong>21 %</strong>" in text  # (50 + 100) / 7: not the abandoned one
    assert "<strong>1</strong> en retard" in text
    assert "Forum emploi associations – entreprises" in text
    assert "Bilan livré en retard" not in text and "Navette abandonnée" not in text
    assert "Trajets assurés" not in text and "Recruteurs sensibilisés" in text


def test_follow_up_and_restitution_rows_escape_what_users_typed(client, login, factory,
                                                              experiment_data):
    territory, coordinator, experiment = experiment_data
    own = ap_queries.plan_for("experiment", experiment.id)
    odd = factory.organisation(territory, name="Ré<seau> & Cie")
    operations.create_action(own, title="<b>Forum</b> & co", scope="territoire",
                             owner_organisation_id=odd.id,
                             due_date=date.today() - timedelta(days=3))
    operations.create_action(own, title="Sans <i>porteur</i>", scope="territoire")
    login(coordinator)
    base = f"/t/{territory.slug}/experiments/{experiment.id}"
    for page in (client.get(f"{base}/follow-up").get_data(as_text=True),
                 client.get(f"{base}/restitution").get_data(as_text=True)):
        assert "&lt;b&gt;Forum&lt;/b&gt; &amp; co</a>" in page and "<b>Forum" not in page
        assert "Sans &lt;i&gt;porteur&lt;/i&gt;</a>" in page
        assert "<td>Ré&lt;seau&gt; &amp; Cie</td></tr>" in page  # overdue action, proposal
    assert "<td>À désigner</td></tr>" in page  # a proposal without porteur


def _grow_plan(factory, territory, plan, count):
    organisation = factory.organisation(territory)
    for n in range(count):
        action = operations.create_action(plan, title=f"Action {n}", owner_organisation_id=organisation.id,
                                          due_date=date(2026, 1, 1) + timedelta(days=n))
        indicator = indicators.create_indicator(territory.id, "action", action.id,
                                                title=f"Indicateur {n}", unit="personnes")
        indicators.set_target(indicator, 2026, 10)


@pytest.mark.parametrize("suffix", ["", "/follow-up", "/plan.docx", "/follow-up.xlsx"])
def test_plan_pages_run_a_fixed_number_of_queries(client, login, factory, count_queries, suffix):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    plan = factory.action_plan(territory, axes=("Communication", "Financement"))
    url = f"/t/{territory.slug}/action-plans/{plan.id}{suffix}"
    login(coordinator)
    counts = []
    for count in (4, 12):
        _grow_plan(factory, territory, plan, count - (counts and 4 or 0))
        client.get(url)  # warm up
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_experiment_pages_run_a_fixed_number_of_queries(client, login, factory, count_queries,
                                                        experiment_data):
    territory, coordinator, experiment = experiment_data
    login(coordinator)
    plan = ap_queries.plan_for("experiment", experiment.id)
    base = f"/t/{territory.slug}/experiments/{experiment.id}"
    for url in (f"{base}/action-plan", f"{base}/restitution", f"{base}/follow-up"):
        counts = []
        for extra in (0, 8):
            _grow_plan(factory, territory, plan, extra)
            client.get(url)
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], url


def test_raci_grid_of_a_plan_feeds_the_raci_column(client, login, factory):
    from territorial.raci import operations as raci

    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    mairie = factory.organisation(territory, name="Mairie")
    plan = factory.action_plan(territory)
    first = operations.create_action(plan, title="Forum emploi")
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/action-plans/{plan.id}/raci")
    assert response.status_code == 302 and "/raci/" in response.headers["Location"]
    grid = raci.load_grid(raci.find_grid(territory.id, "action_plan", plan.id))
    assert [(a.source_key, a.label) for a in grid.activities] == [(f"action:{first.id}", "Forum emploi")]
    actor = raci.add_actor(grid, organisation=mairie)
    raci.set_cell(grid, grid.activities[0].id, actor.id, "R")
    # A new action becomes a new row of the grid.
    client.post(f"/t/{territory.slug}/action-plans/{plan.id}/actions/new",
                data={"title": "Annuaire", "horizon": "court", "scope": "participants",
                      "status": "proposee", "progress": "0", "axis_id": "0",
                      "owner_organisation_id": "0", "contact_person_id": "0"})
    grid = raci.load_grid(grid)
    assert [a.label for a in grid.activities] == ["Forum emploi", "Annuaire"]
    response = client.get(f"/t/{territory.slug}/action-plans/{plan.id}/plan.docx")
    document = Document(BytesIO(response.data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Action")
    forum = next(r for r in table.rows if r.cells[0].paragraphs[0].text == "Forum emploi")
    assert plain(forum.cells[4].text) == "R : Mairie"
    page = client.get(f"/t/{territory.slug}/action-plans/{plan.id}").get_data(as_text=True)
    assert "R : Mairie" in page
    # each action's page shows its own roles
    second = db.session.scalar(select(Action.id).where(Action.title == "Annuaire"))
    pages = {action_id: client.get(f"/t/{territory.slug}/action-plans/actions/{action_id}")
             .get_data(as_text=True) for action_id in (first.id, second)}
    assert "R : Mairie" in pages[first.id] and "R : Mairie" not in pages[second]


def test_the_plan_page_reads_the_raci_column_from_its_grid_like_the_exports(ctx, factory):
    """The plan page summarises its loaded grid (``grid_raci_summaries``), the exports query
    the grids (``raci_summaries``): the same « R : … · A : … » in the columns' order."""
    from territorial.raci import operations as raci

    territory = factory.territory()
    plan = factory.action_plan(territory)
    forum = operations.create_action(plan, title="Forum emploi")
    guide = operations.create_action(plan, title="Annuaire")
    grid = raci.get_or_create_grid(territory.id, "action_plan", plan.id, "Rôles")
    raci.sync_activities(grid, ap_queries.raci_rows(plan))
    grid = raci.load_grid(grid)
    rows = {a.source_key: a.id for a in grid.activities}
    actors = [raci.add_actor(grid, label=label) for label in ("Mairie", "CCAS", "Centre social")]
    letters = {(f"action:{forum.id}", 0): "A", (f"action:{forum.id}", 1): "R",
               (f"action:{forum.id}", 2): "R", (f"action:{guide.id}", 2): "C"}
    for (source_key, column), letter in letters.items():
        raci.set_cell(grid, rows[source_key], actors[column].id, letter)
    summaries = plan_raci.grid_raci_summaries(raci.load_grid(grid))
    assert summaries == plan_raci.raci_summaries(territory.id, [plan.id])
    assert summaries == {forum.id: "R : CCAS, Centre social · A : Mairie",
                         guide.id: "C : Centre social"}
    # a page of some actions reads theirs only
    assert plan_raci.raci_summaries(territory.id, [plan.id], [guide.id]) == {
        guide.id: "C : Centre social"}


def test_follow_up_xlsx_cells_are_typed(ctx, experiment_data):
    """Issue 17: the region computes with the export: dates, percentages, amounts and
    indicator figures are typed cells, not text."""
    territory, coordinator, experiment = experiment_data
    scope = consolidation.experiment_scope(experiment, territory)
    rows = reports.load_rows(scope)
    data = exports.build_follow_up_xlsx(scope, rows, key_figures.follow_up(rows, scope))
    workbook = load_workbook(BytesIO(data.getvalue()))
    sheet = workbook["Suivi des actions"]
    headers = [cell.value for cell in sheet[1]]
    forum_row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value.startswith("Forum"))
    forum = dict(zip(headers, forum_row, strict=True))
    assert isinstance(forum["Échéance"].value, datetime)
    assert forum["Échéance"].number_format == "DD/MM/YYYY"
    assert forum["Avancement"].value == 0 and "%" in forum["Avancement"].number_format
    assert forum["Budget"].value == 1250 and "€" in forum["Budget"].number_format
    targets = list(workbook["Indicateurs et cibles"].iter_rows(values_only=True))
    year = date.today().year
    recruiters = dict(zip(targets[0], targets[1], strict=True))
    assert recruiters[f"Cible {year}"] == 40 and recruiters["Dernière mesure"] == 12
    assert recruiters["Année de la mesure"] == year


def test_a_percentage_indicator_is_a_percentage_cell():
    from territorial.common import workbooks

    assert workbooks.number_cell(Decimal("25.5"), "%") == (0.255, workbooks.PERCENT)
    assert workbooks.number_cell(Decimal("1250.5"), "€") == (1250.5, workbooks.AMOUNT)
    assert workbooks.number_cell(Decimal("4"), "personnes") == (4, workbooks.INTEGER)


def test_a_plan_without_overdue_action_says_so_once(client, login, factory):
    """« À jour », then the sentence: not « Aucune Aucune action en retard »."""
    territory = factory.territory()
    plan = factory.action_plan(territory)
    operations.create_action(plan, title="Forum", due_date=date.today() + timedelta(days=30))
    db.session.commit()
    login(factory.user(territory, role="coordinator"))
    page = client.get(f"/t/{territory.slug}/action-plans/{plan.id}/follow-up").get_data(
        as_text=True)
    assert '<span class="badge badge-success">À jour</span> Aucune action en retard.' in page
