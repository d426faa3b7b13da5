"""Timing of the plan's documents for the benchmark: 100 vs 1,000 actions, in each format.

``export_timings(app)`` builds two plans in a throwaway territory (inside a transaction
rolled back at the end), then times loading + describing the plan (charts included) +
writing it as Word, OpenDocument and PDF, and returns ``{"docx": {"100": seconds,
"1000": seconds}, "odt": …, "pdf": …}``. A linear export gives a ratio near 10; a
quadratic one (``table.cell(r, c)`` in a loop) about 100.

    .venv/bin/python -c "from app import create_app; from bench.action_plan_exports \\
        import export_timings; print(export_timings(create_app()))"
"""
import time
from datetime import date, timedelta
from decimal import Decimal

from extensions import db


def _build(territory, organisation, size: int):
    from facilitation.action_plans.models import Action, ActionPlan, ActionPlanAxis
    from territorial.indicators.models import Indicator, IndicatorTarget

    plan = ActionPlan(territory_id=territory.id, owner_type="partnership",
                      owner_id=territory.id, title=f"Plan de {size} actions")
    db.session.add(plan)
    db.session.flush()
    axes = []
    for position, title in enumerate(["Financement", "Communication", "Activités partagées",
                                      "Moyens humains et logistiques", "Partenariat externe"], 1):
        axis = ActionPlanAxis(plan_id=plan.id, territory_id=territory.id, key=f"axe{position}",
                              title=title, position=position)
        db.session.add(axis)
        axes.append(axis)
    db.session.flush()
    actions = [
        Action(plan_id=plan.id, territory_id=territory.id, axis_id=axes[n % 5].id,
               title=f"Action {n} : organiser une rencontre partenariale", position=n,
               description="Une rencontre entre associations et entreprises du territoire.",
               horizon=("court", "moyen", "long")[n % 3],
               scope=("participants", "territoire")[n % 2],
               owner_organisation_id=organisation.id, start_date=date(2026, 1, 1),
               due_date=date(2026, 1, 1) + timedelta(days=n % 365),
               budget_amount=Decimal(1250 + n), status="retenue", progress=n % 100)
        for n in range(size)
    ]
    db.session.add_all(actions)
    db.session.flush()
    indicators = [Indicator(territory_id=territory.id, owner_type="action", owner_id=a.id,
                            title="Participants", unit="personnes") for a in actions]
    db.session.add_all(indicators)
    db.session.flush()
    db.session.add_all([IndicatorTarget(indicator_id=i.id, territory_id=territory.id,
                                        year=2026, value=Decimal(40)) for i in indicators])
    db.session.flush()
    return plan


FORMATS = ("docx", "odt", "pdf")


def time_export(plan, territory) -> dict[str, float]:
    from facilitation.action_plans import key_figures, reports
    from facilitation.action_plans.documents import describe_action_plan
    from territorial.documents import render

    results = {}
    for fmt in FORMATS:
        start = time.perf_counter()
        scope = reports.plan_scope(plan, territory)
        rows = reports.load_rows(scope)
        figures = key_figures.synthesis(rows, scope)
        document = describe_action_plan(scope, rows, figures, key_figures.follow_up(rows, scope))
        render(document, fmt)
        results[fmt] = time.perf_counter() - start
    return results


def export_timings(app, sizes=(100, 1000)) -> dict[str, dict[str, float]]:
    from territorial.actors.models import Organisation
    from territorial.territories.models import Territory

    results = {}
    with app.test_request_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        session = db.session
        try:
            session.bind = connection  # noqa: the throwaway data never leaves this transaction
            territory = Territory(slug="banc-d-essai-plans", name="Banc d'essai",
                                  level="commune")
            session.add(territory)
            session.flush()
            organisation = Organisation(territory_id=territory.id, name="Association",
                                        kind="association")
            session.add(organisation)
            session.flush()
            time_export(_build(territory, organisation, 10), territory)  # warm-up, not timed
            for size in sizes:
                plan = _build(territory, organisation, size)
                for fmt, seconds in time_export(plan, territory).items():
                    results.setdefault(fmt, {})[str(size)] = seconds
        finally:
            session.rollback()
            transaction.rollback()
            connection.close()
            session.remove()
    return results
