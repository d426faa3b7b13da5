"""Planning: the Gantt chart and its table, iCalendar exports, the Agenda, the Word export
of the cadre, and query counts that do not grow with groups and sessions."""
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from icalendar import Calendar
from sqlalchemy import select

from extensions import db
from facilitation.experiments import operations
from facilitation.experiments.methods import get_method
from facilitation.experiments.models import CadreSection, Stakeholder
from facilitation.sessions.models import Meeting
from facilitation.working_groups.models import WorkingGroup
from tests.documents_support import plain, rows_text


@pytest.fixture
def territory(factory):
    return factory.territory(name="Communauté de communes d'Essai")


@pytest.fixture
def coordinator(factory, territory):
    return factory.user(territory, role="coordinator")


def sessions_of(experiment):
    return db.session.scalars(select(Meeting).where(
        Meeting.experiment_id == experiment.id)).all()


def events(response):
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    return calendar.walk("VEVENT")


def populate(factory, territory, experiment):
    """Members in each group, a pilot, a filled section: what the Word export shows."""
    organisation = factory.organisation(territory, name="Le RAMEAU", kind="association")
    operations.save_stakeholder(Stakeholder(), experiment, {
        "organisation_id": organisation.id, "role": "pilote", "positioning": "Laboratoire",
        "contribution": "La méthode", "reason": ""})
    names = {}
    for group in db.session.scalars(select(WorkingGroup).where(
            WorkingGroup.experiment_id == experiment.id)):
        names[group.title] = []
        for index in range(2):
            person = factory.person(territory, organisation, first_name=f"Membre{index}",
                                    last_name=group.title.replace(" ", ""))
            operations.groups.add_member(group, person.id)
            names[group.title].append(person.full_name)
    return names


# Gantt ------------------------------------------------------------------------------------

def test_planning_page_draws_the_gantt_with_a_table(client, login, factory, territory,
                                                    coordinator):
    experiment = factory.experiment(territory, themes=["Emploi", "Handicap"])
    login(coordinator)
    page = client.get(f"/t/{territory.slug}/experiments/{experiment.id}/planning").get_data(
        as_text=True)
    assert "vendor/plotly/plotly-cartesian.min.js" in page and "js/charts.js" in page
    assert "cdn" not in page.lower()
    figure = json.loads(re.search(
        r'<script type="application/json" id="planning-figure">(.*?)</script>', page,
        re.S).group(1))
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert [b["y"][0] for b in bars] == ["Préparation", "Expérimentation",
                                         "Évaluation / suivi post-expérimentation"]
    markers = sum(len(t["x"]) for t in figure["data"] if t["type"] == "scatter")
    assert markers == len(sessions_of(experiment)) == 2 + 5 + 6
    rows = figure["layout"]["yaxis"]["categoryarray"]
    assert "GT Emploi" in rows and "GT Handicap" in rows and "Copils" in rows
    table_rows = re.findall(r'<th scope="row"><a href="/t/[^"]+/sessions/\d+">', page)
    assert len(table_rows) == markers


# iCalendar --------------------------------------------------------------------------------

def test_planning_ics_parses_and_holds_every_session(client, login, factory, territory,
                                                     coordinator):
    experiment = factory.experiment(territory, themes=["Emploi"])
    login(coordinator)
    response = client.get(f"/t/{territory.slug}/experiments/{experiment.id}/planning.ics")
    assert response.status_code == 200
    found = events(response)
    sessions = sessions_of(experiment)
    assert sorted(str(e["summary"]) for e in found) == sorted(s.title for s in sessions)
    assert len({str(e["uid"]) for e in found}) == len(sessions)
    gt1 = next(e for e in found if str(e["summary"]).startswith("GT1"))
    assert "Ordre du jour" in str(gt1["description"])
    assert "La situation territoriale sur la thématique" in str(gt1["description"])
    first = min(sessions, key=lambda s: s.starts_at)
    event = next(e for e in found if str(e["summary"]) == first.title)
    assert event.decoded("dtstart") == first.starts_at


def test_one_session_ics(client, login, factory, territory, coordinator):
    session = factory.meeting_session(territory, title="Plénière de rentrée", place="Mairie",
                                      agenda=["Accueil", "Bilan"])
    login(coordinator)
    response = client.get(f"/t/{territory.slug}/sessions/{session.id}/calendar.ics")
    found = events(response)
    assert len(found) == 1
    assert str(found[0]["summary"]) == "Plénière de rentrée"
    assert str(found[0]["location"]) == "Mairie"
    assert "- Bilan" in str(found[0]["description"])
    assert found[0].decoded("dtend") - found[0].decoded("dtstart") == timedelta(hours=2)


def test_agenda_feed_holds_every_session_of_the_territory_only(client, login, factory,
                                                               territory, coordinator):
    experiment = factory.experiment(territory, themes=["Emploi"])
    loose = factory.meeting_session(territory, title="Revue de la convention", kind="revue")
    factory.meeting_session(factory.territory(), title="Séance d'ailleurs")
    login(coordinator)
    found = events(client.get(f"/t/{territory.slug}/agenda/calendar.ics"))
    titles = {str(e["summary"]) for e in found}
    assert titles == {s.title for s in sessions_of(experiment)} | {loose.title}


def test_agenda_lists_sessions_with_paging(client, login, factory, territory, coordinator):
    start = datetime.now(UTC) + timedelta(days=1)
    for index in range(30):
        factory.meeting_session(territory, title=f"Séance n°{index:02d}",
                                starts_at=start + timedelta(days=index))
    login(coordinator)
    first = client.get(f"/t/{territory.slug}/agenda").get_data(as_text=True)
    assert "Séance n°00" in first and "Séance n°24" in first and "Séance n°25" not in first
    second = client.get(f"/t/{territory.slug}/agenda?page=2").get_data(as_text=True)
    assert "Séance n°25" in second and "Séance n°29" in second
    past = client.get(f"/t/{territory.slug}/agenda?when=past").get_data(as_text=True)
    assert "Séance n°00" not in past


def test_agenda_query_count_does_not_grow(client, login, factory, territory, coordinator,
                                          count_queries):
    experiment = factory.experiment(territory, themes=["Emploi"],
                                    start_date=datetime.now(UTC).date())
    login(coordinator)
    url = f"/t/{territory.slug}/agenda?when=all"
    with count_queries() as small:
        client.get(url)
    for title in ("Handicap", "Précarité", "Environnement"):
        operations.add_theme(experiment, get_method("agir_ensemble"), title)
    with count_queries() as large:
        client.get(url)
    assert len(large) == len(small)


# Word export ------------------------------------------------------------------------------

def test_cadre_docx_holds_every_section_and_the_members_of_each_gt(
        client, login, factory, territory, coordinator):
    experiment = factory.experiment(territory, themes=["Emploi", "Handicap"],
                                    title="Agir ensemble à Essai")
    members = populate(factory, territory, experiment)
    section = db.session.scalar(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id, CadreSection.key == "objectifs"))
    operations.update_section(section, "Inventer collectivement des solutions de partenariat.")
    login(coordinator)
    response = client.get(f"/t/{territory.slug}/experiments/{experiment.id}/cadre.docx")
    assert response.status_code == 200
    assert "cadre-methodologique-agir-ensemble-a-essai.docx" in response.headers[
        "Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    headings = [(p.style.name, plain(p.text)) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    heading_texts = [text for _style, text in headings]
    sections = db.session.scalars(select(CadreSection).where(
        CadreSection.experiment_id == experiment.id).order_by(CadreSection.position)).all()
    positions = [heading_texts.index(s.title) for s in sections]
    assert positions == sorted(positions), "sections in order"
    assert ("Heading 1", "Exposé des motifs") in headings
    assert ("Heading 2", "Pour les associations") in headings
    assert ("Heading 1", "Description générale de l'expérimentation") in headings
    assert ("Heading 2", "Objectifs de l'expérimentation") in headings
    for title in ("Préparation", "Expérimentation", "Évaluation / suivi post-expérimentation",
                  "GT Emploi", "GT Handicap", "Parties prenantes"):
        assert title in heading_texts
    texts = [plain(p.text) for p in document.paragraphs]
    assert "Title" in [p.style.name for p in document.paragraphs[:2]]  # under the territory
    assert "Agir ensemble à Essai" in texts
    assert "Inventer collectivement des solutions de partenariat." in texts
    assert any(t.startswith("Période : du 5 janvier 2026 au 4 janvier 2027") for t in texts)
    cells = {text for table in document.tables for row in rows_text(table) for text in row}
    for names in members.values():
        assert set(names) <= cells
    assert "Le RAMEAU" in cells and "La méthode" in cells
    assert "Cadre méthodologique validé par les pilotes" in cells
    assert any(s.title in cells for s in sessions_of(experiment))
    assert "Activité" in cells  # the RACI grid, rows = the method's tasks
    assert any("Conduite des entretiens préparatoires" in c for c in cells)


# Query counts -------------------------------------------------------------------------------

@pytest.mark.parametrize("tab", ["", "/parts", "/interviews", "/groups", "/planning", "/roles",
                                 "/documents"])
def test_workspace_queries_do_not_grow_with_groups_and_sessions(
        client, login, factory, territory, coordinator, count_queries, tab):
    experiment = factory.experiment(territory, themes=["Emploi"])
    populate(factory, territory, experiment)
    login(coordinator)
    url = f"/t/{territory.slug}/experiments/{experiment.id}{tab}"
    client.get(url)  # the RACI grid syncs on first view
    with count_queries() as small:
        assert client.get(url).status_code == 200
    method = get_method("agir_ensemble")
    for title in ("Handicap", "Précarité", "Environnement"):
        operations.add_theme(experiment, method, title)
    populate(factory, territory, experiment)
    client.get(url)
    with count_queries() as large:
        client.get(url)
    assert len(large) == len(small)


def test_group_page_queries_do_not_grow_with_members(client, login, factory, territory,
                                                     coordinator, count_queries):
    experiment = factory.experiment(territory, themes=["Emploi"])
    group = db.session.scalar(select(WorkingGroup).where(
        WorkingGroup.experiment_id == experiment.id))
    url = f"/t/{territory.slug}/groups/{group.id}"
    login(coordinator)
    organisation = factory.organisation(territory)
    for _ in range(3):
        operations.groups.add_member(group, factory.person(territory, organisation).id)
    with count_queries() as small:
        client.get(url)
    for _ in range(9):
        operations.groups.add_member(group, factory.person(territory, organisation).id)
    with count_queries() as large:
        client.get(url)
    assert len(large) == len(small)
