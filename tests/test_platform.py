"""Health check, security headers, configuration, language, audit trail, migrations."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, update

from app import create_app
from extensions import db
from territorial.audit.models import AuditEntry
from territorial.territories.models import Territory
from territorial.accounts.models import Membership
from territorial.database import include_object


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_security_headers_on_every_response(client):
    for url in ("/login", "/healthz", "/nope"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                          "script-src 'self'"):
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_production_settings_are_strict(other_app):
    app = other_app(TESTING=False, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/login", base_url="https://localhost")
    assert "Strict-Transport-Security" in response.headers
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_missing_secret_key_stops_start_up_outside_development(database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": None, "DEBUG": False})


def test_pages_with_personal_data_are_not_cached(client, factory, login):
    territory = factory.territory()
    login(factory.user(territory))
    assert client.get(f"/t/{territory.slug}/people").headers["Cache-Control"] == "no-store"


def test_error_pages_are_french_pages(client):
    response = client.get("/cette-page-n-existe-pas")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page introuvable" in page and 'lang="fr"' in page


def test_english_is_available(client, factory, login):
    territory = factory.territory()
    login(factory.user(territory))
    client.post("/language", data={"language": "en", "next": "/account"})
    page = client.get(f"/t/{territory.slug}/organisations").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Organisations" in page and "Export as CSV" in page
    # each language's messages, kept once per process, stay apart
    client.post("/language", data={"language": "fr", "next": "/account"})
    page = client.get(f"/t/{territory.slug}/organisations").get_data(as_text=True)
    assert 'lang="fr"' in page and "Exporter en CSV" in page and "Export as CSV" not in page


def test_links_follow_the_territory_of_the_page(client, factory, login):
    """A page's links are built once per process for each territory: a member of two
    territories sees each one's links on its pages, and its new address once renamed."""
    first, second = factory.territory(), factory.territory()
    user = factory.user(first)
    factory.session.add(Membership(user_id=user.id, territory_id=second.id, role="coordinator"))
    login(user)
    for territory, other in ((first, second), (second, first)):
        page = client.get(f"/t/{territory.slug}/organisations").get_data(as_text=True)
        assert f'href="/t/{territory.slug}/experiments"' in page
        assert f"/t/{other.slug}/" not in page
    factory.session.execute(update(Territory).where(Territory.id == first.id)
                            .values(slug="territoire-renomme"))
    factory.session.commit()
    page = client.get("/t/territoire-renomme/organisations").get_data(as_text=True)
    assert 'href="/t/territoire-renomme/experiments"' in page



def test_template_messages_format_escape_and_follow_the_locale(app):
    """Templates' ``_()``: a format string (« %% » is a percent sign), escaped as a whole
    in HTML, not in plain text; in the request's language, French inside ``force_locale``."""
    from flask_babel import force_locale

    html = app.jinja_env.from_string(
        "{{ _('Plus de 90 %% du chemin') }}|{{ _('Du %(start)s au %(end)s', start='<b>', end='b') }}"
        "|{{ _('Organisations') }}")
    text = app.jinja_env.from_string("{% autoescape false %}"
                                     "{{ _('Du %(start)s au %(end)s', start='<b>', end='b') }}"
                                     "{% endautoescape %}")
    with app.test_request_context():
        assert html.render() == "Plus de 90 % du chemin|Du &lt;b&gt; au b|Organisations"
        assert text.render() == "Du <b> au b"
        with force_locale("en"):
            assert html.render().endswith("|From &lt;b&gt; to b|Organisations")
        assert html.render().endswith("|Du &lt;b&gt; au b|Organisations")

def test_changes_are_recorded_in_the_journal(client, factory, login):
    territory = factory.territory()
    user = factory.user(territory, display_name="Claire Martin")
    login(user)
    client.post(f"/t/{territory.slug}/organisations/new",
                data={"name": "Mission locale", "kind": "association"})
    organisation_id = db.session.scalar(
        select(AuditEntry.object_id).where(AuditEntry.object_type == "Organisation",
                                           AuditEntry.territory_id == territory.id))
    client.post(f"/t/{territory.slug}/organisations/{organisation_id}/edit",
                data={"name": "Mission locale des Bords de Marne", "kind": "association"})
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "Organisation",
                                 AuditEntry.territory_id == territory.id).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert all(e.user_id == user.id and e.territory_id == territory.id for e in entries)
    assert entries[1].changes["name"] == ["Mission locale", "Mission locale des Bords de Marne"]
    journal = client.get(f"/t/{territory.slug}/journal").get_data(as_text=True)
    assert "Claire Martin" in journal and "Mission locale des Bords de Marne" in journal


def test_journal_is_for_coordinators_only(client, factory, login):
    territory = factory.territory()
    login(factory.user(territory, role="facilitator"))
    assert client.get(f"/t/{territory.slug}/journal").status_code == 403


def test_migrations_match_the_models(app, transaction):
    """Every model change comes with its migration."""
    context = MigrationContext.configure(transaction,
                                         opts={"include_object": include_object})
    differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_gunicorn_workers_set_the_loaded_application_aside_from_the_collector(app):
    """gunicorn reads ./gunicorn.conf.py: once a worker has loaded the application, a full
    garbage collection no longer walks its hundreds of thousands of long-lived objects."""
    import gc
    import runpy

    from tests.scratch_db import ROOT

    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()


def test_equal_values_of_other_types_make_their_own_links(app):
    """A link kept per process is told apart by its values' types as well (1 == True)."""
    with app.test_request_context("/"):
        from flask import url_for
        assert url_for("healthz", page=1) == "/healthz?page=1"
        assert url_for("healthz", page=True) == "/healthz?page=True"
        assert url_for("healthz", page=1.5) == "/healthz?page=1.5"
        assert url_for("healthz", page=1) == "/healthz?page=1"
