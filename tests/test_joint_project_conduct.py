"""The conduct of a joint project: diagnostic and finalités, SMART objectives, means lent by each
structure, budget with the self-financing balance, indicators, evaluation; its pages."""
from datetime import date
from decimal import Decimal
import re
from html import unescape

import pytest
from sqlalchemy import select

from extensions import db
from facilitation.joint_projects import operations
from facilitation.joint_projects import rules as conduct_rules
from facilitation.joint_projects.models import BudgetLine, JointProject
from territorial.charters import queries as charter_queries
from territorial.common.errors import DomainError
from territorial.indicators import operations as indicators
from territorial.raci.models import RaciGrid

from tests.charter_support import Partnership


@pytest.fixture
def launched(factory, ctx):
    partnership = Partnership(factory)
    project = partnership.new_project()
    partnership.walk_to(project, "validation_nomination")
    partnership.act(project, "validation_nomination")
    return partnership, project


def words(html: str) -> str:
    """The text of a piece of page, tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def line(category, planned, actual=None):
    return BudgetLine(category=category, label="x", planned=Decimal(planned),
                      actual=Decimal(actual) if actual is not None else None)


def test_the_budget_balance_and_self_financing():
    lines = [line("charge_externe", "6400", "3150"), line("charge_interne", "3500", "1750"),
             line("recette_participants", "7900", "3600"),
             line("recette_financement", "2500", "2500"), line("recette_structures", "900")]
    planned = conduct_rules.balance(lines, "planned")
    assert (planned.charges, planned.income, planned.result) == (
        Decimal("9900"), Decimal("11300"), Decimal("1400"))
    assert planned.self_financing_rate == Decimal("80")
    assert conduct_rules.balance_message(planned) == (
        "success", "Le budget prévisionnel est à l'équilibre.")
    actual = conduct_rules.balance(lines, "actual")
    assert actual.result == Decimal("1200")
    short = conduct_rules.balance([line("charge_externe", "1000"),
                                   line("recette_participants", "600")])
    tone, message = conduct_rules.balance_message(short)
    assert tone == "warning" and message.startswith("Il manque 400,00 € pour atteindre l'équilibre")
    assert conduct_rules.balance([], "planned").self_financing_rate is None


def test_objectives_get_smart_advice_in_the_charters_words(launched):
    partnership, project = launched
    vague = operations.add_objective(project, text="Favoriser les sorties")
    words = conduct_rules.conduct_words(partnership.charter.governing)
    advice = conduct_rules.objective_advice(vague, False, words.smart)
    # The charter's SMART: spécifique, mesurable, dans l'action, réaliste, temporalisé.
    assert [a.split(" :")[0] for a in advice] == [
        "Spécifique", "Mesurable", "Dans l'action", "Temporalisé"]
    assert advice[3] == ("Temporalisé : aucune échéance. Fixez une date ou une période "
                         "(« d'ici juin 2026 », « chaque trimestre »).")
    smart = operations.add_objective(
        project, text="Proposer 10 voyages culturels mensuels de septembre 2026 à juin 2027",
        measure="Nombre de voyages", due_on=date(2027, 6, 30),
        owner_organisation_id=partnership.houses[1].id)
    assert conduct_rules.objective_advice(smart, True, words.smart) == []
    with pytest.raises(DomainError) as error:
        operations.add_objective(project, text="  ")
    assert error.value.errors == {"text": "Écrivez l'objectif : le résultat à atteindre."}


def test_means_lent_by_a_house_must_be_known_by_the_codir(launched, factory):
    partnership, project = launched
    palente = partnership.houses[0]
    room = operations.add_means(project, kind="salle", description="Salle polyvalente",
                                organisation_id=palente.id)
    operations.add_means(project, kind="transport", description="Autocariste")
    codir = conduct_rules.conduct_words(partnership.charter.governing).means_instance
    assert codir == "Codir"  # « le Codir doit en être informé en amont »
    assert conduct_rules.means_warnings(operations.means_of(project), codir) == [
        "« Salle polyvalente » (MJC de Palente) : d'après la charte, l'instance « Codir » doit "
        "en être informée en amont."]
    operations.mark_informed(room, date.today())
    assert conduct_rules.means_warnings(operations.means_of(project), codir) == []
    outsider = factory.organisation(partnership.territory)
    with pytest.raises(DomainError) as error:
        operations.add_means(project, kind="salle", description="Salle",
                             organisation_id=outsider.id)
    assert error.value.errors == {"organisation_id": "Choisissez une structure membre du "
                                                     "partenariat."}


def test_budget_lines_are_checked(launched):
    _partnership, project = launched
    with pytest.raises(DomainError) as error:
        operations.save_budget_line(project, category="charge_externe", label="",
                                    planned="-5", actual="abc")
    assert set(error.value.errors) == {"label", "planned", "actual"}
    saved = operations.save_budget_line(project, category="charge_externe", label="Transport",
                                        planned="1 250,50")
    assert saved.planned == Decimal("1250.50") and saved.actual is None


def test_evaluation_renews_adjusts_or_stops(launched):
    _partnership, project = launched
    with pytest.raises(DomainError) as error:
        operations.evaluate(project, evaluated_on=date.today(), decision="reajuster",
                            analysis="Participation inégale.")
    assert error.value.errors == {"adjustments": "Dites ce qui est réajusté."}
    operations.evaluate(project, evaluated_on=date.today(), decision="reconduire",
                        analysis="Objectifs atteints.")
    assert project.status == "lance"
    operations.evaluate(project, evaluated_on=date.today(), decision="arreter",
                        analysis="Le public ne vient plus.")
    assert project.status == "arrete" and project.is_ended
    with pytest.raises(DomainError):
        operations.add_objective(project, text="Encore un objectif")


def test_a_project_is_evaluated_once_launched(factory, ctx):
    partnership = Partnership(factory)
    project = partnership.new_project()
    with pytest.raises(DomainError) as error:
        operations.evaluate(project, evaluated_on=date.today(), decision="reconduire",
                            analysis="Trop tôt.")
    assert "une fois lancé" in error.value.errors["__all__"]


# Through the web ---------------------------------------------------------------------------------

@pytest.fixture
def web(app, factory):
    with app.test_request_context():
        partnership = Partnership(factory)
        project = partnership.new_project()
        partnership.walk_to(project, "validation_nomination")
        partnership.act(project, "validation_nomination")
        db.session.commit()
    return partnership, project


def test_the_conduct_page_shows_the_budget_and_the_indicators(client, login, web):
    partnership, project = web
    with client.application.test_request_context():
        indicator = indicators.create_indicator(
            partnership.territory.id, "joint_project", project.id,
            title="Inscriptions par maison", unit="inscrits")
        indicators.set_target(indicator, date.today().year, 90)
        operations.save_budget_line(project, category="charge_externe", label="Autocar",
                                    planned="1000")
        db.session.commit()
    login(partnership.coordinator)
    url = f"/t/{partnership.territory.slug}/partnerships/projects/{project.id}/conduct"
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Inscriptions par maison" in page and "Autocar" in page
    assert ("Il manque 1 000,00 € pour atteindre l'équilibre : prévoir des financements "
            "complémentaires (dossier à monter avec l'aide de l'instance « Codir »)"
            ) in page.replace("\u202f", " ")
    response = client.post(f"/t/{partnership.territory.slug}/partnerships/projects/{project.id}"
                           "/budget", data={"category": "recette_participants",
                                            "label": "Participations", "planned": "douze"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Participations"' in page
    response = client.post(url, data={"diagnostic": "Les familles partent peu.",
                                      "finalites": "L'ouverture\n- La mixité sociale\n"})
    assert response.status_code == 302
    saved = db.session.scalar(select(JointProject.finalites).where(JointProject.id == project.id))
    assert saved == ["L'ouverture", "La mixité sociale"]  # the list marks read


def test_the_checklist_says_where_the_project_really_stands(client, login, web):
    """« fait » only for SMART objectives; the fiche de mission formed at step 8 is « fait »."""
    partnership, project = web
    with client.application.test_request_context():
        operations.add_objective(project, text="Favoriser les sorties")
        operations.add_objective(
            project, text="Proposer 10 voyages culturels mensuels d'ici juin 2027",
            measure="Nombre de voyages", due_on=date(2027, 6, 30),
            owner_organisation_id=partnership.houses[1].id)
        operations.add_means(project, kind="salle", description="Salle polyvalente",
                             organisation_id=partnership.houses[0].id)
        db.session.commit()
    login(partnership.coordinator)
    page = unescape(client.get(f"/t/{partnership.territory.slug}/partnerships/projects/"
                               f"{project.id}/conduct").get_data(as_text=True))
    lead = partnership.people[partnership.houses[1].id]["salarie"].full_name
    checklist = words(page[page.index('id="essentials-title"'):page.index('id="diagnostic"')])
    assert "en partie Objectifs SMART — 1 objectif pas encore SMART" in checklist
    assert f"fait Fiche de mission — {lead}" in checklist
    assert ("en partie Moyens octroyés et modalités — l'instance « Codir » n'est pas "
            "informée d'un moyen") in checklist
    assert "à faire Modalités d'évaluation — aucun indicateur de réussite" in checklist
    assert "Dans l'action : personne ne porte cet objectif" in page
    assert "Le résultat à atteindre : spécifique, mesurable, dans l'action, réaliste, " \
           "temporalisé (SMART)." in page
    assert "Permettre aux personnes de s'ouvrir à d'autres cultures" in page  # its example
    assert "« Codir » informé(e)" in page and "direction" not in page.lower()


def test_another_charters_conduct_page_uses_its_own_words(client, login, app, factory):
    with app.test_request_context():
        val = Partnership(factory, "collectif_solidaire_val")
        project = val.new_project()
        db.session.commit()
    login(val.coordinator)
    page = unescape(client.get(f"/t/{val.territory.slug}/partnerships/projects/{project.id}"
                               "/conduct").get_data(as_text=True))
    checklist = page[page.index('id="essentials-title"'):page.index('id="diagnostic"')]
    assert "Budget" in checklist and "Indicateurs" in checklist
    assert "Fiche de mission" not in checklist and "SMART" not in checklist
    for quartier_libre in ("Codir", "voyage", "quartier", "Permettre aux personnes"):
        assert quartier_libre not in page, quartier_libre


def test_working_group_members_conduct_their_project_others_do_not(client, login, web, factory):
    partnership, project = web
    group = charter_queries.instance_row(partnership.charter, "groupe_travail")
    referent = next(m for m in charter_queries.instance_members([group.id], project.id)[group.id]
                    if m.function == "referent")
    person = db.session.get(type(referent.person), referent.person_id)
    member = partnership.user_for(person)
    stranger = factory.user(partnership.territory, role="participant")
    url = f"/t/{partnership.territory.slug}/partnerships/projects/{project.id}/objectives"
    login(stranger)
    assert client.post(url, data={"text": "Un objectif"}).status_code == 403
    client.post("/logout")
    login(member)
    assert client.post(url, data={"text": "Proposer 10 voyages d'ici juin 2027"}).status_code == 302


def test_the_project_raci_grid_has_one_column_per_house(client, login, web):
    partnership, project = web
    login(partnership.coordinator)
    response = client.post(f"/t/{partnership.territory.slug}/partnerships/projects/"
                           f"{project.id}/raci")
    assert response.status_code == 302
    grid = db.session.scalar(select(RaciGrid).where(RaciGrid.owner_type == "joint_project",
                                                   RaciGrid.owner_id == project.id))
    assert response.headers["Location"].endswith(f"/raci/{grid.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Comité de quartier Rosemont Saint-Ferjeux" in page


def test_the_projects_list_does_not_grow_its_queries(client, login, factory, count_queries, app):
    with app.test_request_context():
        partnership = Partnership(factory)
        for _ in range(3):
            partnership.new_project()
        db.session.commit()
    login(partnership.coordinator)
    base = f"/t/{partnership.territory.slug}/partnerships"
    with count_queries() as few:
        assert client.get(base + "/projects").status_code == 200
    with count_queries() as few_index:
        assert client.get(base).status_code == 200
    with app.test_request_context():
        for _ in range(9):
            partnership.new_project()
        db.session.commit()
    with count_queries() as many:
        client.get(base + "/projects")
    with count_queries() as many_index:
        client.get(base)
    assert len(many) == len(few)
    assert len(many_index) == len(few_index)


def test_a_project_is_read_with_its_charter_in_one_query(launched, count_queries):
    """Every page of a joint project needs its charter (its words, its steps): read with
    the project, not after it."""
    from flask import g

    from facilitation.joint_projects.views import _charter, load_project

    partnership, project = launched
    db.session.commit()
    db.session.expunge_all()
    g.territory = partnership.territory
    with count_queries() as queries:
        charter = _charter(load_project(project.id))
    assert charter.title == partnership.charter.title
    assert len(queries) == 2  # the project with its charter, its porteurs
