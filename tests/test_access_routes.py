"""Per-object authorisation: a user of territory A gets 404 for every URL of
territory B, and for B's ids under A's own URLs, by GET and by POST."""
import pytest

from tests.route_ids import ID_MAKERS, UNSCOPED_ROUTES, route_url, territory_rules


def test_every_route_with_an_argument_is_scoped_or_explained(app):
    for rule in app.url_map.iter_rules():
        if rule.arguments and "territory" not in rule.arguments:
            assert rule.rule in UNSCOPED_ROUTES, (
                f"{rule.rule} takes an argument outside /t/<territory>/: scope it or explain "
                "why it is safe in tests/route_ids.py"
            )


def test_every_id_argument_has_a_maker(app):
    for rule in territory_rules(app):
        for name in rule.arguments - {"territory"}:
            assert name in ID_MAKERS, f"{rule.rule}: add a maker for <{name}> in tests/route_ids.py"


@pytest.fixture
def two_territories(factory):
    territory_a, territory_b = factory.territory(), factory.territory()
    user_a = factory.user(territory_a, role="coordinator")
    user_b = factory.user(territory_b, role="coordinator")
    return territory_a, user_a, territory_b, user_b


_url = route_url


def _methods(rule):
    return sorted(rule.methods & {"GET", "POST"})


def test_other_territory_urls_answer_404(app, client, login, factory, two_territories):
    territory_a, user_a, territory_b, user_b = two_territories
    ids_b = {name: maker(factory, territory_b, user_b) for name, maker in ID_MAKERS.items()}
    login(user_a)
    for rule in territory_rules(app):
        url = _url(rule, territory_b.slug, ids_b)
        for method in _methods(rule):
            response = client.open(url, method=method)
            assert response.status_code == 404, f"{method} {url} → {response.status_code}"


def test_other_territory_ids_under_own_territory_answer_404(
    app, client, login, factory, two_territories
):
    territory_a, user_a, territory_b, user_b = two_territories
    ids_b = {name: maker(factory, territory_b, user_b) for name, maker in ID_MAKERS.items()}
    login(user_a)
    for rule in territory_rules(app):
        if not rule.arguments - {"territory", "fmt"}:  # no id to take from the other territory
            continue
        url = _url(rule, territory_a.slug, ids_b)
        for method in _methods(rule):
            response = client.open(url, method=method)
            assert response.status_code == 404, f"{method} {url} → {response.status_code}"


def test_own_territory_routes_do_not_fail(app, client, login, factory, two_territories):
    """The same URLs with A's own objects never answer 404 or a server error
    (so that the 404s above come from the access check, not from broken routes)."""
    territory_a, user_a, territory_b, user_b = two_territories
    ids_a = {name: maker(factory, territory_a, user_a) for name, maker in ID_MAKERS.items()}
    login(user_a)
    for rule in territory_rules(app):
        url = _url(rule, territory_a.slug, ids_a)
        if "GET" in rule.methods:
            response = client.get(url)
            assert response.status_code < 400 or response.status_code == 403, (
                f"GET {url} → {response.status_code}"
            )


def test_anonymous_visitor_is_sent_to_login(app, client, factory):
    territory = factory.territory()
    response = client.get(f"/t/{territory.slug}/organisations")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_partners_reach_only_the_views_open_to_them(app, client, login, factory):
    """A partner (an association under convention) sees nothing else of the territory."""
    from territorial.access import _views_open_to_partners

    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    ids = {name: maker(factory, territory, coordinator) for name, maker in ID_MAKERS.items()}
    login(factory.user(territory, role="partner"))
    for rule in territory_rules(app):
        view = app.view_functions[rule.endpoint]
        if getattr(view, "__wrapped__", view) in _views_open_to_partners:
            continue
        url = _url(rule, territory.slug, ids)
        for method in _methods(rule):
            response = client.open(url, method=method)
            assert response.status_code == 404, f"{method} {url} → {response.status_code}"
