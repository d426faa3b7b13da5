"""Indicator rules: validity, status against the target, SMART advice."""
from decimal import Decimal
from types import SimpleNamespace

import pytest

from territorial.common.errors import DomainError
from territorial.indicators import operations, rules
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue


def make(kind="quantitative", unit="personnes", direction="increase", baseline=None,
         target=None, statement=None, measure=None, text=None, scale="", year=2025):
    indicator = Indicator(kind=kind, unit=unit, direction=direction, baseline=baseline,
                          scale=scale, title="Inscrits")
    indicator.targets = []
    indicator.values = []
    if target is not None or statement is not None:
        indicator.targets.append(IndicatorTarget(year=year, value=target, statement=statement))
    if measure is not None or text is not None:
        indicator.values.append(IndicatorValue(year=year, value=measure, text_value=text or ""))
    return indicator


def status(indicator, year=2025):
    return rules.status_against_target(indicator, year)[0]


def test_quantitative_indicator_needs_a_unit(ctx):
    errors = rules.indicator_errors(title="Inscrits", kind="quantitative", unit="")
    assert "unité" in errors["unit"]
    assert not rules.indicator_errors(title="Inscrits", kind="qualitative", unit="")


def test_target_without_unit_is_refused_in_french(ctx):
    indicator = SimpleNamespace(kind="quantitative", unit="")
    errors = rules.target_errors(indicator, year=2025, value=Decimal(10))
    assert "unité" in errors["value"]


def test_qualitative_target_needs_a_statement(ctx):
    indicator = SimpleNamespace(kind="qualitative", unit="")
    assert "statement" in rules.target_errors(indicator, year=2025, statement="")
    assert not rules.target_errors(indicator, year=2025, statement="Les trois maisons participent")


def test_no_target_and_no_value(ctx):
    assert status(make()) == "no_target"
    assert status(make(target=100)) == "no_value"


@pytest.mark.parametrize("measure, expected", [
    (120, "ahead"), (100, "ahead"), (95, "on_track"), (90, "on_track"), (89, "behind"),
])
def test_quantitative_increase(ctx, measure, expected):
    assert status(make(target=100, measure=measure)) == expected


def test_quantitative_increase_from_a_baseline(ctx):
    # From 50 to 100: 95 is 90 % of the way, 90 only 80 %.
    assert status(make(baseline=50, target=100, measure=95)) == "on_track"
    assert status(make(baseline=50, target=100, measure=90)) == "behind"


@pytest.mark.parametrize("measure, expected", [(70, "ahead"), (80, "ahead"), (88, "on_track"),
                                               (95, "behind")])
def test_quantitative_decrease_is_inverted(ctx, measure, expected):
    assert status(make(direction="decrease", target=80, measure=measure)) == expected


def test_quantitative_decrease_from_a_baseline(ctx):
    # From 100 down to 80: 82 is 90 % of the way.
    assert status(make(direction="decrease", baseline=100, target=80, measure=82)) == "on_track"
    assert status(make(direction="decrease", baseline=100, target=80, measure=90)) == "behind"


def test_qualitative_on_a_scale(ctx):
    scale = "Insuffisant\nEn progrès\nSatisfaisant\nTrès satisfaisant"
    base = dict(kind="qualitative", unit="", scale=scale, statement="Satisfaisant")
    assert status(make(**base, text="Très satisfaisant")) == "ahead"
    assert status(make(**base, text="satisfaisant")) == "ahead"
    assert status(make(**base, text="En progrès")) == "on_track"
    assert status(make(**base, text="Insuffisant")) == "behind"


def test_qualitative_free_text_is_to_assess(ctx):
    indicator = make(kind="qualitative", unit="", statement="Partenariat vivant", text="Bien")
    code, label = rules.status_against_target(indicator, 2025)
    assert (code, label) == ("to_assess", "Mesure à apprécier")


def test_status_uses_the_validated_measure_first(ctx):
    indicator = make(target=100)
    validated = IndicatorValue(year=2025, value=Decimal(100), text_value="")
    validated.validated_at = object()
    later = IndicatorValue(year=2025, value=Decimal(10), text_value="")
    later.validated_at = None
    indicator.values = [validated, later]
    assert status(indicator) == "ahead"


def test_french_labels(ctx):
    assert rules.status_against_target(make(target=100, measure=50), 2025)[1] == "En retard sur la cible"
    assert rules.status_against_target(make(target=100, measure=95), 2025)[1] == "En bonne voie"
    assert rules.status_against_target(make(), 2025)[1] == "Pas de cible pour 2025"


# SMART ------------------------------------------------------------------------------

def criteria(advice):
    return {item.split(" :")[0] for item in advice}


def test_smart_objective_gets_no_advice(ctx):
    advice = rules.smart_advice(
        "Organiser 4 sorties famille pour les habitants de Palente d'ici juin 2026",
        has_measure=True, has_date=True, has_owner=True, has_means=True,
    )
    assert advice == []


def test_vague_objective_names_each_missing_criterion(ctx):
    advice = rules.smart_advice("Favoriser les partenariats", has_means=False)
    assert criteria(advice) == {"Spécifique", "Mesurable", "Atteignable / Acceptable",
                                "Réaliste", "Temporellement défini"}


def test_figures_and_dates_in_the_text_count(ctx):
    advice = rules.smart_advice(
        "Accueillir 30 jeunes en stage chez les entreprises du territoire avant fin 2026",
        has_owner=True,
    )
    assert advice == []


def test_missing_owner_only(ctx):
    advice = rules.smart_advice(
        "Publier un annuaire commun des trois maisons chaque trimestre",
        has_measure=True, has_owner=False,
    )
    assert criteria(advice) == {"Atteignable / Acceptable"}


def test_smart_is_advice_never_a_block(ctx, factory):
    territory = factory.territory()
    indicator = operations.create_indicator(territory.id, "action", 1, title="Bien",
                                            kind="qualitative")
    assert indicator.id  # saved even though the title is vague


def test_indicator_without_unit_cannot_be_created(ctx, factory):
    territory = factory.territory()
    with pytest.raises(DomainError) as error:
        operations.create_indicator(territory.id, "action", 1, title="Inscrits",
                                    kind="quantitative", unit="")
    assert "unit" in error.value.errors
