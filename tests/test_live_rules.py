"""Rules of a live session: the state machine, the closed-session guard, the kinds of
contributions from the method, texts, participation levels."""
import pytest

from extensions import db
from facilitation.sessions.live import board, minutes, participation, rules, votes
from facilitation.sessions.live.models import Contribution, DotVote
from facilitation.sessions.models import AgendaItem
from tests.live_support import live_setup, session_url
from territorial.common.errors import DomainError


# State machine -------------------------------------------------------------------------------

@pytest.mark.parametrize("current,new,allowed", [
    ("preparee", "ouverte", True),
    ("ouverte", "cloturee", True),
    ("preparee", "cloturee", False),
    ("ouverte", "preparee", False),
    ("cloturee", "ouverte", False),
    ("cloturee", "preparee", False),
    ("ouverte", "ouverte", False),
])
def test_status_only_moves_forward(current, new, allowed):
    assert (rules.transition_error(current, new) is None) is allowed


def test_opening_gives_a_join_code_and_starts_the_clock(app, factory, ctx):
    setup = live_setup(factory, app, open_session=False)
    session = setup.session
    assert session.status == "preparee" and not session.join_code
    state = participation.open_session(session)
    assert session.status == "ouverte"
    assert len(session.join_code) == 6 and session.join_code.isalnum()
    first = participation.agenda(session)[0]
    assert state.current_agenda_item_id == first.id and state.step_started_at is not None
    with pytest.raises(DomainError):
        participation.open_session(session)


def test_closing_a_session_never_opened_is_refused(app, factory, ctx):
    setup = live_setup(factory, app, open_session=False)
    with pytest.raises(DomainError) as error:
        participation.close_session(setup.session)
    assert "Ouvrez la séance" in str(error.value)


def test_closing_closes_the_vote_and_drafts_the_minutes(app, factory, ctx):
    setup = live_setup(factory, app, kind="gt2")
    session = setup.session
    cards = [factory.card(session, "Piste A", kind="piste"), factory.card(session, "Piste B", kind="piste")]
    vote = votes.open_vote(session, "Quelles pistes ?", 2, [c.id for c in cards])
    participation.close_session(session)
    assert session.status == "cloturee"
    assert db.session.get(DotVote, vote.id).status == "clos"
    assert "## Synthèse des échanges" in session.minutes
    assert "## Décisions" in session.minutes and "## Prochaines étapes" in session.minutes
    with pytest.raises(DomainError):
        participation.open_session(session)


def test_a_closed_session_is_read_only_except_its_minutes(app, factory, ctx):
    setup = live_setup(factory, app)
    session = setup.session
    card = factory.card(session, "Un constat")
    participation.close_session(session)
    db.session.commit()

    session.minutes = "## Synthèse\nTexte revu."
    minutes.mark_sent(session)
    db.session.flush()  # the minutes stay editable

    item = db.session.scalars(db.select(AgendaItem).where(AgendaItem.session_id == session.id)).first()
    item.title = "Autre point"
    with pytest.raises(rules.SessionClosedError):
        db.session.flush()
    db.session.rollback()

    session = db.session.get(type(session), session.id)
    session.place = "Ailleurs"
    with pytest.raises(rules.SessionClosedError):
        db.session.flush()
    db.session.rollback()

    db.session.add(Contribution(territory_id=session.territory_id, session_id=session.id,
                                kind="constat", text="Trop tard"))
    with pytest.raises(rules.SessionClosedError):
        db.session.flush()
    db.session.rollback()

    card = db.session.get(Contribution, card.id)
    with pytest.raises(rules.SessionClosedError):
        board.set_flags(db.session.get(type(session), session.id), card, hidden=True)


def test_closed_session_pages_refuse_changes_with_a_message(app, client, login, factory):
    setup = live_setup(factory, app)
    card = factory.card(setup.session, "Un constat")
    login(setup.facilitator)
    assert client.post(session_url(setup, "/close")).status_code == 302
    response = client.post(f"/t/{setup.territory.slug}/sessions/cards/{card.id}/flags",
                           data={"hidden": "1"})
    assert response.status_code == 302
    page = client.get(session_url(setup, "/board")).get_data(as_text=True)
    assert "clôturée" in page
    item_id = db.session.scalar(db.select(AgendaItem.id).where(
        AgendaItem.session_id == setup.session.id))
    response = client.post(session_url(setup, f"/agenda/{item_id}"),
                           data={"title": "Nouveau titre", "duration_minutes": "10"})
    assert response.status_code == 409
    assert "clôturée" in response.get_data(as_text=True)
    response = client.post(session_url(setup, "/minutes"),
                           data={"minutes": "## Synthèse\nRelue.", "version": ""})
    assert response.status_code == 302


def test_open_and_close_from_the_pages(app, client, login, factory):
    setup = live_setup(factory, app, open_session=False)
    login(setup.facilitator)
    response = client.post(session_url(setup, "/open"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/board")
    page = client.get(session_url(setup, "/board")).get_data(as_text=True)
    code = db.session.get(type(setup.session), setup.session.id).join_code
    assert code in page and "Point 1 sur 4" in page
    assert client.post(session_url(setup, "/close")).status_code == 302
    assert "Clôturée" in client.get(session_url(setup, "/minutes")).get_data(as_text=True)


def test_only_facilitators_open_and_close(app, client, login, factory):
    setup = live_setup(factory, app, open_session=False)
    login(factory.user(setup.territory, role="participant"))
    assert client.post(session_url(setup, "/open")).status_code == 403
    assert client.get(session_url(setup, "/board")).status_code == 200


# Clock ----------------------------------------------------------------------------------------

def test_next_step_moves_the_clock_along_the_agenda(app, factory, ctx):
    setup = live_setup(factory, app)
    items = participation.agenda(setup.session)
    state = participation.next_step(setup.session)
    assert state.current_agenda_item_id == items[1].id
    participation.set_step(setup.session, items[-1].id)
    assert participation.next_step(setup.session).current_agenda_item_id is None
    with pytest.raises(DomainError):
        participation.set_step(setup.session, 10**9)


# Kinds, texts, levels ---------------------------------------------------------------------------

def test_kinds_follow_the_method(app, factory, ctx):
    territory = factory.territory()
    keys = {kind: [k["key"] for k in rules.kinds_for(factory.meeting_session(territory, kind=kind))]
            for kind in ("gt1", "gt2", "gt3", "copil")}
    assert keys["gt1"] == ["constat", "enjeu_participants", "enjeu_territoire", "temoignage",
                           "question"]
    assert keys["gt2"] == ["solution_existante", "piste"]
    assert keys["gt3"] == ["action"]
    assert keys["copil"] == ["idee", "question", "decision"]


def test_the_step_offers_its_own_kinds_first(app, factory, ctx):
    setup = live_setup(factory, app)
    testimony = participation.agenda(setup.session)[1]
    assert [k["key"] for k in rules.step_kinds(setup.session, testimony)][:2] == [
        "temoignage", "question"]


@pytest.mark.parametrize("text,fragment", [
    ("", "Écrivez votre contribution"),
    ("   ", "Écrivez votre contribution"),
    ("x" * 501, "500 caractères au plus : le texte en compte 501"),
])
def test_texts_must_be_present_and_short(app, ctx, text, fragment):
    assert fragment in rules.text_error(text)


def test_a_500_character_text_is_accepted(app, ctx):
    assert rules.text_error("é" * 500) is None


def test_participation_levels_come_from_the_charter(app):
    levels = rules.participation_definitions()
    assert set(levels) == {"consultation", "concertation", "participation"}
    assert "co-construire" in levels["concertation"]["definition"]


def test_the_session_page_announces_the_level_with_its_definition(app, client, login, factory):
    setup = live_setup(factory, app)
    login(setup.facilitator)
    page = client.get(session_url(setup)).get_data(as_text=True)
    assert "La concertation" in page and "co-construire des contenus" in page
