"""The open-data API publishes exactly the fields that docs/api.md lists, resource by
resource (« Champs publiés »), and no person's name: a RACI actor that is a person is
published without its label."""
import re
from pathlib import Path

import pytest

from extensions import db
from territorial.api import operations, registry
from territorial.api.openapi import TERRITORY_SCHEMA
from territorial.raci import operations as raci
from tests.route_walk import make_ids

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
ROW = re.compile(r"^\| `([a-z-]+)` \| (`.*) \|$", re.MULTILINE)


def documented_fields() -> dict[str, list[str]]:
    table = DOC.read_text().split("## Champs publiés", 1)[1].split("\n## ", 1)[0]
    return {name: re.findall(r"`(\w+)`", fields) for name, fields in ROW.findall(table)}


def test_the_document_lists_the_fields_of_every_resource(app):
    documented = documented_fields()
    published = {resource.name: [column.name for column in resource.columns]
                 for resource in registry.registered()}
    published["territories"] = list(TERRITORY_SCHEMA["properties"])
    assert documented == published


def test_the_openapi_document_says_the_same(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    documented = documented_fields()
    for resource in registry.registered():
        assert sorted(schemas[resource.schema_name]["properties"]) == \
            sorted(documented[resource.name])
    assert schemas[registry.get("raci-actors").schema_name]["properties"]["label"]["nullable"]


@pytest.fixture
def published(client, factory):
    """Every resource of a territory holding one object of every kind, read through the
    API, and the RACI actor made of a person (« Nathalie Grosjean »)."""
    territory = factory.territory(slug="tout")
    user = factory.user(territory, role="coordinator")
    make_ids(factory, territory, user)
    grid = factory.raci_grid(territory)
    organisation = factory.organisation(territory, name="MJC Clairs-Soleils")
    person = factory.person(territory, organisation, first_name="Nathalie", last_name="Grosjean")
    with client.application.test_request_context():
        raci.add_actor(grid, person=person)
        raci.add_actor(grid, organisation=organisation)
        _row, secret = operations.create_token(user, "outil")
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    answers = {}
    for resource in registry.registered():
        response = client.get(f"/api/v1/territories/tout/{resource.name}?per_page=100",
                              headers=headers)
        assert response.status_code == 200, resource.name
        answers[resource.name] = response
    answers["territories"] = client.get("/api/v1/territories", headers=headers)
    return answers


def test_every_answer_holds_the_documented_fields_and_no_name(published):
    documented = documented_fields()
    with_rows = 0
    for name, response in published.items():
        rows = response.get_json()["data"]
        with_rows += bool(rows)
        for row in rows:
            assert sorted(row) == sorted(documented[name]), name
        assert "Grosjean" not in response.get_data(as_text=True), name
    assert with_rows >= 20  # most resources were really read, not only empty lists


def test_a_raci_actor_is_published_without_a_persons_name(published):
    actors = published["raci-actors"].get_json()["data"]
    labels = {actor["organisation_id"] is not None: actor["label"] for actor in actors
              if actor["label"] != "Acteur"}
    assert None in [actor["label"] for actor in actors]
    assert labels[True] == "MJC Clairs-Soleils"
