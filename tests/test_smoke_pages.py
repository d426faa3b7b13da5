"""Every page of the foundation renders for a coordinator, in French."""
import pytest


@pytest.fixture
def setup(factory, login, client):
    territory = factory.territory(name="Charenton")
    user = factory.user(territory, role="coordinator")
    organisation = factory.organisation(territory, name="Mission locale")
    person = factory.person(territory, organisation, last_name="Haddad")
    login(user)
    return territory, organisation, person


def test_foundation_pages_render(setup, client):
    territory, organisation, person = setup
    base = f"/t/{territory.slug}"
    for url in [
        f"{base}/", f"{base}/organisations", f"{base}/people",
        f"{base}/organisations/{organisation.id}", f"{base}/people/{person.id}",
        f"{base}/organisations/new", f"{base}/people/new", f"{base}/organisations/import",
        f"{base}/organisations/{organisation.id}/edit", f"{base}/people/{person.id}/edit",
        f"{base}/members", f"{base}/settings", f"{base}/journal", "/account",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="fr"' in response.get_data(as_text=True), url


def test_archiving_a_territory_removes_it_from_lists_and_can_be_undone(client, factory, login):
    kept, old = factory.territory(name="Charenton"), factory.territory(name="Ancien périmètre")
    user = factory.user(kept)
    from extensions import db
    from territorial.accounts.models import Membership

    db.session.add(Membership(user_id=user.id, territory_id=old.id, role="coordinator"))
    db.session.commit()
    login(user)
    assert "Ancien périmètre" in client.get("/territories").get_data(as_text=True)
    response = client.post(f"/t/{old.slug}/archive", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "archivé" in page
    active, archived = page.split('id="archived-title"')
    link = f'href="/t/{old.slug}/"'
    assert link in archived and link not in active
    client.post(f"/t/{old.slug}/archive")
    page = client.get("/territories").get_data(as_text=True)
    assert "Territoires archivés" not in page and "Ancien périmètre" in page
