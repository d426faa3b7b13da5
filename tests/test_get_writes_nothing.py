"""Opening a page changes nothing: every GET route (each id made by tests/route_ids.py), for
a coordinator who is also a platform administrator and for a visitor, writes no row; the
database is the same after the walk as before it."""
import hashlib
import re

import pytest
from sqlalchemy import event, select

from extensions import db
from tests.route_walk import make_ids, page_urls

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE|UPSERT)\b", re.IGNORECASE)


def _database_digest(connection) -> str:
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture
def writes(app):
    """The writing statements run while the test records: ``writes["now"]`` is a list."""
    recorded = {"now": None}

    def _record(conn, cursor, statement, *args):
        if recorded["now"] is not None and WRITE.match(statement):
            recorded["now"].append(statement.split("(")[0].strip())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _record)
    yield recorded
    event.remove(engine, "before_cursor_execute", _record)


def _walk(client, urls, writes) -> list[str]:
    found = []
    for url in urls:
        writes["now"] = []
        with client.get(url) as response:
            assert response.status_code < 500, f"GET {url} → {response.status_code}"
        if writes["now"]:
            found.append(f"GET {url} wrote: {sorted(set(writes['now']))}")
        writes["now"] = None
    return found


def test_no_page_writes_to_the_database(app, client, factory, login, transaction, writes):
    territory = factory.territory()
    user = factory.user(territory, role="coordinator", is_admin=True)
    urls = page_urls(app, territory, make_ids(factory, territory, user))
    login(user)
    assert len(urls) > 150
    before = _database_digest(transaction)
    found = _walk(client, urls, writes)
    assert not found, "\n".join(found)
    assert _database_digest(transaction) == before
    client.post("/logout")
    before = _database_digest(transaction)
    found = _walk(client, [url for url in urls if not url.startswith("/t/")], writes)
    assert not found, "\n".join(found)
    assert _database_digest(transaction) == before


def test_the_roles_tab_keeps_a_renamed_task(client, factory, login):
    """The experiment's roles tab used to re-synchronise its grid when shown: a task renamed
    on the grid came back to the method's wording, in the name of whoever looked."""
    from facilitation.experiments.roles import find_grid
    from territorial.audit.models import AuditEntry

    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    experiment = factory.experiment(territory)
    grid = find_grid(experiment)
    activity = grid.activities[0]
    login(coordinator)
    response = client.post(
        f"/t/{territory.slug}/raci/{grid.id}/activities/{activity.id}/rename",
        data={"rename-label": "Réunir les pilotes chaque mois"})
    assert response.status_code == 302
    entries = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    page = client.get(f"/t/{territory.slug}/experiments/{experiment.id}/roles")
    assert "Réunir les pilotes chaque mois" in page.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == entries


def test_naming_a_pilot_adds_its_column(client, factory, login):
    from facilitation.experiments.roles import find_grid

    territory = factory.territory()
    experiment = factory.experiment(territory)
    organisation = factory.organisation(territory, name="Mission locale des Bords de Marne")
    login(factory.user(territory, role="coordinator"))
    response = client.post(f"/t/{territory.slug}/experiments/{experiment.id}/stakeholders/new",
                           data={"organisation_id": organisation.id, "role": "pilote"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert [actor.label for actor in find_grid(experiment).actors] == [organisation.name]
