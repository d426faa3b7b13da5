"""A territory's parent in its settings: searched among the territories the administrator
sees (the picker of the directory), not a select of every territory of the deployment;
with and without JavaScript; a forbidden parent refused in French next to the field."""
from html import unescape

from extensions import db
from territorial.accounts.models import Membership
from territorial.territories.models import Territory


def _settings(territory, **changes) -> dict:
    return {"name": territory.name, "slug": territory.slug, "level": territory.level,
            "description": "", **changes}


def test_an_administrator_chooses_a_parent_among_their_territories(client, login, factory):
    territory = factory.territory(name="Charenton")
    region = factory.territory(name="Île-de-France", level="region")
    user = factory.user(territory, role="coordinator")
    db.session.add(Membership(user_id=user.id, territory_id=region.id, role="coordinator"))
    db.session.commit()
    login(user)
    response = client.post(f"/t/{territory.slug}/settings",
                           data=_settings(territory, parent_id=str(region.id)))
    assert response.status_code == 302
    assert db.session.get(Territory, territory.id).parent_id == region.id
    page = unescape(client.get(f"/t/{territory.slug}/settings").get_data(as_text=True))
    assert f'<option value="{region.id}" selected>Île-de-France (Région)' in page
    # without JavaScript, « Chercher » for another: the old parent is listed, not selected,
    # and saving without choosing one of the names found says so (nothing changed)
    county = factory.territory(name="Val-de-Marne", level="departement")
    db.session.add(Membership(user_id=user.id, territory_id=county.id, role="coordinator"))
    db.session.commit()
    searched = _settings(territory, **{"parent_id": str(region.id), "parent_id-q": "val"})
    page = unescape(client.post(f"/t/{territory.slug}/settings", data=searched | {
        "parent_id-search": "1"}).get_data(as_text=True))
    assert f'<option value="{region.id}">Île-de-France (Région)' in page
    assert f'<option value="{county.id}">Val-de-Marne' in page
    assert 'value="val"' in page
    response = client.post(f"/t/{territory.slug}/settings", data=searched | {"parent_id": ""})
    assert "« val » n'a pas été choisi" in unescape(response.get_data(as_text=True))
    assert db.session.get(Territory, territory.id).parent_id == region.id


def test_the_search_finds_the_territories_the_user_sees_accents_ignored(client, login, factory):
    territory = factory.territory(name="Charenton")
    region = factory.territory(name="Île-de-France", level="region")
    hidden = factory.territory(name="Îles du Sud")
    user = factory.user(territory, role="coordinator")
    db.session.add(Membership(user_id=user.id, territory_id=region.id, role="coordinator"))
    db.session.commit()
    login(user)
    answer = client.get(f"/t/{territory.slug}/search",
                        query_string={"kind": "territories", "q": "ile"}).get_json()
    assert [r["id"] for r in answer["results"]] == [region.id]
    assert hidden.id not in [r["id"] for r in client.get(
        f"/t/{territory.slug}/search", query_string={"kind": "territories"}).get_json()["results"]]
    # without JavaScript: « Chercher » shows the form again with the names found
    page = unescape(client.post(f"/t/{territory.slug}/settings", data=_settings(
        territory, **{"parent_id-q": "ile", "parent_id-search": "1"})).get_data(as_text=True))
    assert f'<option value="{region.id}">Île-de-France' in page and "Charenton" in page


def test_a_forbidden_parent_is_refused_next_to_the_field(client, login, factory):
    territory = factory.territory(name="Charenton")
    other = factory.territory(name="Ailleurs")
    login(factory.user(territory, role="coordinator"))
    for parent in (other.id, territory.id, "douze"):
        response = client.post(f"/t/{territory.slug}/settings",
                               data=_settings(territory, name="Charenton-le-Pont",
                                              parent_id=str(parent)))
        page = unescape(response.get_data(as_text=True))
        assert response.status_code == 200, parent
        assert 'id="parent_id-error"' in page
        assert "Ce territoire ne peut pas être le parent de celui-ci" in page
        assert 'value="Charenton-le-Pont"' in page
    assert db.session.get(Territory, territory.id).parent_id is None


def test_a_parent_that_would_make_a_loop_is_refused_next_to_the_field(client, login, factory):
    """Écouen under Charenton, then Charenton under Écouen (or under a territory under
    Écouen): refused, the form kept; the hierarchy stays a tree."""
    charenton = factory.territory(name="Charenton")
    ecouen = factory.territory(name="Écouen", parent_id=charenton.id)
    quartier = factory.territory(name="Quartier du Bois", parent_id=ecouen.id)
    login(factory.user(is_admin=True))
    for parent in (ecouen, quartier):
        response = client.post(f"/t/{charenton.slug}/settings", data=_settings(
            charenton, name="Charenton-le-Pont", parent_id=str(parent.id)))
        page = unescape(response.get_data(as_text=True))
        assert response.status_code == 200
        assert 'id="parent_id-error"' in page
        assert "fait déjà partie de « Charenton »" in page
        assert 'value="Charenton-le-Pont"' in page
    assert db.session.get(Territory, charenton.id).parent_id is None
    # a parent above, or beside, is accepted
    region = factory.territory(name="Île-de-France", level="region")
    response = client.post(f"/t/{ecouen.slug}/settings",
                           data=_settings(ecouen, parent_id=str(region.id)))
    assert response.status_code == 302
    assert db.session.get(Territory, ecouen.id).parent_id == region.id


def test_the_settings_page_lists_territories_only_once_searched(client, login, factory):
    """Without JavaScript, no territory is listed before a search (the page stays the same
    size with 4 or 400 territories), then a bounded number of them."""
    territory = factory.territory(name="Charenton")
    admin = factory.user(is_admin=True)
    for n in range(60):
        factory.territory(name=f"Commune {n:02d}")
    login(admin)
    page = unescape(client.get(f"/t/{territory.slug}/settings").get_data(as_text=True))
    assert page.count("Commune ") == 0
    assert "Tapez une partie du nom puis « Chercher » pour choisir." in page
    page = unescape(client.post(f"/t/{territory.slug}/settings", data=_settings(
        territory, **{"parent_id-q": "commune", "parent_id-search": "1"})).get_data(as_text=True))
    assert page.count(">Commune ") == 50
    assert "D’autres noms correspondent" in page


def _picker_names(client, territory) -> list[str]:
    answer = client.get(f"/t/{territory.slug}/search",
                        query_string={"kind": "territories", "limit": 50}).get_json()
    return [result["label"] for result in answer["results"]]


def test_the_picker_lists_the_territories_in_french_order_and_a_renamed_one_moves(
        client, login, factory):
    territory = factory.territory(name="Charenton")
    for name in ("Zèbre", "Étampes", "Évry", "Commune 10", "Commune 9", "Ablon", "Île-d'Yeu",
                 "Ivry", "Evry"):
        factory.territory(name=name)
    renamed = factory.territory(name="Agen")
    login(factory.user(is_admin=True))
    assert _picker_names(client, territory) == [  # « Evry » and « Évry » tie on their sort key
        "Ablon", "Agen", "Commune 9", "Commune 10", "Étampes", "Evry", "Évry", "Île-d'Yeu",
        "Ivry", "Zèbre"]
    client.post(f"/t/{renamed.slug}/settings", data=_settings(renamed, name="Yvetot"))
    assert db.session.get(Territory, renamed.id).name == "Yvetot"
    names = _picker_names(client, territory)
    assert names.index("Ivry") < names.index("Yvetot") < names.index("Zèbre")
    # the list of the territories too
    page = unescape(client.get("/territories").get_data(as_text=True))
    assert page.index("Île-d'Yeu") < page.index("Ivry") < page.index("Yvetot") < page.index(
        "Zèbre")


def test_a_coordinator_keeps_a_parent_they_are_no_member_of(client, login, factory):
    """The parent set by an administrator is shown to the child's coordinator, who is no
    member of it, and kept when they save the settings; another territory of theirs they
    are no member of is still refused."""
    territory = factory.territory(name="Charenton")
    region = factory.territory(name="Île-de-France", level="region")
    elsewhere = factory.territory(name="Bretagne", level="region")
    territory.parent_id = region.id
    coordinator = factory.user(territory, role="coordinator")
    db.session.commit()
    login(coordinator)
    page = unescape(client.get(f"/t/{territory.slug}/settings").get_data(as_text=True))
    assert f'<option value="{region.id}" selected>Île-de-France (Région)' in page
    assert "Cherchez parmi les territoires dont vous êtes membre." in page
    response = client.post(f"/t/{territory.slug}/settings", data=_settings(
        territory, description="Nouvelle description", parent_id=str(region.id)))
    assert response.status_code == 302
    assert db.session.get(Territory, territory.id).parent_id == region.id
    response = client.post(f"/t/{territory.slug}/settings",
                           data=_settings(territory, parent_id=str(elsewhere.id)))
    assert 'id="parent_id-error"' in response.get_data(as_text=True)
    assert db.session.get(Territory, territory.id).parent_id == region.id
