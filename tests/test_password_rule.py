"""One password rule (zxcvbn, score 3 at least, the person's address, names and territory as
known words) wherever a password is chosen: invitation, change, reset, ``create-user``."""
import re

import pytest

from extensions import db
from tests.conftest import TEST_PASSWORD
from territorial.accounts import operations
from territorial.accounts.passwords import password_problem

GUESSABLE = "se devine trop facilement"
PERSONAL = "ne doit pas reprendre votre nom"


@pytest.mark.parametrize("password, inputs, reason", [
    ("123456789012", (), GUESSABLE),
    ("azertyuiopqs", (), GUESSABLE),
    ("Charenton2026…", ("Charenton-Saint-Maurice",), PERSONAL),
    ("Besançon-2026!", ("Besancon",), PERSONAL),
    ("nathalie.grosjean", ("nathalie.grosjean@mjc.fr", "Nathalie Grosjean"), PERSONAL),
])
def test_the_passwords_the_tester_got_through_are_refused(ctx, password, inputs, reason):
    assert reason in password_problem(password, inputs)


def test_the_refusal_gives_zxcvbn_advice_in_french(ctx):
    message = password_problem("123456789012")
    assert "Ajoutez un ou deux mots" in message
    assert not re.search(r"\b(the|words|password)\b", message)


def test_a_passphrase_is_accepted(ctx):
    assert password_problem("Vélo-cassis-et-brume-du-Doubs",
                            ("chef@charenton.fr", "Charenton-Saint-Maurice")) is None


def _page(response):
    return response.status_code, response.get_data(as_text=True)


def test_invitation_refuses_the_territory_name_with_a_year(client, login, factory):
    territory = factory.territory(name="Charenton-Saint-Maurice")
    coordinator = factory.user(territory)
    with client.application.test_request_context():
        invitation = operations.invite(territory.id, "nouvelle@exemple.fr", "participant",
                                       coordinator)
        token = operations.invitation_token(invitation)
        db.session.commit()
    status, page = _page(client.post(f"/invitations/{token}", data={
        "display_name": "Nouvelle Personne", "password": "Charenton2026…",
        "confirm": "Charenton2026…"}))
    assert status == 200 and PERSONAL in page
    assert 'id="password-error"' in page and 'value="Nouvelle Personne"' in page


def test_password_change_refuses_a_guessable_password(client, login, factory):
    login(factory.user(factory.territory()))
    status, page = _page(client.post("/account", data={
        "pw-current_password": TEST_PASSWORD, "pw-password": "123456789012",
        "pw-confirm": "123456789012", "pw-submit": "1"}))
    assert status == 200 and GUESSABLE in page and 'id="pw-password-error"' in page


def test_reset_refuses_the_territory_of_the_account(app, client, factory):
    user = factory.user(factory.territory(name="Charenton-Saint-Maurice"))
    with app.test_request_context():
        token = operations.password_reset_token(user)
    status, page = _page(client.post(f"/password/reset/{token}", data={
        "password": "charenton-2026", "confirm": "charenton-2026"}))
    assert status == 200 and PERSONAL in page
    assert user.check_password(TEST_PASSWORD)


def test_create_user_command_applies_the_same_rule(app, transaction):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "accueil@exemple.fr", "--name", "Accueil Charenton",
        "--password", "Charenton2026!!"])
    assert result.exit_code != 0 and PERSONAL in result.output
    result = app.test_cli_runner().invoke(args=[
        "create-user", "accueil@exemple.fr", "--password", "azertyuiopqs"])
    assert result.exit_code != 0 and GUESSABLE in result.output
