"""What a room tester and a security tester found in issue 19, as the people in the room
would notice it: a card's text never becomes a link in a chart, the chart's axis reads at a
glance, « ex æquo » is not said of cards nobody voted for, the PDF minutes print no
markers."""
from pypdf import PdfReader

from facilitation.sessions.live import phones, votes
from territorial.common.charts import chart_text
from territorial.documents import DocumentBuilder, italic, render
from tests.live_support import live_setup

EVIL = '<a href="https://evil.example">x</a>'


def test_a_card_text_is_escaped_in_the_vote_chart(app, factory, ctx):
    setup = live_setup(factory, app, kind="gt2")
    cards = [factory.card(setup.session, EVIL), factory.card(setup.session, "Forum <b>gras</b>")]
    vote = votes.open_vote(setup.session, "Pistes", 3, [c.id for c in cards])
    votes.cast_dot(setup.session, vote, phones.join_as_guest(setup.session, "Léa"), cards[0].id)
    data = votes.figure(votes.results(vote))["data"][0]
    assert data["hovertext"] == ["0 point", "1 point"]  # the first card on top
    labels = data["y"]
    assert not [label for label in labels if "<a" in label or "<b>" in label]
    assert any("&lt;a href=" in label for label in labels)


def test_user_text_is_escaped_in_every_chart_label():
    assert chart_text(EVIL) == '&lt;a href="https://evil.example"&gt;x&lt;/a&gt;'
    assert chart_text(None) == ""


def test_cards_without_a_dot_are_not_called_ex_aequo(app, factory, ctx):
    setup = live_setup(factory, app, kind="gt2")
    cards = [factory.card(setup.session, f"Piste {n}") for n in range(5)]
    vote = votes.open_vote(setup.session, "Pistes", 3, [c.id for c in cards])
    voter = phones.join_as_guest(setup.session, "Léa")
    votes.cast_dot(setup.session, vote, voter, cards[0].id)
    result = votes.results(vote)
    assert [row.tied for row in result.rows] == [False] * 5
    assert "ex æquo" not in " ".join(votes.figure(result)["data"][0]["y"])


def test_the_vote_chart_counts_by_round_steps_past_ten_points(app, factory, ctx):
    setup = live_setup(factory, app, kind="gt2")
    cards = [factory.card(setup.session, f"Piste {n}") for n in range(2)]
    vote = votes.open_vote(setup.session, "Pistes", 20, [c.id for c in cards])
    few = votes.figure(votes.results(vote))["layout"]["xaxis"]
    assert few["dtick"] == 1
    voter = phones.join_as_guest(setup.session, "Léa")
    for _n in range(20):
        votes.cast_dot(setup.session, vote, voter, cards[0].id)
    many = votes.figure(votes.results(vote))["layout"]["xaxis"]
    assert "dtick" not in many and many["tickformat"] == "d"


def test_the_pdf_prints_two_italic_runs_without_markers(ctx, tmp_path):
    doc = DocumentBuilder("Compte rendu", None)
    doc.bullets([["Covoiturage", italic(" — Julie Marchand"), italic(" (retenue comme action)")]])
    path = tmp_path / "cr.pdf"
    path.write_bytes(render(doc.build(), "pdf").getvalue())
    text = PdfReader(str(path)).pages[0].extract_text()
    assert "Julie Marchand (retenue comme action)" in text
    assert "__" not in text


def test_a_phone_over_its_limit_is_told_in_words_and_when_to_send_again(app, other_app,
                                                                        factory):
    from tests.live_support import join, post_card

    limited = other_app(RATELIMIT_ENABLED=True, PHONE_RATE_LIMIT="2 per minute")
    setup = live_setup(factory, app)
    code = setup.session.join_code
    phone = limited.test_client()
    join(phone, code, guest="Alice Martin")
    fetch = {"X-Requested-With": "fetch", "Accept": "application/json"}
    for n in range(2):
        assert post_card(phone, code, f"Idée {n}", key=f"k{n}", ).status_code == 302
    answer = phone.post(f"/j/{code}/contributions", headers=fetch,
                        data={"kind": "constat", "text": "Une de trop", "submission_key": "k9"})
    assert answer.status_code == 429
    assert "Trop d'envois en peu de temps" in answer.get_json()["error"]
    assert int(answer.headers["Retry-After"]) > 0
