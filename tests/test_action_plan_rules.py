"""Action rules and operations: transitions, abandon reason, dates, progress, porteur,
reordering, bulk changes, history, progress snapshots."""
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from facilitation.action_plans import bulk, operations, rules
from facilitation.action_plans import queries as ap_queries
from facilitation.action_plans.models import Action, ActionPlanAxis, ActionProgressSnapshot
from territorial.common.errors import DomainError
from territorial.territories.models import Territory


@pytest.fixture
def plan(factory):
    territory = factory.territory()
    return operations.create_plan(territory.id, "partnership", territory.id, "Plan à 3 ans",
                                  ["Communication", ("financement", "Financement")])


def test_plan_axes(ctx, plan):
    axes = db.session.execute(
        select(ActionPlanAxis.key, ActionPlanAxis.title).where(ActionPlanAxis.plan_id == plan.id)
        .order_by(ActionPlanAxis.position)
    ).all()
    assert [tuple(axis) for axis in axes] == [("communication", "Communication"),
                                              ("financement", "Financement")]


@pytest.mark.parametrize("current, new, allowed", [
    ("proposee", "retenue", True), ("proposee", "en_cours", False),
    ("proposee", "realisee", False), ("retenue", "en_cours", True),
    ("en_cours", "realisee", True), ("realisee", "en_cours", True),
    ("realisee", "proposee", False), ("abandonnee", "proposee", True),
    ("abandonnee", "realisee", False),
])
def test_transitions(ctx, current, new, allowed):
    error = rules.transition_error(current, new, reason="x")
    assert (error is None) is allowed
    if not allowed:
        assert "ne peut pas passer directement" in error


def test_abandon_needs_a_reason(ctx, plan):
    action = operations.create_action(plan, title="Forum emploi")
    with pytest.raises(DomainError) as error:
        operations.change_status(action, "abandonnee")
    assert "motif est obligatoire" in error.value.errors["status"]
    assert action.status == "proposee"
    operations.change_status(action, "abandonnee", "Pas de financeur")
    assert action.abandon_reason == "Pas de financeur"
    operations.change_status(action, "proposee")
    assert action.abandon_reason == ""


def test_the_database_refuses_an_abandon_without_reason(ctx, plan):
    action = operations.create_action(plan, title="Forum emploi")
    action.status = "abandonnee"
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


def test_done_means_complete(ctx, plan):
    action = operations.create_action(plan, title="Forum emploi", status="retenue")
    operations.change_status(action, "realisee")
    assert action.progress == 100
    # … and stays complete: 95 % on a « Réalisée » action is refused, in the form too
    with pytest.raises(DomainError) as error:
        operations.set_progress(action, 95)
    assert "changez d'abord son statut" in error.value.errors["progress"]
    with pytest.raises(DomainError) as error:
        operations.update_action(plan, action, progress=95)
    assert "changez d'abord son statut" in error.value.errors["progress"]
    assert action.progress == 100
    # created « Réalisée » or moved there in the form: complete, whatever the form said
    created = operations.create_action(plan, title="Bilan", status="realisee", progress=30)
    assert created.progress == 100
    back = operations.create_action(plan, title="Suivi", status="en_cours", progress=30)
    operations.update_action(plan, back, status="realisee", progress=30)
    assert back.progress == 100


DONE_AT_60 = {"status": ["en_cours", "realisee"], "progress": [60, 100]}


@pytest.mark.parametrize("changes, progress, words", [
    ([DONE_AT_60], 60, "Avancement revenu à 60 %, celui d'avant « Réalisée »."),
    # the last time it was marked done counts
    ([{"status": ["en_cours", "realisee"], "progress": [80, 100]}, {"title": ["A", "B"]},
      {"status": ["realisee", "en_cours"], "progress": [100, 60]}, DONE_AT_60], 80,
     "Avancement revenu à 80 %"),
    # marked done from 100 %, created done, or no history: the stated default
    ([{"status": ["en_cours", "realisee"]}, {"progress": [40, 100]}], 90,
     "Avancement mis à 90 % : l'historique ne dit pas celui d'avant « Réalisée » ; "
     "corrigez-le si besoin."),
    ([{"title": ["A", "B"]}], 90, "corrigez-le si besoin"),
    ([], 90, "corrigez-le si besoin"),
])
def test_reopened_progress(ctx, changes, progress, words):
    found, said = rules.reopened_progress(changes)
    assert found == progress
    assert words in said


def test_a_reopened_action_gets_back_the_progress_it_had_before_done(ctx, plan):
    action = operations.create_action(plan, title="Forum emploi", status="en_cours",
                                      progress=40)
    operations.set_progress(action, 60)
    operations.change_status(action, "realisee")
    assert action.progress == 100
    note = operations.change_status(action, "en_cours")
    assert (action.status, action.progress) == ("en_cours", 60)
    assert note == "Avancement revenu à 60 %, celui d'avant « Réalisée »."
    # created done: the history does not say it, the stated default
    created = operations.create_action(plan, title="Bilan", status="realisee")
    assert "corrigez-le si besoin" in operations.change_status(created, "en_cours")
    assert created.progress == rules.REOPENED_PROGRESS
    # in the form: the progress left at 100 % follows the same rule, a progress typed is kept
    operations.change_status(action, "realisee")
    assert "60 %" in operations.update_action(plan, action, status="en_cours", progress=100)
    assert action.progress == 60
    operations.change_status(action, "realisee")
    assert operations.update_action(plan, action, status="en_cours", progress=30) == ""
    assert action.progress == 30
    # several at once
    operations.change_status(action, "realisee")
    changed, refused, notes = bulk.change_status(plan, [action.id, created.id], "en_cours")
    assert (changed, refused) == (1, [])
    assert notes == [(action, "Avancement revenu à 30 %, celui d'avant « Réalisée ».")]


def test_due_date_before_start_is_refused(ctx, plan):
    with pytest.raises(DomainError) as error:
        operations.create_action(plan, title="Forum", start_date=date(2025, 6, 1),
                                 due_date=date(2025, 5, 1))
    assert "antérieure au début" in error.value.errors["due_date"]


@pytest.mark.parametrize("value", [-1, 101, "abc", None, ""])
def test_progress_outside_0_100_is_refused(ctx, plan, value):
    action = operations.create_action(plan, title="Forum")
    with pytest.raises(DomainError) as error:
        operations.set_progress(action, value)
    assert "100" in error.value.errors["progress"]
    assert action.progress == 0


def test_owner_from_another_territory_is_refused(ctx, factory, plan):
    foreign = factory.organisation(factory.territory())
    with pytest.raises(DomainError) as error:
        operations.create_action(plan, title="Forum", owner_organisation_id=foreign.id)
    assert "n'appartient pas à ce territoire" in error.value.errors["owner_organisation_id"]


def test_axis_of_another_plan_is_refused(ctx, factory, plan):
    other = factory.action_plan(factory.territory(), axes=("Ailleurs",))
    axis_id = db.session.scalar(select(ActionPlanAxis.id).where(ActionPlanAxis.plan_id == other.id))
    with pytest.raises(DomainError) as error:
        operations.create_action(plan, title="Forum", axis_id=axis_id)
    assert "axis_id" in error.value.errors


def test_reorder_keeps_the_places_of_the_others(ctx, plan):
    a, b, c, d = (operations.create_action(plan, title=t) for t in "ABCD")
    operations.reorder(plan, [d.id, b.id])  # swap b and d, a and c stay
    ordered = db.session.scalars(
        select(Action.title).where(Action.plan_id == plan.id).order_by(Action.position)
    ).all()
    assert ordered == ["A", "D", "C", "B"]


def test_move_within_the_same_axis_and_horizon(ctx, plan):
    a = operations.create_action(plan, title="A", horizon="court")
    operations.create_action(plan, title="Long", horizon="long")
    c = operations.create_action(plan, title="C", horizon="court")
    assert operations.move_action(c, -1)
    assert c.position < a.position
    assert not operations.move_action(c, -1)  # already first of its group


def test_bulk_change_status_reports_refusals(ctx, plan):
    proposed = operations.create_action(plan, title="Proposée")
    done = operations.create_action(plan, title="Faite", status="retenue")
    operations.change_status(done, "realisee")
    changed, refused, notes = bulk.change_status(plan, [proposed.id, done.id], "retenue")
    assert changed == 1 and notes == []
    assert [action.title for action, _message in refused] == ["Faite"]


def test_bulk_assign_owner(ctx, factory, plan):
    organisation = factory.organisation(db.session.get(Territory, plan.territory_id))
    ids = [operations.create_action(plan, title=t).id for t in "AB"]
    assert bulk.assign_owner(plan, ids, organisation.id) == (2, 0)
    owners = db.session.scalars(select(Action.owner_organisation_id).where(Action.plan_id == plan.id))
    assert set(owners) == {organisation.id}


def test_a_new_porteur_in_bulk_takes_off_the_old_porteurs_contact(ctx, factory, plan):
    """The old porteur's referent is no contact for the new one; the new porteur's own
    people and people of no structure stay."""
    territory = db.session.get(Territory, plan.territory_id)
    old, new = factory.organisation(territory), factory.organisation(territory)
    contacts = {"old": factory.person(territory, old), "new": factory.person(territory, new),
                "free": factory.person(territory)}
    actions = {key: operations.create_action(plan, title=key, owner_organisation_id=old.id,
                                             contact_person_id=person.id)
               for key, person in contacts.items()}
    assert bulk.assign_owner(plan, [a.id for a in actions.values()], new.id) == (3, 1)
    assert {key: action.contact_person_id for key, action in actions.items()} == {
        "old": None, "new": contacts["new"].id, "free": contacts["free"].id}
    # no porteur any more: the contacts stay
    assert bulk.assign_owner(plan, [actions["new"].id], None) == (1, 0)
    assert actions["new"].contact_person_id == contacts["new"].id


def test_history_and_snapshots(ctx, plan):
    action = operations.create_action(plan, title="Forum", status="retenue")
    operations.change_status(action, "en_cours")
    operations.set_progress(action, 40)
    history = ap_queries.action_history(action)
    assert history[0].changes["progress"] == [0, 40]
    assert {entry.action for entry in history} == {"create", "update"}
    snapshot = db.session.scalar(select(ActionProgressSnapshot).where(
        ActionProgressSnapshot.action_id == action.id))
    assert (snapshot.progress, snapshot.status) == (40, "en_cours")  # one row a day


def test_source_links_are_idempotent(ctx, plan):
    action = operations.create_action(plan, title="Forum")
    first = operations.link_source(action, "contribution", 12, "Carte « forum emploi »")
    again = operations.link_source(action, "contribution", 12)
    assert first.id == again.id
    assert first.territory_id == plan.territory_id


def test_smart_advice_on_an_action(ctx, plan):
    action = operations.create_action(plan, title="Favoriser les partenariats")
    advice = rules.action_smart_advice(action, indicator_count=0)
    assert any(item.startswith("Mesurable") for item in advice)
    assert any(item.startswith("Temporellement défini") for item in advice)
    assert any(item.startswith("Atteignable") for item in advice)
