"""Planning that catches clashes (issue 17, item 7): the same person in two sessions at
once, one place taken twice, a session of zero length (refused), sessions left outside the
experiment when its dates change (listed, moved or kept by choice), livrables due outside
the period, sessions on weekends or French public holidays — each said, never silent."""
from contextlib import contextmanager
from datetime import date, time, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from extensions import db
from facilitation.experiments import planning
from facilitation.experiments.models import Deliverable, Part
from facilitation.sessions.models import Meeting
from facilitation.sessions.operations import create_session, local_datetime, to_local
from territorial.common import working_days


@contextmanager
def _request(app):
    """A request context for operations, its work committed (what the pages then read)."""
    with app.test_request_context():
        yield
        db.session.commit()


@pytest.fixture
def setup(factory, app):
    territory = factory.territory()
    coordinator = factory.user(territory)
    with _request(app):
        experiment = factory.experiment(territory)
    return territory, coordinator, experiment


def _plain(html: str) -> str:
    """The page's text as compared here: entities read, no-break spaces as spaces."""
    return unescape(html).replace("\u00a0", " ").replace("\u202f", " ")


def _page(client, url) -> str:
    return _plain(client.get(url).get_data(as_text=True))


def _session(territory, experiment, title, day, start=time(9, 30), hours=2, **fields):
    starts_at = local_datetime(day, start)
    return create_session(territory.id, kind="autre", title=title, starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=hours),
                          experiment_id=experiment.id, **fields)


def _planning(client, territory, experiment) -> str:
    return _page(client, f"/t/{territory.slug}/experiments/{experiment.id}/planning")


def test_a_member_of_two_groups_meeting_at_once_is_warned(client, login, factory, app, setup):
    territory, coordinator, experiment = setup
    julie = factory.person(territory, first_name="Julie", last_name="Marchand")
    other = factory.person(territory, first_name="Paul", last_name="Bernard")
    emploi = factory.working_group(territory, experiment, members=[julie], title="GT Emploi")
    logement = factory.working_group(territory, experiment, members=[julie, other],
                                     title="GT Logement")
    day = date(2026, 3, 10)
    with _request(app):
        _session(territory, experiment, "GT1 Emploi", day, working_group_id=emploi.id)
        _session(territory, experiment, "GT1 Logement", day, start=time(10, 30),
                 working_group_id=logement.id)
        _session(territory, experiment, "GT2 Logement", day, start=time(14, 0),
                 working_group_id=logement.id)
    factory.session.commit()
    login(coordinator)
    page = _planning(client, territory, experiment)
    assert "Julie Marchand : attendu·es à deux séances en même temps, « GT1 Emploi » et " \
           "« GT1 Logement » (mardi 10 mars 2026 à 10 h 30)." in page
    assert "« GT2 Logement »" not in page.split("planning-clashes")[1].split("</div>")[0]
    assert "Paul Bernard" not in page.split("planning-clashes")[1].split("</div>")[0]


def test_a_person_registered_to_two_sessions_at_once_is_warned_when_saving(
        client, login, factory, app, setup):
    from facilitation.sessions.live.models import Attendee

    territory, coordinator, experiment = setup
    julie = factory.person(territory, first_name="Julie", last_name="Marchand")
    with _request(app):
        first = _session(territory, experiment, "Réunion des partenaires", date(2026, 3, 12))
        second = _session(territory, experiment, "Comité technique", date(2026, 3, 13))
    for session in (first, second):
        factory._add(Attendee(territory_id=territory.id, session_id=session.id,
                              person_id=julie.id, status="present"))
    factory.session.commit()
    login(coordinator)
    moved = client.post(f"/t/{territory.slug}/sessions/{second.id}/edit", data={
        "title": "Comité technique", "kind": "autre", "day": "2026-03-12",
        "start_time": "10:00", "end_time": "12:00", "place": "", "participation_level": ""},
        follow_redirects=True)
    html = _plain(moved.get_data(as_text=True))
    assert "Séance enregistrée." in html
    assert "Julie Marchand : attendu·es à deux séances en même temps" in html


def test_the_same_place_twice_at_once_is_warned(client, login, factory, app, setup):
    territory, coordinator, experiment = setup
    with _request(app):
        _session(territory, experiment, "GT1 Emploi", date(2026, 3, 10),
                 place="Salle Jean Moulin")
        _session(territory, experiment, "GT1 Santé", date(2026, 3, 10), start=time(11, 0),
                 place="salle  jean moulin")
    factory.session.commit()
    login(coordinator)
    assert "« GT1 Emploi » et « GT1 Santé » au même lieu en même temps" in \
        _planning(client, territory, experiment)


def test_a_session_of_zero_length_is_refused_next_to_the_field(client, login, factory, app,
                                                               setup):
    territory, coordinator, experiment = setup
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/experiments/{experiment.id}/sessions/new", data={
        "title": "Copil", "kind": "copil", "day": "2026-03-10", "start_time": "14:00",
        "end_time": "14:00", "place": "", "participation_level": ""})
    assert response.status_code == 422
    html = _plain(response.get_data(as_text=True))
    assert "L'heure de fin doit suivre l'heure de début." in html
    assert 'value="Copil"' in html


def test_a_session_on_a_public_holiday_or_a_weekend_is_warned(client, login, factory, app,
                                                              setup):
    territory, coordinator, experiment = setup
    login(coordinator)
    for day, said in (("2026-05-14", "tombe un jour férié (Ascension)"),
                      ("2026-03-14", "tombe un samedi")):
        response = client.post(
            f"/t/{territory.slug}/experiments/{experiment.id}/sessions/new", data={
                "title": "Copil", "kind": "copil", "day": day, "start_time": "14:00",
                "end_time": "16:00", "place": "", "participation_level": ""},
            follow_redirects=True)
        html = _plain(response.get_data(as_text=True))
        assert "ajoutée au planning" in html and f"« Copil » {said}" in html
    assert "« Copil » tombe un jour férié (Ascension)" in _planning(client, territory,
                                                                    experiment)


def _edit_experiment(client, territory, experiment, end, **extra):
    return client.post(f"/t/{territory.slug}/experiments/{experiment.id}/edit", data={
        "title": experiment.title, "perimeter": experiment.perimeter,
        "start_date": experiment.start_date.isoformat(), "end_date": end.isoformat(),
        "status": experiment.status, "shift_planning": "y", **extra})


def _sessions_after(experiment, day):
    db.session.expire_all()
    return [s for s in db.session.scalars(select(Meeting).where(
        Meeting.experiment_id == experiment.id)) if to_local(s.starts_at).date() > day]


def test_shortening_the_experiment_lists_the_sessions_left_outside(client, login, setup):
    territory, coordinator, experiment = setup
    login(coordinator)
    end = date(2026, 6, 30)
    left = [s.title for s in _sessions_after(experiment, end)]
    assert left                                          # the copils of the autumn, …
    asked = _edit_experiment(client, territory, experiment, end)
    assert asked.status_code == 422
    html = _plain(asked.get_data(as_text=True))
    assert f"{len(left)} séances tomberaient hors de la nouvelle période" in html
    assert all(f"« {title} »" in html for title in left)
    assert len(_sessions_after(experiment, end)) == len(left)   # nothing saved

    kept = _edit_experiment(client, territory, experiment, end, outside_sessions="keep")
    assert kept.status_code == 302
    planning_page = _plain(client.get(kept.headers["Location"], follow_redirects=True)
                           .get_data(as_text=True))
    assert f"{len(left)} séances restent hors de la période" in planning_page
    page = _planning(client, territory, experiment)
    assert "Séances hors de la période de l'expérimentation" in page
    assert all(title in page for title in left)


def test_sessions_left_outside_can_be_moved_inside_on_working_days(client, login, setup):
    territory, coordinator, experiment = setup
    login(coordinator)
    end = date(2026, 6, 30)
    left = {s.id: (s.ends_at - s.starts_at, to_local(s.starts_at).time())
            for s in _sessions_after(experiment, end)}
    moved = _edit_experiment(client, territory, experiment, end, outside_sessions="move")
    assert moved.status_code == 302
    assert _sessions_after(experiment, end) == []
    for session_id, (length, start) in left.items():
        session = db.session.get(Meeting, session_id)
        day = to_local(session.starts_at).date()
        assert experiment.start_date <= day <= end and working_days.is_working_day(day)
        assert session.ends_at - session.starts_at == length
        assert to_local(session.starts_at).time() == start


def test_a_livrable_due_outside_the_period_is_warned(client, login, factory, setup):
    territory, coordinator, experiment = setup
    deliverable = db.session.scalar(select(Deliverable).join(Part).where(
        Part.experiment_id == experiment.id).limit(1))
    login(coordinator)
    url = f"/t/{territory.slug}/experiments/{experiment.id}/deliverables/{deliverable.id}/edit"
    form = {"title": deliverable.title, "status": deliverable.status,
            "owner_organisation_id": "0", "owner_person_id": "0", "due_date": "2025-11-28"}
    saved = client.post(url, data=form, follow_redirects=True)
    html = _plain(saved.get_data(as_text=True))
    assert "Livrable enregistré." in html
    assert "Échéance en dehors de la période de l'expérimentation" in html
    assert "Échéance en dehors de la période de l'expérimentation" in _page(client, url)
    assert f"Le livrable « {deliverable.title} » est dû le 28 novembre 2025" in \
        _planning(client, territory, experiment)


@pytest.mark.parametrize("start", [date(2026, 12, 1) + timedelta(days=n) for n in range(31)])
def test_sessions_are_never_placed_on_a_day_off(app, start):
    with app.test_request_context():
        for month in range(13):
            for index, count in ((0, 1), (0, 3), (1, 3), (2, 3)):
                day = planning.day_in_month(start, month, index, count)
                assert working_days.is_working_day(day), (start, month, day)
                assert (day.month, day.day) not in planning.EVES
            copil = planning.session_slot(start, month, "copil", 120)[0]
            assert working_days.is_working_day(to_local(copil).date())


def test_the_closing_copil_is_not_placed_on_christmas_eve(app):
    with app.test_request_context():
        # an experiment starting on 10 December 2026: month 12 starts on 10 December 2027,
        # the copil's usual day (+14) is Friday 24 December, then Noël and a weekend
        assert planning.day_in_month(date(2026, 12, 10), 12, default_offset=14) == \
            date(2027, 12, 27)
