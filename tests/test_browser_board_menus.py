"""In a browser: the facilitator's board refreshes every second without taking from the
facilitator what they are doing. A card's open menu keeps its chosen group and the focus
through refreshes (« Ranger » sends the group chosen); a card changed by someone else
comes back with its menu closed; « Monter » keeps the focus on the moved card; hidden
cards pass axe's contrast check."""
import re
import time

import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def board(facilitator):
    page = facilitator
    page.goto("/t/charenton-saint-maurice")
    page.get_by_role("link", name=re.compile(r"En cours : GT2")).click()
    page.wait_for_url(re.compile(r"/sessions/\d+/board$"))
    return page


def _post(page, path, fields):
    """A change made elsewhere (another facilitator, a script): not through this page's
    forms, so the page learns of it only by its refresh."""
    page.evaluate("""async ([path, fields]) => {
        const body = new FormData();
        body.append("csrf_token", document.querySelector("[data-csrf]").getAttribute("data-csrf"));
        for (const [name, value] of Object.entries(fields)) { body.append(name, value); }
        const response = await fetch(path, {method: "POST", body,
                                            headers: {"X-Requested-With": "fetch"}});
        if (!response.ok) { throw new Error(path + " " + response.status); }
    }""", [path, fields])


def _add_card(page, text):
    _post(page, page.url.split("?")[0] + "/cards",
          {"kind": "piste", "text": text, "author_name": "Quelqu'un d'autre"})
    page.locator("#board-region .board-card", has_text=text).wait_for()  # refreshed


def _focused_key(page):
    return page.evaluate("document.activeElement && document.activeElement.getAttribute("
                         "'data-focus-key')")


def test_an_open_menu_survives_the_refresh_and_files_the_card(board):
    title = f"Mobilité {time.time_ns()}"
    board.get_by_label("Titre du regroupement").fill(title)
    board.get_by_role("button", name="Créer le regroupement").click()
    board.get_by_text(f"Regroupement « {title} » créé.").wait_for()

    card = board.locator("#board-region .board-card").first
    card_id = card.get_attribute("data-id")
    card.locator("summary").click()
    select = card.locator(f"#cluster-{card_id}")
    select.select_option(label=title)
    chosen = select.input_value()
    ranger = card.get_by_role("button", name="Ranger")
    ranger.focus()

    _add_card(board, f"Une carte arrivée pendant le choix {time.time_ns()}")
    card = board.locator(f"#card-{card_id}")
    assert card.locator("details").get_attribute("open") is not None, "the menu closed"
    assert card.locator(f"#cluster-{card_id}").input_value() == chosen, "the choice was reset"
    assert _focused_key(board) == f"cl-{card_id}", "the focus left « Ranger »"

    board.keyboard.press("Enter")
    board.get_by_text(f"Carte rangée dans « {title} ».").wait_for()
    board.locator(f'ol[data-cluster="{chosen}"] #card-{card_id}').wait_for()
    # Filed: its menu closes, the focus on the menu's button, ready for the next card.
    board.wait_for_function(
        f"document.activeElement.getAttribute('data-focus-key') === 'menu-{card_id}'")
    assert board.locator(f"#card-{card_id} details").get_attribute("open") is None


def test_a_card_changed_by_someone_else_closes_its_menu(board):
    card = board.locator("#board-region .board-card:not(.is-highlighted)").last
    card_id = card.get_attribute("data-id")
    card.locator("summary").click()
    _post(board, re.sub(r"/sessions/\d+/board.*$", f"/sessions/cards/{card_id}/flags",
                        board.url), {"highlighted": "1"})
    board.locator(f"#card-{card_id}.is-highlighted").wait_for()
    assert board.locator(f"#card-{card_id} details").get_attribute("open") is None


def test_reordering_by_keyboard_keeps_the_focus_on_the_moved_card(board):
    column = board.locator("#board-region ol[data-sortable]").filter(
        has=board.locator("li:nth-child(3)")).first
    card = column.locator(":scope > li").nth(2)
    card_id = card.get_attribute("data-id")
    card.locator("summary").click()
    for expected_index in (1, 0):
        card.get_by_role("button", name="Monter").focus()
        board.keyboard.press("Enter")
        board.wait_for_function(
            """([id, index]) => {
                const li = document.getElementById("card-" + id);
                return li && [...li.parentNode.children].indexOf(li) === index;
            }""", arg=[card_id, expected_index])
        board.wait_for_timeout(1200)  # one more refresh
        assert _focused_key(board) == f"up-{card_id}", "focus lost after « Monter »"
        card = board.locator(f"#card-{card_id}")


def test_hidden_cards_meet_contrast(board):
    card = board.locator("#board-region .board-card:not(.is-hidden)").first
    card_id = card.get_attribute("data-id")
    card.locator("summary").click()
    card.get_by_role("button", name="Masquer").click()
    board.locator(f"#card-{card_id}.is-hidden").wait_for()
    assert_no_axe_violations(board, "tableau avec une carte masquée")
    board.locator(f"#card-{card_id}").get_by_role("button", name="Afficher").click()
    board.locator(f"#card-{card_id}:not(.is-hidden)").wait_for()
