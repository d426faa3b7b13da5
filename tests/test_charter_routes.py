"""Authorisation of every route of the partnerships (charters, instances, joint projects,
decisions): other territories get 404, the territory's coordinator reaches every page,
observers change nothing (403), partners see nothing (404)."""
import re

import pytest

from tests.route_ids import ID_MAKERS

ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # <int:id>, <any(docx, pdf):fmt>

# POST routes a participant (view + contribute) may not use: the charter and its instances are
# the coordinators' ; meetings and notes are the facilitators'.
EDIT_ONLY = {
    "partnerships.new_charter", "partnerships.edit_section", "partnerships.restore",
    "partnerships.adopt", "partnerships.add_member", "partnerships.remove_member",
    "partnerships.delegations", "partnerships.delete_delegation",
    "partnerships.add_instance_member", "partnerships.remove_instance_member",
    "partnerships.schedule_meeting", "partnerships.draft_note", "partnerships.note",
    "partnerships.action_plan",
}


def partnership_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("partnerships.")]


def _url(rule, slug, ids):
    def replace(match):
        name = match.group(2)
        return slug if name == "territory" else str(ids[name])

    return ARGUMENT.sub(replace, rule.rule)


@pytest.fixture
def territory_with_objects(factory):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    ids = {name: maker(factory, territory, coordinator) for name, maker in ID_MAKERS.items()}
    return territory, coordinator, ids


def test_the_index_endpoint_is_partnerships_index(app):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "partnerships.index")
    assert rule.rule == "/t/<territory>/partnerships"


def test_every_page_answers_the_coordinator(app, client, login, territory_with_objects):
    territory, coordinator, ids = territory_with_objects
    login(coordinator)
    for rule in partnership_rules(app):
        if "GET" in rule.methods:
            url = _url(rule, territory.slug, ids)
            response = client.get(url)
            assert response.status_code == 200, f"GET {url} → {response.status_code}"


def test_another_territory_gets_404_everywhere(app, client, login, factory, territory_with_objects):
    territory, _coordinator, ids = territory_with_objects
    other = factory.territory()
    login(factory.user(other, role="coordinator"))
    for rule in partnership_rules(app):
        for method in sorted(rule.methods & {"GET", "POST"}):
            for slug in (territory.slug, other.slug):
                if slug == other.slug and rule.arguments == {"territory"}:
                    continue
                url = _url(rule, slug, ids)
                response = client.open(url, method=method)
                assert response.status_code == 404, f"{method} {url} → {response.status_code}"


def test_observers_change_nothing(app, client, login, factory, territory_with_objects):
    territory, _coordinator, ids = territory_with_objects
    login(factory.user(territory, role="observer"))
    for rule in partnership_rules(app):
        if "POST" in rule.methods:
            url = _url(rule, territory.slug, ids)
            response = client.post(url, data={})
            assert response.status_code == 403, f"POST {url} → {response.status_code}"


def test_participants_do_not_govern_the_charter(app, client, login, factory, territory_with_objects):
    territory, _coordinator, ids = territory_with_objects
    login(factory.user(territory, role="participant"))
    for rule in partnership_rules(app):
        if "POST" in rule.methods and rule.endpoint in EDIT_ONLY:
            url = _url(rule, territory.slug, ids)
            response = client.post(url, data={})
            assert response.status_code == 403, f"POST {url} → {response.status_code}"


def test_participants_who_sit_nowhere_cannot_act_for_an_instance(
    app, client, login, factory, territory_with_objects
):
    territory, _coordinator, ids = territory_with_objects
    login(factory.user(territory, role="participant"))
    for endpoint in ("partnerships.record_positions", "partnerships.conclude",
                     "partnerships.escalate", "partnerships.reopen_lapsed",
                     "partnerships.add_objective",
                     "partnerships.add_budget_line", "partnerships.conduct"):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = _url(rule, territory.slug, ids)
        assert client.post(url, data={}).status_code == 403, url


def test_partners_see_nothing(app, client, login, factory, territory_with_objects):
    territory, _coordinator, ids = territory_with_objects
    login(factory.user(territory, role="partner"))
    for rule in partnership_rules(app):
        for method in sorted(rule.methods & {"GET", "POST"}):
            url = _url(rule, territory.slug, ids)
            assert client.open(url, method=method).status_code == 404, f"{method} {url}"
