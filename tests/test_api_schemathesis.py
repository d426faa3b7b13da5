"""schemathesis against the open-data API, through the WSGI app, with a valid token:
no server error, every response conforms to the OpenAPI document (status code, content
type, body schema, headers). Few examples per operation, so that it stays fast.

(schemathesis' lazy ``from_fixture`` loader does not run on pytest 9, so each operation's
hypothesis strategy is driven here by hand — the same generation and the same checks.)
"""
import hypothesis
import pytest
import schemathesis

from territorial.api import operations

SLUG = "api-fuzz"
SETTINGS = hypothesis.settings(
    max_examples=3, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(hypothesis.HealthCheck), phases=[hypothesis.Phase.generate],
)


@pytest.fixture
def fuzz_token(factory):
    """A coordinator's token on a territory holding objects of several resources."""
    territory = factory.territory(slug=SLUG)
    user = factory.user(territory, role="coordinator")
    factory.organisation(territory, email="x@exemple.fr")
    plan = factory.action_plan(territory)
    factory.action(plan, budget_amount=1250)
    factory.indicator(territory)
    factory.experiment(territory, themes=["Emploi"])
    factory.raci_grid(territory)
    factory.project(territory)
    _row, secret = operations.create_token(user, "schemathesis")
    factory.session.commit()
    return secret


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) > 20
    return found


@pytest.mark.parametrize("own_territory", [True, False], ids=["own-territory", "any-slug"])
def test_api_conforms_to_its_openapi_document(app, fuzz_token, own_territory):
    headers = {"Authorization": f"Bearer {fuzz_token}"}
    seen = {}

    for operation in _operations(app):

        @hypothesis.settings(SETTINGS, max_examples=3 if own_territory else 1)
        @hypothesis.given(case=operation.as_strategy())
        def check(case):
            if own_territory and "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = SLUG  # reach real rows, not only 404s
            response = case.call_and_validate(headers=headers)
            seen.setdefault(response.status_code, 0)
            seen[response.status_code] += 1

        check()
    assert not any(status >= 500 for status in seen)
    if own_territory:
        assert seen.get(200, 0) > 20, seen
    else:
        assert seen.get(404, 0) > 10, seen
