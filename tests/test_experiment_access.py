"""Authorisation of every route of issue 3 (experiments, working groups, sessions, agenda):
another territory's user gets 404 by GET and POST; own coordinator never 404/500; an
observer cannot change anything (403)."""
import pytest

from tests.route_ids import ID_MAKERS
from tests.test_access_routes import _methods, _url, territory_rules

PREFIXES = ("experiments.", "working_groups.", "sessions.", "agenda.")


def issue_rules(app):
    rules = [rule for rule in territory_rules(app) if rule.endpoint.startswith(PREFIXES)]
    assert len(rules) > 40
    return rules


@pytest.fixture
def two_territories(factory):
    territory_a, territory_b = factory.territory(), factory.territory()
    return (territory_a, factory.user(territory_a, role="coordinator"),
            territory_b, factory.user(territory_b, role="coordinator"))


def _ids(factory, territory, user):
    return {name: maker(factory, territory, user) for name, maker in ID_MAKERS.items()}


def test_other_territory_gets_404_everywhere(app, client, login, factory, two_territories):
    territory_a, user_a, territory_b, user_b = two_territories
    ids_b = _ids(factory, territory_b, user_b)
    login(user_a)
    failures = []
    for rule in issue_rules(app):
        for slug in (territory_b.slug, territory_a.slug):
            if slug == territory_a.slug and rule.arguments == {"territory"}:
                continue
            url = _url(rule, slug, ids_b)
            for method in _methods(rule):
                status = client.open(url, method=method).status_code
                if status != 404:
                    failures.append(f"{method} {url} → {status}")
    assert not failures, "\n".join(failures)


def test_own_coordinator_reaches_every_page(app, client, login, factory, two_territories):
    territory_a, user_a, _territory_b, _user_b = two_territories
    ids_a = _ids(factory, territory_a, user_a)
    login(user_a)
    failures = []
    for rule in issue_rules(app):
        if "GET" in rule.methods:
            url = _url(rule, territory_a.slug, ids_a)
            status = client.get(url).status_code
            if status >= 400:
                failures.append(f"GET {url} → {status}")
    assert not failures, "\n".join(failures)


def test_observer_cannot_change_anything(app, client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    observer = factory.user(territory, role="observer")
    ids = _ids(factory, territory, coordinator)
    login(observer)
    failures = []
    for rule in issue_rules(app):
        if "POST" in rule.methods:
            url = _url(rule, territory.slug, ids)
            status = client.post(url).status_code
            if status != 403:
                failures.append(f"POST {url} → {status}")
    assert not failures, "\n".join(failures)
