"""Sessions belong to their working group: the session form (planning « Ajouter une
séance », session page « Modifier ») offers the experiment's groups; a GT without a group
is flagged; a session attached to its group starts its attendance from the group's
members, sends its retained pistes to the group's plan, and its minutes name the group's
next session."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from facilitation.action_plans.models import ActionPlan
from facilitation.sessions.live import board, minutes, participation
from facilitation.sessions.models import Meeting
from tests.live_support import reload

FORM = {"title": "GT2 de l'emploi", "kind": "gt2", "day": "2026-03-10", "start_time": "14:00",
        "end_time": "16:30", "place": "Mairie", "participation_level": ""}


@pytest.fixture
def planning(app, factory):
    """An experiment with two working groups (four members in the first) and a group of
    another experiment."""
    territory = factory.territory()
    facilitator = factory.user(territory, role="facilitator")
    experiment = factory.experiment(territory)
    association = factory.organisation(territory, name="Association des parents")
    people = [factory.person(territory, association, first_name=f"Membre{i}") for i in range(4)]
    group = factory.working_group(territory, experiment, members=people, title="GT Emploi")
    other = factory.working_group(territory, experiment, title="GT Mobilité")
    elsewhere = factory.working_group(territory, factory.experiment(territory),
                                      title="GT d'une autre expérimentation")
    db.session.commit()
    return type("Planning", (), dict(territory=territory, facilitator=facilitator,
                                     experiment=experiment, group=group, other=other,
                                     elsewhere=elsewhere, people=people))


def _new_url(p):
    return f"/t/{p.territory.slug}/experiments/{p.experiment.id}/sessions/new"


def _created(p, title) -> Meeting:
    db.session.expire_all()
    return db.session.scalar(select(Meeting).where(Meeting.experiment_id == p.experiment.id,
                                                   Meeting.title == title))


def test_adding_a_session_offers_the_experiments_groups(client, login, planning):
    login(planning.facilitator)
    page = client.get(_new_url(planning) + "?kind=gt2").get_data(as_text=True)
    assert 'name="working_group_id"' in page
    assert "GT Emploi" in page and "GT Mobilité" in page
    assert "GT d&#39;une autre expérimentation" not in page
    response = client.post(_new_url(planning),
                           data=FORM | {"working_group_id": str(planning.group.id)})
    assert response.status_code == 302
    assert _created(planning, FORM["title"]).working_group_id == planning.group.id


def test_a_group_of_another_experiment_is_refused_and_nothing_is_lost(client, login, planning):
    login(planning.facilitator)
    response = client.post(_new_url(planning),
                           data=FORM | {"working_group_id": str(planning.elsewhere.id)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Mairie" in page  # what was typed stays
    assert _created(planning, FORM["title"]) is None


def test_the_group_is_chosen_or_changed_when_editing(app, client, login, factory, planning):
    session = factory.meeting_session(planning.territory, kind="gt1", title="GT1 sans groupe",
                                      experiment_id=planning.experiment.id)
    db.session.commit()
    login(planning.facilitator)
    url = f"/t/{planning.territory.slug}/sessions/{session.id}"
    page = client.get(url).get_data(as_text=True)
    assert "rattachée à aucun groupe de travail" in page  # flagged
    planning_page = client.get(
        f"/t/{planning.territory.slug}/experiments/{planning.experiment.id}/planning")
    assert "Groupe à préciser" in planning_page.get_data(as_text=True)
    form = client.get(url + "/edit").get_data(as_text=True)
    assert "GT Emploi" in form
    response = client.post(url + "/edit", data=FORM | {
        "title": "GT1 sans groupe", "kind": "gt1", "working_group_id": str(planning.other.id)})
    assert response.status_code == 302
    assert reload(session).working_group_id == planning.other.id
    assert "aucun groupe de travail" not in client.get(url).get_data(as_text=True)
    client.post(url + "/edit", data=FORM | {"title": "GT1 sans groupe", "kind": "gt1",
                                             "working_group_id": str(planning.group.id)})
    assert reload(session).working_group_id == planning.group.id
    # The attendance starts from the members of the group now chosen.
    attendance = client.get(url + "/attendance").get_data(as_text=True)
    for person in planning.people:
        assert person.full_name in attendance


def test_a_session_attached_later_sends_its_pistes_to_the_groups_plan(app, client, login,
                                                                      factory, planning):
    start = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    session = factory.meeting_session(planning.territory, kind="gt2", title="GT2 emploi",
                                      experiment_id=planning.experiment.id, starts_at=start)
    following = factory.meeting_session(
        planning.territory, kind="gt3", title="GT3 emploi", experiment_id=planning.experiment.id,
        working_group_id=planning.group.id, starts_at=start + timedelta(days=21))
    card = factory.card(session, "Un forum des métiers", kind="piste")
    db.session.commit()
    login(planning.facilitator)
    url = f"/t/{planning.territory.slug}/sessions/{session.id}"
    client.post(url + "/edit", data=FORM | {"title": "GT2 emploi", "kind": "gt2",
                                             "day": "2026-03-02", "start_time": "14:00",
                                             "working_group_id": str(planning.group.id)})
    assert reload(session).working_group_id == planning.group.id
    with app.test_request_context():
        participation.open_session(reload(session))
        db.session.commit()
    response = client.post(url + "/retain", data={"cards": [card.id], "scope": "participants",
                                                  "horizon": "court"})
    assert response.status_code == 302
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.owner_type == "working_group",
                                                      ActionPlan.owner_id == planning.group.id))
    assert plan is not None and "GT Emploi" in plan.title
    with app.test_request_context():
        assert minutes.next_session(reload(session)).id == following.id
        assert ("Prochaine séance : GT3 emploi, le lundi 23 mars 2026 à 14 h 00."
                in minutes.draft_text(reload(session)))
