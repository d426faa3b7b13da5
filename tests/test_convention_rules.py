"""Rules of a convention's dashboard, on objects built in memory (no database):
where each indicator and objective stands, the flags, the portfolio's summary."""
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from territorial.conventions import rules
from territorial.conventions.models import Convention, ConventionAmount, ConventionObjective, Priority
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue

NOW = datetime(2026, 1, 15, tzinfo=UTC)


def convention(start=2024, end=2026):
    return Convention(id=1, reference="CA-1", title="Convention", start_year=start, end_year=end,
                      status="en_cours", amounts=[])


def indicator(id=1, *, targets=None, values=None, kind="quantitative", baseline=None,
              direction="increase", scale="", validated=True):
    """``targets`` / ``values``: {year: number or text}."""
    item = Indicator(id=id, title=f"Indicateur {id}", kind=kind,
                     unit="personnes" if kind == "quantitative" else "", direction=direction,
                     baseline=Decimal(baseline) if baseline is not None else None,
                     baseline_year=2023 if baseline is not None else None, scale=scale)
    item.targets = [
        IndicatorTarget(year=year, value=Decimal(str(v)) if kind == "quantitative" else None,
                        statement=None if kind == "quantitative" else v)
        for year, v in (targets or {}).items()]
    item.values = [
        IndicatorValue(id=100 * id + year % 100, year=year,
                       value=Decimal(str(v)) if kind == "quantitative" else None,
                       text_value="" if kind == "quantitative" else v,
                       validated_at=NOW if validated else None)
        for year, v in (values or {}).items()]
    return item


def objective(id, priority, title=None):
    return ConventionObjective(id=id, title=title or f"Objectif {id}", priority_id=priority.id,
                               priority=priority, position=id)


@pytest.fixture
def priority():
    return Priority(id=1, title="Emploi et insertion", position=1)


# Where an indicator stands: the shared rule, applied per year ------------------------

def test_an_indicator_reaching_its_target_is_ahead(ctx):
    cell = rules.cell(indicator(targets={2025: 100}, values={2025: 104}), 2025)
    assert (cell.code, cell.label) == ("ahead", "Cible atteinte")


def test_ninety_percent_of_the_way_from_the_baseline_is_on_track(ctx):
    # baseline 80, target 100: 98 is 90 % of the way
    cell = rules.cell(indicator(targets={2025: 100}, values={2025: 98}, baseline=80), 2025)
    assert (cell.code, cell.label) == ("on_track", "En bonne voie")


def test_less_than_ninety_percent_of_the_way_is_behind(ctx):
    cell = rules.cell(indicator(targets={2025: 120}, values={2025: 104}, baseline=95), 2025)
    assert (cell.code, cell.label) == ("behind", "En retard sur la cible")


def test_less_is_better_indicators_compare_the_other_way(ctx):
    item = indicator(targets={2025: 10}, values={2025: 9}, direction="decrease")
    assert rules.cell(item, 2025).code == "ahead"


def test_a_qualitative_indicator_compares_levels_of_its_scale(ctx):
    scale = "Insuffisante\nEn progrès\nSatisfaisante\nTrès satisfaisante"
    item = indicator(kind="qualitative", scale=scale, targets={2025: "Satisfaisante"},
                     values={2025: "Insuffisante"})
    assert rules.cell(item, 2025).code == "behind"


def test_a_year_without_value_or_target_says_so(ctx):
    item = indicator(targets={2025: 100})
    assert rules.cell(item, 2025).label == "Pas encore de mesure"
    assert rules.cell(item, 2026).code == "no_target"


def test_a_value_waiting_for_validation_counts_and_is_listed_as_pending(ctx):
    cell = rules.cell(indicator(targets={2025: 100}, values={2025: 100}, validated=False), 2025)
    assert cell.code == "ahead"
    assert len(cell.pending) == 1


# Objectives ---------------------------------------------------------------------------

def test_one_indicator_behind_puts_the_objective_behind(ctx):
    items = [indicator(1, targets={2025: 10}, values={2025: 12}),
             indicator(2, targets={2025: 100}, values={2025: 50})]
    assert rules.objective_status(items, 2025) == ("behind", "En retard sur la cible")


def test_an_objective_is_ahead_only_when_every_indicator_is(ctx):
    items = [indicator(1, targets={2025: 10}, values={2025: 12}),
             indicator(2, targets={2025: 100}, values={2025: 95})]
    assert rules.objective_status(items, 2025)[0] == "on_track"
    items[1].values[0].value = Decimal(100)
    assert rules.objective_status(items, 2025)[0] == "ahead"


def test_a_missing_value_weighs_more_than_a_good_one(ctx):
    items = [indicator(1, targets={2025: 10}, values={2025: 12}), indicator(2, targets={2025: 10})]
    assert rules.objective_status(items, 2025)[0] == "no_value"


def test_indicators_without_a_target_that_year_do_not_count(ctx):
    items = [indicator(1, targets={2025: 10}, values={2025: 12}), indicator(2)]
    assert rules.objective_status(items, 2025)[0] == "ahead"
    assert rules.objective_status([indicator(2)], 2025)[0] == "no_target"


def test_the_dashboard_groups_objectives_by_priority_with_a_cell_per_year(ctx, priority):
    other = Priority(id=2, title="Transition écologique", position=0)
    objectives = [objective(1, priority), objective(2, other)]
    by_objective = {1: [indicator(1, targets={2024: 1, 2025: 2, 2026: 3})], 2: []}
    dashboard = rules.build_dashboard(convention(), objectives, by_objective)
    assert dashboard.years == [2024, 2025, 2026]
    assert [g.priority.title for g in dashboard.groups] == ["Transition écologique",
                                                            "Emploi et insertion"]
    row = dashboard.groups[1].objectives[0].indicators[0]
    assert [c.year for c in row.cells] == [2024, 2025, 2026]
    assert [c.target.value for c in row.cells] == [1, 2, 3]


# Flags --------------------------------------------------------------------------------

def test_an_objective_without_indicator_is_flagged(ctx, priority):
    flags = rules.dashboard_flags(convention(), [objective(1, priority, "Créer des emplois")], {})
    assert [f.kind for f in flags] == ["objective_without_indicator"]
    assert "« Créer des emplois » n'a aucun indicateur" in flags[0].message


def test_an_indicator_without_target_is_flagged(ctx, priority):
    flags = rules.dashboard_flags(convention(), [objective(1, priority)], {1: [indicator(7)]})
    assert [f.kind for f in flags] == ["indicator_without_target"]
    assert flags[0].anchor == "indicateur-7"
    assert "n'a aucune cible" in flags[0].message


def test_a_target_outside_the_period_is_flagged(ctx, priority):
    item = indicator(targets={2025: 10, 2028: 20})
    flags = rules.dashboard_flags(convention(), [objective(1, priority)], {1: [item]})
    assert [f.kind for f in flags] == ["target_outside_period"]
    assert "La cible 2028" in flags[0].message and "(2024–2026)" in flags[0].message


def test_a_complete_dashboard_has_no_flag(ctx, priority):
    item = indicator(targets={2024: 1, 2025: 2, 2026: 3})
    assert rules.dashboard_flags(convention(), [objective(1, priority)], {1: [item]}) == []


def test_a_convention_without_objective_is_flagged(ctx):
    assert [f.kind for f in rules.dashboard_flags(convention(), [], {})] == ["no_objective"]


# Period -------------------------------------------------------------------------------

def test_a_year_outside_the_period_has_a_french_message(ctx):
    message = rules.period_error(convention(), 2027)
    assert message.startswith("L'année 2027 est en dehors de la période de la convention (2024–2026)")
    assert rules.period_error(convention(), 2025) is None


def test_a_period_must_be_in_order(ctx):
    assert "précède" in rules.period_errors(2026, 2024)["end_year"]
    assert rules.period_errors(2024, 2026) == {}


def test_the_year_shown_first_is_this_year_brought_into_the_period():
    assert rules.default_year(convention(), 2030) == 2026
    assert rules.default_year(convention(), 2020) == 2024
    assert rules.default_year(convention(), 2025) == 2025


# Portfolio ----------------------------------------------------------------------------

def test_the_portfolio_looks_at_the_last_year_with_a_value(ctx, priority):
    items = {1: [indicator(targets={2024: 10, 2025: 20}, values={2024: 10, 2025: 20})]}
    summary = rules.summarise(convention(), [objective(1, priority)], items, today_year=2026)
    assert summary.follow_year == 2025
    assert (summary.on_track, summary.behind) == (1, 0)
    assert not summary.needs_conversation


def test_an_association_behind_its_targets_needs_a_conversation(ctx, priority):
    items = {1: [indicator(targets={2024: 120, 2025: 140}, values={2024: 104, 2025: 112},
                           baseline=95)]}
    summary = rules.summarise(convention(), [objective(1, priority)], items, today_year=2026)
    assert summary.behind == 1
    assert summary.needs_conversation
    assert summary.reasons == ["1 objectif en retard sur la cible en 2025"]


def test_a_past_year_without_values_needs_a_conversation(ctx, priority):
    items = {1: [indicator(targets={2024: 10, 2025: 20}, values={2025: 25})]}
    summary = rules.summarise(convention(), [objective(1, priority)], items, today_year=2026)
    assert summary.reasons == ["1 indicateur sans valeur pour 2024"]


def test_flags_make_a_dashboard_to_complete(ctx, priority):
    summary = rules.summarise(convention(), [objective(1, priority)], {}, today_year=2026)
    assert summary.reasons == ["1 point du tableau de bord à compléter"]


def test_pending_values_and_amounts_are_summed(ctx, priority):
    item = indicator(targets={2025: 10}, values={2025: 10}, validated=False)
    c = convention()
    c.amounts = [ConventionAmount(year=2024, amount=Decimal(1000)),
                 ConventionAmount(year=2025, amount=Decimal(1500))]
    summary = rules.summarise(c, [objective(1, priority)], {1: [item]}, today_year=2026)
    assert summary.pending_values == 1
    assert summary.total_amount == Decimal(2500)
