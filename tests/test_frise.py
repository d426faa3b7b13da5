"""The frise: placing and moving partners, bad input, levels, figure data and its table,
snapshots and their comparison, the Word export, the pas de côté."""
from datetime import date
from html import unescape
from io import BytesIO

import pytest
from docx import Document

from territorial.common.errors import DomainError
from territorial.timelines import compare, operations
from territorial.timelines import queries
from territorial.documents import render
from territorial.timelines.documents import describe_frise
from territorial.timelines.figure import build_frise_figure, placements, table_rows


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def frise(ctx, factory):
    territory = factory.territory()
    project = factory.project(territory, starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31))
    return territory, project, factory.frise(project)


def _add(factory, territory, timeline, name, level=0, term="court", on_date=None, kind="association"):
    organisation = factory.organisation(territory, name=name, kind=kind)
    return operations.add_entry(timeline, level_id=timeline.levels[level].id, organisation=organisation,
                                term=None if on_date else term, on_date=on_date)


# Placing -------------------------------------------------------------------------

def test_new_frise_has_the_three_default_levels(frise):
    territory, project, timeline = frise
    assert [level.label for level in timeline.levels] == ["Co-porteur", "Allié", "Information"]


def test_a_person_can_be_a_partner(frise, factory):
    territory, project, timeline = frise
    secretary = factory.person(territory, first_name="Sandrine", last_name="Casaubon",
                               function="Secrétaire de mairie")
    entry = operations.add_entry(timeline, level_id=timeline.levels[1].id, person=secretary,
                                 term="court")
    timeline = queries.load_timeline(timeline)
    assert timeline.entries[0].id == entry.id
    assert timeline.entries[0].name == "Sandrine Casaubon (Secrétaire de mairie)"
    assert timeline.entries[0].kind == "personne"


def test_a_date_outside_the_project_span_is_refused(frise, factory):
    territory, project, timeline = frise
    with pytest.raises(DomainError, match="hors de la période du projet") as error:
        _add(factory, territory, timeline, "CAF", on_date=date(2030, 1, 1))
    assert set(error.value.errors) == {"on_date"}


def test_a_date_needs_the_project_dates(ctx, factory):
    territory = factory.territory()
    project = factory.project(territory, starts_on=None, ends_on=None)
    timeline = factory.frise(project)
    with pytest.raises(DomainError, match="dates de début et de fin"):
        _add(factory, territory, timeline, "CAF", on_date=date(2026, 5, 1))


def test_a_level_the_project_does_not_define_is_refused(frise, factory):
    territory, project, timeline = frise
    other = factory.frise(factory.project(territory))
    with pytest.raises(DomainError, match="n'est pas défini pour cette frise") as error:
        operations.add_entry(timeline, level_id=other.levels[0].id,
                             organisation=factory.organisation(territory), term="court")
    assert set(error.value.errors) == {"level_id"}


def test_a_partner_of_another_territory_is_refused(frise, factory):
    territory, project, timeline = frise
    with pytest.raises(DomainError, match="n'appartient pas à ce territoire"):
        operations.add_entry(timeline, level_id=timeline.levels[0].id, term="court",
                             organisation=factory.organisation(factory.territory()))


def test_a_partner_is_placed_once(frise, factory):
    territory, project, timeline = frise
    organisation = factory.organisation(territory, name="CCAS")
    operations.add_entry(timeline, level_id=timeline.levels[0].id, organisation=organisation,
                         term="court")
    with pytest.raises(DomainError, match="déjà sur la frise"):
        operations.add_entry(timeline, level_id=timeline.levels[1].id, organisation=organisation,
                             term="long")


def test_term_or_date_is_required_and_not_both(frise, factory):
    territory, project, timeline = frise
    organisation = factory.organisation(territory)
    with pytest.raises(DomainError, match="ou une date"):
        operations.add_entry(timeline, level_id=timeline.levels[0].id, organisation=organisation)
    with pytest.raises(DomainError, match="pas les deux"):
        operations.add_entry(timeline, level_id=timeline.levels[0].id, organisation=organisation,
                             term="court", on_date=date(2026, 6, 1))


# Moving ----------------------------------------------------------------------------

def test_moves_earlier_later_up_down(frise, factory):
    territory, project, timeline = frise
    entry = _add(factory, territory, timeline, "Mairie", level=1, term="moyen")
    operations.move_entry(timeline, entry, "earlier")
    assert entry.term == "court"
    operations.move_entry(timeline, entry, "later")
    operations.move_entry(timeline, entry, "later")
    assert entry.term == "long"
    operations.move_entry(timeline, entry, "up")
    assert entry.level_id == timeline.levels[0].id
    operations.move_entry(timeline, entry, "down")
    operations.move_entry(timeline, entry, "down")
    assert entry.level_id == timeline.levels[2].id


def test_moves_past_the_edges_are_explained(frise, factory):
    territory, project, timeline = frise
    entry = _add(factory, territory, timeline, "Mairie", level=0, term="court")
    with pytest.raises(DomainError, match="déjà au court terme"):
        operations.move_entry(timeline, entry, "earlier")
    with pytest.raises(DomainError, match="niveau le plus haut"):
        operations.move_entry(timeline, entry, "up")


def test_a_dated_partner_moves_by_a_month_within_the_span(frise, factory):
    territory, project, timeline = frise
    entry = _add(factory, territory, timeline, "CAF", on_date=date(2026, 1, 31))
    operations.move_entry(timeline, entry, "later")
    assert entry.on_date == date(2026, 2, 28)
    operations.move_entry(timeline, entry, "earlier")
    with pytest.raises(DomainError, match="hors de la période"):
        operations.move_entry(timeline, entry, "earlier")


def test_place_by_drag_keeps_a_date_in_its_own_column(frise, factory):
    territory, project, timeline = frise
    entry = _add(factory, territory, timeline, "CAF", on_date=date(2026, 3, 1))
    operations.place_entry(timeline, entry, timeline.levels[2].id, "court")
    assert (entry.level_id, entry.on_date, entry.term) == (timeline.levels[2].id, date(2026, 3, 1), None)
    operations.place_entry(timeline, entry, timeline.levels[2].id, "long")
    assert (entry.on_date, entry.term) == (None, "long")


def test_project_dates_cannot_leave_dated_partners_outside(frise, factory):
    from territorial.projects.operations import update_project

    territory, project, timeline = frise
    _add(factory, territory, timeline, "CAF", on_date=date(2028, 6, 1))
    with pytest.raises(DomainError, match="CAF"):
        update_project(project, {"title": project.title, "starts_on": date(2026, 1, 1),
                                 "ends_on": date(2027, 12, 31)})


# Levels ----------------------------------------------------------------------------

def test_levels_are_configurable(frise, factory):
    territory, project, timeline = frise
    level = operations.add_level(timeline, "Financeur")
    operations.rename_level(timeline, level.id, "Partenaire financeur")
    operations.move_level(timeline, level.id, -1)
    timeline = queries.load_timeline(timeline)
    assert [lv.label for lv in timeline.levels] == ["Co-porteur", "Allié", "Partenaire financeur",
                                                    "Information"]
    with pytest.raises(DomainError, match="existe déjà"):
        operations.add_level(timeline, "allié")


def test_a_level_with_partners_cannot_be_removed(frise, factory):
    territory, project, timeline = frise
    _add(factory, territory, timeline, "Mairie", level=0)
    with pytest.raises(DomainError, match="contient encore 1 partenaire : déplacez-le d"):
        operations.remove_level(timeline, timeline.levels[0].id)
    operations.remove_level(timeline, timeline.levels[2].id)
    assert len(queries.load_timeline(timeline).levels) == 2


# Figure and table ------------------------------------------------------------------------

def test_every_entry_is_in_its_lane_and_term(frise, factory):
    territory, project, timeline = frise
    layout = [("Mairie", 0, "court"), ("CCAS", 0, "court"), ("Asso", 1, "moyen"),
              ("Pharmacie", 2, "long"), ("Café", 2, "court")]
    for name, level, term in layout:
        _add(factory, territory, timeline, name, level, term)
    _add(factory, territory, timeline, "CAF", level=1, on_date=date(2028, 6, 1))
    timeline = queries.load_timeline(timeline)
    figure = build_frise_figure(timeline)
    points = {}
    for trace in figure["data"]:
        for x, y, name in zip(trace["x"], trace["y"], trace["text"], strict=True):
            points[name] = (x, y)
    for name, level, term in layout + [("CAF", 1, "long")]:
        x, y = points[name]
        column = ["court", "moyen", "long"].index(term)
        assert column <= x < column + 1, name
        assert level - 0.5 < y < level + 0.5, name
    assert figure["layout"]["yaxis"]["ticktext"] == ["Co-porteur", "Allié", "Information"]
    assert figure["layout"]["xaxis"]["ticktext"][0].startswith("Court terme")


def test_a_date_sits_in_proportion_of_the_span(frise, factory):
    territory, project, timeline = frise
    _add(factory, territory, timeline, "CAF", on_date=date(2026, 1, 1))
    _add(factory, territory, timeline, "CD", on_date=date(2028, 12, 31))
    placed = {p.entry.name: p for p in placements(queries.load_timeline(timeline))}
    assert placed["CAF"].x == 0 and placed["CAF"].term == "court"
    assert placed["CD"].x == 3 and placed["CD"].term == "long"


def test_colours_and_legend_by_kind_of_organisation(frise, factory):
    territory, project, timeline = frise
    _add(factory, territory, timeline, "Mairie", kind="collectivite")
    _add(factory, territory, timeline, "Pharmacie", kind="commerce")
    figure = build_frise_figure(queries.load_timeline(timeline))
    names = {trace["name"]: trace for trace in figure["data"]}
    assert set(names) == {"Collectivité", "Commerce"}
    assert names["Collectivité"]["marker"]["color"] != names["Commerce"]["marker"]["color"]
    assert names["Collectivité"]["marker"]["symbol"] != names["Commerce"]["marker"]["symbol"]


def test_hover_holds_the_notes_escaped(frise, factory):
    territory, project, timeline = frise
    entry = _add(factory, territory, timeline, "Mairie")
    entry.notes = "Élus présents <dès le début>"
    figure = build_frise_figure(queries.load_timeline(timeline))
    assert figure["data"][0]["customdata"][0][2] == "Élus présents &lt;dès le début&gt;"


def test_the_table_holds_the_same_data_as_the_chart(frise, factory, client, login):
    territory, project, timeline = frise
    for name, level, term in [("Mairie", 0, "court"), ("Asso", 1, "moyen"), ("Café", 2, "long")]:
        _add(factory, territory, timeline, name, level, term)
    timeline = queries.load_timeline(timeline)
    figure = build_frise_figure(timeline)
    chart = sorted((name, data[0], data[1]) for trace in figure["data"]
                   for name, data in zip(trace["text"], trace["customdata"], strict=True))
    table = sorted((row["name"], row["level"], row["when"]) for row in table_rows(timeline))
    assert chart == table
    login(factory.user(territory, role="coordinator"))
    html = text(client.get(f"/t/{territory.slug}/frises/{timeline.id}"))
    for name, level, when in table:
        assert f">{name}</a></th>" in html
    assert 'id="frise-figure"' in html


# Snapshots ---------------------------------------------------------------------------------

def test_snapshot_and_comparison(frise, factory):
    territory, project, timeline = frise
    mairie = _add(factory, territory, timeline, "Mairie", 1, "court")
    cafe = _add(factory, territory, timeline, "Café", 2, "court")
    _add(factory, territory, timeline, "CCAS", 0, "moyen")
    first = operations.take_snapshot(timeline, "Bilan 1", date(2026, 6, 1))
    operations.move_entry(timeline, mairie, "up")
    operations.remove_entry(timeline, cafe)
    _add(factory, territory, timeline, "CAF", 1, "long")
    second = operations.take_snapshot(timeline, "Bilan 2", date(2026, 12, 1))
    result = compare.compare(first.data, second.data)
    assert [e["name"] for e in result.added] == ["CAF"]
    assert [e["name"] for e in result.removed] == ["Café"]
    assert [(m.name, m.before["level"], m.after["level"]) for m in result.moved] == [
        ("Mairie", "Allié", "Co-porteur")]
    assert [e["name"] for e in result.unchanged] == ["CCAS"]
    assert "Allié, court terme → Co-porteur, court terme" == result.moved[0].description


def test_snapshot_keeps_names_even_if_the_partner_is_renamed_later(frise, factory):
    territory, project, timeline = frise
    entry = _add(factory, territory, timeline, "Mairie")
    snapshot = operations.take_snapshot(timeline, "Avant", date(2026, 6, 1))
    entry.organisation.name = "Commune nouvelle"
    assert snapshot.data["entries"][0]["name"] == "Mairie"


def test_history_page_compares_side_by_side(frise, factory, client, login):
    territory, project, timeline = frise
    mairie = _add(factory, territory, timeline, "Mairie", 1, "court")
    snapshot = operations.take_snapshot(timeline, "Bilan de juin", date(2026, 6, 1))
    operations.move_entry(timeline, mairie, "later")
    _add(factory, territory, timeline, "Pharmacie", 2, "court")
    login(factory.user(territory, role="coordinator"))
    html = text(client.get(f"/t/{territory.slug}/frises/{timeline.id}/history"
                           f"?before={snapshot.id}&after=now"))
    assert "1 partenaire ajouté" in html and "1 partenaire déplacé" in html
    assert "Mairie : Allié, court terme → Allié, moyen terme" in html
    assert "Avant : Bilan de juin" in html and "Après : Aujourd'hui" in html


# Word export ---------------------------------------------------------------------------------

def test_word_export_is_a_table_of_lanes_by_terms(frise, factory):
    territory, project, timeline = frise
    _add(factory, territory, timeline, "Mairie", 0, "court")
    _add(factory, territory, timeline, "Café", 2, "long")
    _add(factory, territory, timeline, "CAF", 1, on_date=date(2027, 1, 15))
    document = Document(render(describe_frise(queries.load_timeline(timeline), territory),
                               "docx"))
    assert document.paragraphs[0].style.name == "Heading 1"
    assert len(document.inline_shapes) == 1  # the frise's picture
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Niveau", "Court terme", "Moyen terme", "Long terme"]
    assert rows[1] == ["Co-porteur", "Mairie", "", ""]
    assert rows[2][0] == "Allié" and rows[2][2].startswith("CAF (")
    assert rows[3] == ["Information", "", "", "Café"]


def test_word_export_route(frise, factory, client, login):
    territory, project, timeline = frise
    _add(factory, territory, timeline, "Mairie", 0, "court")
    login(factory.user(territory, role="observer"))
    response = client.get(f"/t/{territory.slug}/frises/{timeline.id}/frise.docx")
    assert response.status_code == 200
    assert Document(BytesIO(response.data)).tables[0].rows[1].cells[1].text == "Mairie"


# Contacts and pas de côté ----------------------------------------------------------------------

def test_contact_history(frise, factory):
    territory, project, timeline = frise
    entry = _add(factory, territory, timeline, "Mairie")
    operations.add_contact(entry, "conseil_municipal", date(2026, 3, 2), "Présentation")
    operations.add_contact(entry, "invited", date(2026, 2, 1))
    timeline = queries.load_timeline(timeline)
    assert [c.kind_label for c in timeline.entries[0].contacts] == [
        "Invité", "Projet présenté en conseil municipal"]
    with pytest.raises(DomainError):
        operations.add_contact(entry, "tea", date(2026, 3, 2))


def test_step_aside_notes_and_unanswered_freins(frise, factory):
    territory, project, timeline = frise
    mairie = _add(factory, territory, timeline, "Mairie")
    caf = _add(factory, territory, timeline, "CAF")
    user = factory.user(territory)
    answered = operations.add_note(mairie, kind="frein", category="concurrence",
                                   text="Pré-carré", answer="Conseil municipal", author=user)
    open_frein = operations.add_note(caf, kind="frein", category="financier", text="Résultats",
                                     author=user)
    lever = operations.add_note(caf, kind="levier", category="legitimite", text="Accès aux droits",
                                answer="ignored")
    assert answered.author_name == user.display_name
    assert lever.answer == ""  # only a frein has a planned answer
    assert [n.id for n in queries.unanswered_freins(timeline)] == [open_frein.id]
    with pytest.raises(DomainError, match="catégorie"):
        operations.add_note(caf, kind="frein", category="météo", text="x")


def test_step_aside_page_and_summary(frise, factory, client, login):
    territory, project, timeline = frise
    caf = _add(factory, territory, timeline, "CAF")
    login(factory.user(territory, role="participant"))
    base = f"/t/{territory.slug}/frises/{timeline.id}/pas-de-cote"
    response = client.post(base, data={"note-entry_id": caf.id, "note-kind": "frein",
                                       "note-category": "financier",
                                       "note-text": "Veut des résultats vite"})
    assert response.status_code == 302
    html = text(client.get(f"{base}/freins-sans-reponse"))
    assert "Veut des résultats vite" in html and "CAF" in html
    bad = client.post(base, data={"note-entry_id": caf.id, "note-kind": "frein",
                                  "note-category": "financier", "note-text": ""})
    assert bad.status_code == 422 and "Écrivez le frein ou le levier" in text(bad)
