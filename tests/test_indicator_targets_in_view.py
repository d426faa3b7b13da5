"""Issue 17: a plan over 2027–2029 seen in 2026 and in 2028 (the clock set in the test): every
page and export that shows an indicator shows the target of the year it concerns, the next
one and the trajectory; « en retard » compares the last measure with its year's target."""
from datetime import date
from html import unescape
from io import BytesIO
from types import SimpleNamespace as N

import pytest
from docx import Document
from openpyxl import load_workbook

from extensions import db
from facilitation.action_plans import consolidation
from territorial.common import dates
from territorial.indicators import operations as indicators
from territorial.indicators.standing import standing, year_in_view
from tests.documents_support import paragraphs_text, plain


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def clock(monkeypatch):
    def set_year(year: int):
        monkeypatch.setattr(dates, "today", lambda: date(year, 6, 15))
    return set_year


@pytest.fixture
def plan_2027(factory, login):
    """A plan over 2027–2029 with one action and one indicator: 120, 150, 200 families."""
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))
    plan = factory.action_plan(territory, title="Plan 2027-2029", start_year=2027,
                               horizon_years=3)
    action = factory.action(plan, title="Accueil des familles")
    indicator = indicators.create_indicator(territory.id, "action", action.id,
                                            title="Familles accueillies", unit="familles")
    for year, value in ((2027, 120), (2028, 150), (2029, 200)):
        indicators.set_target(indicator, year, value)
    db.session.commit()
    return N(territory=territory, plan=plan, action=action, indicator=indicator,
             base=f"/t/{territory.slug}/action-plans")


def _xlsx_rows(client, url, sheet):
    workbook = load_workbook(BytesIO(client.get(url).data))
    return [list(r) for r in workbook[sheet].iter_rows(values_only=True)]


def test_seen_in_2026_every_page_shows_the_first_target_not_2026(plan_2027, client, clock):
    clock(2026)
    p = plan_2027
    pages = {
        "action": text(client.get(f"{p.base}/actions/{p.action.id}")),
        "plan": text(client.get(f"{p.base}/{p.plan.id}")),
        "suivi": text(client.get(f"{p.base}/{p.plan.id}/follow-up")),
    }
    for name, page in pages.items():
        assert "Pas de cible pour 2026" not in page, name
        assert "Cible 2027 : 120 familles" in page or "2027 : 120 familles" in page, name
        assert "Première cible en 2027" in page, name
    for year, target in ((2027, 120), (2028, 150), (2029, 200)):  # one row a year
        assert f"<td>{year}</td>\n            <td>{target} familles</td>" in pages["action"]
    assert "À venir" in pages["action"]
    assert "Aucun indicateur en retard" not in pages["suivi"]
    rows = _xlsx_rows(client, f"{p.base}/{p.plan.id}/follow-up.xlsx", "Indicateurs et cibles")
    assert rows[0][4:7] == ["Cible 2027", "Cible 2028", "Cible 2029"]
    assert rows[1][4:7] == [120, 150, 200]
    assert rows[1][-1] == "Première cible en 2027"
    summary = _xlsx_rows(client, f"{p.base}/{p.plan.id}/follow-up.xlsx", "Suivi des actions")
    assert "cible 2027 : 120 familles" in summary[1][-1]
    assert "Pas de cible pour 2026" not in summary[1][-1]
    document = Document(BytesIO(client.get(f"{p.base}/{p.plan.id}/plan.docx").data))
    words = plain(paragraphs_text(document) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells))
    assert "Cibles : 2027 : 120 familles · 2028 : 150 familles · 2029 : 200 familles" in words
    assert "Première cible en 2027" in words


def test_seen_in_2028_the_2027_measure_is_behind_its_own_target(plan_2027, client, clock):
    clock(2028)
    p = plan_2027
    indicators.record_value(p.indicator, 2027, 90)  # 90 of 120 in 2027: behind
    db.session.commit()
    action_page = text(client.get(f"{p.base}/actions/{p.action.id}"))
    assert "Cible 2028 : 150 familles" in action_page
    assert "En retard sur la cible (2027)" in action_page
    plan_page = text(client.get(f"{p.base}/{p.plan.id}"))
    assert "En retard sur la cible (2027)" in plan_page
    follow = text(client.get(f"{p.base}/{p.plan.id}/follow-up"))
    assert "Aucun indicateur en retard" not in follow
    assert "En retard sur la cible (2027)" in follow
    rows = _xlsx_rows(client, f"{p.base}/{p.plan.id}/follow-up.xlsx", "Indicateurs et cibles")
    assert rows[1][4:10] == [120, 150, 200, 90, 2027, "En retard sur la cible (2027)"]
    alerts = _xlsx_rows(client, f"{p.base}/{p.plan.id}/follow-up.xlsx",
                        "Indicateurs à surveiller")
    assert alerts[1][3] == "En retard sur la cible (2027)"
    assert alerts[1][4:8] == [2028, 150, 90, 2027]
    document = Document(BytesIO(client.get(f"{p.base}/{p.plan.id}/plan.docx").data))
    words = plain("\n".join(cell.text for table in document.tables for row in table.rows
                            for cell in row.cells))
    assert "Mesuré en 2027 : 90 familles — En retard sur la cible (2027)" in words


def test_the_consolidated_plan_shows_the_plans_targets(factory, login, client, clock):
    clock(2026)
    territory = factory.territory()
    login(factory.user(territory, role="coordinator"))
    experiment = factory.experiment(territory, themes=("Emploi",), title="Agir")
    _created, own = consolidation.set_up_plans(experiment)
    own.start_year, own.horizon_years = 2027, 3
    action = factory.action(own, title="Forum")
    indicator = indicators.create_indicator(territory.id, "action", action.id,
                                            title="Recruteurs", unit="personnes")
    indicators.set_target(indicator, 2027, 40)
    db.session.commit()
    page = text(client.get(f"/t/{territory.slug}/experiments/{experiment.id}/action-plan"))
    assert "Cible 2027 : 40 personnes" in page and "Pas de cible pour 2026" not in page
    follow = text(client.get(f"/t/{territory.slug}/experiments/{experiment.id}/follow-up"))
    assert "Première cible en 2027" in follow


# The rule itself, without pages -----------------------------------------------------

def _indicator(targets, values=(), direction="increase"):
    target_objs = [N(year=y, value=v, statement=None) for y, v in targets]
    value_objs = [N(year=y, value=v, text_value="", validated_at=None) for y, v in values]
    indicator = N(kind="quantitative", unit="familles", baseline=None, direction=direction,
                  targets=target_objs, values=value_objs, scale="")
    indicator.target_for = lambda year: next((t for t in target_objs if t.year == year), None)
    indicator.latest_value = lambda year: ([v for v in value_objs if v.year == year] or [None])[-1]
    return indicator


def test_the_year_in_view_follows_the_period():
    indicator = _indicator([(2027, 120), (2028, 150)])
    period = [2027, 2028, 2029]
    assert year_in_view(indicator, date(2026, 1, 1), period) == 2027
    assert year_in_view(indicator, date(2028, 1, 1), period) == 2028
    assert year_in_view(indicator, date(2031, 1, 1), period) == 2029
    assert year_in_view(indicator, date(2026, 1, 1)) == 2027  # no period: the next target


def test_a_due_target_without_measure_and_a_met_target():
    due = standing(_indicator([(2027, 120)]), date(2028, 1, 1), [2027, 2028])
    assert due.code == "no_value"
    met = standing(_indicator([(2027, 120), (2028, 150)], [(2027, 130)]), date(2028, 1, 1))
    assert met.code == "ahead" and met.target.year == 2028
    assert met.label == "Cible atteinte (2027)"
