"""In a browser, on a 1920×1080 and a 1280×720 projector: the join screen, the projected
board (40 cards) and a vote's results fit the screen without scrolling, their QR code is
inside the screen and reads as the join address, and axe-core finds nothing."""
import io
import re

import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

FACILITATOR = "animation@charenton.demo"
SCREENS = [pytest.param({"width": 1920, "height": 1080}, id="1920x1080"),
           pytest.param({"width": 1280, "height": 720}, id="1280x720")]
BOARD_CARDS = 40


@pytest.fixture(scope="module")
def room(chromium, live_server):
    """The demo's GT2 under way, with enough cards for a full board (40), its code and
    its vote: what every projector view shows."""
    from tests.conftest import DEMO_PASSWORD

    context = chromium.new_context(base_url=live_server, locale="fr-FR",
                                   viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(FACILITATOR)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.goto("/t/charenton-saint-maurice")
    page.get_by_role("link", name=re.compile(r"En cours : GT2")).click()
    page.wait_for_url(re.compile(r"/sessions/\d+/board$"))
    session_url = page.url.removesuffix("/board")
    code = page.locator(".live-panel .join-code").inner_text().strip()
    present = page.locator("#board-region .board-card").count()
    page.evaluate("""async ([url, count]) => {
        const kinds = [...document.querySelectorAll("select[name=kind] option")].map(o => o.value);
        const token = document.querySelector("[data-csrf]").getAttribute("data-csrf");
        for (let i = 0; i < count; i++) {
            const body = new FormData();
            body.append("csrf_token", token);
            body.append("kind", kinds[i % kinds.length]);
            body.append("text", `Carte projetée n° ${i + 1} : ` +
                "une idée dite en salle, reprise au tableau".slice(0, 20 + (i * 7) % 40));
            body.append("author_name", "Salle");
            await fetch(url, {method: "POST", body, headers: {"X-Requested-With": "fetch"}});
        }
    }""", [session_url + "/board/cards", max(0, BOARD_CARDS - present)])
    page.goto(session_url + "/votes")
    vote_url = page.locator("a", has_text="Projeter les résultats").first.get_attribute("href")
    context.close()
    return {"session": session_url, "code": code, "vote": vote_url,
            "join": f"{live_server}/j/{code}"}


@pytest.fixture(params=SCREENS)
def projector(request, chromium, live_server, sign_in):
    context = chromium.new_context(base_url=live_server, locale="fr-FR",
                                   viewport=request.param)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, FACILITATOR)
    yield page
    context.close()


def _inside(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"] + 1
            and box["y"] + box["height"] <= size["height"] + 1)


def _no_scrolling(page) -> bool:
    return page.evaluate("""() => document.documentElement.scrollHeight <= innerHeight &&
        document.documentElement.scrollWidth <= innerWidth""")


def _qr_text(locator) -> str:
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(locator.screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code could be read on the screen"
    return found[0].text


def test_the_join_screen(projector, room):
    projector.goto(room["session"] + "/join-code")
    qr = projector.locator(".projector-join-qr")
    assert _no_scrolling(projector)
    assert _inside(projector, qr)
    assert qr.bounding_box()["height"] >= projector.viewport_size["height"] / 3
    assert _qr_text(qr) == room["join"]
    for shown in (".projector-join-url", ".projector-join-code", ".projector-joined"):
        assert _inside(projector, projector.locator(shown)), shown
    assert projector.locator(".projector-join-code").inner_text() == room["code"]
    assert projector.locator(".site-header").count() == 0  # none of the app's menus
    assert_no_axe_violations(projector, "écran pour rejoindre")


def test_the_joined_count_follows_the_room(projector, room, chromium, live_server):
    projector.goto(room["session"] + "/join-code")
    joined = projector.locator(".projector-joined")
    before = int(re.match(r"\d+", joined.inner_text()).group())
    phone = chromium.new_context(base_url=live_server, locale="fr-FR", is_mobile=True,
                                 viewport={"width": 390, "height": 844})
    try:
        page = phone.new_page()
        page.goto(f"/j/{room['code']}")
        name = f"Nina Projecteur {projector.viewport_size['width']}"
        page.get_by_label("Vos prénom et nom").fill(name)
        page.get_by_role("button", name="Je rejoins la séance comme invité·e").click()
        page.get_by_text(f"Vous participez en tant que {name}").wait_for()
    finally:
        phone.close()
    projector.locator(".projector-joined", has_text=f"{before + 1} personnes").wait_for()


def test_the_projected_board_shows_every_card(projector, room):
    projector.goto(room["session"] + "/board?projection=1")  # fitted when loaded
    cards = projector.locator(".projector-cards .board-card")
    assert cards.count() >= BOARD_CARDS
    assert _no_scrolling(projector)
    assert projector.locator(".projector-cards.is-overflowing").count() == 0
    for index in range(cards.count()):
        assert _inside(projector, cards.nth(index)), cards.nth(index).inner_text()
    qr = projector.locator(".projector-qr")
    assert _inside(projector, qr)
    assert _qr_text(qr) == room["join"]
    corner = projector.locator(".projector-corner")
    assert room["code"] in corner.inner_text()
    assert projector.locator(".projector-clock .clock").inner_text().strip()  # the timer
    assert projector.locator(".card-menu, .site-header, .live-panel").count() == 0
    assert_no_axe_violations(projector, "tableau projeté")

    # One column alone, in larger type.
    size = float(projector.locator(".projector-flow").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"))
    projector.get_by_role("link", name="Piste de solution").click()
    projector.wait_for_url(re.compile(r"focus=piste"))
    projector.wait_for_load_state()
    titles = projector.locator(".projector-kind h2").all_inner_texts()
    assert len(titles) == 1 and titles[0].startswith("Piste")
    focused = float(projector.locator(".projector-flow").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"))
    assert focused >= size
    assert _no_scrolling(projector)
    assert_no_axe_violations(projector, "tableau projeté, une colonne")


def test_the_vote_results_on_the_projector(projector, room):
    projector.goto(room["vote"])
    rows = projector.locator(".projector-result")
    assert rows.count() >= 2
    assert _no_scrolling(projector)
    for index in range(rows.count()):
        assert _inside(projector, rows.nth(index))
    first = rows.first.inner_text()
    assert re.search(r"\d+ points?", first)
    qr = projector.locator(".projector-qr")
    assert _inside(projector, qr) and _qr_text(qr) == room["join"]
    assert projector.get_by_role("button").count() == 0  # no « Clore le vote » here
    assert_no_axe_violations(projector, "résultats du vote projetés")
