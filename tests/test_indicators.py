"""Indicators: operations, loading in a fixed number of queries, pages and forms."""
import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from extensions import db
from facilitation.action_plans.models import Action
from territorial.audit.models import AuditEntry
from territorial.common.errors import DomainError
from territorial.indicators import operations, rules
from territorial.indicators.models import Indicator, IndicatorValue


@pytest.fixture
def setup(factory):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    plan = factory.action_plan(territory)
    action = factory.action(plan)
    return territory, coordinator, plan, action


def test_targets_and_values(ctx, setup):
    territory, coordinator, plan, action = setup
    indicator = operations.create_indicator(territory.id, "action", action.id,
                                            title="Inscrits", unit="personnes", baseline="40")
    operations.set_target(indicator, 2025, "100")
    operations.set_target(indicator, 2025, "120")  # replaces
    operations.set_target(indicator, 2026, "150")
    measure = operations.record_value(indicator, 2025, "118", source="Fichiers",
                                      entered_by=coordinator)
    operations.validate_value(measure, coordinator)
    loaded = operations.indicators_for("action", [action.id])[action.id][0]
    assert [(t.year, t.value) for t in loaded.targets] == [(2025, Decimal(120)), (2026, Decimal(150))]
    assert loaded.values[0].validated_by_id == coordinator.id
    assert loaded.values[0].territory_id == territory.id
    assert rules.status_against_target(loaded, 2025)[0] == "on_track"


def test_changes_are_audited(ctx, setup):
    territory, coordinator, plan, action = setup
    indicator = operations.create_indicator(territory.id, "action", action.id,
                                            title="Inscrits", unit="personnes")
    operations.record_value(indicator, 2025, 10)
    types = set(db.session.scalars(
        select(AuditEntry.object_type).where(AuditEntry.territory_id == territory.id)
    ))
    assert {"Indicator", "IndicatorValue"} <= types


def test_value_of_a_quantitative_indicator_needs_a_number(ctx, setup):
    territory, coordinator, plan, action = setup
    indicator = operations.create_indicator(territory.id, "action", action.id,
                                            title="Inscrits", unit="personnes")
    with pytest.raises(DomainError) as error:
        operations.record_value(indicator, 2025, None)
    assert "value" in error.value.errors


def test_indicators_for_many_owners_in_one_query(ctx, factory, count_queries):
    """Twelve owners' indicators with their targets (in year order, none for some) and
    values: one query, whose text holds the ids."""
    territory = factory.territory()
    territory_id = territory.id
    for owner_id in range(1, 13):
        indicator = factory.indicator(territory, owner_type="action", owner_id=owner_id)
        if owner_id % 4:
            operations.set_target(indicator, 2026, 12)
            operations.set_target(indicator, 2025, 10)
        if owner_id % 3 == 0:
            operations.record_value(indicator, 2026, 7)
        operations.record_value(indicator, 2025, 5)
    db.session.commit()  # (releases the test's savepoint; the test's transaction still rolls back)
    db.session.expire_all()
    with count_queries() as queries:
        result = operations.indicators_for("action", range(1, 13), territory_id=territory_id)
    assert len(queries) == 1
    # the ids written in the SQL, not a bound parameter each (a page's fifty would make
    # the driver parse the statement anew each time)
    assert all(query.count("?") + query.count("%(") <= 2 for query in queries), queries
    assert {owner_id: [t.year for t in found[0].targets] for owner_id, found in result.items()} == {
        owner_id: [2025, 2026] if owner_id % 4 else [] for owner_id in range(1, 13)}
    assert {owner_id: [v.value for v in found[0].values] for owner_id, found in result.items()} == {
        owner_id: [5, 7] if owner_id % 3 == 0 else [5] for owner_id in range(1, 13)}


def test_indicators_for_owners_chosen_by_a_select(ctx, factory, count_queries):
    territory, other = factory.territory(), factory.territory()
    plan, elsewhere = factory.action_plan(territory), factory.action_plan(territory)
    mine, theirs = factory.action(plan), factory.action(elsewhere)
    for action in (mine, theirs):
        indicator = factory.indicator(territory, owner_type="action", owner_id=action.id)
        operations.record_value(indicator, 2025, 5)
    factory.indicator(other, owner_type="action", owner_id=mine.id)
    owners = select(Action.id).where(Action.plan_id == plan.id)
    with count_queries() as queries:
        result = operations.indicators_for("action", owners, territory_id=territory.id)
    assert len(queries) == 1
    assert list(result) == [mine.id]
    assert [len(i.values) for i in result[mine.id]] == [1]


def test_indicators_for_filters_on_the_territory(ctx, factory):
    one, two = factory.territory(), factory.territory()
    factory.indicator(one, owner_type="action", owner_id=7)
    factory.indicator(two, owner_type="action", owner_id=7)
    assert len(operations.indicators_for("action", [7], territory_id=one.id)[7]) == 1


# Pages -----------------------------------------------------------------------------

def test_add_an_indicator_to_an_action_and_go_back(client, login, setup):
    territory, coordinator, plan, action = setup
    login(coordinator)
    back = f"/t/{territory.slug}/action-plans/actions/{action.id}"
    url = f"/t/{territory.slug}/indicators/new?owner_type=action&owner_id={action.id}&next={back}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"title": "Entreprises mobilisées", "kind": "quantitative",
                                      "unit": "", "direction": "increase"})
    assert response.status_code == 422
    assert "a besoin d'une unité" in html.unescape(response.get_data(as_text=True))
    assert "Entreprises mobilisées" in response.get_data(as_text=True)  # nothing lost
    response = client.post(url, data={"title": "Entreprises mobilisées", "kind": "quantitative",
                                      "unit": "entreprises", "direction": "increase",
                                      "baseline": "1 250,5", "baseline_year": "2024"})
    assert response.status_code == 302
    indicator = db.session.scalar(select(Indicator).where(Indicator.owner_id == action.id))
    assert indicator.baseline == Decimal("1250.5")
    show = response.headers["Location"]
    page = client.get(show).get_data(as_text=True)
    assert "1\u202f250,5" in page  # the French group separator: a narrow no-break space
    crumbs = html.unescape(page.split('class="breadcrumbs"')[1].split("</nav>")[0])
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs)[1:] == [  # after the territory
        (f"/t/{territory.slug}/action-plans", "Plans d'action"),
        (f"/t/{territory.slug}/action-plans/{plan.id}", plan.title),
        (back, f"Action « {action.title} »")]  # the way back named
    response = client.post(f"/t/{territory.slug}/indicators/{indicator.id}/targets",
                           data={"target-year": "2025", "target-value": "2 000", "next": back})
    assert response.status_code == 302
    response = client.post(f"/t/{territory.slug}/indicators/{indicator.id}/values",
                           data={"measure-year": "2025", "measure-value": "abc", "next": back})
    assert response.status_code == 422
    assert "Saisissez un nombre" in response.get_data(as_text=True)
    response = client.post(f"/t/{territory.slug}/indicators/{indicator.id}/values",
                           data={"measure-year": "2025", "measure-value": "1950", "next": back})
    assert response.status_code == 302
    action_page = client.get(back).get_data(as_text=True)
    assert "Entreprises mobilisées" in action_page
    assert "En bonne voie" in action_page
    value = db.session.scalar(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id))
    response = client.post(f"/t/{territory.slug}/indicators/values/{value.id}/validate",
                           data={"next": back})
    assert response.status_code == 302
    assert value.validated_by_id == coordinator.id


def test_unknown_owner_or_owner_of_another_territory_is_404(client, login, factory, setup):
    territory, coordinator, plan, action = setup
    other = factory.territory()
    foreign_action = factory.action(factory.action_plan(other))
    login(coordinator)
    base = f"/t/{territory.slug}/indicators/new"
    assert client.get(f"{base}?owner_type=nothing&owner_id=1").status_code == 404
    assert client.get(f"{base}?owner_type=action&owner_id={foreign_action.id}").status_code == 404


def test_next_must_be_a_local_path(client, login, setup):
    territory, coordinator, plan, action = setup
    indicator = operations.create_indicator(territory.id, "action", action.id, title="Q",
                                            kind="qualitative")
    db.session.flush()
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/indicators/{indicator.id}/delete",
                           data={"next": "//evil.example/"})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_observer_cannot_add_an_indicator(client, login, factory, setup):
    territory, coordinator, plan, action = setup
    observer = factory.user(territory, role="observer")
    login(observer)
    url = f"/t/{territory.slug}/indicators/new?owner_type=action&owner_id={action.id}"
    assert client.get(url).status_code == 403


def test_home_lists_indicators_without_this_years_measure(client, login, setup):
    from datetime import date

    territory, coordinator, plan, action = setup
    year = date.today().year
    waiting = operations.create_indicator(territory.id, "action", action.id, title="Inscrits",
                                          unit="personnes")
    operations.set_target(waiting, year, 10)
    measured = operations.create_indicator(territory.id, "action", action.id, title="Sorties",
                                           unit="sorties")
    operations.set_target(measured, year, 4)
    operations.record_value(measured, year, 3)
    login(coordinator)
    page = client.get(f"/t/{territory.slug}/").get_data(as_text=True)
    assert f"Indicateurs sans mesure en {year} (1)" in page
    assert "Inscrits" in page
