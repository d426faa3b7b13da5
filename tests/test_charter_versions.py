"""A charter adopted from its template, edited section by section with a version history (who
changed what), every version readable and comparable, re-adoption an explicit dated act."""
from datetime import date
from html import unescape

import pytest
import yaml
from sqlalchemy import func, select

from extensions import db
from territorial.charters import adoption, composition, operations, rules, versioning
from territorial.charters import queries as charter_queries
from territorial.charters.models import CharterInstance, CharterVersion
from territorial.common.errors import DomainError


@pytest.fixture
def charter(factory, ctx):
    territory = factory.territory()
    charter = factory.charter(territory, adopted_on=None)
    charter.user = factory.user(territory, role="coordinator")
    return charter


def section_yaml(charter, key, change):
    value = yaml.safe_load(versioning.section_text(charter.content, key))
    change(value)
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def test_a_new_charter_is_the_template_with_its_member_structures(charter):
    assert charter.content["name"] == "Quartier Libre Besançon"
    assert charter.current_version == 1 and charter.adopted_version is None
    assert list(charter_queries.structures(charter).values()) == [
        "MJC de Palente", "MJC Besançon Clairs-Soleils", "Comité de quartier Rosemont Saint-Ferjeux"]
    instances = db.session.scalars(select(CharterInstance).where(
        CharterInstance.charter_id == charter.id).order_by(CharterInstance.position)).all()
    assert [(i.key, i.per_project) for i in instances] == [
        ("pleniere", False), ("copil", False), ("codir", False), ("copredir", False),
        ("groupe_travail", True), ("chef_projet", True)]
    [first] = charter_queries.versions(charter)
    assert first.summary == "Création à partir du modèle « Quartier Libre Besançon »."


def test_a_partnership_has_at_least_two_structures(factory, ctx):
    territory = factory.territory()
    alone = factory.organisation(territory)
    with pytest.raises(DomainError) as error:
        operations.create_charter(territory.id, "quartier_libre", organisation_ids=[alone.id])
    assert "au moins deux structures" in error.value.errors["__all__"]


def test_editing_a_section_makes_a_new_version_with_who_and_what(charter):
    text = versioning.section_text(charter.content, "preamble") + \
        "\n\nLa charte est relue chaque année en assemblée plénière."
    version = operations.update_section(charter, "preamble", text, charter.user,
                                        "Relecture annuelle")
    assert (version.number, version.section, version.summary) == (2, "preamble",
                                                                    "Relecture annuelle")
    assert version.changed_by_id == charter.user.id
    assert charter.current_version == 2
    assert charter.content["preamble"].endswith("relue chaque année en assemblée plénière.")
    old = charter_queries.get_version(charter, 1)
    assert "relue chaque année" not in old.content["preamble"]


def test_a_malformed_section_is_refused_in_french_and_nothing_changes(charter):
    before = dict(charter.content)
    with pytest.raises(DomainError) as error:
        operations.update_section(charter, "instances", "- key: copil\n  name: [oops", charter.user)
    assert error.value.errors["content"] == (
        "Ligne 2, colonne 14 : erreur de syntaxe YAML : virgule ou « ] » attendu (une liste entre "
        "crochets n'est pas refermée ?).")
    with pytest.raises(DomainError) as error:
        operations.update_section(charter, "instances", section_yaml(
            charter, "instances",
            lambda instances: instances[1].update(allowed_functions=["tresorier"])), charter.user)
    assert error.value.errors["content"] == (
        "Gouvernance du partenariat : les instances — Instance 2 → Fonctions possibles dans l'instance → 1 : « tresorier » "
        "n'est pas une fonction définie.")
    with pytest.raises(DomainError) as error:
        operations.update_section(charter, "decision_matrix", section_yaml(
            charter, "decision_matrix", lambda cells: cells.pop()), charter.user)
    assert "il manque la case « fonctionnelle » × « chef_projet »" in error.value.errors["content"]
    with pytest.raises(DomainError) as error:
        operations.update_section(charter, "preamble", charter.content["preamble"], charter.user)
    assert error.value.errors["content"] == "Aucune modification : cette partie est identique à la version actuelle."
    assert charter.content == before and charter.current_version == 1
    assert db.session.scalar(select(func.count()).select_from(CharterVersion)) == 1


def test_the_rules_follow_the_edited_charter(charter):
    """Changing the copil's composition in the text changes what the platform checks."""
    operations.update_section(charter, "instances", section_yaml(
        charter, "instances",
        lambda instances: instances[1]["composition"]["rules"][0].update(count=2)), charter.user)
    seats = [composition.Seat(f"P{i}", oid, "directeur") for oid in charter_queries.structures(charter)
             for i in range(2)]
    assert composition.composition_problems(charter.content, "copil", seats,
                                      charter_queries.structures(charter)) == []


def test_adding_an_instance_in_the_text_creates_it_and_removing_it_retires_it(charter):
    def add(instances):
        instances.append({"key": "bureau_commun", "name": "Bureau commun",
                          "description": "Prépare les copils.",
                          "composition": {"rules": [{"rule": "open", "text": "Ouvert."}]}})
    version = operations.update_section(charter, "instances", section_yaml(charter, "instances", add),
                                        charter.user)
    assert "strategique × bureau_commun" in version.summary  # the matrix gets its empty cells
    assert rules.matrix_cell(charter.content, "strategique", "bureau_commun")["role"] == "none"
    row = charter_queries.instance_row(charter, "bureau_commun")
    assert row.name == "Bureau commun" and not row.retired
    operations.restore_version(charter, 1, charter.user)
    assert charter_queries.instance_row(charter, "bureau_commun").retired
    assert charter.current_version == 3
    assert charter.content == charter_queries.get_version(charter, 1).content


# Through the web ---------------------------------------------------------------------------------

@pytest.fixture
def web(factory):
    territory = factory.territory()
    charter = factory.charter(territory)
    return territory, charter, factory.user(territory, role="coordinator")


def test_editing_a_section_through_the_web_keeps_the_text_on_error(client, login, web):
    territory, charter, user = web
    login(user)
    url = f"/t/{territory.slug}/partnerships/charters/{charter.id}"
    page = client.get(url + "/sections/instances?mode=texte").get_data(as_text=True)
    assert "key: copil" in page
    response = client.post(url + "/sections/instances?mode=texte",
                           data={"content": "- key: copil\n  name: [oops", "summary": "Essai"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "erreur de syntaxe YAML" in page and "name: [oops" in page
    response = client.post(url + "/sections/preamble", data={
        "content": "Trois maisons, un partenariat.", "summary": "Préambule raccourci"})
    assert response.status_code == 302
    page = client.get(url + "/versions").get_data(as_text=True)
    assert "Préambule raccourci" in page and "Version 2" in page
    assert "en projet" in page and "en cours" not in page  # the charter's word for a draft
    page = client.get(url + "/versions/1").get_data(as_text=True)
    assert "dénommé : Quartier Libre Besançon" in page
    page = unescape(client.get(url + "/compare?from=1&to=2").get_data(as_text=True))
    assert "Ce qui changerait si la version 2 était adoptée" in page
    assert "<ins><span class=\"visually-hidden\">ajouté : </span>Trois maisons," in page
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Version 2 en projet" in page and "La version 1, adoptée le 24 juin 2013" in page
    page = unescape(client.get(url + "/adopt").get_data(as_text=True))
    assert "adoptée avec l'accord de chaque maison (Conseil d'administration)" in page
    assert "Ce qui changerait" in page
    for organisation_id in charter_queries.structures(charter):
        response = client.post(url + "/adopt", data={
            "party": f"structure-{organisation_id}", "agreed_on": "2025-01-15", "note": "CA"})
        assert response.status_code == 302
    assert "Version 2 adoptée" in client.get(url).get_data(as_text=True)


def test_adopting_a_template_through_the_web(client, login, factory):
    territory = factory.territory()
    houses = [factory.organisation(territory, name=name) for name in (
        "MJC de Palente", "MJC Clairs-Soleils", "Comité de quartier Rosemont Saint-Ferjeux")]
    login(factory.user(territory, role="coordinator"))
    base = f"/t/{territory.slug}/partnerships/charters/new"
    page = client.get(base + "?template=quartier_libre").get_data(as_text=True)
    for house in houses:  # the signatories are matched to the territory's organisations
        assert f'<option value="{house.id}" selected>' in page
    data = {"template_key": "quartier_libre", "title": "",
            **{f"signatory_{key}": house.id for key, house in zip(
                ("palente", "clairs_soleils", "rosemont_saint_ferjeux"), houses)}}
    response = client.post(base, data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Charte de partenariat – Quartier Libre Besançon" in page
    assert "Non encore adoptée" in page
    assert "aucun projet commun ni aucune décision ne s'y réfère" in unescape(page)


# Only the adopted version governs -----------------------------------------------------------------

def test_only_the_adopted_version_governs_the_next_joint_project(factory, ctx):
    """A draft that removes a step and adds an instance changes nothing until it is adopted."""
    from facilitation.joint_projects import lifecycle

    from tests.charter_support import Partnership

    ql = Partnership(factory)
    charter = ql.charter

    def drop_information(steps):
        steps[:] = [step for step in steps if step["key"] != "information"]

    def add_bureau(instances):
        instances.append({"key": "bureau_commun", "name": "Bureau commun", "description": "x",
                          "composition": {"rules": [{"rule": "open", "text": "Ouvert."}]}})

    operations.update_section(charter, "lifecycle", section_yaml(charter, "lifecycle",
                                                                 drop_information), ql.coordinator)
    operations.update_section(charter, "instances", section_yaml(charter, "instances", add_bureau),
                              ql.coordinator)
    assert charter.current_version == 3 and charter.adopted_version == 1 and charter.has_draft
    assert "information" in [s["key"] for s in rules.lifecycle(charter.governing)]
    assert charter_queries.instance_row(charter, "bureau_commun") is None
    project = ql.new_project()
    ql.walk_to(project, "information")
    assert project.step_key == "information"  # the adopted lifecycle, not the draft's
    adoption.adopt_on_behalf(charter, ql.coordinator, date.today())
    assert "information" not in [s["key"] for s in rules.lifecycle(charter.governing)]
    assert charter_queries.instance_row(charter, "bureau_commun").name == "Bureau commun"
    other = ql.new_project()
    ql.walk_to(other, "groupe_travail")
    assert [t.step_key for t in lifecycle.transitions(other)] == [
        "idee", "proposition", "presentation", "decision"]


def test_nothing_refers_to_a_charter_never_adopted(factory, ctx):
    from facilitation.decisions import operations as decisions
    from facilitation.joint_projects import lifecycle
    from facilitation.joint_projects.acting import Acting

    territory = factory.territory()
    charter = factory.charter(territory, adopted_on=None)
    houses = list(charter_queries.structures(charter))
    with pytest.raises(DomainError) as error:
        lifecycle.create_project(charter, title="Voyages", porteur_organisation_ids=houses[:1],
                                 acting=Acting("porteurs", None, may_record_on_behalf=True))
    message = ("La charte « Quartier Libre Besançon » n'est pas encore adoptée : enregistrez son "
               "adoption pour que des projets communs et des décisions s'y réfèrent.")
    assert error.value.errors == {"__all__": message}
    with pytest.raises(DomainError) as error:
        decisions.create_decision(charter, charter_queries.instance_row(charter, "copil"),
                                  level="strategique", statement="Adopter le plan.")
    assert error.value.errors == {"__all__": message}


def test_a_restored_version_says_which_part_it_changes(charter):
    operations.update_section(charter, "preamble", charter.content["preamble"] + " Révisée.",
                              charter.user)
    restored = operations.restore_version(charter, 1, charter.user)
    assert restored.section == "preamble"  # one part changed: named, not « — »
    assert restored.summary == "Retour au texte de la version 1 (Préambule)."
