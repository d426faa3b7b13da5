"""Creating an experiment from the method, and the rules of its workspace."""
import html
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from facilitation.experiments import operations, planning
from facilitation.experiments import queries
from facilitation.experiments.methods import get_method
from facilitation.experiments.models import (
    CadreSection,
    Deliverable,
    Experiment,
    Interview,
    Part,
    Stakeholder,
    Theme,
)
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Meeting
from facilitation.sessions.operations import agenda_from_method, to_local
from facilitation.working_groups.models import WorkingGroup
from territorial.common import working_days
from territorial.common.errors import DomainError

START = date(2026, 1, 5)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def method():
    return get_method("agir_ensemble")


@pytest.fixture
def territory(factory):
    return factory.territory()


@pytest.fixture
def coordinator(factory, territory):
    return factory.user(territory, role="coordinator")


def _sessions(experiment):
    return db.session.scalars(select(Meeting).where(
        Meeting.experiment_id == experiment.id).order_by(Meeting.starts_at)).all()


def _url(territory, path=""):
    return f"/t/{territory.slug}/experiments{path}"


# Creation from the method -------------------------------------------------------------------

def test_creation_yields_every_cadre_section_in_order(ctx, factory, territory, method):
    experiment = factory.experiment(territory)
    sections = db.session.scalars(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id).order_by(CadreSection.position)).all()
    expected = []
    for spec in method["cadre_sections"]:
        expected.append((spec["key"], None))
        expected += [(spec["key"], kind["key"]) for kind in spec.get("per_actor_kind", [])]
    assert [(s.key, s.actor_kind) for s in sections] == expected
    motifs = [s for s in sections if s.key == "expose_des_motifs"]
    assert {s.actor_kind for s in motifs} == {None, "associations", "entreprises", "collectivites"}
    objectives = next(s for s in sections if s.key == "objectifs")
    assert objectives.guiding_questions == ["Quels sont les objectifs de l'expérimentation ?"]
    assert objectives.group_title == "Description générale de l'expérimentation"
    perimeter = next(s for s in sections if s.key == "perimetre")
    assert perimeter.content == experiment.perimeter


def test_creation_yields_parts_and_deliverables_from_the_method(ctx, factory, territory, method):
    experiment = factory.experiment(territory)
    parts = db.session.scalars(select(Part).where(Part.experiment_id == experiment.id)
                               .order_by(Part.position)).all()
    assert [p.title for p in parts] == [p["title"] for p in method["parts"]]
    for part, spec in zip(parts, method["parts"], strict=True):
        assert part.objectives and part.description and part.mode_operatoire
        titles = db.session.scalars(select(Deliverable.title).where(Deliverable.part_id == part.id)
                                    .order_by(Deliverable.position)).all()
        assert titles == [d["title"] for d in spec["deliverables"]]
    assert parts[0].start_date == START
    assert parts[-1].end_date == experiment.end_date == date(2027, 1, 4)
    for before, after in zip(parts, parts[1:]):
        assert after.start_date == before.end_date + timedelta(days=1)


def test_creation_proposes_every_session_with_its_default_agenda(ctx, factory, territory, method):
    experiment = factory.experiment(territory, themes=["Emploi", "Handicap", "Précarité"])
    sessions = _sessions(experiment)
    kinds = [s.kind for s in sessions]
    assert kinds.count("lancement") == 1 and kinds.count("restitution") == 1
    assert kinds.count("copil") == len(method["defaults"]["copil_months"])
    for gt in ("gt1", "gt2", "gt3"):
        assert kinds.count(gt) == 3
    groups = db.session.scalars(select(WorkingGroup).where(
        WorkingGroup.experiment_id == experiment.id)).all()
    assert sorted(g.title for g in groups) == ["GT Emploi", "GT Handicap", "GT Précarité"]
    for group in groups:
        assert sorted(s.kind for s in sessions if s.working_group_id == group.id) == [
            "gt1", "gt2", "gt3"]
    for session in sessions:
        items = db.session.scalars(select(AgendaItem).where(AgendaItem.session_id == session.id)
                                   .order_by(AgendaItem.position)).all()
        assert [i.title for i in items] == [
            i["title"] for i in agenda_from_method(method, session.kind)]
    gt1 = next(s for s in sessions if s.kind == "gt1")
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.session_id == gt1.id)
                               .order_by(AgendaItem.position)).all()
    assert [i.shows_interviews for i in items] == [False, False, True, False]
    assert items[2].title.startswith("La situation territoriale sur la thématique")


def test_planning_dates_fall_in_the_period_gts_in_the_first_semester(ctx, factory, territory,
                                                                      method):
    experiment = factory.experiment(territory, themes=["Emploi", "Handicap", "Précarité",
                                                       "Environnement"])
    window_end = planning.gt_window_end(method, experiment.start_date)
    assert window_end == date(2026, 7, 4)
    for session in _sessions(experiment):
        day = to_local(session.starts_at).date()
        assert experiment.start_date <= day <= experiment.end_date, session.title
        assert day.weekday() < 5, session.title
        assert working_days.is_working_day(day), session.title   # no public holiday
        assert (day.month, day.day) not in planning.EVES, session.title
        assert session.ends_at > session.starts_at
        if session.kind in ("gt1", "gt2", "gt3"):
            assert day <= window_end, session.title


def test_copils_fall_in_the_months_of_the_method(ctx, factory, territory, method):
    experiment = factory.experiment(territory)
    copils = [s for s in _sessions(experiment) if s.kind == "copil"]
    for copil, month in zip(copils, method["defaults"]["copil_months"], strict=True):
        first = planning.add_months(experiment.start_date, month)
        following = planning.add_months(experiment.start_date, month + 1)
        assert first <= to_local(copil.starts_at).date() < following
    assert copils[0].title == "Copil de lancement" and copils[-1].title == "Copil de clôture"


def test_gts_of_several_groups_are_spread_over_their_month(ctx, factory, territory):
    experiment = factory.experiment(territory, themes=["A", "B", "C"])
    days = sorted(to_local(s.starts_at).date() for s in _sessions(experiment) if s.kind == "gt1")
    assert len(set(days)) == 3


def test_create_through_the_form(client, login, factory, territory, coordinator):
    login(coordinator)
    response = client.post(_url(territory, "/new"), data={
        "method": "agir_ensemble", "title": "Agir ensemble à Essai", "perimeter": "Essai",
        "start_date": "2026-09-01", "themes": ["Emploi", "Handicap"],
        "other_themes": "Mobilité\nemploi\n"})
    assert response.status_code == 302
    experiment = db.session.scalar(select(Experiment).where(
        Experiment.territory_id == territory.id))
    assert response.headers["Location"].endswith(f"/experiments/{experiment.id}")
    themes = db.session.scalars(select(Theme.title).where(Theme.experiment_id == experiment.id)
                                .order_by(Theme.position)).all()
    assert themes == ["Emploi", "Handicap", "Mobilité"]
    page = page_text(client.get(_url(territory, f"/{experiment.id}")))
    assert "Exposé des motifs" in page and "Planning prévisionnel" in page
    assert "Quels sont les objectifs de l'expérimentation ?" in page


def test_create_with_a_bad_date_keeps_what_was_typed(client, login, territory, coordinator):
    login(coordinator)
    response = client.post(_url(territory, "/new"), data={
        "method": "agir_ensemble", "title": "Mon titre", "perimeter": "Essai",
        "start_date": "31/02/2026"})
    assert response.status_code == 422
    page = page_text(response)
    assert "N'est pas une date valide" in page
    assert 'value="Mon titre"' in page


def test_only_coordinators_create(client, login, factory, territory):
    login(factory.user(territory, role="facilitator"))
    assert client.get(_url(territory, "/new")).status_code == 403


# Dates --------------------------------------------------------------------------------------

def test_end_before_start_is_refused_with_a_french_message(client, login, factory, territory,
                                                           coordinator):
    experiment = factory.experiment(territory)
    login(coordinator)
    response = client.post(_url(territory, f"/{experiment.id}/edit"), data={
        "title": "Nouveau titre", "perimeter": "P", "start_date": "2026-06-01",
        "end_date": "2026-01-01", "status": "en_cours"})
    assert response.status_code == 422
    page = page_text(response)
    assert "La date de fin précède la date de début." in page
    assert 'value="Nouveau titre"' in page
    assert db.session.get(Experiment, experiment.id).title != "Nouveau titre"


def test_operation_refuses_reversed_dates(ctx, factory, territory):
    experiment = factory.experiment(territory)
    with pytest.raises(DomainError, match="précède"):
        operations.update_experiment(experiment, title="x", perimeter="", status="en_cours",
                                     start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))


def test_part_outside_the_period_is_refused(client, login, factory, territory, coordinator):
    experiment = factory.experiment(territory)
    part = db.session.scalar(select(Part).where(Part.experiment_id == experiment.id))
    login(coordinator)
    response = client.post(_url(territory, f"/{experiment.id}/parts/{part.id}/edit"), data={
        "title": part.title, "start_date": "2025-01-01", "end_date": "2026-02-01",
        "objectives": "Mes objectifs"})
    assert response.status_code == 422
    page = page_text(response)
    assert "dans la période de l'expérimentation" in page
    assert "Mes objectifs" in page


def test_session_outside_the_period_is_refused(client, login, factory, territory, coordinator):
    experiment = factory.experiment(territory)
    session = next(s for s in _sessions(experiment) if s.kind == "copil")
    before = session.starts_at
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/sessions/{session.id}/edit", data={
        "title": session.title, "kind": "copil", "day": "2028-03-01", "start_time": "14:00",
        "end_time": "16:00", "place": "Salle B"})
    assert response.status_code == 422
    page = page_text(response)
    assert "en dehors de la période de l'expérimentation" in page
    assert 'value="Salle B"' in page
    assert db.session.get(Meeting, session.id).starts_at == before


def test_session_ending_before_it_starts_is_refused(client, login, factory, territory,
                                                    coordinator):
    experiment = factory.experiment(territory)
    session = _sessions(experiment)[0]
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/sessions/{session.id}/edit", data={
        "title": session.title, "kind": session.kind, "day": "2026-03-02",
        "start_time": "14:00", "end_time": "10:00"})
    assert response.status_code == 422
    assert "L'heure de fin doit suivre l'heure de début." in page_text(response)


def test_session_can_be_moved_inside_the_period(client, login, factory, territory, coordinator):
    experiment = factory.experiment(territory)
    session = next(s for s in _sessions(experiment) if s.kind == "lancement")
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/sessions/{session.id}/edit", data={
        "title": "Lancement", "kind": "lancement", "day": "2026-03-05", "start_time": "18:00",
        "end_time": "20:00", "place": "Mairie", "participation_level": "concertation"})
    assert response.status_code == 302
    session = db.session.get(Meeting, session.id)
    assert to_local(session.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-03-05 18:00"
    assert session.place == "Mairie" and session.participation_level == "concertation"


# Cadre --------------------------------------------------------------------------------------

def test_section_edited_in_place_raises_completion(client, login, factory, territory,
                                                   coordinator):
    experiment = factory.experiment(territory)
    section = db.session.scalar(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id, CadreSection.key == "objectifs"))
    login(coordinator)
    page = page_text(client.get(_url(territory, f"/{experiment.id}")))
    assert "Avancement du cadre : 1 section rédigée sur 13" in page  # the perimeter
    response = client.post(_url(territory, f"/{experiment.id}/cadre/{section.id}"),
                           data={"content": "Inventer collectivement des solutions."})
    assert response.status_code == 302
    assert db.session.get(CadreSection, section.id).content == (
        "Inventer collectivement des solutions.")
    sections = db.session.scalars(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id)).all()
    assert queries.cadre_completion(sections).filled == 2  # perimeter + objectives


def test_too_long_section_keeps_the_text(client, login, factory, territory, coordinator):
    experiment = factory.experiment(territory)
    section = db.session.scalar(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id, CadreSection.key == "principes"))
    login(coordinator)
    text = "Principe. " * 2100
    response = client.post(_url(territory, f"/{experiment.id}/cadre/{section.id}"),
                           data={"content": text})
    assert response.status_code == 422
    page = page_text(response)
    assert "Principe. Principe." in page and 'aria-invalid="true"' in page


def test_expose_des_motifs_is_kept_per_kind_of_actor(ctx, factory, territory):
    experiment = factory.experiment(territory)
    rows = db.session.scalars(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id, CadreSection.key == "expose_des_motifs",
        CadreSection.actor_kind.is_not(None))).all()
    operations.update_section(rows[0], "Pour les associations : un levier.")
    assert [r.is_filled for r in rows] == [True, False, False]


# Stakeholders, deliverables ------------------------------------------------------------------

def test_stakeholders_pilot_and_party_with_complementarity(client, login, factory, territory,
                                                           coordinator):
    experiment = factory.experiment(territory)
    organisation = factory.organisation(territory, name="Le RAMEAU")
    login(coordinator)
    response = client.post(_url(territory, f"/{experiment.id}/stakeholders/new"), data={
        "organisation_id": organisation.id, "role": "pilote",
        "positioning": "Laboratoire de recherche", "contribution": "La méthode",
        "reason": ""})
    assert response.status_code == 302
    page = page_text(client.get(_url(territory, f"/{experiment.id}")))
    assert "Le RAMEAU" in page and "La méthode" in page
    again = client.post(_url(territory, f"/{experiment.id}/stakeholders/new"), data={
        "organisation_id": organisation.id, "role": "partie_prenante"})
    assert again.status_code == 422
    assert "figure déjà parmi les parties prenantes" in page_text(again)


def test_stakeholder_from_another_territory_is_refused(ctx, factory, territory):
    experiment = factory.experiment(territory)
    elsewhere = factory.organisation(factory.territory())
    with pytest.raises(DomainError, match="n'appartient pas à ce territoire"):
        operations.save_stakeholder(Stakeholder(), experiment, {
            "organisation_id": elsewhere.id, "role": "pilote", "positioning": "",
            "contribution": "", "reason": ""})


def test_deliverable_status_and_progress_per_part(client, login, factory, territory,
                                                  coordinator):
    experiment = factory.experiment(territory)
    part = db.session.scalar(select(Part).where(Part.experiment_id == experiment.id,
                                                Part.key == "preparation"))
    deliverable = db.session.scalar(select(Deliverable).where(Deliverable.part_id == part.id))
    login(coordinator)
    response = client.post(
        _url(territory, f"/{experiment.id}/deliverables/{deliverable.id}/status"),
        data={"status": "livre"})
    assert response.status_code == 302
    page = page_text(client.get(_url(territory, f"/{experiment.id}/parts")))
    assert "1 livrable livré sur 5" in page
    assert 'value="1" max="5"' in page


def test_deliverable_owner_from_another_territory_is_refused(client, login, factory, territory,
                                                             coordinator):
    experiment = factory.experiment(territory)
    part = db.session.scalar(select(Part).where(Part.experiment_id == experiment.id))
    elsewhere = factory.organisation(factory.territory())
    login(coordinator)
    response = client.post(
        _url(territory, f"/{experiment.id}/parts/{part.id}/deliverables/new"),
        data={"title": "Note", "status": "prevu", "owner_organisation_id": elsewhere.id,
              "owner_person_id": 0})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Deliverable).where(
        Deliverable.title == "Note")) == 0


# Themes -------------------------------------------------------------------------------------

def test_adding_a_theme_creates_its_group_and_its_three_gts(client, login, factory, territory,
                                                            coordinator):
    experiment = factory.experiment(territory)
    login(coordinator)
    response = client.post(_url(territory, f"/{experiment.id}/themes"),
                           data={"title": "Environnement", "with_group": "y"})
    assert response.status_code == 302
    group = db.session.scalar(select(WorkingGroup).where(
        WorkingGroup.experiment_id == experiment.id))
    assert group.title == "GT Environnement"
    assert sorted(s.kind for s in _sessions(experiment) if s.working_group_id == group.id) == [
        "gt1", "gt2", "gt3"]
    duplicate = client.post(_url(territory, f"/{experiment.id}/themes"),
                            data={"title": "environnement"})
    assert duplicate.status_code == 422
    assert "existe déjà" in page_text(duplicate)


def test_deleting_an_unused_theme_deletes_it(client, login, factory, territory, coordinator,
                                             method):
    experiment = factory.experiment(territory)
    theme = operations.add_theme(experiment, method, "Mobilité", with_group=False)
    login(coordinator)
    response = client.post(_url(territory, f"/{experiment.id}/themes/{theme.id}/delete"))
    assert response.status_code == 302
    assert db.session.get(Theme, theme.id) is None


def test_deleting_a_theme_with_sessions_asks_then_archives(client, login, factory, territory,
                                                           coordinator):
    experiment = factory.experiment(territory, themes=["Emploi"])
    theme = db.session.scalar(select(Theme).where(Theme.experiment_id == experiment.id))
    url = _url(territory, f"/{experiment.id}/themes/{theme.id}/delete")
    login(coordinator)
    question = page_text(client.get(url))
    assert "3 séances" in question and "archivée" in question
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 200
    assert db.session.get(Theme, theme.id).archived_at is None
    confirmed = client.post(url, data={"confirm": "1"})
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).archived_at is not None
    group = db.session.scalar(select(WorkingGroup).where(WorkingGroup.theme_id == theme.id))
    assert group.archived_at is not None
    assert len([s for s in _sessions(experiment) if s.working_group_id == group.id]) == 3
    planning_page = client.get(_url(territory, f"/{experiment.id}/planning"))
    assert "GT1 : diagnostic partagé du territoire – Emploi" not in page_text(planning_page)
    client.post(_url(territory, f"/{experiment.id}/themes/{theme.id}/restore"))
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).archived_at is None


# Interviews ---------------------------------------------------------------------------------

def test_gt1_situation_territoriale_shows_the_interviews_of_its_theme(
        client, login, factory, territory, coordinator):
    experiment = factory.experiment(territory, themes=["Emploi", "Handicap"])
    themes = {t.title: t for t in db.session.scalars(select(Theme).where(
        Theme.experiment_id == experiment.id))}
    elected = factory.person(territory, first_name="Jean", last_name="Vasseur")
    other = factory.person(territory, first_name="Julie", last_name="Marchand")
    login(coordinator)
    response = client.post(_url(territory, f"/{experiment.id}/interviews/new"), data={
        "person_id": elected.id, "held_on": "2026-01-20", "interviewer_person_id": 0,
        "interviewer_name": "Hélène Moreau", "theme_id": themes["Emploi"].id,
        "individual_stakes": "Diversifier les financements",
        "territorial_stakes": "Des métiers en tension"})
    assert response.status_code == 302
    db.session.add(Interview(territory_id=territory.id, experiment_id=experiment.id,
                             person_id=other.id, theme_id=themes["Handicap"].id,
                             individual_stakes="Accueillir des stagiaires"))
    db.session.flush()
    gt1 = next(s for s in _sessions(experiment) if s.kind == "gt1"
               and s.title.endswith("Emploi"))
    page = page_text(client.get(f"/t/{territory.slug}/sessions/{gt1.id}"))
    assert "Comptes rendus des entretiens préparatoires" in page
    assert "Jean Vasseur" in page and "Des métiers en tension" in page
    assert "Julie Marchand" not in page


def test_interview_with_a_person_of_another_territory_is_refused(ctx, factory, territory):
    experiment = factory.experiment(territory)
    stranger = factory.person(factory.territory())
    with pytest.raises(DomainError, match="n'appartient pas"):
        operations.save_interview(Interview(), experiment, {"person_id": stranger.id})


# Panels -------------------------------------------------------------------------------------

def test_home_shows_next_sessions_and_deliverables_due(client, login, factory, territory,
                                                       coordinator):
    today = date.today()
    factory.experiment(territory, start_date=today.replace(day=1), title="Expé du moment")
    login(coordinator)
    page = page_text(client.get(f"/t/{territory.slug}/"))
    assert "Prochaines séances" in page and "Copil" in page
    assert "Livrables à venir" in page and "Cadre méthodologique validé par les pilotes" in page


def test_organisation_page_shows_experiments_and_groups(client, login, factory, territory,
                                                        coordinator):
    experiment = factory.experiment(territory, title="Agir ensemble ici")
    organisation = factory.organisation(territory, name="Tremplin")
    person = factory.person(territory, organisation, first_name="Louis", last_name="Perrin")
    operations.save_stakeholder(Stakeholder(), experiment, {
        "organisation_id": organisation.id, "role": "pilote", "positioning": "",
        "contribution": "", "reason": ""})
    factory.working_group(territory, experiment, members=[person], title="GT Emploi")
    login(coordinator)
    page = page_text(client.get(f"/t/{territory.slug}/organisations/{organisation.id}"))
    assert "Pilote – Agir ensemble ici" in page
    assert "GT Emploi : Louis Perrin" in page


def test_moving_the_start_shifts_the_planning(ctx, factory, territory):
    experiment = factory.experiment(territory)
    before = sorted(s.starts_at for s in _sessions(experiment))
    operations.update_experiment(experiment, title=experiment.title, perimeter="",
                                 status="preparation", start_date=START + timedelta(days=28),
                                 end_date=experiment.end_date + timedelta(days=28),
                                 shift_planning=True)
    after = sorted(s.starts_at for s in _sessions(experiment))
    assert [b + timedelta(days=28) for b in before] == after
    part = db.session.scalar(select(Part).where(Part.experiment_id == experiment.id,
                                                Part.key == "preparation"))
    assert part.start_date == START + timedelta(days=28)


def test_a_session_edited_meanwhile_is_not_overwritten(ctx, factory, territory):
    """``version_id`` guards a session against a lost update."""
    from sqlalchemy import update
    from sqlalchemy.orm.exc import StaleDataError

    session = factory.meeting_session(territory)
    db.session.execute(update(Meeting).where(Meeting.id == session.id)
                       .values(version_id=Meeting.version_id + 1)
                       .execution_options(synchronize_session=False))
    session.place = "Ailleurs"
    with pytest.raises(StaleDataError):
        db.session.flush()
