"""In Chromium: create an API token in « Mon compte », see it once, use it, revoke it;
axe-core finds no violation on the pages visited."""
import json
import urllib.error
import urllib.request

import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser


def _api_status(base_url: str, token: str) -> int:
    request = urllib.request.Request(f"{base_url}/api/v1/territories",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read())
            assert [t["slug"] for t in body["data"]] == ["charenton-saint-maurice"]
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_use_and_revoke_a_token(browser_page, sign_in, live_server):
    page = browser_page
    sign_in(page, "observation@charenton.demo")
    page.goto("/account")
    assert page.get_by_role("heading", name="Jetons d'accès à l'API").is_visible()
    assert_no_axe_violations(page, "account")

    page.get_by_role("button", name="Créer un jeton").click()
    assert_no_axe_violations(page, "new token")
    page.get_by_role("button", name="Créer le jeton").click()
    assert page.locator(".field-error", has_text="Donnez un nom au jeton.").is_visible()
    page.get_by_label("Nom du jeton").fill("Tableau de bord open data")
    page.get_by_role("button", name="Créer le jeton").click()
    token = page.get_by_label("Votre jeton").input_value()
    assert token.startswith("tp_")
    assert_no_axe_violations(page, "token created")
    assert _api_status(live_server, token) == 200

    page.get_by_role("button", name="Retour à mon compte").click()
    row = page.get_by_role("row", name="Tableau de bord open data")
    assert token not in page.content()
    assert row.get_by_text("Actif").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Révoquer").click()
    page.wait_for_load_state()
    assert page.get_by_role("row", name="Tableau de bord open data").get_by_text(
        "Révoqué").is_visible()
    assert_no_axe_violations(page, "account after revocation")
    assert _api_status(live_server, token) == 401
