"""The structured parts of a charter (instances, decision matrix, lifecycle…) are edited with
ordinary fields generated from the template schema: add, remove and move elements without
losing what was typed, references chosen by name, each problem shown next to its field."""
import pytest
from sqlalchemy import func, select

from extensions import db
from territorial.charters import versioning
from territorial.charters import queries as charter_queries
from territorial.charters.models import Charter, CharterVersion
from tests.html_forms import form_data

STRUCTURED = [s.key for s in versioning.SECTIONS if s.kind == "yaml"]


@pytest.fixture
def web(factory, client, login):
    territory = factory.territory()
    charter = factory.charter(territory)
    login(factory.user(territory, role="coordinator"))
    return f"/t/{territory.slug}/partnerships/charters/{charter.id}", charter.id


def editor_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.get_data(as_text=True), "section-editor")


def press(client, url, data, action):
    """Post the form as shown with one of its buttons."""
    data = data.copy()
    data["_action"] = action
    return client.post(url, data=data)


def stored(charter_id):
    db.session.expire_all()
    return db.session.get(Charter, charter_id)


def version_count(charter_id):
    return db.session.scalar(select(func.count(CharterVersion.id))
                             .where(CharterVersion.charter_id == charter_id))


@pytest.mark.parametrize("template", ["quartier_libre", "collectif_solidaire_val"])
def test_each_structured_part_of_both_charters_comes_back_unchanged_from_its_form(
        factory, client, login, template):
    territory = factory.territory()
    charter = factory.charter(territory, template_key=template)
    login(factory.user(territory, role="coordinator"))
    sections = [key for key in STRUCTURED if key in charter.content]
    assert len(sections) >= 14
    for key in sections:
        url = f"/t/{territory.slug}/partnerships/charters/{charter.id}/sections/{key}"
        response = press(client, url, editor_form(client, url), "save")
        page = response.get_data(as_text=True)
        # Saved as shown, the part is exactly the stored one: nothing lost or added by the form.
        assert response.status_code == 422, key
        assert "Aucune modification : cette partie est identique" in page, key
        assert page.count('class="field-error"') == 0, key
    assert version_count(charter.id) == 1


def test_an_instance_is_added_with_its_composition_rule_and_saved_as_a_new_version(client, web):
    base, charter_id = web
    url = base + "/sections/instances"
    response = press(client, url, editor_form(client, url), "add:f-instances")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Instance 7" in page
    assert version_count(charter_id) == 1  # the buttons save nothing

    data = form_data(page, "section-editor")
    data["f-instances-6-name"] = "Conseil des usagers"
    data["f-instances-6-description"] = "Des habitants donnent leur avis sur les projets."
    page = press(client, url, data, "add:f-instances-6-composition-rules").get_data(as_text=True)
    assert "Conseil des usagers" in page  # what was typed is kept
    data = form_data(page, "section-editor")
    for name, value in {"f-instances-6-composition-rules-0-rule": "total_range",
                        "f-instances-6-composition-rules-0-text": "Entre trois et douze habitants.",
                        "f-instances-6-composition-rules-0-min": "3",
                        "f-instances-6-composition-rules-0-max": "12",
                        "summary": "Création du conseil des usagers"}.items():
        data[name] = value
    response = press(client, url, data, "save")
    assert response.status_code == 302

    charter = stored(charter_id)
    assert charter.current_version == 2
    assert charter.content["instances"][-1] == {
        "key": "conseil_des_usagers", "name": "Conseil des usagers",
        "description": "Des habitants donnent leur avis sur les projets.",
        "composition": {"rules": [{"rule": "total_range", "text": "Entre trois et douze habitants.",
                                   "min": 3, "max": 12}]}}
    [latest, *_] = charter_queries.versions(charter)
    assert latest.summary.startswith("Création du conseil des usagers")
    # The decision matrix gets a cell per level for the new instance, to be filled in.
    assert {cell["level"] for cell in charter.content["decision_matrix"]
            if cell["instance"] == "conseil_des_usagers"} == {
        level["key"] for level in charter.content["decision_levels"]}


def test_an_unreadable_number_is_shown_next_to_its_field_and_nothing_typed_is_lost(client, web):
    base, charter_id = web
    url = base + "/sections/instances"
    data = editor_form(client, url)
    data["f-instances-0-description"] = "Une description retouchée."
    data["f-instances-1-composition-rules-0-count"] = "quatre"
    response = press(client, url, data, "save")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-instances-1-composition-rules-0-count-error"' in page
    assert "Indiquez un nombre entier" in page
    assert 'href="#f-instances-1-composition-rules-0-count"' in page  # the summary links to it
    assert 'value="quatre"' in page and "Une description retouchée." in page
    assert version_count(charter_id) == 1


def test_a_problem_found_by_the_charter_check_is_shown_on_its_field(client, web):
    base, charter_id = web
    url = base + "/sections/instances"
    data = editor_form(client, url)
    assert data["f-instances-1-composition-rules-0-rule"] == "per_structure_exact"
    data["f-instances-1-composition-rules-0-rule"] = "total_range"
    page = press(client, url, data, "save").get_data(as_text=True)
    for field in ("min", "max", "count"):  # every problem at once, each on its field
        error = page.split(f'id="f-instances-1-composition-rules-0-{field}-error"', 1)[1]
        assert "pour la règle « total_range »" in error.split("</p>")[0]
    assert stored(charter_id).content["instances"][1]["composition"]["rules"][0]["rule"] == \
        "per_structure_exact"


def test_removing_an_instance_that_another_part_names_is_refused_with_where(client, web):
    base, charter_id = web
    url = base + "/sections/instances"
    page = press(client, url, editor_form(client, url), "remove:f-instances-1").get_data(
        as_text=True)
    assert "Comité de pilotage" not in page.split("<form", 1)[1].split("</form>")[0]
    response = press(client, url, form_data(page, "section-editor"), "save")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    # The other parts that still name it are listed, in words.
    assert "Qui prend quelle décision — Case 5 → Se réfère à → 2 : « copil » n&#39;est pas une " \
        "instance définie." in page
    assert "Naissance et vie d&#39;un projet commun : étapes — Étape 3 → Instance : « copil »" in page
    assert 'href="/t/' in page and "/sections/lifecycle\">Modifier cette partie" in page
    assert [i["key"] for i in stored(charter_id).content["instances"]][1] == "copil"


def test_moving_an_element_changes_the_order_of_the_part(client, web):
    base, charter_id = web
    url = base + "/sections/instances"
    page = press(client, url, editor_form(client, url), "up:f-instances-1").get_data(as_text=True)
    assert page.index("Instance 1 : Comité de pilotage") < page.index("Instance 2 : Assemblée")
    assert press(client, url, form_data(page, "section-editor"), "save").status_code == 302
    assert [i["key"] for i in stored(charter_id).content["instances"]][:2] == ["copil", "pleniere"]


def test_references_are_chosen_by_name_and_identifiers_are_made_from_names(client, web):
    base, charter_id = web
    url = base + "/sections/lifecycle"
    page = client.get(url).get_data(as_text=True)
    assert '<option value="copil" selected>Comité de pilotage</option>' in page
    url = base + "/sections/decision_levels"
    data = form_data(press(client, url, editor_form(client, url), "add:f-decision_levels")
                     .get_data(as_text=True), "section-editor")
    new = int(data["f-decision_levels-n"]) - 1
    data[f"f-decision_levels-{new}-label"] = "Décisions budgétaires"
    data[f"f-decision_levels-{new}-definition"] = "Engager une dépense commune."
    assert press(client, url, data, "save").status_code == 302
    assert stored(charter_id).content["decision_levels"][-1]["key"] == "decisions_budgetaires"


def test_a_blank_element_is_dropped_and_the_text_mode_stays_available(client, web):
    base, charter_id = web
    url = base + "/sections/glossary"
    page = client.get(url).get_data(as_text=True)
    assert "sections/glossary?mode=texte" in page
    data = form_data(press(client, url, editor_form(client, url), "add:f-glossary")
                     .get_data(as_text=True), "section-editor")
    data["f-glossary-0-definition"] = data["f-glossary-0-definition"] + " Relu en 2026."
    assert press(client, url, data, "save").status_code == 302
    glossary = stored(charter_id).content["glossary"]
    assert len(glossary) == len(charter_queries.templates()["quartier_libre"]["glossary"])
    assert glossary[0]["definition"].endswith("Relu en 2026.")


def test_only_coordinators_edit_the_charter(client, login, factory):
    territory = factory.territory()
    charter = factory.charter(territory)
    login(factory.user(territory, role="facilitator"))
    url = f"/t/{territory.slug}/partnerships/charters/{charter.id}/sections/instances"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"_action": "add:f-instances"}).status_code == 403


def test_a_revision_rule_adopted_by_no_instance_names_none(client, web):
    """« Évolution de la charte » without the instance that adopts it says no empty name."""
    base, _charter_id = web
    url = f"{base}/sections/revision"
    data = editor_form(client, url)
    adopted_by = [key for key in data if key.endswith("adopted_by")]
    assert adopted_by, sorted(data)
    if data[adopted_by[0]]:  # the template's own charter names none already
        data[adopted_by[0]] = ""
        assert press(client, url, data, "save").status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Évolution de la charte" in page
    assert "adoptée par l" not in page and "«  »" not in page
