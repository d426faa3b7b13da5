"""Projects: form, page (frise, RACI, pas de côté, bilans, documents), panels, bad input
through the forms, query counts (every route against every role: test_routes_by_role.py)."""
from datetime import date
from html import unescape

import pytest

from territorial.projects import operations
from territorial.projects.models import Project
from territorial.timelines import operations as timelines
from territorial.timelines import queries as timeline_queries


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def coordinator(factory, login):
    territory = factory.territory()
    user = factory.user(territory, role="coordinator")
    login(user)
    return territory, user


def test_create_project_with_its_frise_and_grid(coordinator, client):
    territory, user = coordinator
    response = client.post(f"/t/{territory.slug}/projects/new", data={
        "title": "Le cam's", "why": "Aller vers les habitants isolés",
        "objectives": "Rencontrer\nAccompagner", "starts_on": "2026-09-01",
        "ends_on": "2028-08-31"})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Le cam's" in page and "Aller vers les habitants isolés" in page
    assert "<li>Rencontrer</li>" in page
    assert "Frise des partenariats" in page and "Qui fait quoi : grille RACI" in page
    assert "Grille RACI" in page and "raci.xlsx" in page and "frise.docx" in page


def test_project_end_before_start_is_refused_and_values_kept(coordinator, client):
    territory, user = coordinator
    response = client.post(f"/t/{territory.slug}/projects/new", data={
        "title": "Le cam's", "starts_on": "2027-01-01", "ends_on": "2026-01-01"})
    assert response.status_code == 200
    html = text(response)
    assert "La fin doit venir après le début." in html and 'value="Le cam\'s"' in html


def test_add_entry_form_with_a_date_outside_the_span(coordinator, client, factory):
    territory, user = coordinator
    project = factory.project(territory, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    timeline = factory.frise(project)
    caf = factory.organisation(territory, name="CAF")
    response = client.post(f"/t/{territory.slug}/frises/{timeline.id}/entries", data={
        "entry-partner": f"organisation:{caf.id}", "entry-level_id": timeline.levels[0].id,
        "entry-term": "", "entry-on_date": "2027-03-01", "entry-notes": "Visite de terrain"})
    assert response.status_code == 422
    html = text(response)
    assert "hors de la période du projet" in html
    assert "Visite de terrain" in html  # nothing lost


def test_add_entry_form_with_a_level_of_another_frise(coordinator, client, factory):
    territory, user = coordinator
    timeline = factory.frise(factory.project(territory))
    other = factory.frise(factory.project(territory))
    caf = factory.organisation(territory, name="CAF")
    response = client.post(f"/t/{territory.slug}/frises/{timeline.id}/entries", data={
        "entry-partner": f"organisation:{caf.id}", "entry-level_id": other.levels[0].id,
        "entry-term": "court"})
    assert response.status_code == 422
    assert "n'est pas défini pour cette frise" in text(response)


def test_place_move_and_contact_through_the_pages(coordinator, client, factory):
    territory, user = coordinator
    timeline = factory.frise(factory.project(territory))
    mairie = factory.organisation(territory, name="Mairie d'Aramits", kind="collectivite")
    base = f"/t/{territory.slug}/frises/{timeline.id}"
    response = client.post(f"{base}/entries", data={
        "entry-partner": f"organisation:{mairie.id}", "entry-level_id": timeline.levels[1].id,
        "entry-term": "moyen"})
    assert response.status_code == 302
    entry = timeline_queries.load_timeline(timeline.id).entries[0]
    page = text(client.post(f"{base}/entries/{entry.id}/move", data={"move": "up"},
                            follow_redirects=True))
    assert "« Mairie d'Aramits » : Co-porteur, moyen terme." in page
    page = text(client.post(f"{base}/entries/{entry.id}/move", data={"move": "up"},
                            follow_redirects=True))
    assert "déjà au niveau le plus haut" in page
    client.post(f"{base}/entries/{entry.id}/contacts", data={
        "contact-kind": "conseil_municipal", "contact-on_date": "2026-07-08"})
    page = text(client.get(f"{base}/entries/{entry.id}/edit"))
    assert "Projet présenté en conseil municipal" in page
    response = client.post(f"{base}/entries/{entry.id}/place",
                           data={"level_id": timeline.levels[2].id, "term": "long"},
                           headers={"Accept": "application/json"})
    assert response.get_json()["ok"] is True
    placed = timeline_queries.load_timeline(timeline.id).entries[0]
    assert (placed.level_id, placed.term) == (timeline.levels[2].id, "long")


def test_observer_cannot_change_the_frise(factory, client, login):
    territory = factory.territory()
    timeline = factory.frise(factory.project(territory))
    login(factory.user(territory, role="observer"))
    assert client.get(f"/t/{territory.slug}/frises/{timeline.id}").status_code == 200
    assert client.post(f"/t/{territory.slug}/frises/{timeline.id}/entries").status_code == 403
    assert client.post(f"/t/{territory.slug}/projects/new").status_code == 403


def test_delete_project_removes_its_frise_and_grid(coordinator, client, factory):
    from territorial.raci.operations import find_grid

    territory, user = coordinator
    project = factory.project(territory)
    factory.frise_entry(territory, project)
    project_id = project.id
    assert client.post(f"/t/{territory.slug}/projects/{project_id}/delete").status_code == 302
    assert timeline_queries.find_timeline(territory.id, "project", project_id) is None
    assert find_grid(territory.id, "project", project_id) is None


def test_home_panel_lists_short_term_partners_not_met(coordinator, client, factory):
    territory, user = coordinator
    project = factory.project(territory, title="Le cam's")
    met = factory.frise_entry(territory, project, term="court",
                              organisation=factory.organisation(territory, name="CCAS"))
    timelines.add_contact(met, "met", date(2026, 3, 1))
    factory.frise_entry(territory, project, term="court",
                        organisation=factory.organisation(territory, name="Pharmacie"))
    factory.frise_entry(territory, project, term="long",
                        organisation=factory.organisation(territory, name="Épicerie"))
    html = text(client.get(f"/t/{territory.slug}/"))
    assert "Partenaires à contacter" in html
    assert "Pharmacie (co-porteur, Le cam's)" in html
    assert "CCAS (" not in html and "Épicerie (" not in html


def test_organisation_page_shows_its_frises_and_grids(coordinator, client, factory):
    from territorial.raci.operations import add_actor

    territory, user = coordinator
    project = factory.project(territory, title="Le cam's")
    caf = factory.organisation(territory, name="CAF")
    factory.frise_entry(territory, project, level=1, term="moyen", organisation=caf)
    add_actor(operations.grid_of(project), organisation=caf)
    html = text(client.get(f"/t/{territory.slug}/organisations/{caf.id}"))
    assert "Frises des partenariats" in html and "Le cam's : allié, moyen terme" in html
    assert "Grilles RACI" in html


# Query counts ------------------------------------------------------------------------

def _fill(factory, territory, project, n):
    timeline = factory.frise(project)
    for i in range(n):
        entry = factory.frise_entry(territory, project, level=i % 3,
                                    term=("court", "moyen", "long")[i % 3])
        timelines.add_contact(entry, "met", date(2026, 3, 1))
        timelines.add_note(entry, kind="frein", category="financier", text=f"Frein {i}")
        if i % 2:
            person = factory.person(territory, factory.organisation(territory))
            factory.frise_entry(territory, project, level=1, person=person)
    timelines.take_snapshot(timeline, "Bilan", date(2026, 6, 1))
    grid = operations.grid_of(project)
    from territorial.raci import operations as raci
    for i in range(n):
        activity = raci.add_activity(grid, f"Activité {i}")
        actor = raci.add_actor(grid, organisation=factory.organisation(territory))
        raci.set_cell(grid, activity.id, actor.id, "R")
    factory.project_review(territory, project)
    return timeline


@pytest.mark.parametrize("page", ["project", "frise", "present", "history", "step_aside",
                                  "unanswered", "index"])
def test_query_count_does_not_grow_with_entries(page, coordinator, client, factory,
                                                count_queries):
    territory, user = coordinator

    def queries(n):
        project = factory.project(territory)
        timeline = _fill(factory, territory, project, n)
        for _ in range(n):
            factory.project(territory)
        url = {
            "project": f"/projects/{project.id}", "frise": f"/frises/{timeline.id}",
            "present": f"/frises/{timeline.id}/present",
            "history": f"/frises/{timeline.id}/history",
            "step_aside": f"/frises/{timeline.id}/pas-de-cote",
            "unanswered": f"/frises/{timeline.id}/pas-de-cote/freins-sans-reponse",
            "index": "/projects",
        }[page]
        with count_queries() as q:
            assert client.get(f"/t/{territory.slug}{url}").status_code == 200
        return len(q)

    assert queries(3) == queries(9)


def test_project_model_objectives(ctx, factory):
    project = Project(objectives="- Rencontrer\n\n• Accompagner\n")
    assert project.objective_list == ["Rencontrer", "Accompagner"]
