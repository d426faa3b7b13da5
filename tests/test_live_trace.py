"""The trace both ways (issue 19, item 6): an action made from a piste shows its card, the
card's session and its authors with links; the card shows the action."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.action_plans.models import Action
from facilitation.sessions.live import votes
from facilitation.sessions.live.models import Contribution
from facilitation.sessions.models import Meeting
from tests.live_support import join, live_setup, post_card, session_url


def test_an_action_and_its_card_link_to_each_other(app, factory, login):
    setup = live_setup(factory, app, kind="gt2")
    code, julie = setup.session.join_code, setup.people[0]
    phone = app.test_client()
    join(phone, code, person=julie)
    post_card(phone, code, "Un forum des métiers au lycée", kind="piste")
    card = db.session.scalar(select(Contribution).where(Contribution.text.like("Un forum%")))
    with app.test_request_context():
        session = db.session.scalar(select(Meeting).where(Meeting.id == setup.session.id)
                                    .options(selectinload(Meeting.working_group)))
        votes.retain_cards(session, [card.id])
        db.session.commit()
    action = db.session.scalar(select(Action))
    facilitator = login(setup.facilitator, target=app.test_client())

    page = facilitator.get(f"/t/{setup.territory.slug}/action-plans/actions/{action.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'{session_url(setup, "/board")}#card-{card.id}' in html
    assert "« Un forum des métiers au lycée »" in html
    assert f'href="{session_url(setup)}"' in html and setup.session.title in html
    assert f'/people/{julie.id}"' in html and julie.full_name in html

    board = facilitator.get(session_url(setup, "/board/fragment")).get_data(as_text=True)
    assert f"/actions/{action.id}" in board
    assert "retenue comme action" in phone.get(f"/j/{code}/fragment?part=work").get_data(
        as_text=True)
