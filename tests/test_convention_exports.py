"""The XLSX and Word exports parse back with every indicator and every year; the
portfolio's number of queries does not grow with the number of conventions."""
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from tests.documents_support import paragraphs_text, plain, rows_text


@pytest.fixture
def dashboard(factory):
    """Two conventions, each with an objective, a quantitative indicator (targets and
    values 2024–2026) and a qualitative one, plus a dialogue note."""
    territory = factory.territory()
    coordinator = factory.user(territory)
    conventions = []
    for name in ("Ressourceries", "Insertion"):
        association = factory.organisation(territory, name=f"Association {name}")
        convention = factory.convention(territory, association=association,
                                        reference=f"CA-{name[:3].upper()}", title=f"Convention {name}")
        objective = factory.convention_objective(territory, convention, title=f"Objectif {name}")
        factory.convention_indicator(territory, objective, title=f"Tonnes {name}", unit="tonnes",
                                     targets={2024: 480, 2025: 540, 2026: 600},
                                     values={2024: 492, 2025: 450})
        quali = factory.convention_indicator(territory, objective, title=f"Gouvernance {name}",
                                             kind="qualitative", unit="")
        factory.dialogue_note(territory, quali, year=2025, party="association",
                              text=f"Le bureau {name} a été renouvelé.")
        conventions.append(convention)
    return territory, coordinator, conventions


def test_portfolio_xlsx_has_a_summary_and_a_sheet_per_convention(client, login, dashboard):
    territory, coordinator, conventions = dashboard
    login(coordinator)
    response = client.get(f"/t/{territory.slug}/conventions/portfolio.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.data))
    assert workbook.sheetnames == ["Synthèse", "CA-INS", "CA-RES"]  # by reference
    summary = list(workbook["Synthèse"].iter_rows(values_only=True))
    assert summary[0][:3] == ("Référence", "Convention", "Association")
    assert [row[0] for row in summary[1:]] == ["CA-INS", "CA-RES"]
    sheet = list(workbook["CA-RES"].iter_rows(values_only=True))
    headers = sheet[6]
    for year in (2024, 2025, 2026):
        assert f"Cible {year}" in headers and f"Atteint {year}" in headers
    rows = {row[2]: dict(zip(headers, row, strict=True)) for row in sheet[7:]}
    assert set(rows) == {"Tonnes Ressourceries", "Gouvernance Ressourceries"}
    tonnes = rows["Tonnes Ressourceries"]
    assert tonnes["Unité"] == "tonnes"
    assert tonnes["Cible 2024"] == 480 and tonnes["Atteint 2024"] == 492  # numbers, not text
    assert tonnes["Situation 2024"] == "Cible atteinte"
    assert tonnes["Situation 2025"] == "En retard sur la cible"
    assert tonnes["Cible 2026"] == 600 and tonnes["Atteint 2026"] is None
    amounts = workbook["Synthèse"]
    amount_column = summary[0].index("Montant total accordé") + 1
    for row in range(2, amounts.max_row + 1):
        cell = amounts.cell(row=row, column=amount_column)
        if cell.value is not None:
            assert isinstance(cell.value, (int, float)) and "€" in cell.number_format


def test_convention_docx_holds_the_dashboard_and_the_dialogue(client, login, dashboard):
    territory, coordinator, conventions = dashboard
    login(coordinator)
    response = client.get(f"/t/{territory.slug}/conventions/{conventions[0].id}/dashboard.docx")
    assert response.status_code == 200
    document = Document(BytesIO(response.data))
    headings = [(p.style.name, plain(p.text)) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Tableau de bord pluriannuel") in headings
    assert ("Heading 1", "Dialogue annuel") in headings
    assert [text for style, text in headings if style == "Heading 2" and text.startswith("Dialogue")] \
        == ["Dialogue 2024", "Dialogue 2025", "Dialogue 2026"]
    table = document.tables[-1]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Objectif", "Indicateur", "2024", "2025", "2026"]
    body = {row[1].split("\n")[0]: row for row in rows_text(table)[1:]}
    assert set(body) == {"Tonnes Ressourceries", "Gouvernance Ressourceries"}
    assert "Cible : 480 tonnes" in body["Tonnes Ressourceries"][2]
    assert "Atteint : 492 tonnes" in body["Tonnes Ressourceries"][2]
    assert "En retard sur la cible" in body["Tonnes Ressourceries"][3]
    text = paragraphs_text(document)
    assert "Association : Le bureau Ressourceries a été renouvelé." in text


def test_the_association_downloads_its_own_dashboard(client, login, factory, dashboard):
    territory, coordinator, conventions = dashboard
    member = factory.convention_member(territory, conventions[0])
    from territorial.accounts.models import User
    from extensions import db

    login(db.session.get(User, member.user_id))
    base = f"/t/{territory.slug}/conventions"
    assert client.get(f"{base}/{conventions[0].id}/dashboard.docx").status_code == 200
    assert client.get(f"{base}/{conventions[0].id}/dashboard.xlsx").status_code == 200
    assert client.get(f"{base}/{conventions[1].id}/dashboard.docx").status_code == 404
    assert client.get(f"{base}/portfolio.xlsx").status_code == 404


def _conventions(factory, territory, authority, count):
    for _ in range(count):
        convention = factory.convention(territory, authority=authority)
        objective = factory.convention_objective(territory, convention)
        factory.convention_indicator(territory, objective, targets={2024: 10, 2025: 12},
                                     values={2024: 11})
        factory.convention_value(territory, factory.convention_indicator(
            territory, objective, targets={2025: 5}))
        factory.convention_amount(territory, convention)


def test_portfolio_queries_do_not_grow_with_the_conventions(client, login, factory, count_queries):
    territory = factory.territory()
    authority = factory.organisation(territory, kind="collectivite")
    login(factory.user(territory))
    url = f"/t/{territory.slug}/conventions/portfolio"
    _conventions(factory, territory, authority, 2)
    client.get(url)
    with count_queries() as few:
        first = client.get(url)
    _conventions(factory, territory, authority, 4)
    with count_queries() as many:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    table = second.get_data(as_text=True).split('class="portfolio-table"')[1]
    assert table.count('<th scope="row">') == 6
    assert len(many) == len(few)


def test_dashboard_queries_do_not_grow_with_the_indicators(client, login, factory, count_queries):
    territory = factory.territory()
    login(factory.user(territory))
    convention = factory.convention(territory)
    url = f"/t/{territory.slug}/conventions/{convention.id}"

    def add(count):
        for _ in range(count):
            objective = factory.convention_objective(territory, convention)
            factory.convention_indicator(territory, objective, targets={2025: 10}, values={2024: 3})
            factory.convention_value(territory, factory.convention_indicator(
                territory, objective, targets={2025: 5}), entered_by_id=None)

    add(1)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    add(3)
    with count_queries() as many:
        client.get(url)
    assert len(many) == len(few)
