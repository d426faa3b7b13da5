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
