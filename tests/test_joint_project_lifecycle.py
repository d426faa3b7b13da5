"""A joint project walks the charter's lifecycle: every transition allowed to the instance the
charter names, refused to any other, no step skipped, recorded with who and when."""
from html import unescape

import pytest
from sqlalchemy import func, select

from extensions import db
from facilitation.joint_projects import lifecycle
from facilitation.joint_projects.acting import Acting
from facilitation.joint_projects.models import JointProject, ProjectTransition
from facilitation.joint_projects.views import _projects_waiting
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import InstanceMember

from tests.charter_support import IDEA, RECORDS, Partnership
from territorial.common.errors import DomainError


@pytest.fixture
def ql(factory, ctx):
    return Partnership(factory)


STEPS = [s["key"] for s in rules.lifecycle(charter_queries.templates()["quartier_libre"])]
INSTANCE_STEPS = [s for s in rules.lifecycle(charter_queries.templates()["quartier_libre"])
                  if "instance" in s and "actor" not in s]
INSTANCES = ["pleniere", "copil", "codir", "copredir", "groupe_travail", "chef_projet"]


def test_the_idea_is_born_with_its_porteurs(ql):
    porteur = ql.user_for(ql.people[ql.houses[1].id]["salarie"])
    project = ql.new_project(Acting("porteurs", porteur))
    assert project.step_key == "proposition" and project.status == "en_cours"
    [transition] = lifecycle.transitions(project)
    assert transition.step_key == "idee" and transition.acting_kind == "porteurs"
    assert transition.user_id == porteur.id and not transition.on_behalf
    assert transition.person_id == ql.people[ql.houses[1].id]["salarie"].id
    assert transition.data["options"] == IDEA and transition.created_at is not None


def test_an_idea_without_its_origin_leaves_nothing(ql):
    with pytest.raises(DomainError) as error:
        lifecycle.create_project(ql.charter, title="Bals folk",
                                 porteur_organisation_ids=[ql.houses[0].id],
                                 acting=ql.on_behalf("porteurs"), options={"space": "formel"})
    assert error.value.errors == {"option_source": "Choisissez une des possibilités proposées "
                                                   "par la charte."}
    assert db.session.scalar(select(func.count()).select_from(JointProject)) == 0


def test_an_idea_needs_a_title_and_porteurs_of_the_partnership(ql, factory):
    outsider = factory.organisation(ql.territory, name="Autre association")
    with pytest.raises(DomainError) as error:
        lifecycle.create_project(ql.charter, title=" ", porteur_organisation_ids=[outsider.id],
                                 acting=ql.on_behalf("porteurs"), options=IDEA)
    assert error.value.errors["title"] == "Donnez un titre au projet commun."
    assert error.value.errors["porteurs"] == "Les porteurs sont des structures membres du " \
                                             "partenariat."


def test_someone_who_is_not_porteur_cannot_bring_the_idea_for_them(ql):
    stranger = ql.user_for(ql.people[ql.houses[0].id]["salarie"])
    with pytest.raises(DomainError) as error:
        ql.new_project(Acting("porteurs", stranger), porteurs=[ql.houses[2].id])
    assert "Vous n'êtes pas porteur de ce projet" in error.value.errors["acting"]
    assert db.session.scalar(select(func.count()).select_from(JointProject)) == 0


def test_a_coordinator_records_the_idea_on_behalf_of_the_porteurs(ql):
    project = ql.new_project()
    [transition] = lifecycle.transitions(project)
    assert transition.on_behalf and transition.user_id == ql.coordinator.id


@pytest.mark.parametrize("step", INSTANCE_STEPS, ids=lambda s: s["key"])
def test_each_instance_step_is_allowed_to_the_instance_the_charter_names(ql, step):
    project = ql.new_project()
    ql.walk_to(project, step["key"])
    transition = ql.act(project, step["key"])
    assert transition.acting_instance_key == step["instance"]
    assert transition.acting_label == rules.instance_name(ql.charter.content, step["instance"])
    assert project.step_key == rules.next_step_key(ql.charter.content, step["key"])


@pytest.mark.parametrize("step", INSTANCE_STEPS, ids=lambda s: s["key"])
def test_each_instance_step_is_refused_to_every_other_instance(ql, step):
    project = ql.new_project()
    ql.walk_to(project, step["key"])
    expected = rules.instance_name(ql.charter.content, step["instance"])
    for other in INSTANCES:
        if other == step["instance"]:
            continue
        with pytest.raises(DomainError) as error:
            lifecycle.advance(project, step["key"], ql.on_behalf("instance", instance_key=other),
                              outcome="valide", records=RECORDS)
        assert error.value.errors["acting"] == (
            f"D'après la charte, l'étape « {step['title']} » revient à l'instance « {expected} », "
            f"pas à « {rules.instance_name(ql.charter.content, other)} »."
        )
    with pytest.raises(DomainError):
        lifecycle.advance(project, step["key"], ql.on_behalf("porteurs"), outcome="valide",
                          records=RECORDS)
    assert project.step_key == step["key"]


def test_step_3_is_presented_by_the_porteurs_or_a_copil_member(ql):
    """« présenté au comité de pilotage par ses porteurs […] ou par l'intermédiaire de l'un ou
    l'autre des membres du comité »: both may, another instance may not."""
    project = ql.new_project()
    ql.walk_to(project, "presentation")
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "presentation", ql.on_behalf("instance", instance_key="codir"),
                          options={"presenter": "porteurs"})
    assert error.value.errors["acting"] == (
        "D'après la charte, l'étape « Présentation au comité de pilotage » revient à : Les "
        "porteurs du projet, ou l'un des membres de « Comité de pilotage » ; pas à « Codir ».")
    transition = lifecycle.advance(project, "presentation", ql.on_behalf("porteurs"),
                                   options={"presenter": "porteurs"})
    assert transition.acting_label == "Les porteurs du projet"
    other = ql.new_project()
    ql.walk_to(other, "presentation")
    lifecycle.advance(other, "presentation", ql.on_behalf("instance", instance_key="copil"),
                      options={"presenter": "membre_copil"})
    assert other.step_key == "decision"


def test_a_porteurs_step_is_refused_to_an_instance(ql):
    project = ql.new_project()
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "proposition", ql.on_behalf("instance", instance_key="copil"),
                          records=RECORDS)
    assert error.value.errors["acting"] == ("D'après la charte, l'étape « Formalisation de la "
                                            "proposition » revient aux porteurs du projet.")


def test_the_proposal_records_what_the_charter_asks(ql):
    project = ql.new_project()
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "proposition", ql.on_behalf("porteurs"),
                          records={"constat": "Les familles partent peu."})
    assert set(error.value.errors) == {"record_analyse", "record_propositions"}
    assert project.step_key == "proposition"
    ql.act(project, "proposition")
    assert project.step_key == "presentation"


@pytest.mark.parametrize("target", STEPS[2:])
def test_skipping_a_step_is_refused(ql, target):
    project = ql.new_project()
    with pytest.raises(DomainError) as error:
        ql.act(project, target)
    assert error.value.errors == {"__all__": "On ne saute pas d'étape : le projet en est à "
                                             "l'étape 2 « Formalisation de la proposition »."}
    assert project.step_key == "proposition"
    assert len(lifecycle.transitions(project)) == 1


def test_a_step_already_passed_is_refused(ql):
    project = ql.new_project()
    ql.act(project, "proposition")
    with pytest.raises(DomainError) as error:
        ql.act(project, "proposition")
    assert error.value.errors["__all__"] == "L'étape « Formalisation de la proposition » est déjà " \
                                            "franchie."


def test_only_a_member_of_the_instance_may_act_for_it(ql):
    project = ql.new_project()
    ql.walk_to(project, "presentation")
    outsider = ql.factory.user(ql.territory, role="participant")
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "presentation",
                          Acting("instance", outsider, instance_key="copil"),
                          options={"presenter": "porteurs"})
    assert error.value.errors["acting"].startswith("Vous ne siégez pas à l'instance « Comité de "
                                                   "pilotage »")
    director = ql.people[ql.houses[0].id]["directeur"]
    member = ql.user_for(director)
    transition = lifecycle.advance(project, "presentation",
                                   Acting("instance", member, instance_key="copil"),
                                   options={"presenter": "porteurs"})
    assert transition.person_id == director.id and not transition.on_behalf
    assert project.step_key == "decision"


def test_a_linked_user_acts_as_a_codir_member_and_is_refused_outside_their_instances(ql):
    """Users are people: the account linked to a director acts for the Codir under its name; the
    account of a copil member is told who sits in the Codir."""
    project = ql.new_project()
    ql.walk_to(project, "chef_projet")
    administrator = ql.user_for(ql.people[ql.houses[0].id]["administrateur"])  # copil only
    lead = ql.people[ql.houses[1].id]["salarie"]
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "chef_projet",
                          Acting("instance", administrator, instance_key="codir"),
                          appointee_id=lead.id, records=RECORDS)
    directors = ", ".join(ql.people[house.id]["directeur"].full_name for house in ql.houses)
    assert error.value.errors["acting"] == (
        f"Vous ne siégez pas à l'instance « Codir » : seuls ses membres ({directors}), ou la "
        "coordination pour leur compte, peuvent franchir cette étape.")
    director = ql.people[ql.houses[2].id]["directeur"]
    transition = lifecycle.advance(project, "chef_projet",
                                   Acting("instance", ql.user_for(director), instance_key="codir"),
                                   appointee_id=lead.id, records=RECORDS)
    assert transition.person_id == director.id and not transition.on_behalf
    assert project.step_key == "validation_nomination"


def test_a_copil_member_may_not_act_for_the_coprédir(ql):
    project = ql.new_project()
    ql.walk_to(project, "validation_nomination")
    staff = ql.user_for(ql.people[ql.houses[0].id]["salarie"])  # copil only
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "validation_nomination",
                          Acting("instance", staff, instance_key="copredir"))
    assert "Vous ne siégez pas à l'instance « Coprédir »" in error.value.errors["acting"]


def test_step_4_is_the_copils_consensus_decision_not_a_radio_button(ql):
    project = ql.new_project()
    ql.walk_to(project, "decision")
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "decision", ql.on_behalf("instance", instance_key="copil"),
                          outcome="valide")
    assert error.value.errors["decision"] == (
        "D'après la charte, à l'étape « Validation ou non du projet commun » l'instance « Comité "
        "de pilotage » décide selon son processus de décision (énoncé, position de chaque membre, "
        "tour de table) : soumettez-lui la décision, ou rattachez celle qu'elle a prise.")
    assert project.step_key == "decision"
    decision = ql.decide_step(project, "decision", "valide")
    assert decision.outcome == "consensus" and decision.step_key == "decision"
    assert project.step_key == "information"
    transition = lifecycle.transitions(project)[-1]
    assert (transition.step_key, transition.outcome_label) == ("decision", "Projet commun validé")
    assert transition.data["decision_id"] == decision.id
    assert transition.acting_label == "Comité de pilotage"


def test_a_project_not_validated_stops_there(ql):
    project = ql.new_project()
    ql.walk_to(project, "decision")
    transition = ql.act(project, "decision", outcome="non_valide")
    assert transition.outcome_label == "Projet commun non validé"
    assert project.status == "clos" and project.step_key is None
    assert project.ended_reason == "Projet commun non validé"
    with pytest.raises(DomainError) as error:
        ql.act(project, "information")
    assert "plus aucune étape ne peut être franchie" in error.value.errors["__all__"]


def test_each_house_names_its_referent(ql):
    project = ql.new_project()
    ql.walk_to(project, "referents")
    palente, clairs, rosemont = ql.houses
    view = lifecycle.current_step(project, ql.charter.content)
    assert list(view.waiting_structures) == [palente.id, clairs.id, rosemont.id]
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "referents", ql.on_behalf("instance", instance_key="copil"))
    assert "chaque structure membre agit pour elle-même" in error.value.errors["acting"]
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "referents", ql.on_behalf("structure", organisation_id=palente.id),
                          appointee_id=ql.people[clairs.id]["salarie"].id)
    assert error.value.errors["appointee_id"] == "Chaque structure nomme une personne de chez elle."
    lifecycle.advance(project, "referents", ql.on_behalf("structure", organisation_id=palente.id),
                      appointee_id=ql.people[palente.id]["salarie"].id)
    assert project.step_key == "referents"
    assert list(lifecycle.current_step(project, ql.charter.content).waiting_structures) == [
        clairs.id, rosemont.id]
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "referents",
                          ql.on_behalf("structure", organisation_id=palente.id),
                          appointee_id=ql.people[palente.id]["president"].id)
    assert "a déjà agi à l'étape « Nomination des référents »" in error.value.errors["acting"]
    for house in (clairs, rosemont):
        lifecycle.advance(project, "referents", ql.on_behalf("structure", organisation_id=house.id),
                          appointee_id=ql.people[house.id]["salarie"].id)
    assert project.step_key == "chef_projet"
    group = charter_queries.instance_row(ql.charter, "groupe_travail")
    members = charter_queries.instance_members([group.id], project.id)[group.id]
    assert sorted(m.function for m in members) == ["referent"] * 3


def test_the_codir_names_the_project_lead_with_a_mission_statement(ql):
    project = ql.new_project()
    ql.walk_to(project, "chef_projet")
    with pytest.raises(DomainError) as error:
        ql.act(project, "chef_projet", records={"mission": "Coordonner"})
    assert set(error.value.errors) == {"record_temps_imparti"}
    transition = ql.act(project, "chef_projet")
    lead = ql.people[ql.houses[1].id]["salarie"]
    assert transition.appointee_id == lead.id
    assert transition.data["records"]["mission"] == "Coordonner le groupe."
    keys = set(db.session.execute(
        select(InstanceMember.function, InstanceMember.joint_project_id).where(
            InstanceMember.person_id == lead.id, InstanceMember.function == "chef_projet")).all())
    assert keys == {("chef_projet", project.id)}
    for key in ("chef_projet", "groupe_travail"):
        instance = charter_queries.instance_row(ql.charter, key)
        assert [m.person_id for m in charter_queries.instance_members([instance.id], project.id)[instance.id]
                if m.function == "chef_projet"] == [lead.id]


def test_the_coprédir_validates_the_nomination_and_the_project_is_launched(ql):
    project = ql.new_project()
    ql.walk_to(project, "validation_nomination")
    ql.act(project, "validation_nomination")
    assert project.status == "lance" and project.step_key is None
    assert [t.step_key for t in lifecycle.transitions(project)] == [
        "idee", "proposition", "presentation", "decision", "information", "groupe_travail",
        "referents", "referents", "referents", "chef_projet", "validation_nomination"]
    group = charter_queries.instance_row(ql.charter, "groupe_travail")
    members = charter_queries.instance_members([group.id], project.id)[group.id]
    assert charters.composition(ql.charter, group, members) == []
    with pytest.raises(DomainError) as error:
        ql.act(project, "validation_nomination")
    assert error.value.errors["__all__"] == "Toutes les étapes de la charte sont franchies."


def test_a_second_charter_walks_its_own_lifecycle(factory, ctx):
    val = Partnership(factory, "collectif_solidaire_val")
    project = lifecycle.create_project(val.charter, title="Épicerie mobile",
                                       porteur_organisation_ids=[val.houses[0].id],
                                       acting=val.on_behalf("porteurs"),
                                       records={"besoin": "Les villages n'ont plus de commerce.",
                                                "associations_porteuses": "Épicerie, Mobilité"})
    assert project.step_key == "instruction"
    with pytest.raises(DomainError) as error:
        lifecycle.advance(project, "instruction", val.on_behalf("instance", instance_key="assemblee"))
    assert "revient à l'instance « Bureau »" in error.value.errors["acting"]
    val.act(project, "instruction")
    val.act(project, "adoption", outcome="adopte")
    transition = val.act(project, "commission")
    coordinator = val.people[val.houses[1].id]["salarie"]
    assert transition.appointee_id == coordinator.id
    commission = charter_queries.instance_row(val.charter, "commission")
    assert [m.function for m in charter_queries.instance_members([commission.id], project.id)[
        commission.id]] == ["coordinateur"]
    val.act(project, "mise_en_oeuvre")
    val.act(project, "bilan", outcome="termine")
    assert project.status == "clos" and project.ended_reason == "Projet terminé"


def test_the_commission_member_acts_for_its_own_project_only(factory, ctx):
    val = Partnership(factory, "collectif_solidaire_val")
    make = lambda title: lifecycle.create_project(  # noqa: E731
        val.charter, title=title, porteur_organisation_ids=[val.houses[0].id],
        acting=val.on_behalf("porteurs"), records={"besoin": "x", "associations_porteuses": "y"})
    first, second = make("Premier"), make("Second")
    for project in (first, second):
        for key in ("instruction", "adoption", "commission"):
            val.act(project, key, **({"outcome": "adopte"} if key == "adoption" else {}))
    coordinator = val.user_for(val.people[val.houses[1].id]["salarie"])
    # The same person coordinates both here; remove her from the second commission.
    commission = charter_queries.instance_row(val.charter, "commission")
    for member in charter_queries.instance_members([commission.id], second.id)[commission.id]:
        charters.remove_instance_member(member)
    transition = lifecycle.advance(first, "mise_en_oeuvre",
                                   Acting("instance", coordinator, instance_key="commission"))
    assert not transition.on_behalf
    with pytest.raises(DomainError):
        lifecycle.advance(second, "mise_en_oeuvre",
                          Acting("instance", coordinator, instance_key="commission"))


# Through the web ----------------------------------------------------------------------------------

def project_at(app, factory, step_key):
    """A partnership and a joint project waiting for ``step_key``, committed for the web."""
    with app.test_request_context():
        partnership = Partnership(factory)
        project = partnership.new_project()
        partnership.walk_to(project, step_key)
        db.session.commit()
    return partnership, project


def test_a_refused_transition_is_explained_and_keeps_what_was_typed(app, client, login, factory):
    partnership, project = project_at(app, factory, "presentation")
    login(partnership.coordinator)
    url = f"/t/{partnership.territory.slug}/partnerships/projects/{project.id}"
    response = client.post(url + "/advance", data={
        "step_key": "presentation", "acting": "instance:codir", "option_presenter": "porteurs",
        "notes": "Présenté par Samia Belhadj, invitée au comité."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("revient à : Les porteurs du projet, ou l&#39;un des membres de « Comité de pilotage » "
            "; pas à « Codir »") in page
    assert "Présenté par Samia Belhadj, invitée au comité." in page
    response = client.post(url + "/advance", data={
        "step_key": "information", "acting": "instance:copil"})
    assert response.status_code == 422
    assert "On ne saute pas d&#39;étape" in response.get_data(as_text=True)
    response = client.post(url + "/advance", data={
        "step_key": "presentation", "acting": "instance:copil", "option_presenter": "porteurs"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Étape suivante : 4. Validation ou non du projet commun" in page
    assert "pour le compte de l'instance" in page
    assert db.session.scalar(select(func.count()).select_from(ProjectTransition).where(
        ProjectTransition.project_id == project.id)) == 3


def test_step_4_through_the_web_puts_the_decision_to_the_copil(app, client, login, factory):
    """The copil's members take position on the decision page; the consensus records step 4."""
    partnership, project = project_at(app, factory, "decision")
    login(partnership.coordinator)
    base = f"/t/{partnership.territory.slug}/partnerships"
    page = unescape(client.get(f"{base}/projects/{project.id}").get_data(as_text=True))
    assert "Soumettre à l'instance « Comité de pilotage »" in page
    assert 'name="outcome"' not in page  # no radio button that would skip the consensus
    response = client.post(f"{base}/projects/{project.id}/step-decision", data={
        "statement": "Valider les voyages culturels."})
    assert response.status_code == 422
    assert "Indiquez ce que la décision propose" in response.get_data(as_text=True)
    assert "Valider les voyages culturels." in response.get_data(as_text=True)
    response = client.post(f"{base}/projects/{project.id}/step-decision", data={
        "statement": "", "step_outcome": "valide"})
    assert response.status_code == 302
    decision_url = response.headers["Location"]
    with app.test_request_context():
        from facilitation.decisions import operations as decisions
        from facilitation.decisions.models import Decision

        decision = db.session.scalar(select(Decision).where(Decision.joint_project_id == project.id))
        members = decisions.body_members(decision)
        assert (decision.step_key, decision.step_outcome) == ("decision", "valide")
        assert decision.statement == "Projet commun validé : « Voyages culturels »"
        copil = charter_queries.instance_row(partnership.charter, "copil")
        assert decision.instance_id == copil.id and len(members) == 12
    page = unescape(client.get(decision_url).get_data(as_text=True))
    assert "Cette décision porte sur l'étape « Validation ou non du projet commun »" in page
    client.post(decision_url + "/positions",
                data={f"position_{m.person_id}": "accord" for m in members})
    client.post(decision_url + "/conclude")
    page = unescape(client.get(f"{base}/projects/{project.id}").get_data(as_text=True))
    assert "Étape suivante : 5. Information des porteurs" in page
    assert "Projet commun validé" in page


def test_the_home_panel_says_the_step_each_project_waits_for_and_who_acts(ql):
    project = ql.new_project()
    [(text, url)] = _projects_waiting(ql.territory).items
    assert text == "Voyages culturels – Formalisation de la proposition (Les porteurs du projet)"
    assert url.endswith(f"/partnerships/projects/{project.id}")
