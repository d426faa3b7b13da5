"""Composition of working groups: warnings with their reason, never blocking; members from
the territory only."""
import html

import pytest
from sqlalchemy import func, select

from extensions import db
from facilitation.working_groups import operations
from facilitation.working_groups.models import WorkingGroupMember
from facilitation.working_groups.rules import CompositionRules, MemberFacts, composition_warnings
from territorial.common.errors import DomainError

RULES = CompositionRules(min_size=8, max_size=12, mix=("association", "entreprise"),
                         max_groups_per_person=2)


def facts(associations=4, companies=4, groups=1):
    members = [MemberFacts(i, f"Association {i}", "association", groups)
               for i in range(associations)]
    members += [MemberFacts(100 + i, f"Entreprise {i}", "entreprise", groups)
                for i in range(companies)]
    return members


def codes(warnings):
    return [w.code for w in warnings]


def test_a_well_formed_group_has_no_warning():
    assert composition_warnings(facts(4, 4), RULES) == []
    assert composition_warnings(facts(6, 6), RULES) == []


def test_too_small_group_is_flagged_with_the_reason():
    warnings = composition_warnings(facts(3, 2), RULES)
    assert codes(warnings) == ["too_small"]
    assert "5 membres" in warnings[0].message and "de 8 à 12 participants" in warnings[0].message


def test_too_large_group_is_flagged_with_the_reason():
    warnings = composition_warnings(facts(7, 6), RULES)
    assert codes(warnings) == ["too_large"]
    assert "13 membres" in warnings[0].message and "au-delà de 12" in warnings[0].message


def test_group_without_companies_is_flagged():
    warnings = composition_warnings(facts(9, 0), RULES)
    assert codes(warnings) == ["missing_entreprise"]
    assert "entreprises" in warnings[0].message and "mixtes" in warnings[0].message


def test_group_without_associations_is_flagged():
    warnings = composition_warnings(facts(0, 9), RULES)
    assert codes(warnings) == ["missing_association"]


def test_commerce_counts_as_a_company_and_centre_social_as_an_association():
    members = [MemberFacts(i, "x", "commerce", 1) for i in range(4)]
    members += [MemberFacts(10 + i, "y", "centre_social", 1) for i in range(4)]
    assert composition_warnings(members, RULES) == []


def test_person_in_too_many_groups_is_named():
    members = facts(4, 4)
    members[0] = MemberFacts(0, "Nadia Haddad", "association", 3)
    warnings = composition_warnings(members, RULES)
    assert codes(warnings) == ["too_many_groups"]
    assert "Nadia Haddad siège dans 3 groupes" in warnings[0].message


def test_rules_come_from_the_method():
    from facilitation.experiments.methods import get_method

    assert CompositionRules.from_method(get_method("agir_ensemble")) == RULES


def test_group_counts_are_per_experiment(ctx, factory):
    territory = factory.territory()
    person = factory.person(territory)
    experiment = factory.experiment(territory)
    other_experiment = factory.experiment(territory)
    groups = [factory.working_group(territory, experiment, members=[person]) for _ in range(3)]
    factory.working_group(territory, other_experiment, members=[person])
    loaded = operations.groups_of_experiment(experiment.id)
    warnings = operations.warnings_for_groups(loaded, RULES)
    for group in groups:
        assert "too_many_groups" in codes(warnings[group.id])
        message = next(w.message for w in warnings[group.id] if w.code == "too_many_groups")
        assert "dans 3 groupes" in message


def test_archived_groups_do_not_count(ctx, factory):
    territory = factory.territory()
    person = factory.person(territory)
    experiment = factory.experiment(territory)
    groups = [factory.working_group(territory, experiment, members=[person]) for _ in range(3)]
    operations.set_archived(groups[0], True)
    loaded = operations.groups_of_experiment(experiment.id)
    warnings = operations.warnings_for_groups(loaded, RULES)
    assert "too_many_groups" not in codes(warnings[groups[1].id])


def test_person_of_another_territory_is_refused(ctx, factory):
    territory = factory.territory()
    group = factory.working_group(territory)
    stranger = factory.person(factory.territory())
    with pytest.raises(DomainError, match="n'appartient pas à ce territoire"):
        operations.add_member(group, stranger.id)


def test_same_person_twice_is_refused(ctx, factory):
    territory = factory.territory()
    person = factory.person(territory, first_name="Louis", last_name="Perrin")
    group = factory.working_group(territory, members=[person])
    with pytest.raises(DomainError, match="Louis Perrin fait déjà partie"):
        operations.add_member(group, person.id)


@pytest.fixture
def setting(factory):
    territory = factory.territory()
    coordinator = factory.user(territory, role="coordinator")
    experiment = factory.experiment(territory)
    group = factory.working_group(territory, experiment, title="GT Emploi")
    return territory, coordinator, group


def test_adding_a_member_of_another_territory_shows_a_french_message(client, login, factory,
                                                                     setting):
    territory, coordinator, group = setting
    stranger = factory.person(factory.territory())
    login(coordinator)
    response = client.post(f"/t/{territory.slug}/groups/{group.id}/members",
                           data={"person_id": stranger.id})
    assert response.status_code == 422
    assert "Cette personne n'appartient pas à ce territoire" in html.unescape(
        response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(WorkingGroupMember)) == 0


def test_warnings_never_block_and_are_shown(client, login, factory, setting):
    territory, coordinator, group = setting
    association = factory.organisation(territory, kind="association")
    people = [factory.person(territory, association) for _ in range(13)]
    login(coordinator)
    for person in people:
        response = client.post(f"/t/{territory.slug}/groups/{group.id}/members",
                               data={"person_id": person.id})
        assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(WorkingGroupMember).where(
        WorkingGroupMember.working_group_id == group.id)) == 13
    page = html.unescape(client.get(f"/t/{territory.slug}/groups/{group.id}").get_data(
        as_text=True))
    assert "Le groupe compte 13 membres" in page
    assert "« entreprises »" in page
    assert "Membres (13)" in page


def test_removing_a_member(client, login, factory, setting):
    territory, coordinator, group = setting
    person = factory.person(territory, first_name="Fatou", last_name="Diallo")
    member = operations.add_member(group, person.id)
    login(coordinator)
    response = client.post(
        f"/t/{territory.slug}/groups/{group.id}/members/{member.id}/remove")
    assert response.status_code == 302
    assert db.session.get(WorkingGroupMember, member.id) is None


def test_experiment_groups_tab_lists_warnings(client, login, factory):
    territory = factory.territory()
    coordinator = factory.user(territory)
    experiment = factory.experiment(territory, themes=["Emploi"])
    login(coordinator)
    page = html.unescape(client.get(
        f"/t/{territory.slug}/experiments/{experiment.id}/groups").get_data(as_text=True))
    assert "GT Emploi" in page
    assert "Le groupe compte 0 membre" in page
    assert "3 points d'attention" in page


def test_the_group_page_links_to_its_action_plan(signed_in, factory, territory):
    group = factory.working_group(territory, title="GT Emploi")
    base = f"/t/{territory.slug}/groups/{group.id}"
    page = html.unescape(signed_in.get(base).get_data(as_text=True))
    assert "Le groupe n'a pas encore de plan d'action." in page
    assert (f'<a href="/t/{territory.slug}/action-plans/new?owner_type=working_group&owner_id='
            f'{group.id}">Créer son plan d\'action</a>') in page
    plan = factory.action_plan(territory, owner_type="working_group", owner_id=group.id,
                               title="Plan du GT Emploi")
    page = html.unescape(signed_in.get(base).get_data(as_text=True))
    assert f'<a href="/t/{territory.slug}/action-plans/{plan.id}">Plan du GT Emploi</a>' in page
