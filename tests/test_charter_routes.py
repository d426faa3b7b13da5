"""What participants may not do in a partnership, said independently of what the views
declare (every route against every role: tests/test_routes_by_role.py)."""
import pytest

from tests.route_ids import ID_MAKERS, route_url

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


@pytest.fixture
def territory_with_objects(factory):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    ids = {name: maker(factory, territory, coordinator) for name, maker in ID_MAKERS.items()}
    return territory, coordinator, ids


def test_the_index_endpoint_is_partnerships_index(app):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "partnerships.index")
    assert rule.rule == "/t/<territory>/partnerships"


def test_participants_do_not_govern_the_charter(app, client, login, factory, territory_with_objects):
    territory, _coordinator, ids = territory_with_objects
    login(factory.user(territory, role="participant"))
    for rule in partnership_rules(app):
        if "POST" in rule.methods and rule.endpoint in EDIT_ONLY:
            url = route_url(rule, territory.slug, ids)
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
        url = route_url(rule, territory.slug, ids)
        assert client.post(url, data={}).status_code == 403, url

