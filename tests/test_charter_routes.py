"""What participants may not do in a partnership, said independently of what the views
declare (every route against every role: tests/test_routes_by_role.py)."""
import pytest

from tests.route_ids import ID_MAKERS, route_url

# POST routes a participant (view + contribute) may not use: the charter and its instances are
# the coordinators' ; meetings and notes are the facilitators'.
EDIT_ONLY = {
    "charters.new_charter", "charters.edit_section", "charters.restore",
    "charters.adopt", "charters.add_member", "charters.remove_member",
    "charters.delegations", "charters.delete_delegation",
    "decisions.add_instance_member", "decisions.remove_instance_member",
    "decisions.schedule_meeting", "decisions.draft_note", "decisions.note",
    "partnerships.action_plan",
}


def partnership_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in ("partnerships", "charters", "joint_projects", "decisions")]


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
    for endpoint in ("decisions.record_positions", "decisions.conclude",
                     "decisions.escalate", "decisions.reopen_lapsed",
                     "joint_projects.add_objective",
                     "joint_projects.add_budget_line", "joint_projects.conduct"):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = route_url(rule, territory.slug, ids)
        assert client.post(url, data={}).status_code == 403, url

