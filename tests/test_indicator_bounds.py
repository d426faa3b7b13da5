"""Issue 17: numbers with meaning. Counts and amounts are never negative, a share in % lies
between 0 and 100, amounts have at most two decimals and a plausible size, no exponent
notation; a qualitative indicator's targets and values are chosen from its scale."""
import html
from decimal import Decimal

import pytest
from sqlalchemy import select

from extensions import db
from territorial.common.errors import DomainError
from territorial.indicators import operations, rules
from territorial.indicators.models import IndicatorTarget, IndicatorValue


@pytest.fixture
def setup(factory, login):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    plan = factory.action_plan(territory)
    action = factory.action(plan)
    login(coordinator)
    return territory, action


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("unit, value, message", [
    ("familles", Decimal("-220"), "ne peut pas être négative"),
    ("personnes", Decimal("-2"), "ne peut pas être négative"),
    ("%", Decimal("130"), "compris entre 0 et 100"),
    ("€", Decimal("12.345"), "au plus deux décimales"),
    ("€", Decimal("1000000000"), "dépasse 100 millions d'euros"),
])
def test_figures_outside_their_units_bounds_are_refused(unit, value, message):
    assert message in rules.number_error(unit, value)


@pytest.mark.parametrize("unit, value", [
    ("familles", Decimal(0)), ("%", Decimal(100)), ("%", Decimal("25.5")),
    ("€", Decimal("1250.50")), ("points d'évolution", Decimal(-12)), ("solde en €", Decimal(-5)),
])
def test_figures_within_bounds_pass(unit, value):
    assert rules.number_error(unit, value) is None


def test_a_negative_target_or_value_is_refused_with_its_message(ctx, setup):
    territory, action = setup
    indicator = operations.create_indicator(territory.id, "action", action.id,
                                            title="Familles", unit="familles")
    with pytest.raises(DomainError) as refused:
        operations.set_target(indicator, 2027, Decimal(-220))
    assert "négative" in refused.value.errors["value"]
    with pytest.raises(DomainError):
        operations.record_value(indicator, 2027, Decimal(-2))
    with pytest.raises(DomainError) as refused:
        operations.create_indicator(territory.id, "action", action.id, title="Part",
                                    unit="%", baseline=Decimal(130))
    assert "entre 0 et 100" in refused.value.errors["baseline"]


def test_the_pages_refuse_bounds_and_exponents_next_to_the_field(client, setup):
    territory, action = setup
    indicator = operations.create_indicator(territory.id, "action", action.id,
                                            title="Part des jeunes", unit="%")
    db.session.commit()
    base = f"/t/{territory.slug}/indicators/{indicator.id}"
    response = client.post(f"{base}/targets", data={"target-year": "2027", "target-value": "130"})
    assert response.status_code == 422 and "compris entre 0 et 100" in _page(response)
    assert 'value="130"' in _page(response)  # what the user typed is kept
    response = client.post(f"{base}/values", data={"measure-year": "2027", "measure-value": "1e9"})
    assert response.status_code == 422 and "sans notation scientifique" in _page(response)
    assert db.session.scalars(select(IndicatorTarget)).all() == []
    assert db.session.scalars(select(IndicatorValue)).all() == []


def test_a_budget_of_1e9_is_refused_next_to_the_field(client, setup):
    territory, action = setup
    url = f"/t/{territory.slug}/action-plans/actions/{action.id}/edit"
    page = _page(client.get(url))
    assert "budget_amount" in page
    response = client.post(url, data={"title": action.title, "horizon": "court",
                                      "scope": "participants", "status": "proposee",
                                      "progress": "0", "budget_amount": "1000000000"})
    assert response.status_code == 422
    assert "dépasse 100 millions d'euros" in _page(response)


def test_a_qualitative_indicator_is_chosen_from_its_scale(client, setup):
    territory, action = setup
    indicator = operations.create_indicator(
        territory.id, "action", action.id, title="Coopération", kind="qualitative",
        scale="Insuffisant\nEn progrès\nSatisfaisant")
    db.session.commit()
    base = f"/t/{territory.slug}/indicators/{indicator.id}"
    page = _page(client.get(base))
    assert '<select id="target-statement" name="target-statement">' in page
    assert '<option value="Satisfaisant">Satisfaisant</option>' in page
    response = client.post(f"{base}/targets", data={"target-year": "2027",
                                                    "target-statement": "Excellent"})
    assert response.status_code == 422
    assert "Choisissez un niveau de l'échelle de l'indicateur : Insuffisant, En progrès, " \
        "Satisfaisant." in _page(response)
    response = client.post(f"{base}/targets", data={"target-year": "2027",
                                                    "target-statement": "Satisfaisant"})
    assert response.status_code == 302
    response = client.post(f"{base}/values", data={"measure-year": "2027",
                                                   "measure-text_value": "Très bien"})
    assert response.status_code == 422 and "niveau de l'échelle" in _page(response)
