"""Authorisation of every action-plan and indicator route: another territory's ids answer
404 (GET and POST), the coordinator's own pages work, an observer may read but not change."""
import re

import pytest

from tests.route_ids import ID_MAKERS

ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # <int:id>, <any(docx, pdf):fmt>
BLUEPRINTS = ("action_plans.", "indicators.")


def _experiment(factory, territory, user) -> int:
    return factory.experiment(territory, themes=("Emploi",)).id


def _makers():
    makers = dict(ID_MAKERS)
    makers.setdefault("experiment_id", _experiment)
    return makers


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(BLUEPRINTS)]


def _url(rule, slug, ids):
    return ARGUMENT.sub(lambda m: slug if m.group(2) == "territory" else str(ids[m.group(2)]),
                        rule.rule)


@pytest.fixture
def territories(factory):
    a, b = factory.territory(), factory.territory()
    return a, factory.user(a, role="coordinator"), b, factory.user(b, role="coordinator")


def _ids(factory, territory, user, rule):
    makers = _makers()
    return {name: makers[name](factory, territory, user) for name in rule.arguments - {"territory"}}


def test_every_route_is_covered(app):
    assert len(_rules(app)) >= 30
    for rule in _rules(app):
        assert rule.arguments - {"territory"} <= set(_makers()), rule.rule


def test_other_territory_answers_404(app, client, login, factory, territories):
    a, user_a, b, user_b = territories
    login(user_a)
    for rule in _rules(app):
        ids = _ids(factory, b, user_b, rule)
        for own_slug in (a.slug, b.slug):  # B's ids under A's URL, and B's URL itself
            if own_slug == a.slug and rule.arguments == {"territory"}:
                continue
            url = _url(rule, own_slug, ids)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(url, method=method)
                assert response.status_code == 404, f"{method} {url} → {response.status_code}"


def test_own_pages_work_for_the_coordinator(app, client, login, factory, territories):
    a, user_a, b, user_b = territories
    login(user_a)
    for rule in _rules(app):
        if "GET" not in rule.methods:
            continue
        url = _url(rule, a.slug, _ids(factory, a, user_a, rule))
        response = client.get(url)
        assert response.status_code < 400 or response.status_code == 403, f"GET {url} → {response.status_code}"


def test_observer_cannot_change_anything(app, client, login, factory, territories):
    a, user_a, b, user_b = territories
    observer = factory.user(a, role="observer")
    login(observer)
    for rule in _rules(app):
        if "POST" not in rule.methods:
            continue
        url = _url(rule, a.slug, _ids(factory, a, user_a, rule))
        if "indicators/new" in url or rule.endpoint == "action_plans.new_plan":
            continue  # need query arguments; checked in their own tests
        response = client.post(url)
        assert response.status_code == 403, f"POST {url} → {response.status_code}"
