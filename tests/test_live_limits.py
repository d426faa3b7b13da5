"""Limits that fit a room behind one IP: wrong join codes are limited per IP, whether or not
the phone already joined a session; a joined phone keeps reaching its session; posting and
voting are limited per phone, never per IP."""
from tests.live_support import join, live_setup, post_card


def test_guessing_codes_is_limited_after_joining_too(app, other_app, factory):
    limited = other_app(RATELIMIT_ENABLED=True, JOIN_CODE_LIMIT="5 per minute")
    setup = live_setup(factory, app)
    code = setup.session.join_code
    phone = limited.test_client()
    assert phone.get(f"/j/{code}").status_code == 200  # a valid code is not a guess
    join(phone, code, person=setup.people[0])
    guesses = [phone.get(f"/j/ZZZZ{n:02d}").status_code for n in range(4)]
    guesses.append(phone.post("/j/ZZZZ99/contributions", data={"text": "x"}).status_code)
    assert guesses == [404] * 5
    assert phone.get("/j/ZZZZ77").status_code == 429
    assert phone.get("/j/ZZZZ78/fragment").status_code == 429
    # A phone that has not joined, behind the same IP, counts in the same limit.
    assert limited.test_client().get("/j/ZZZZ79").status_code == 429
    # The phone's own session still answers, whatever its IP guessed.
    assert phone.get(f"/j/{code}").status_code == 200
    assert phone.get(f"/j/{code}/fragment").status_code == 200
    assert post_card(phone, code, "Toujours là").status_code == 302


def test_posting_and_voting_are_limited_per_phone_not_per_ip(app, other_app, factory):
    limited = other_app(RATELIMIT_ENABLED=True, PHONE_RATE_LIMIT="4 per minute")
    setup = live_setup(factory, app)
    code = setup.session.join_code
    first, second = limited.test_client(), limited.test_client()
    join(first, code, person=setup.people[0])
    join(second, code, person=setup.people[1])
    statuses = [post_card(first, code, f"Idée {n}", key=f"a{n}").status_code for n in range(5)]
    assert statuses == [302] * 4 + [429]
    # The other phone, same IP, is not slowed down.
    assert [post_card(second, code, f"Autre {n}", key=f"b{n}").status_code
            for n in range(4)] == [302] * 4
