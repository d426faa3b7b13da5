"""In a browser: the facilitator's board and a participant's phone, side by side. A
contribution sent from the phone appears on the projected board without a reload; every
page visited is checked with axe-core."""
import re

import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server, locale="fr-FR", is_mobile=True,
                                   has_touch=True, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _open_gt2_board(page):
    page.goto("/t/charenton-saint-maurice")
    page.get_by_role("link", name=re.compile(r"En cours : GT2")).click()
    page.wait_for_url(re.compile(r"/sessions/\d+/board$"))
    return page.url


def test_a_contribution_from_the_phone_appears_on_the_board_without_reload(facilitator, phone):
    board_url = _open_gt2_board(facilitator)
    assert_no_axe_violations(facilitator, "tableau de l'animateur")
    code = facilitator.locator(".live-panel .join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    facilitator.evaluate("window.__notReloaded = true")

    phone.goto("/j")
    assert_no_axe_violations(phone, "saisie du code")
    phone.get_by_label("Code de la séance").fill(code.lower())
    phone.get_by_role("button", name="Rejoindre").click()
    phone.wait_for_url(re.compile(rf"/j/{code}$"))
    assert_no_axe_violations(phone, "choix du nom")
    phone.get_by_label("Vos prénom et nom").fill("Chloé Navigateur")
    phone.get_by_label("Votre structure").fill("Réseau Entreprendre 94")
    phone.get_by_role("button", name="Je rejoins la séance comme invité·e").click()
    phone.get_by_text("Vous participez en tant que Chloé Navigateur").wait_for()
    assert_no_axe_violations(phone, "téléphone du participant")

    text = "Un annuaire partagé des tuteurs en entreprise, mis à jour par la Mission locale."
    phone.get_by_label("Piste de solution").check()
    phone.get_by_label("Votre contribution").fill(text)
    phone.get_by_role("button", name="Envoyer").click()
    phone.get_by_text("Contribution envoyée").wait_for()

    card = facilitator.locator(".board-card", has_text=text)
    card.wait_for(timeout=15_000)
    assert "Chloé Navigateur" in card.inner_text()
    assert facilitator.url == board_url
    assert facilitator.evaluate("window.__notReloaded") is True, "the board page was reloaded"

    # The phone votes; its dots left update without a reload.
    vote = phone.locator("#vote")
    assert "Il vous reste 3 points" in vote.inner_text()
    phone.locator(".vote-option").first.get_by_role("button", name=re.compile(r"^\+1")).click()
    phone.locator("#vote", has_text="Il vous reste 2 points").wait_for()


def test_facilitator_pages_are_accessible_and_keyboard_operable(facilitator):
    board_url = _open_gt2_board(facilitator)
    session_url = board_url.removesuffix("/board")
    for path, label in (("", "ordre du jour"), ("/attendance", "présences"),
                        ("/votes", "votes"), ("/minutes", "compte rendu"),
                        ("/join-code", "code et QR code"), ("/board?projection=1", "projection")):
        facilitator.goto(session_url + path)
        assert_no_axe_violations(facilitator, label)
    facilitator.goto(board_url)
    # A card's menu opens and its buttons work from the keyboard.
    menu = facilitator.locator(".card-menu").first
    menu.locator("summary").focus()
    facilitator.keyboard.press("Enter")
    assert menu.get_attribute("open") is not None
    assert_no_axe_violations(facilitator, "menu d'une carte")
    facilitator.goto(session_url + "/votes")
    facilitator.locator(".vote-chart .main-svg").first.wait_for()
    # Long lists of cards are checked or unchecked in one click.
    boxes = facilitator.locator("#retain-cards input[type=checkbox]")
    assert boxes.count() >= 2
    facilitator.get_by_role("button", name="Tout décocher").last.click()
    assert all(not box.is_checked() for box in boxes.all())
    facilitator.get_by_role("button", name="Tout cocher").last.click()
    assert all(box.is_checked() for box in boxes.all())
