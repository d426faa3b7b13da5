"""Governance through the pages: concluded decisions stay read-only by any URL, who entered a
position is shown, « Vous agissez pour » offers what the user belongs to, the overview names
the instance a decision was escalated to, the arbitration shows what the charter says."""
from html import unescape

from extensions import db
from facilitation.decisions import arbitration
from facilitation.decisions import operations as decisions
from territorial.charters import queries as charter_queries
from tests.charter_support import Partnership


def setup_partnership(app, factory, build=None):
    with app.test_request_context():
        ql = Partnership(factory)
        result = build(ql) if build else None
        db.session.commit()
    return ql, result


def concluded_copil_decision(ql):
    decision = decisions.create_decision(
        ql.charter, charter_queries.instance_row(ql.charter, "copil"), level="operationnelle",
        statement="Organiser un voyage par mois.", user=ql.coordinator)
    decisions.record_positions(decision, {m.person_id: ("accord", "")
                                          for m in decisions.body_members(decision)})
    decisions.conclude(decision)
    return decision.id


def test_a_concluded_decision_cannot_be_edited_by_direct_url(app, client, login, factory):
    ql, decision_id = setup_partnership(app, factory, concluded_copil_decision)
    login(ql.coordinator)
    url = f"/t/{ql.territory.slug}/partnerships/decisions/{decision_id}"
    response = client.get(url + "/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Cette décision est conclue (consensus) : elle ne se modifie plus." in page
    assert url + "/edit" not in page
    response = client.post(url + "/edit", data={"statement": "Autre chose", "level": "strategique"})
    assert response.status_code == 302
    assert client.post(url + "/positions", data={}).status_code == 403
    assert client.post(url + "/conclude").status_code == 403
    assert "Organiser un voyage par mois." in client.get(url).get_data(as_text=True)


def test_the_decision_page_says_who_entered_each_position(app, client, login, factory):
    def build(ql):
        decision = decisions.create_decision(
            ql.charter, charter_queries.instance_row(ql.charter, "codir"), level="operationnelle",
            statement="Nommer la cheffe de projet.", user=ql.coordinator)
        member = ql.user_for(ql.people[ql.houses[0].id]["directeur"])
        return decision.id, member

    ql, (decision_id, member) = setup_partnership(app, factory, build)
    login(member)
    url = f"/t/{ql.territory.slug}/partnerships/decisions/{decision_id}"
    other = ql.people[ql.houses[1].id]["directeur"]
    response = client.post(url + "/positions", data={f"position_{other.id}": "objection",
                                                     f"comment_{other.id}": "Pas encore."})
    assert response.status_code == 302
    page = unescape(client.get(url).get_data(as_text=True))
    assert f"pour le compte de {other.full_name}" in page
    assert member.display_name in page
    assert "il manque la position de" in page  # the round table is not complete


def test_you_act_for_offers_only_where_you_sit(app, client, login, factory):
    def build(ql):
        project = ql.new_project()
        ql.walk_to(project, "information")
        member = ql.user_for(ql.people[ql.houses[0].id]["administrateur"])  # copil only
        return project.id, member

    ql, (project_id, member) = setup_partnership(app, factory, build)
    url = f"/t/{ql.territory.slug}/partnerships/projects/{project_id}"
    login(member)
    page = client.get(url).get_data(as_text=True)
    assert 'value="instance:copil"' in page
    for other in ("pleniere", "codir", "copredir", "groupe_travail", "chef_projet"):
        assert f'value="instance:{other}"' not in page
    client.post("/logout")
    login(ql.coordinator)
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Comité de pilotage (pour son compte, d'après le compte rendu)" in page
    assert 'value="instance:codir"' not in page


def test_the_overview_names_the_instance_a_decision_was_escalated_to(app, client, login,
                                                                     factory):
    def build(ql):
        project = ql.new_project()
        ql.walk_to(project, "decision")
        step_decision = ql.decide_step(project, "decision",
                                       objections=[ql.people[ql.houses[2].id]["salarie"]])
        arbitration.escalate(step_decision, ql.charter, ql.coordinator)
        return project.id

    ql, _project_id = setup_partnership(app, factory, build)
    login(ql.coordinator)
    base = f"/t/{ql.territory.slug}/partnerships"
    for url in (base, base + "/projects"):
        page = unescape(client.get(url).get_data(as_text=True))
        assert "Coprédir, en arbitrage" in page


def test_the_charter_page_marks_the_arbitration_rules_the_coordination_added(app, client, login,
                                                                            factory):
    ql, _ = setup_partnership(app, factory)
    login(ql.coordinator)
    page = unescape(client.get(
        f"/t/{ql.territory.slug}/partnerships/charters/{ql.charter.id}").get_data(as_text=True))
    assert "Là où la charte se tait, la coordination a ajouté :" in page
    assert page.count("ajouté par la coordination") == 9  # 4 rules + 5 lines of the chain


def test_one_person_asks_the_reopening_the_coprédir_decides_it(app, client, login, factory):
    def build(ql):
        project = ql.new_project()
        ql.walk_to(project, "decision")
        director = ql.people[ql.houses[0].id]["directeur"]
        decision = ql.decide_step(project, "decision", objections=[director])
        at = arbitration.escalate(decision, ql.charter).decision  # copil → Coprédir
        decisions.record_positions(at, {m.person_id: ("objection" if m.person_id == director.id
                                                      else "accord", "")
                                        for m in decisions.body_members(at)})
        decisions.conclude(at)
        at = arbitration.escalate(at, ql.charter).decision  # Coprédir → Codir (coordination)
        decisions.record_positions(at, {m.person_id: ("objection" if m.person_id == director.id
                                                      else "accord", "")
                                        for m in decisions.body_members(at)})
        decisions.conclude(at)
        arbitration.escalate(at, ql.charter)  # blocked at the Codir and the Coprédir: caduc
        return project, at.id

    ql, (project, lapsed_id) = setup_partnership(app, factory, build)
    login(ql.coordinator)
    base = f"/t/{ql.territory.slug}/partnerships"
    page = unescape(client.get(f"{base}/projects/{project.id}").get_data(as_text=True))
    assert "Sa réouverture est une décision de l'instance « Coprédir »" in page
    response = client.post(f"{base}/decisions/{lapsed_id}/reopen-lapse",
                           data={"reason": "Une subvention couvre le coût."})
    assert response.status_code == 302
    page = unescape(client.get(f"{base}/projects/{project.id}").get_data(as_text=True))
    assert "Caduc" in page
    assert "Sa réouverture est soumise à l'instance « Coprédir »" in page
