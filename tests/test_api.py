"""Open-data API: tokens, authorisation as the pages, pagination, personal data, limits."""
import re

import pytest
from sqlalchemy import select

from extensions import db
from territorial.api import operations, registry
from territorial.api.models import ApiToken


@pytest.fixture
def territory(factory):
    return factory.territory(slug="ville-test")


def _token(factory, user, name="outil"):
    _row, secret = operations.create_token(user, name)
    factory.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def coordinator_headers(factory, territory):
    return _token(factory, factory.user(territory, role="coordinator"))


def test_no_token_or_a_bad_one_is_401_in_json(client, factory, territory):
    for headers in ({}, {"Authorization": "Bearer tp_inconnu"}, {"Authorization": "Basic eDp5"}):
        response = client.get("/api/v1/territories", headers=headers)
        assert response.status_code == 401
        assert response.is_json and "Mon compte" in response.get_json()["error"]["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Set-Cookie" not in response.headers


def test_revoked_token_and_inactive_account_lose_access(client, factory, territory):
    user = factory.user(territory)
    row, secret = operations.create_token(user, "outil")
    factory.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/territories", headers=headers).status_code == 200
    operations.revoke(db.session.get(ApiToken, row.id))
    db.session.commit()
    assert client.get("/api/v1/territories", headers=headers).status_code == 401

    other = factory.user(territory)
    headers = _token(factory, other)
    db.session.get(type(other), other.id).is_active_account = False
    db.session.commit()
    assert client.get("/api/v1/territories", headers=headers).status_code == 401


def test_token_is_stored_hashed_and_records_its_last_use(client, factory, territory):
    user = factory.user(territory)
    row, secret = operations.create_token(user, "outil")
    factory.session.commit()
    assert secret.startswith("tp_") and secret not in (row.token_hash, row.prefix)
    assert row.token_hash == operations.hash_token(secret)
    assert row.last_used_at is None
    client.get("/api/v1/territories", headers={"Authorization": f"Bearer {secret}"})
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).last_used_at is not None


def test_same_territories_as_the_pages(client, factory, territory):
    other = factory.territory()
    mine = factory.organisation(territory, name="Association locale")
    theirs = factory.organisation(other, name="Association ailleurs")
    headers = _token(factory, factory.user(territory, role="observer"))

    listed = client.get("/api/v1/territories", headers=headers).get_json()
    assert [t["slug"] for t in listed["data"]] == ["ville-test"]
    assert client.get(f"/api/v1/territories/{other.slug}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/territories/{other.slug}/organisations",
                      headers=headers).status_code == 404
    names = [o["name"] for o in client.get("/api/v1/territories/ville-test/organisations",
                                           headers=headers).get_json()["data"]]
    assert names == ["Association locale"]
    # Another territory's id under one's own territory: 404.
    assert client.get(f"/api/v1/territories/ville-test/organisations/{theirs.id}",
                      headers=headers).status_code == 404
    found = client.get(f"/api/v1/territories/ville-test/organisations/{mine.id}", headers=headers)
    assert found.status_code == 200 and found.get_json()["data"]["name"] == "Association locale"


def test_partners_get_nothing_and_the_admin_everything(client, factory, territory):
    partner = _token(factory, factory.user(territory, role="partner"))
    assert client.get("/api/v1/territories", headers=partner).get_json()["data"] == []
    assert client.get("/api/v1/territories/ville-test/organisations",
                      headers=partner).status_code == 404
    admin = _token(factory, factory.user(is_admin=True))
    slugs = {t["slug"] for t in client.get("/api/v1/territories?per_page=100",
                                           headers=admin).get_json()["data"]}
    assert "ville-test" in slugs


def test_pagination_envelope_and_link_header(client, factory, territory, coordinator_headers):
    for n in range(12):
        factory.organisation(territory, name=f"Structure {n:02d}")
    url = "/api/v1/territories/ville-test/organisations"
    first = client.get(f"{url}?per_page=5", headers=coordinator_headers)
    body = first.get_json()
    assert body["meta"] == {"page": 1, "per_page": 5, "total": 12, "pages": 3}
    assert 'rel="next"' in first.headers["Link"] and "page=2" in body["links"]["next"]
    assert body["links"]["prev"] is None
    last = client.get(body["links"]["last"], headers=coordinator_headers).get_json()
    assert len(last["data"]) == 2 and last["links"]["next"] is None
    for bad in ("per_page=101", "per_page=0", "page=0", "page=abc"):
        response = client.get(f"{url}?{bad}", headers=coordinator_headers)
        assert response.status_code == 400 and response.is_json, bad


def test_filters_on_foreign_keys(client, factory, territory, coordinator_headers):
    plan_a, plan_b = factory.action_plan(territory), factory.action_plan(territory)
    factory.action(plan_a), factory.action(plan_a), factory.action(plan_b)
    url = "/api/v1/territories/ville-test/actions"
    assert client.get(url, headers=coordinator_headers).get_json()["meta"]["total"] == 3
    filtered = client.get(f"{url}?plan_id={plan_a.id}", headers=coordinator_headers).get_json()
    assert filtered["meta"]["total"] == 2
    assert {a["plan_id"] for a in filtered["data"]} == {plan_a.id}
    assert client.get(f"{url}?plan_id=x", headers=coordinator_headers).status_code == 400


def test_personal_data_is_not_published(client, factory, territory, coordinator_headers):
    factory.organisation(territory, email="contact@asso.fr", phone="01 02 03 04 05")
    factory.meeting_session(territory)
    organisations = client.get("/api/v1/territories/ville-test/organisations",
                               headers=coordinator_headers).get_json()["data"]
    assert organisations and not {"email", "phone", "territory_id"} & set(organisations[0])
    sessions = client.get("/api/v1/territories/ville-test/sessions",
                          headers=coordinator_headers).get_json()["data"]
    assert sessions and "join_code" not in sessions[0]
    for resource in registry.registered():
        published = {column.name for column in resource.columns}
        assert not published & (registry.PERSONAL_COLUMNS | registry.SECRET_COLUMNS), resource.name
        for column in resource.columns:
            targets = {fk.column.table.name for fk in column.foreign_keys}
            assert not targets & registry.PEOPLE_TABLES, f"{resource.name}.{column.name}"
    assert registry.get("people") is None and registry.get("persons") is None


def test_list_query_count_does_not_grow(client, factory, territory, coordinator_headers,
                                        count_queries):
    url = "/api/v1/territories/ville-test/organisations?per_page=100"
    for n in range(5):
        factory.organisation(territory)
    client.get(url, headers=coordinator_headers)  # records the token's first use
    with count_queries() as few:
        client.get(url, headers=coordinator_headers)
    for n in range(10):
        factory.organisation(territory)
    with count_queries() as many:
        assert len(client.get(url, headers=coordinator_headers).get_json()["data"]) == 15
    assert len(few) == len(many)


def test_read_only_and_unknown_addresses_answer_json(client, coordinator_headers):
    response = client.post("/api/v1/territories", headers=coordinator_headers)
    assert response.status_code == 405
    unknown = client.get("/api/v1/rien/du/tout", headers=coordinator_headers)
    assert unknown.status_code == 404 and unknown.is_json
    resource = client.get("/api/v1/territories/ville-test/inconnues", headers=coordinator_headers)
    assert resource.status_code == 404 and resource.is_json


def test_rate_limited(other_app, factory, territory):
    app = other_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    headers = _token(factory, factory.user(territory))
    client = app.test_client()
    statuses = [client.get("/api/v1/territories", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/territories", headers=headers)
    assert limited.is_json and limited.headers.get("Retry-After")


def test_openapi_document_lists_every_published_resource(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/territories/{slug}/organisations" in document["paths"]
    assert "/api/v1/territories/{slug}/actions/{id}" in document["paths"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "Organisations" in document["components"]["schemas"]
    for path in document["paths"]:
        assert "people" not in path and "persons" not in path


# Tokens in « Mon compte » ------------------------------------------------------------


def test_create_show_once_use_and_revoke_a_token(client, login, factory, territory):
    user = factory.user(territory)
    login(user)
    page = client.get("/account").get_data(as_text=True)
    assert "Jetons d'accès à l'API" in page and "Créer un jeton" in page

    invalid = client.post("/account/api-tokens/new", data={"name": ""})
    assert invalid.status_code == 200 and "Donnez un nom au jeton" in invalid.get_data(as_text=True)

    created = client.post("/account/api-tokens/new", data={"name": "Tableau de bord"})
    html = created.get_data(as_text=True)
    assert created.status_code == 200 and "il ne sera plus jamais affiché" in html
    assert created.headers["Cache-Control"] == "no-store"
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    secret = re.search(r'value="(tp_[^"]+)"', html).group(1)
    assert operations.hash_token(secret) == token.token_hash

    account = client.get("/account").get_data(as_text=True)
    assert "Tableau de bord" in account and secret not in account and token.prefix in account

    api = client.application.test_client()
    assert api.get("/api/v1/territories",
                   headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    revoked = client.post(f"/account/api-tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    assert api.get("/api/v1/territories",
                          headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "Révoqué" in client.get("/account").get_data(as_text=True)


def test_cannot_revoke_someone_elses_token(client, login, factory, territory):
    owner = factory.user(territory)
    row, _secret = operations.create_token(owner, "outil")
    factory.session.commit()
    login(factory.user(territory))
    assert client.post(f"/account/api-tokens/{row.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is None


def test_token_pages_need_login(client):
    response = client.get("/account/api-tokens/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
