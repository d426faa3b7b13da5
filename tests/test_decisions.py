"""Decisions by consensus, the decision matrix, escalation along the arbitration chain and lapse,
the register and the information note."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from extensions import db
from facilitation.decisions import arbitration, meetings
from facilitation.decisions import operations as decisions
from facilitation.decisions.models import Decision
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters.models import CharterInstance

from facilitation.joint_projects import lifecycle
from tests.charter_support import Partnership
from tests.documents_support import paragraphs_text
from territorial.common.errors import DomainError


@pytest.fixture
def ql(factory, ctx):
    return Partnership(factory)


def all_agree(decision, exceptions=None):
    """Every member of the body agrees, but ``exceptions`` (person id → (position, comment))."""
    positions = {m.person_id: ("accord", "") for m in decisions.body_members(decision)}
    positions.update(exceptions or {})
    return positions


def decide(partnership, instance_key, level="operationnelle", project=None, **values):
    instance = charter_queries.instance_row(partnership.charter, instance_key)
    return decisions.create_decision(partnership.charter, instance, level=level,
                                     statement=values.pop("statement", "Organiser un voyage "
                                                          "culturel par mois."),
                                     joint_project=project, user=partnership.coordinator, **values)


def test_a_decision_needs_a_clear_statement(ql):
    instance = charter_queries.instance_row(ql.charter, "copil")
    with pytest.raises(DomainError) as error:
        decisions.create_decision(ql.charter, instance, level="strategique", statement="  ")
    assert error.value.errors == {"statement": (
        "Énoncez clairement la décision : la charte demande que son libellé soit clairement "
        "formulé avant que chacun se prononce.")}
    assert db.session.scalar(select(Decision.id)) is None


def test_consensus_accepts_reserves_and_abstentions(ql):
    decision = decide(ql, "copil")
    palente = ql.people[ql.houses[0].id]
    decisions.record_positions(decision, all_agree(
        decision, {palente["president"].id: ("accord_reserve", "Bilan à six mois."),
                   palente["salarie"].id: ("abstention", "")}),
        objections_heard="Aucune objection.", round_table="Accord de tous.",
        meaning="Sortir du quartier.")
    assert decisions.conclude(decision) == "consensus"
    assert decision.decided_on == date.today()
    with pytest.raises(DomainError):
        decisions.conclude(decision)


def test_an_objection_blocks_the_decision(ql):
    decision = decide(ql, "copil")
    objector = ql.people[ql.houses[2].id]["administrateur"]
    decisions.record_positions(decision, all_agree(decision, {
        objector.id: ("objection", "Pas de régie pour encaisser.")}))
    assert decisions.conclude(decision) == "blocked"
    assert decision.outcome_label == "Bloquée"


def test_no_consensus_before_every_member_has_spoken_or_is_recorded_absent(ql):
    """« Chaque membre se prononce » and the round table checks « l'accord de tous »: one
    position out of twelve is not a consensus; the message names who is missing."""
    decision = decide(ql, "copil")
    palente = ql.people[ql.houses[0].id]
    decisions.record_positions(decision, {palente["president"].id: ("accord", "")})
    with pytest.raises(DomainError) as error:
        decisions.conclude(decision)
    message = error.value.errors["__all__"]
    assert message.startswith("Chaque membre se prononce, et le tour de table vérifie l'accord "
                              "de tous : il manque la position de ")
    assert palente["directeur"].full_name in message
    assert palente["president"].full_name not in message
    assert decision.outcome == "pending"
    absent = ql.people[ql.houses[2].id]["salarie"]
    decisions.record_positions(decision, all_agree(decision, {absent.id: ("absent", "")}))
    assert decisions.conclude(decision) == "consensus"


def test_a_round_table_of_absents_concludes_nothing(ql):
    decision = decide(ql, "codir")
    decisions.record_positions(decision, {m.person_id: ("absent", "")
                                          for m in decisions.body_members(decision)})
    with pytest.raises(DomainError) as error:
        decisions.conclude(decision)
    assert "personne n'a pris position" in error.value.errors["__all__"]


def test_a_concluded_decision_is_read_only(ql):
    decision = decide(ql, "copil")
    decisions.record_positions(decision, all_agree(decision))
    decisions.conclude(decision)
    message = ("Cette décision est conclue (consensus) : elle ne se modifie plus. Une nouvelle "
               "question se pose par une nouvelle décision.")
    for change in (
        lambda: decisions.update_decision(decision, ql.charter, statement="Autre chose",
                                          level="operationnelle"),
        lambda: decisions.record_positions(decision, all_agree(decision)),
        lambda: decisions.conclude(decision),
    ):
        with pytest.raises(DomainError) as error:
            change()
        assert error.value.errors == {"__all__": message} and error.value.status == 403
    assert decision.statement == "Organiser un voyage culturel par mois."


def test_who_entered_each_position_is_recorded_and_said_in_words(ql):
    """A member entering everyone's positions: each position says who entered it, for whom."""
    palente = ql.people[ql.houses[0].id]
    member = ql.user_for(palente["president"])
    decision = decide(ql, "copil")
    decisions.record_positions(decision, all_agree(decision), user=member)
    rows = {p.person_id: p for p in decisions.positions_of(decision)}
    own, other = rows[palente["president"].id], rows[palente["directeur"].id]
    assert (own.entered_by_id, own.on_behalf) == (member.id, False)
    assert (other.entered_by_id, other.on_behalf) == (member.id, True)
    from territorial.audit.models import AuditEntry

    labels = set(db.session.scalars(select(AuditEntry.label).where(
        AuditEntry.object_type == "DecisionPosition")))
    assert (f"Position de {palente['directeur'].full_name} : Accord — saisie par "
            f"{member.display_name} pour son compte") in labels
    assert (f"Position de {palente['president'].full_name} : Accord — saisie par la personne "
            "elle-même") in labels


def test_a_position_of_someone_outside_the_body_is_flagged(ql, factory):
    decision = decide(ql, "codir")
    staff = ql.people[ql.houses[0].id]["salarie"]
    warnings = decisions.record_positions(decision, all_agree(decision, {
        staff.id: ("accord", "")}))
    assert warnings == [f"{staff.full_name} ne siège pas à cette instance."]


def test_a_body_without_a_role_at_that_level_may_not_take_the_decision(ql):
    """As lifecycle steps are refused to the wrong instance, the decision matrix says who decides."""
    with pytest.raises(DomainError) as error:
        decide(ql, "pleniere", level="operationnelle")
    assert error.value.errors["instance_id"] == (
        "D'après la matrice de décision, l'instance « Assemblée plénière » n'a aucun rôle dans les "
        "décisions opérationnelles : ce n'est pas à elle de prendre cette décision. À ce niveau, "
        "décident : « Comité de pilotage », « Codir », « Coprédir », « Groupe de travail », "
        "« Chef de projet ».")
    with pytest.raises(DomainError) as error:
        decide(ql, "codir", level="strategique")
    assert "que pour arbitrer" in error.value.errors["instance_id"]
    assert db.session.scalar(select(Decision.id)) is None
    assert decisions.matrix_warning(ql.charter, decide(ql, "copil")) is None


def test_a_blocked_copil_decision_goes_to_the_coprédir_which_arbitrates(ql):
    project = ql.new_project()
    decision = decide(ql, "copil", level="fonctionnelle", project=project)
    objector = ql.people[ql.houses[2].id]["administrateur"]
    decisions.record_positions(decision, all_agree(decision, {objector.id: ("objection", "Non")}))
    decisions.conclude(decision)
    result = arbitration.escalate(decision, ql.charter, ql.coordinator)
    assert result.kind == "escalate"
    assert result.message == ("La décision est portée en arbitrage devant l'instance « Coprédir », "
                              "comme le prévoit la charte.")
    arbiter = result.decision
    assert decision.outcome == "escalated"
    assert decision.arbitration_text == "Si le blocage est au niveau du comité de pilotage : " \
                                        "le Coprédir arbitre."
    assert db.session.get(CharterInstance, arbiter.instance_id).key == "copredir"
    assert arbiter.outcome == "pending"
    assert arbiter.statement == decision.statement
    assert arbiter.joint_project_id == project.id and arbiter.level == "fonctionnelle"
    assert decisions.matrix_warning(ql.charter, arbiter) is None
    assert {m.function for m in decisions.body_members(arbiter)} == {"directeur", "president"}
    decisions.record_positions(arbiter, all_agree(arbiter))
    assert decisions.conclude(arbiter) == "consensus"
    assert decision.outcome == "arbitrated"
    assert [d.id for d in arbitration.chain(arbiter)] == [decision.id, arbiter.id]


def block(decision, objector):
    decisions.record_positions(decision, all_agree(decision, {objector.id: ("objection", "Non")}))
    assert decisions.conclude(decision) == "blocked"


def test_blocked_at_the_codir_a_decision_goes_to_the_coprédir_not_to_caducity(ql):
    project = ql.new_project()
    decision = decide(ql, "codir", project=project)
    block(decision, ql.people[ql.houses[0].id]["directeur"])
    assert arbitration.arbitration_entry(ql.charter, decision)["outcome"] == "escalate"
    result = arbitration.escalate(decision, ql.charter)
    assert result.kind == "escalate"
    assert db.session.get(CharterInstance, result.decision.instance_id).key == "copredir"
    assert project.status == "en_cours"
    decisions.record_positions(result.decision, all_agree(result.decision))
    assert decisions.conclude(result.decision) == "consensus"
    assert decision.outcome == "arbitrated" and project.status == "en_cours"


def test_blocked_at_the_codir_and_the_coprédir_the_joint_project_lapses(ql):
    project = ql.new_project()
    decision = decide(ql, "codir", project=project)
    director = ql.people[ql.houses[0].id]["directeur"]
    block(decision, director)
    arbitration_ = arbitration.escalate(decision, ql.charter).decision
    block(arbitration_, director)
    result = arbitration.escalate(arbitration_, ql.charter, ql.coordinator)
    assert result.kind == "lapse"
    assert result.message == (
        "Le projet commun « Voyages culturels » devient caduc. Cela ne remet pas en cause "
        "l'ensemble du partenariat : si deux maisons veulent conduire ce projet, elles le "
        "peuvent, mais il ne se référera plus à la charte. L'instance « Coprédir » peut décider "
        "de le rouvrir.")
    assert arbitration_.outcome == "lapsed" and decision.outcome == "escalated"
    assert project.status == "caduc" and project.step_key is None
    assert "rend caduc un projet commun" in project.ended_reason


def test_a_copil_decision_blocked_then_blocked_at_the_coprédir_goes_to_the_codir_then_lapses(ql):
    project = ql.new_project()
    decision = decide(ql, "copil", project=project)
    president = ql.people[ql.houses[2].id]["president"]
    director = ql.people[ql.houses[2].id]["directeur"]
    block(decision, president)
    at_copredir = arbitration.escalate(decision, ql.charter).decision
    block(at_copredir, president)
    # The Coprédir alone is blocked: the charter asks the Codir too before the project lapses.
    at_codir = arbitration.escalate(at_copredir, ql.charter).decision
    assert db.session.get(CharterInstance, at_codir.instance_id).key == "codir"
    assert project.status == "en_cours"
    block(at_codir, director)
    assert arbitration.escalate(at_codir, ql.charter).kind == "lapse"
    assert project.status == "caduc"
    assert [d.outcome for d in arbitration.chain(at_codir)] == ["escalated", "escalated", "lapsed"]


def test_reopening_a_caduc_project_is_a_decision_of_the_coprédir_not_of_one_person(ql):
    project = ql.new_project()
    ql.walk_to(project, "decision")
    decision = decide(ql, "codir", project=project)
    director = ql.people[ql.houses[0].id]["directeur"]
    block(decision, director)
    at_copredir = arbitration.escalate(decision, ql.charter).decision
    block(at_copredir, director)
    arbitration.escalate(at_copredir, ql.charter, ql.coordinator)
    assert project.status == "caduc"
    assert arbitration.reopening_instance(ql.charter, at_copredir).key == "copredir"
    with pytest.raises(DomainError) as error:
        arbitration.reopen_lapsed(at_copredir, ql.charter, ql.coordinator, "  ")
    assert "Dites pourquoi" in error.value.errors["reason"]
    reopening = arbitration.reopen_lapsed(at_copredir, ql.charter, ql.coordinator,
                                          "Une subvention couvre le coût.")
    # Asked by one person, the reopening waits for the Coprédir's round table.
    assert project.status == "caduc" and at_copredir.reopened_on is None
    assert db.session.get(CharterInstance, reopening.instance_id).key == "copredir"
    assert reopening.outcome == "pending" and reopening.reopens_id == at_copredir.id
    assert reopening.statement == "Rouvrir le projet commun « Voyages culturels », devenu caduc."
    assert arbitration.pending_reopening(at_copredir) == reopening
    with pytest.raises(DomainError):
        arbitration.reopen_lapsed(at_copredir, ql.charter, ql.coordinator, "Encore")
    # Blocked: no arbitration, the project stays caduc.
    block(reopening, director)
    assert arbitration.arbitration_entry(ql.charter, reopening) is None
    assert project.status == "caduc"
    decisions.reopen(reopening)
    decisions.record_positions(reopening, all_agree(reopening, {director.id: ("accord", "")}),
                               meaning="Une subvention couvre le coût.")
    assert decisions.conclude(reopening, user=ql.coordinator) == "consensus"
    assert project.status == "en_cours" and project.step_key == "decision"
    assert project.ended_on is None and project.ended_reason == ""
    assert at_copredir.outcome == "lapsed" and at_copredir.reopened_on == date.today()
    history = [(t.step_key, t.acting_label, t.notes) for t in lifecycle.transitions(project)]
    assert history[-2:] == [
        ("_caducite", "Coprédir", at_copredir.arbitration_text),
        ("_reouverture", "Coprédir", "Une subvention couvre le coût.")]


def test_the_working_group_is_arbitrated_by_its_project_lead(ql):
    project = ql.new_project()
    ql.walk_to(project, "referents")
    ql.act(project, "referents")
    ql.act(project, "chef_projet")
    group = charter_queries.instance_row(ql.charter, "groupe_travail")
    in_group = decisions.create_decision(ql.charter, group, level="operationnelle",
                                         statement="Choisir les destinations.",
                                         joint_project=project)
    referent = ql.people[ql.houses[0].id]["salarie"]
    block(in_group, referent)
    result = arbitration.escalate(in_group, ql.charter)
    lead = db.session.get(CharterInstance, result.decision.instance_id)
    assert lead.key == "chef_projet"
    assert [m.person.full_name for m in decisions.body_members(result.decision)] == [
        ql.people[ql.houses[1].id]["salarie"].full_name]
    assert result.decision.reflection.startswith(
        "Arbitrage demandé : la décision est bloquée au niveau de l'instance « Groupe de "
        "travail ». Le chef de projet anime le groupe de travail ; il peut être amené à arbitrer.")


def test_only_a_blocked_decision_escalates_and_only_where_the_charter_says(ql):
    decision = decide(ql, "copil")
    with pytest.raises(DomainError) as error:
        arbitration.escalate(decision, ql.charter)
    assert error.value.errors["__all__"] == "Seule une décision bloquée peut être portée en " \
                                            "arbitrage."
    plenary = charter_queries.instance_row(ql.charter, "pleniere")
    person = ql.people[ql.houses[0].id]["salarie"]
    charters.add_instance_member(ql.charter, plenary, person.id, "salarie")
    orientation = decisions.create_decision(ql.charter, plenary, level="strategique",
                                            statement="Impulser une orientation.")
    block(orientation, person)
    with pytest.raises(DomainError) as error:
        arbitration.escalate(orientation, ql.charter)
    assert "La charte ne prévoit pas d'arbitrage pour un blocage au niveau de l'instance " \
           "« Assemblée plénière »" in error.value.errors["__all__"]
    decisions.reopen(orientation)
    assert orientation.outcome == "pending"


def test_the_second_charter_has_its_own_arbitration_chain(factory, ctx):
    val = Partnership(factory, "collectif_solidaire_val")
    person = val.people[val.houses[0].id]["president"]
    project = val.new_project()
    commission = charter_queries.instance_row(val.charter, "commission")
    charters.add_instance_member(val.charter, commission, person.id, "coordinateur",
                                 joint_project_id=project.id)
    decision = decisions.create_decision(val.charter, commission, level="gestion",
                                         statement="Choisir les fournisseurs.",
                                         joint_project=project)
    keys = []
    while True:
        decisions.record_positions(decision, all_agree(decision, {person.id: ("objection", "")}))
        decisions.conclude(decision)
        keys.append(db.session.get(CharterInstance, decision.instance_id).key)
        result = arbitration.escalate(decision, val.charter)
        if result.kind == "lapse":
            break
        decision = result.decision
    assert keys == ["commission", "bureau", "assemblee"]
    assert result.message == ("Le projet commun « Voyages culturels » devient caduc. L'instance "
                              "« Assemblée du collectif » peut décider de le rouvrir.")
    assert project.status == "caduc"


def test_the_information_note_gives_the_decisions_and_their_meaning(ql):
    copil = charter_queries.instance_row(ql.charter, "copil")
    meeting = meetings.schedule_meeting(ql.charter, copil, day=date.today() - timedelta(days=3),
                                         place="MJC de Palente")
    assert meeting.body_type == "charter_instance" and meeting.body_id == copil.id
    assert meeting.kind == "copil"
    project = ql.new_project()
    decision = decide(ql, "copil", project=project, session=meeting)
    decisions.record_positions(decision, all_agree(decision),
                               meaning="Permettre aux familles de sortir de leur quartier.")
    decisions.conclude(decision)
    assert meetings.notes_to_draft(ql.territory.id) == [meeting]
    note = meetings.draft_note(ql.charter, meeting, ql.coordinator)
    assert note.title.startswith("Note d'information – Comité de pilotage du ")
    assert "Organiser un voyage culturel par mois. [Voyages culturels] — Consensus" in note.body
    assert "Le sens de la décision : Permettre aux familles de sortir de leur quartier." in note.body
    assert "les porteurs des projets concernés" in note.recipients
    assert meetings.notes_to_draft(ql.territory.id) == []


def test_the_rhythm_of_the_charter_proposes_meetings(ql):
    plenary = charter_queries.instance_row(ql.charter, "pleniere")
    proposals = meetings.proposed_dates(ql.charter, plenary, [], today=date(2026, 1, 10))
    assert proposals == [date(2026, 4, 1), date(2026, 9, 30)]
    held = meetings.schedule_meeting(ql.charter, plenary, day=date(2026, 2, 5))
    assert meetings.proposed_dates(ql.charter, plenary, [held], today=date(2026, 1, 10)) == [
        date(2026, 9, 30), date(2027, 4, 1)]
    codir = charter_queries.instance_row(ql.charter, "codir")
    assert meetings.proposed_dates(ql.charter, codir, [], today=date(2026, 1, 10)) == []


# Through the web ---------------------------------------------------------------------------------

@pytest.fixture
def web(app, factory):
    with app.test_request_context():
        partnership = Partnership(factory)
        project = partnership.new_project()
        db.session.commit()
    return partnership, project


def test_an_empty_statement_is_refused_and_nothing_is_lost(client, login, web):
    partnership, project = web
    login(partnership.coordinator)
    copil = charter_queries.instance_row(partnership.charter, "copil")
    base = f"/t/{partnership.territory.slug}/partnerships"
    response = client.post(f"{base}/charters/{partnership.charter.id}/decisions/new", data={
        "instance_id": copil.id, "level": "strategique", "statement": "",
        "reflection": "Préparé en sous-groupe."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Énoncez clairement la décision" in page and "Préparé en sous-groupe." in page


def test_a_decision_outside_the_matrix_is_refused_next_to_the_instance(client, login, web):
    partnership, project = web
    login(partnership.coordinator)
    plenary = charter_queries.instance_row(partnership.charter, "pleniere")
    base = f"/t/{partnership.territory.slug}/partnerships"
    response = client.post(f"{base}/charters/{partnership.charter.id}/decisions/new", data={
        "instance_id": plenary.id, "level": "operationnelle",
        "statement": "Valider le projet commun."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "n&#39;a aucun rôle dans les décisions opérationnelles" in page
    assert "décident : « Comité de pilotage »" in page and "Valider le projet commun." in page
    assert db.session.scalar(select(Decision.id)) is None


def test_the_round_table_then_arbitration_through_the_web(client, login, web):
    partnership, project = web
    with client.application.test_request_context():
        decision = decide(partnership, "copil", project=project)
        members = decisions.body_members(decision)
        db.session.commit()
    login(partnership.coordinator)
    url = f"/t/{partnership.territory.slug}/partnerships/decisions/{decision.id}"
    data = {f"position_{m.person_id}": "accord" for m in members}
    data[f"position_{members[0].person_id}"] = "objection"
    data[f"comment_{members[0].person_id}"] = "Le coût est trop élevé."
    data["objections_heard"] = "L'objection a été écoutée."
    assert client.post(url + "/positions", data=data).status_code == 302
    assert client.post(url + "/conclude").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Situation de blocage" in page and "le Coprédir arbitre" in page
    response = client.post(url + "/escalate")
    assert response.status_code == 302
    child = db.session.scalar(select(Decision).where(Decision.escalated_from_id == decision.id))
    assert response.headers["Location"].endswith(f"/decisions/{child.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chaîne d'arbitrage" in page


def test_the_register_filters_and_does_not_grow_its_queries(client, login, web, count_queries):
    partnership, project = web

    def add(count, outcome="consensus", review=None):
        with client.application.test_request_context():
            for n in range(count):
                decision = decide(partnership, "copil", project=project,
                                  statement=f"Décision {outcome} {n}", review_on=review)
                decision.outcome = outcome
                decision.decided_on = date.today()
            db.session.commit()

    add(3)
    add(1, "blocked", review=date.today() - timedelta(days=1))
    login(partnership.coordinator)
    base = f"/t/{partnership.territory.slug}/partnerships/decisions"
    page = client.get(base + "?outcome=blocked").get_data(as_text=True)
    assert "Décision blocked 0" in page and "Décision consensus 0" not in page
    page = client.get(base + "?review=due").get_data(as_text=True)
    assert "Décision blocked 0" in page and "Décision consensus 1" not in page
    page = client.get(base + "?instance=codir").get_data(as_text=True)
    assert "Aucune décision ne correspond." in page
    with count_queries() as few:
        client.get(base)
    add(8)
    with count_queries() as many:
        client.get(base)
    assert len(many) == len(few)


def test_the_note_is_drafted_from_the_meeting_and_exported(client, login, web):
    partnership, project = web
    with client.application.test_request_context():
        copil = charter_queries.instance_row(partnership.charter, "copil")
        meeting = meetings.schedule_meeting(partnership.charter, copil,
                                             day=date.today() - timedelta(days=2))
        decision = decide(partnership, "copil", project=project, session=meeting)
        decisions.record_positions(decision, all_agree(decision), meaning="Ouvrir les quartiers.")
        decisions.conclude(decision)
        db.session.commit()
    login(partnership.coordinator)
    base = f"/t/{partnership.territory.slug}"
    assert "Note d&#39;information à rédiger" in client.get(base + "/").get_data(as_text=True)
    response = client.post(f"{base}/partnerships/meetings/{meeting.id}/note")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ouvrir les quartiers." in page
    docx = client.get(response.headers["Location"] + "/note.docx")
    text = paragraphs_text(Document(BytesIO(docx.data)))
    assert "Le sens de la décision : Ouvrir les quartiers." in text


def test_a_decision_is_read_with_its_charter_instance_and_project_in_one_query(
        client, web, count_queries):
    """The decision's page (and its forms) read what the decision belongs to with it."""
    from flask import g

    from facilitation.decisions.views import _load_decision

    partnership, project = web
    with client.application.test_request_context():
        decision_id = decide(partnership, "copil", project=project).id
        db.session.commit()
        db.session.expunge_all()
        g.territory = partnership.territory
        with count_queries() as queries:
            decision = _load_decision(decision_id)
            said = (decision.charter.title, decision.instance.key, decision.joint_project.title)
    assert said == (partnership.charter.title, "copil", project.title)
    assert len(queries) == 1
