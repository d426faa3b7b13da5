"""The Quartier Libre Besançon demo: the charter, its instances, one joint project per lifecycle
stage, the conducted cultural trips, the arbitrated decision, the 3-year plan; seeded once."""
from sqlalchemy import func, select

from extensions import db
from facilitation.action_plans.queries import plan_for
from facilitation.decisions.models import Decision, InformationNote
from facilitation.joint_projects.demo import seed_partnerships_demo
from facilitation.joint_projects.models import (
    BudgetLine,
    JointProject,
    ProjectObjective,
    ProjectTransition,
)
from territorial.actors.models import Person
from territorial.charters import adoption
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter, InstanceMember
from territorial.demo import seed_territorial_demo
from territorial.indicators.models import Indicator


def counts():
    return [db.session.scalar(select(func.count()).select_from(model)) for model in (
        Charter, JointProject, Decision, InstanceMember, BudgetLine, Indicator, InformationNote)]


def test_the_demo_tells_the_charter_story_once(ctx):
    territories = seed_territorial_demo()
    seed_partnerships_demo()
    first = counts()
    seed_partnerships_demo()
    assert counts() == first
    besancon = territories["besancon"]
    charter = db.session.scalar(select(Charter).where(Charter.territory_id == besancon.id))
    assert charter.is_adopted and charter.current_version == 2
    # Adopted as the charter says, « avec l'accord des trois maisons », not by the copil.
    for version in charter_queries.versions(charter):
        assert version.adopting_instance == ("l'accord de chaque maison "
                                             "(Conseil d'administration)")
        assert len(adoption.agreements(version)) == 3
    structures = charter_queries.structures(charter)
    for key in ("copil", "codir", "copredir"):
        instance = charter_queries.instance_row(charter, key)
        members = charter_queries.instance_members([instance.id])[instance.id]
        assert members and charters.composition(charter, instance, members, structures) == [], key
    projects = db.session.scalars(select(JointProject).where(
        JointProject.charter_id == charter.id)).all()
    steps = [s["key"] for s in rules.lifecycle(charter.governing)]
    assert sorted(p.step_key for p in projects if p.step_key) == sorted(steps[1:])
    [voyages] = [p for p in projects if p.status == "lance"]
    assert voyages.title == "Voyages culturels" and len(voyages.finalites) == 4
    assert db.session.scalar(select(func.count()).select_from(ProjectObjective).where(
        ProjectObjective.project_id == voyages.id)) == 3
    assert db.session.scalar(select(func.count()).select_from(Indicator).where(
        Indicator.owner_type == "joint_project", Indicator.owner_id == voyages.id)) == 2
    outcomes = dict(db.session.execute(select(Decision.outcome, func.count()).where(
        Decision.charter_id == charter.id).group_by(Decision.outcome)).all())
    assert outcomes["arbitrated"] == 1
    # Step 4 of every project past it is the copil's consensus decision, linked to the step.
    past_step_4 = [p for p in projects if p.status == "lance" or (
        p.step_key and steps.index(p.step_key) > steps.index("decision"))]
    settled = db.session.scalars(select(ProjectTransition).where(
        ProjectTransition.step_key == "decision")).all()
    assert len(settled) == len(past_step_4) and all(t.data["decision_id"] for t in settled)
    # Users are people: the Clairs-Soleils director acts under her own account.
    director = db.session.scalar(select(Person).where(Person.last_name == "Grosjean"))
    assert director.user_id is not None
    named = db.session.scalar(select(ProjectTransition).where(
        ProjectTransition.step_key == "chef_projet", ProjectTransition.person_id == director.id))
    assert named is not None and not named.on_behalf
    assert plan_for("partnership", besancon.id, besancon.id) is not None
