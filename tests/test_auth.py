"""Login, logout, password rules, reset links and invitations."""
import re

import pytest

from tests.conftest import TEST_PASSWORD
from territorial.accounts import operations
from territorial.accounts.passwords import password_problem


def test_login_page_is_french(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "Adresse électronique" in page and "Se connecter" in page


def test_login_then_home_of_single_territory(client, factory):
    territory = factory.territory(name="Charenton")
    user = factory.user(territory)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                           follow_redirects=True)
    assert "Charenton" in response.get_data(as_text=True)


def test_wrong_password_shows_french_error_and_keeps_email(client, factory):
    user = factory.user()
    response = client.post("/login", data={"email": user.email, "password": "nope-nope-nope"})
    page = response.get_data(as_text=True)
    assert "Adresse ou mot de passe incorrect." in page
    assert f'value="{user.email}"' in page


def test_open_redirect_is_refused(client, factory):
    user = factory.user(factory.territory())
    response = client.post("/login?next=//evil.example/x",
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert "evil.example" not in response.headers["Location"]


def test_logout_makes_the_old_session_cookie_unusable(app, client, login, factory):
    territory = factory.territory()
    user = factory.user(territory)
    login(user)
    stolen = client.get_cookie("session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="localhost")
    response = thief.get(f"/t/{territory.slug}/organisations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_closes_other_sessions(app, client, login, factory):
    territory = factory.territory()
    user = factory.user(territory)
    other_device = login(user, target=app.test_client())
    login(user)
    response = client.post("/account", data={
        "pw-current_password": TEST_PASSWORD, "pw-password": "Une-toute-nouvelle-phrase-7",
        "pw-confirm": "Une-toute-nouvelle-phrase-7", "pw-submit": "1"})
    assert response.status_code == 302
    assert client.get(f"/t/{territory.slug}/").status_code == 200
    assert other_device.get(f"/t/{territory.slug}/").status_code == 302


def test_the_account_page_says_the_platform_admin_sees_every_territory(client, login, factory):
    factory.territory(name="Région Champagne-Ardenne")
    login(factory.user(is_admin=True))
    page = client.get("/account").get_data(as_text=True)
    assert "membre d'aucun territoire" not in page
    assert "vous voyez tous les territoires" in page
    assert 'href="/territories">Voir tous les territoires</a>' in page
    client.post("/logout")

    # An admin who is also a member sees the membership; a user who is none is told so.
    besancon = factory.territory(name="Besançon")
    login(factory.user(besancon, role="facilitator", is_admin=True))
    page = client.get("/account").get_data(as_text=True)
    assert "vous voyez tous les territoires" in page and "Besançon</a>" in page
    client.post("/logout")
    login(factory.user())
    page = client.get("/account").get_data(as_text=True)
    assert "membre d'aucun territoire" in page and "vous voyez tous les territoires" not in page


def test_a_territory_page_reads_the_user_and_the_territory_in_one_query(
        client, login, factory, count_queries):
    territory, elsewhere = factory.territory(), factory.territory()
    user = factory.user(territory, role="observer")
    login(user)
    with count_queries() as queries:
        assert client.get(f"/t/{territory.slug}/organisations").status_code == 200
    reading_users = [q for q in queries if re.search(r'FROM "?user"?\b', q)]
    assert len(reading_users) == 1 and "territory.slug" in reading_users[0]
    # Not a member, or no such territory: 404 as before.
    assert client.get(f"/t/{elsewhere.slug}/organisations").status_code == 404
    assert client.get("/t/nulle-part/organisations").status_code == 404


def test_the_territory_is_found_when_the_user_was_loaded_before(app, factory):
    from flask import g
    from flask_login import login_user

    from territorial.access import load_territory

    territory = factory.territory()
    user = factory.user(territory, role="observer")
    with app.test_request_context(f"/t/{territory.slug}/organisations"):
        login_user(user)
        assert load_territory(territory.slug).id == territory.id
        assert g.role == "observer"


@pytest.mark.parametrize("password, reason", [
    ("court-123", "au moins 12 caractères"),
    ("password1234", "trop courant"),
    ("azertyuiop2024!", "trop courant"),
    ("aaaaaaaaaaaaaa", "trop courant"),
])
def test_weak_passwords_are_refused(ctx, password, reason):
    assert reason in password_problem(password)


def test_strong_password_is_accepted(ctx):
    assert password_problem("Le-cam's-roule-en-Barétous") is None


def _link(page: str, prefix: str) -> str:
    return re.search(rf'value="http://localhost({prefix}[^"]+)"', page).group(1)


def test_invitation_creates_an_account_with_the_role(client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    login(coordinator)
    page = client.post(f"/t/{territory.slug}/members",
                       data={"email": "nouvelle@exemple.fr", "role": "facilitator"}).get_data(as_text=True)
    link = _link(page, "/invitations/")
    client.post("/logout")
    weak = client.post(link, data={"display_name": "Nouvelle", "password": "court",
                                   "confirm": "court"})
    assert "au moins 12 caractères" in weak.get_data(as_text=True)
    assert 'value="Nouvelle"' in weak.get_data(as_text=True)
    response = client.post(link, data={"display_name": "Nouvelle Personne",
                                       "password": "Une-phrase-bien-longue-9",
                                       "confirm": "Une-phrase-bien-longue-9"})
    assert response.status_code == 302
    home = client.get(f"/t/{territory.slug}/").get_data(as_text=True)
    assert "Animation" in home  # the role given by the invitation
    client.post("/logout")
    assert client.get(link).status_code == 404  # used once


def test_tampered_or_expired_invitation_link_is_refused(app, client, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    with app.test_request_context():
        invitation = operations.invite(territory.id, "x@exemple.fr", "participant", coordinator)
        token = operations.invitation_token(invitation)
    assert client.get(f"/invitations/{token}x").status_code == 404
    app.config["INVITATION_MAX_AGE"] = -1
    try:
        page = client.get(f"/invitations/{token}")
        assert page.status_code == 404
        assert "plus valable" in page.get_data(as_text=True)
    finally:
        app.config["INVITATION_MAX_AGE"] = 7 * 24 * 3600


def test_password_reset_link_works_once(app, client, factory):
    user = factory.user()
    with app.test_request_context():
        token = operations.password_reset_token(user)
    url = f"/password/reset/{token}"
    response = client.post(url, data={"password": "Encore-une-phrase-neuve-3",
                                      "confirm": "Encore-une-phrase-neuve-3"})
    assert response.status_code == 302
    assert client.post("/login", data={"email": user.email,
                                       "password": "Encore-une-phrase-neuve-3"}).status_code == 302
    client.post("/logout")
    assert client.get(url).status_code == 404


def test_forgot_password_does_not_reveal_accounts(client, factory):
    user = factory.user()
    known = client.post("/password/forgot", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "absent@exemple.fr"},
                          follow_redirects=True)
    message = "Si un compte existe pour cette adresse"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_login_is_rate_limited(other_app, factory):
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    user = factory.user()
    codes = [client.post("/login", data={"email": user.email, "password": "faux-faux-faux"}).status_code
             for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    assert "Trop de tentatives" in client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD}).get_data(as_text=True)


def test_post_without_csrf_token_is_refused(other_app, factory):
    app = other_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = factory.user()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)


def test_the_header_marks_the_account_and_territories_pages(client, login, factory):
    """« Mon compte » and « Mes territoires » say, like the territory's menu, which page is
    open (aria-current)."""
    factory.territory(), factory.territory()
    login(factory.user(is_admin=True))
    account = client.get("/account").get_data(as_text=True)
    territories = client.get("/territories").get_data(as_text=True)
    assert 'href="/account" aria-current="page">Mon compte' in account
    assert 'href="/territories" aria-current="page"' not in account
    assert 'href="/territories" aria-current="page">Mes territoires' in territories
    assert 'href="/account" aria-current="page"' not in territories
