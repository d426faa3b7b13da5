"""In a browser, a phone of 390×844 in the demo's GT2 (issue 19): the text box and
« Envoyer » on the first screen, 44 px tap targets, axe clean; dots tapped offline leave
when the connection comes back and the one beyond the allowance is refused next to its
card, with no « Réessayer »; a limit (429) is said in the server's words and the card
leaves after Retry-After; its own card corrected and withdrawn. And Plotly draws a card's
HTML as text in the vote chart."""
import json
import re
import time
from pathlib import Path

import pytest

from tests.browser_support import assert_no_axe_violations

pytestmark = pytest.mark.browser

FACILITATOR = "animation@charenton.demo"
ROOT = Path(__file__).resolve().parent.parent
EVIL = '<a href="https://evil.example/">piège</a>'


def _code(chromium, live_server, sign_in):
    context = chromium.new_context(base_url=live_server, locale="fr-FR")
    try:
        board = context.new_page()
        sign_in(board, FACILITATOR)
        board.goto("/t/charenton-saint-maurice")
        board.get_by_role("link", name=re.compile(r"En cours : GT2")).click()
        board.wait_for_url(re.compile(r"/sessions/\d+/board$"))
        return board.locator(".live-panel .join-code").inner_text().strip()
    finally:
        context.close()


def test_a_phone_in_the_room(chromium, live_server, sign_in):
    code = _code(chromium, live_server, sign_in)
    context = chromium.new_context(base_url=live_server, locale="fr-FR", is_mobile=True,
                                   has_touch=True, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    try:
        phone = context.new_page()
        phone.on("dialog", lambda dialog: dialog.accept())
        name = f"Zoé Téléphone {time.time_ns() % 100000}"
        phone.goto(f"/j/{code}")
        assert_no_axe_violations(phone, "page pour rejoindre")
        phone.get_by_label("Vos prénom et nom").fill(name)
        phone.get_by_role("button", name="Je rejoins la séance comme invité·e").click()
        phone.get_by_text(f"Vous participez en tant que {name}").wait_for()

        # The first screen: the text box and « Envoyer » without scrolling.
        for target in (phone.get_by_label("Votre contribution"),
                       phone.get_by_role("button", name="Envoyer")):
            box = target.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        small = phone.evaluate("""() => Array.from(document.querySelectorAll(
            '.phone button, .phone a.tap, .phone .kind-choice')).filter(e => e.offsetParent)
            .map(e => e.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44)
            .length""")
        assert small == 0, f"{small} tap targets under 44 px"
        assert_no_axe_violations(phone, "téléphone pendant le vote")

        # Four « +1 » tapped offline with 3 dots: three leave when back online, the fourth
        # is refused next to its card, without « Réessayer ».
        options = phone.locator(".vote-option")
        context.set_offline(True)
        for index in range(4):
            options.nth(index).get_by_role("button", name=re.compile(r"^\+1")).click()
        options.nth(0).locator(".vote-note", has_text="gardé sur ce téléphone").wait_for()
        context.set_offline(False)
        options.nth(3).locator(".vote-note", has_text="déjà utilisé vos 3 points").wait_for(
            timeout=20_000)
        phone.locator("#vote", has_text="Il vous reste 0 point").wait_for()
        assert phone.get_by_role("button", name="Réessayer").count() == 0
        for index in range(3):
            assert "1 de vos points" in options.nth(index).inner_text()

        # A limit: the server's words, then the card leaves after Retry-After.
        limited = []

        def limit_once(route):
            if limited:
                route.continue_()
                return
            limited.append(1)
            route.fulfill(status=429, headers={"Retry-After": "1"}, content_type="application/json",
                          body=json.dumps({"ok": False, "error": "Trop d'envois en peu de temps : "
                                                                 "patientez un instant."}))

        phone.route(re.compile(r"/contributions$"), limit_once)
        phone.get_by_label("Piste de solution").check()
        phone.get_by_label("Votre contribution").fill("Un forum des métiers au lycée")
        phone.get_by_role("button", name="Envoyer").click()
        phone.locator("#send-status", has_text="Trop d'envois en peu de temps").wait_for()
        assert "ne répond pas" not in phone.locator("#send-status").inner_text()
        phone.locator(".my-cards", has_text="Un forum des métiers au lycée").wait_for(
            timeout=15_000)

        # Its own card: corrected, then withdrawn.
        phone.locator(".my-cards").get_by_role("link", name=re.compile("Corriger")).click()
        phone.get_by_label("Votre contribution").fill("Un forum des métiers au collège")
        assert_no_axe_violations(phone, "corriger sa contribution")
        phone.get_by_role("button", name="Enregistrer la correction").click()
        phone.locator(".my-cards", has_text="au collège").wait_for()
        phone.locator(".my-cards").get_by_role("button", name=re.compile("Retirer")).click()
        phone.get_by_text("Contribution retirée du tableau.").wait_for()
        assert phone.locator(".my-cards", has_text="au collège").count() == 0
        assert_no_axe_violations(phone, "téléphone après le vote")
    finally:
        context.close()


def test_plotly_draws_a_cards_html_as_text_in_the_vote_chart(chromium, app):
    from facilitation.sessions.live import votes
    from facilitation.sessions.live.models import Contribution, DotVote

    # The figure of a vote built in memory: nothing written that other tests would see.
    rows = [votes.ResultRow(card=Contribution(text=EVIL), dots=1, rank=1, tied=False),
            votes.ResultRow(card=Contribution(text="Forum"), dots=0, rank=2, tied=False)]
    with app.test_request_context():
        figure = votes.figure(votes.Results(vote=DotVote(), rows=rows, voters=1))
    page = chromium.new_page()
    try:
        page.set_content('<div id="chart" style="width:700px"></div>')
        page.add_script_tag(path=str(ROOT / "static/vendor/plotly/plotly-cartesian.min.js"))
        for labels, links in ((figure["data"][0]["y"], 0), ([EVIL, "Forum"], 1)):
            drawn = figure | {"data": [figure["data"][0] | {"y": labels}]}
            page.evaluate("f => Plotly.newPlot('chart', f.data, f.layout)", drawn)
            assert page.locator("#chart svg a").count() == links  # the raw label would link
        page.evaluate("f => Plotly.newPlot('chart', f.data, f.layout)", figure)
        assert '<a href="https://evil.example/">piège</a>' in page.locator(
            "#chart .ytick").first.text_content() + page.locator("#chart").text_content()
    finally:
        page.close()
