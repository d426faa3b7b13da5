"""Conventions, their financing, priorities, objectives, targets and review meetings:
the operations and the pages a coordinator uses."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from extensions import db
from territorial.common.errors import DomainError
from territorial.conventions import follow_up, operations, queries
from territorial.conventions.models import (
    Convention,
    ConventionAmount,
    ConventionObjective,
    DialogueNote,
)
from territorial.indicators.models import Indicator, IndicatorTarget


def count(model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def region(factory):
    territory = factory.territory()
    return {
        "territory": territory,
        "coordinator": factory.user(territory),
        "region": factory.organisation(territory, name="Conseil régional", kind="collectivite"),
        "association": factory.organisation(territory, name="Ressourcerie"),
        "base": f"/t/{territory.slug}/conventions",
    }


def test_the_coordinator_creates_a_convention(client, login, region):
    login(region["coordinator"])
    response = client.post(f"{region['base']}/new", data={
        "reference": "CA-ESS-2024-01", "title": "Convention pluriannuelle d'objectifs",
        "authority_id": region["region"].id, "association_id": region["association"].id,
        "start_year": 2024, "end_year": 2026, "status": "signee", "charter_id": 0})
    assert response.status_code == 302
    convention = db.session.scalar(select(Convention).where(Convention.reference == "CA-ESS-2024-01"))
    assert (convention.start_year, convention.end_year, convention.charter_id) == (2024, 2026, None)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Le tableau de bord est vide" in page
    assert "La convention n&#39;a encore aucun objectif" in page


def test_a_period_ending_before_it_starts_is_refused_and_the_form_kept(client, login, region):
    login(region["coordinator"])
    response = client.post(f"{region['base']}/new", data={
        "reference": "CA-2", "title": "Convention à l'envers", "authority_id": region["region"].id,
        "association_id": region["association"].id, "start_year": 2026, "end_year": 2024,
        "status": "preparation", "charter_id": 0})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "La dernière année précède la première" in page
    assert "Convention à l&#39;envers" in page
    assert count(Convention, Convention.reference == "CA-2") == 0


def test_the_database_refuses_a_period_in_the_wrong_order(factory, region):
    with pytest.raises(Exception):
        factory.convention(region["territory"], start_year=2026, end_year=2025)
    db.session.rollback()


def test_references_are_unique_in_a_territory(ctx, factory, region):
    factory.convention(region["territory"], reference="CA-1")
    with pytest.raises(DomainError) as error:
        operations.create_convention(
            region["territory"].id, reference="CA-1", title="Autre",
            authority_id=region["region"].id, association_id=region["association"].id,
            start_year=2024, end_year=2026)
    assert "déjà la référence" in error.value.errors["reference"]


def test_the_charter_must_belong_to_the_territory(ctx, factory, region):
    from territorial.charters.models import Charter

    elsewhere = factory._add(Charter(territory_id=factory.territory().id, template_key="x",
                                     title="Charte d'ailleurs", content={}))
    with pytest.raises(DomainError) as error:
        operations.create_convention(
            region["territory"].id, reference="CA-9", title="Convention",
            authority_id=region["region"].id, association_id=region["association"].id,
            start_year=2024, end_year=2026, charter_id=elsewhere.id)
    assert "charter_id" in error.value.errors
    mine = factory._add(Charter(territory_id=region["territory"].id, template_key="x",
                                title="Charte d'utilité sociale", content={}))
    convention = operations.create_convention(
        region["territory"].id, reference="CA-9", title="Convention",
        authority_id=region["region"].id, association_id=region["association"].id,
        start_year=2024, end_year=2026, charter_id=mine.id)
    assert convention.charter_id == mine.id


def test_amounts_per_year_and_funder(ctx, factory, region):
    convention = factory.convention(region["territory"], authority=region["region"])
    department = factory.organisation(region["territory"], kind="collectivite")
    operations.add_funder(convention, department.id)
    operations.set_amount(convention, 2024, Decimal(45000), region["region"].id)
    operations.set_amount(convention, 2024, Decimal(15000), department.id)
    operations.set_amount(convention, 2024, Decimal(46000), region["region"].id)  # replaces
    assert sorted(a.amount for a in db.session.scalars(select(ConventionAmount).where(
        ConventionAmount.convention_id == convention.id))) == [15000, 46000]
    with pytest.raises(DomainError) as error:
        operations.set_amount(convention, 2027, Decimal(1), region["region"].id)
    assert "en dehors de la période" in error.value.errors["year"]
    stranger = factory.organisation(region["territory"], kind="collectivite")
    with pytest.raises(DomainError) as error:
        operations.set_amount(convention, 2025, Decimal(1), stranger.id)
    assert "funder_id" in error.value.errors
    with pytest.raises(DomainError):
        operations.add_funder(convention, convention.association_id)


def test_shortening_the_period_keeps_amounts_safe(ctx, factory, region):
    convention = factory.convention(region["territory"], authority=region["region"])
    operations.set_amount(convention, 2026, Decimal(1000), region["region"].id)
    with pytest.raises(DomainError) as error:
        operations.update_convention(convention, end_year=2025)
    assert "2026" in error.value.errors["end_year"]


def test_an_objective_serves_a_priority_of_the_authority(ctx, factory, region):
    convention = factory.convention(region["territory"], authority=region["region"])
    own = operations.create_priority(region["territory"].id, region["region"].id,
                                     "Développer l'emploi")
    other = factory.convention_priority(region["territory"])  # another authority's
    with pytest.raises(DomainError) as error:
        operations.create_objective(convention, other.id, "Créer des emplois")
    assert "priorité" in error.value.errors["priority_id"]
    objective = operations.create_objective(convention, own.id, "Créer des emplois")
    assert objective.priority_id == own.id
    with pytest.raises(DomainError) as error:
        operations.delete_priority(own)  # still used
    assert error.value.errors["title"].startswith(
        "Cette priorité sert à 1 objectif de convention : rattachez-le à une autre priorité")


def test_a_co_funders_priority_may_be_served_too(ctx, factory, region):
    convention = factory.convention(region["territory"], authority=region["region"])
    department = factory.organisation(region["territory"], kind="collectivite")
    operations.add_funder(convention, department.id)
    priority = operations.create_priority(region["territory"].id, department.id, "RSA")
    assert operations.create_objective(convention, priority.id, "Mobiliser").priority_id == priority.id


def test_priorities_are_reused_across_conventions(client, login, factory, region):
    territory = region["territory"]
    login(region["coordinator"])
    client.post(f"{region['base']}/priorities", data={
        "authority_id": region["region"].id, "title": "Transition écologique"})
    first = factory.convention(territory, authority=region["region"])
    second = factory.convention(territory, authority=region["region"])
    for convention in (first, second):
        page = client.get(f"{region['base']}/{convention.id}/objectives/new").get_data(as_text=True)
        assert "Transition écologique" in page


def test_targets_are_set_for_the_years_of_the_period(client, login, factory, region):
    territory = region["territory"]
    convention = factory.convention(territory, authority=region["region"])
    indicator = factory.convention_indicator(territory, factory.convention_objective(territory, convention))
    login(region["coordinator"])
    page = client.get(f"{region['base']}/indicators/{indicator.id}/targets").get_data(as_text=True)
    assert all(f"Cible {year}" in page for year in (2024, 2025, 2026))
    response = client.post(f"{region['base']}/indicators/{indicator.id}/targets",
                           data={"target_2024": "100", "target_2025": "1 120", "target_2026": ""})
    assert response.status_code == 302
    db.session.expire_all()
    targets = db.session.scalars(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator.id).order_by(IndicatorTarget.year)).all()
    assert [(t.year, t.value) for t in targets] == [(2024, 100), (2025, 1120)]
    bad = client.post(f"{region['base']}/indicators/{indicator.id}/targets",
                      data={"target_2024": "cent"})
    assert bad.status_code == 422 and "Saisissez un nombre" in bad.get_data(as_text=True)


def test_a_target_outside_the_period_is_refused(ctx, factory, region):
    territory = region["territory"]
    convention = factory.convention(territory)
    indicator = factory.convention_indicator(territory, factory.convention_objective(territory, convention))
    with pytest.raises(DomainError) as error:
        follow_up.set_targets(convention, indicator, {2027: Decimal(5)})
    assert "La cible 2027 est en dehors de la période" in error.value.errors["target_2027"]


def test_the_dashboard_shows_targets_values_and_statuses(client, login, factory, region):
    territory = region["territory"]
    convention = factory.convention(territory, authority=region["region"])
    objective = factory.convention_objective(territory, convention, title="Réemploi")
    factory.convention_indicator(territory, objective, title="Tonnes réemployées", unit="tonnes",
                                 targets={2024: 480, 2025: 540}, values={2024: 492, 2025: 400})
    login(region["coordinator"])
    page = client.get(f"{region['base']}/{convention.id}").get_data(as_text=True)
    assert "Tonnes réemployées" in page
    assert "480 tonnes" in page and "492 tonnes" in page
    assert 'badge badge-success">Cible atteinte' in page
    assert 'badge badge-danger">En retard sur la cible' in page
    trajectories = client.get(f"{region['base']}/{convention.id}/trajectories").get_data(as_text=True)
    assert 'data-figure="figure-' in trajectories and "Données du graphique" in trajectories


def test_deleting_an_objective_removes_its_indicators_and_notes(ctx, factory, region):
    territory = region["territory"]
    objective = factory.convention_objective(territory)
    indicator = factory.convention_indicator(territory, objective, targets={2025: 3})
    factory.dialogue_note(territory, indicator)
    operations.delete_objective(db.session.get(ConventionObjective, objective.id))
    assert count(Indicator, Indicator.id == indicator.id) == 0
    assert count(DialogueNote, DialogueNote.indicator_id == indicator.id) == 0


def test_deleting_a_convention_removes_its_dashboard(client, login, factory, region):
    territory = region["territory"]
    convention = factory.convention(territory)
    indicator = factory.convention_indicator(territory, factory.convention_objective(territory, convention))
    login(region["coordinator"])
    assert client.post(f"{region['base']}/{convention.id}/delete").status_code == 302
    assert count(Convention, Convention.id == convention.id) == 0
    assert count(Indicator, Indicator.id == indicator.id) == 0


def test_only_partner_accounts_are_given_access(ctx, factory, region):
    convention = factory.convention(region["territory"])
    participant = factory.user(region["territory"], role="participant")
    with pytest.raises(DomainError):
        operations.add_member(convention, participant.id)
    partner = factory.user(region["territory"], role="partner")
    assert operations.add_member(convention, partner.id).user_id == partner.id


def test_a_yearly_review_is_scheduled_and_shown_on_the_convention(client, login, factory, region):
    territory = region["territory"]
    convention = factory.convention(territory, authority=region["region"],
                                    association=region["association"])
    login(region["coordinator"])
    response = client.post(f"{region['base']}/{convention.id}/reviews/new", data={
        "year": 2025, "day": "2026-02-10", "start_time": "09:30", "end_time": "12:30",
        "place": "Hôtel de Région"})
    assert response.status_code == 302 and "/sessions/" in response.headers["Location"]
    from facilitation.sessions.models import Meeting

    review = db.session.scalar(select(Meeting).where(Meeting.body_type == "convention",
                                                            Meeting.body_id == convention.id))
    assert review.kind == "revue" and review.title.startswith("Revue annuelle 2025")
    assert (review.ends_at - review.starts_at).total_seconds() == 3 * 3600
    page = client.get(f"{region['base']}/{convention.id}").get_data(as_text=True)
    assert "Revue annuelle 2025" in page and "Hôtel de Région" in page
    bad = client.post(f"{region['base']}/{convention.id}/reviews/new", data={
        "year": 2025, "day": "2026-02-10", "start_time": "12:30", "end_time": "09:30"})
    assert bad.status_code == 422 and "heure de fin doit suivre" in bad.get_data(as_text=True)


def test_the_home_page_lists_values_to_validate(client, login, factory, region):
    territory = region["territory"]
    factory.convention_value(territory)
    login(region["coordinator"])
    page = client.get(f"/t/{territory.slug}/").get_data(as_text=True)
    assert "Conventions : valeurs à valider" in page


def test_the_demo_tells_the_champagne_ardenne_story(app, ctx):
    """Three associations, 3-year conventions, two years of values and notes, one
    convention behind its targets; seeding twice changes nothing."""
    from territorial.conventions.demo import seed_conventions_demo
    from territorial.demo import seed_territorial_demo
    from facilitation.convention_reviews.demo import seed_convention_reviews_demo

    seed_territorial_demo()
    for _ in range(2):
        seed_conventions_demo()
        seed_convention_reviews_demo()
    territory_id = db.session.scalar(select(Convention.territory_id).limit(1))
    result = queries.portfolio(territory_id, today_year=2026)
    assert len(result.summaries) == 3
    assert all(s.convention.end_year - s.convention.start_year == 2 for s in result.summaries)
    assert all(s.follow_year == 2025 for s in result.summaries)
    behind = [s.convention.association.name for s in result.summaries if s.behind]
    assert behind == ["Ardennes Insertion Solidaire"]
    assert count(DialogueNote) >= 12
    years = set(db.session.scalars(select(DialogueNote.year)))
    assert years == {2024, 2025}


def test_indicators_are_added_with_the_shared_indicator_pages(client, login, factory, region):
    territory = region["territory"]
    convention = factory.convention(territory, authority=region["region"])
    objective = factory.convention_objective(territory, convention, title="Réemploi")
    login(region["coordinator"])
    back = f"{region['base']}/{convention.id}"
    new = f"/t/{territory.slug}/indicators/new?owner_type=convention_objective&owner_id={objective.id}&next={back}"
    assert client.get(new).status_code == 200
    response = client.post(new, data={"title": "Tonnes réemployées", "kind": "quantitative",
                                      "unit": "tonnes", "direction": "increase", "baseline": "420",
                                      "baseline_year": 2023})
    assert response.status_code == 302
    indicator = db.session.scalar(select(Indicator).where(Indicator.owner_id == objective.id,
                                                          Indicator.owner_type == "convention_objective"))
    assert indicator.title == "Tonnes réemployées"
    page = client.get(back).get_data(as_text=True)
    assert "Tonnes réemployées" in page
    assert "n&#39;a aucune cible" in page  # flagged until its targets are set


def test_the_shared_indicator_pages_refuse_a_year_outside_the_period(client, login, factory,
                                                                     region):
    """The generic indicator pages ask the owner: a convention refuses years outside
    its period for targets and values alike, with the message next to the year."""
    territory = region["territory"]
    convention = factory.convention(territory, authority=region["region"])
    indicator = factory.convention_indicator(territory, factory.convention_objective(territory, convention))
    login(region["coordinator"])
    base = f"/t/{territory.slug}/indicators/{indicator.id}"
    target = client.post(f"{base}/targets", data={"target-year": "2030", "target-value": "12"})
    value = client.post(f"{base}/values", data={"measure-year": "2019", "measure-value": "7",
                                                "measure-source": "Rapport d'activité"})
    for response, year in ((target, 2030), (value, 2019)):
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert f"{year} est en dehors de la période de la convention" in page
    assert "Rapport d&#39;activité" in value.get_data(as_text=True)
    assert count(IndicatorTarget, IndicatorTarget.indicator_id == indicator.id) == 0
    ok = client.post(f"{base}/values", data={"measure-year": "2025", "measure-value": "7"})
    assert ok.status_code == 302


def test_the_associations_to_meet_are_paginated_apart_from_the_table(client, login, factory,
                                                                      region):
    territory = region["territory"]
    for _ in range(30):  # without objectives: each one needs a conversation
        factory.convention(territory, authority=region["region"])
    login(region["coordinator"])
    first = client.get(f"{region['base']}/portfolio").get_data(as_text=True)
    second = client.get(f"{region['base']}/portfolio?meetings_page=2").get_data(as_text=True)
    to_meet = lambda page: page.split('id="conversations-title"')[1].split("</ul>")[0].count("<li>")
    assert (to_meet(first), to_meet(second)) == (25, 5)
    assert '<nav aria-labelledby="conversations-title" class="pagination">' in first
    assert "<strong>30</strong> associations à rencontrer" in " ".join(second.split())
    rows = lambda page: page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows(second) == 25  # the table stays on its own first page


def test_the_portfolio_table_is_paginated_and_its_totals_cover_every_convention(
        client, login, factory, region):
    territory = region["territory"]
    for _ in range(30):
        factory.convention(territory, authority=region["region"])
    login(region["coordinator"])
    first = client.get(f"{region['base']}/portfolio").get_data(as_text=True)
    second = client.get(f"{region['base']}/portfolio?page=2").get_data(as_text=True)
    assert "Page 1 sur 2" in first and "30 résultats" in first
    rows = lambda page: page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert (rows(first), rows(second)) == (25, 5)
