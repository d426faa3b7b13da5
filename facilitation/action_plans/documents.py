"""The action plan as a document (one plan, or an experiment's consolidated plan).

What a mayor's office receives: a title page, the synthesis with its key figures and the
chart of the actions by group and status, the follow-up (progress month by month,
indicators to watch), then one section per axis (or theme) with the table of its actions
— every indicator with its target for each year of the plan's period. Pure function of
data already loaded (``reports``): linear in the number of actions, no query.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from facilitation.action_plans import exports, key_figures, reports
from facilitation.action_plans.raci import raci_organisation_involvement
from facilitation.action_plans.charts import month_label
from facilitation.action_plans.models import HORIZONS
from facilitation.action_plans.reports import ActionRow, Scope, grouped
from facilitation.action_plans.key_figures import FollowUp, Synthesis
from territorial.common.owners import plan_owners
from territorial.documents import Document, DocumentBuilder, bold, charts
from territorial.documents.gallery import example
from territorial.documents.formats import long_date, money, number
from territorial.indicators.standing import standing
from territorial.common import dates

HORIZON_COLOURS = {"court": "#1F3A5F", "moyen": "#B35900", "long": "#2F7D4F"}


def plan_years(scope: Scope, rows: list[ActionRow], today: date) -> list[int]:
    """The years whose targets the plan shows: its period, else the years its indicators
    have a target or a value for, else this year."""
    years: set[int] = set()
    for plan in scope.plans:
        if plan.start_year and plan.horizon_years:
            years |= set(range(plan.start_year, plan.start_year + plan.horizon_years))
    if not years:
        years = {year for row in rows for indicator in row.indicators
                 for year in indicator.years()}
    return sorted(years) or [today.year]


def indicator_lines(indicator, years: list[int], today: date) -> tuple:
    """The paragraphs of one indicator in the plan's table: its title, its target for
    each year of the period, the last measure and where it stands."""
    targets = [(year, exports.target_value(indicator, indicator.target_for(year)))
               for year in years]
    targets = [(year, text) for year, text in targets if text]
    lines = [bold(indicator.title)]
    if targets:
        lines.append(_("Cibles : %(targets)s", targets=" · ".join(
            f"{year} : {text}" for year, text in targets)))
    elif indicator.target_statement:
        lines.append(_("Cible : %(statement)s", statement=indicator.target_statement))
    else:
        lines.append(_("Pas de cible fixée pour %(years)s", years=_span(years)))
    seen = standing(indicator, today, years)
    if seen.measure is not None:
        value = seen.measure
        shown = (f"{number(value.value)} {indicator.unit}".strip()
                 if indicator.kind == "quantitative" and value.value is not None
                 else value.text_value)
        lines.append(_("Mesuré en %(year)s : %(value)s", year=value.year, value=shown)
                     + f" — {seen.label}")
    elif targets:
        lines.append(seen.label)
    return tuple(lines)


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _plural_groups(scope: Scope, count: int) -> str:
    if scope.group_label == _("Axe"):
        return ngettext("%(num)d axe", "%(num)d axes", count)
    if scope.group_label == _("Thème"):
        return ngettext("%(num)d thème", "%(num)d thèmes", count)
    return f"{count} {scope.group_label.lower()}"


def _synthesis(doc: DocumentBuilder, scope: Scope, figures: Synthesis) -> None:
    doc.heading(_("Synthèse"))
    proposals = next((n for key, _label, n in figures.by_scope if key == "territoire"), 0)
    engagements = next((n for key, _label, n in figures.by_scope if key == "participants"), 0)
    doc.paragraph(
        ngettext("Ce plan compte %(num)d action", "Ce plan compte %(num)d actions",
                 figures.total),
        " ", _("réparties en %(groups)s", groups=_plural_groups(scope, len(figures.by_group)))
        if figures.by_group else "", " : ",
        ngettext("%(num)d engagement des participants", "%(num)d engagements des participants",
                 engagements), " ", _("et"), " ",
        ngettext("%(num)d proposition pour le territoire",
                 "%(num)d propositions pour le territoire", proposals), ". ",
        ngettext("%(num)d organisation en porte ou y contribue.",
                 "%(num)d organisations en portent ou y contribuent.",
                 figures.organisations_count))
    lines = [(_("Actions"), str(figures.total))]
    lines += [(label, str(n)) for _key, label, n in figures.by_status if n]
    lines += [(label, str(n)) for _key, label, n in figures.by_horizon]
    lines += [(label, str(n)) for _key, label, n in figures.by_scope]
    lines += [
        (_("Budget prévu (hors actions abandonnées)"), money(figures.budget_total)),
        (_("Avancement moyen"), f"{figures.mean_progress}\u00a0%"),
        (_("Actions en retard"), str(figures.overdue)),
        (_("Actions sans porteur"), str(figures.without_owner)),
    ]
    doc.table([_("Indicateur clé"), _("Valeur")], lines, align_right=(1,))
    if figures.by_group:
        kind = scope.group_label.lower()
        doc.heading(_("Répartition par %(kind)s", kind=kind), 2)
        groups = [group.title for group, *_rest in figures.by_group]
        doc.figure(lambda width: charts.stacked_hbars(
            groups, [(str(label), [horizons.get(key, 0) for _g, horizons, _s, _t
                                   in figures.by_group], HORIZON_COLOURS[key])
                     for key, label in HORIZONS.items()], width, xlabel=_("Actions")),
            caption=_("Actions par %(kind)s et par horizon", kind=kind),
            alt=_("Barres empilées : pour chaque %(kind)s, le nombre d'actions à court, moyen "
                  "et long terme ; les chiffres sont dans le tableau qui suit.", kind=kind))
        doc.table([scope.group_label, _("Actions"), _("Court terme"), _("Moyen et long terme"),
                   _("Propositions pour le territoire")],
                  [[group.title, total, horizons.get("court", 0),
                    horizons.get("moyen", 0) + horizons.get("long", 0),
                    scopes.get("territoire", 0)]
                   for group, horizons, scopes, total in figures.by_group],
                  align_right=(1, 2, 3, 4))
    if figures.organisations:
        doc.heading(_("Organisations les plus impliquées"), 2)
        doc.table([_("Organisation"), _("Actions portées"), _("Actions impliquées")],
                  [[name, porteur, total] for name, porteur, _raci, total
                   in figures.organisations[:10]], align_right=(1, 2))


def follow_up_part(doc: DocumentBuilder, scope: Scope, follow: FollowUp) -> None:
    """« Suivi »: progress month by month (the chart, and every month of it in the table),
    the actions overdue, the indicators to watch."""
    doc.heading(_("Suivi"))
    if follow.months and follow.progress_series:
        labels = [month_label(day) for day in follow.months]
        doc.figure(lambda width: charts.lines(
            labels, [(group.title, values) for group, values in follow.progress_series],
            width, ylabel=_("Avancement moyen"), percentages=True),
            caption=_("Avancement moyen par %(kind)s, mois par mois",
                      kind=scope.group_label.lower()),
            alt=_("Courbes de l'avancement moyen de chaque groupe d'actions, mois par mois ; "
                  "les valeurs sont dans le tableau qui suit."))
        doc.table([scope.group_label] + labels,  # every month of the chart
                  [[group.title] + [f"{value}\u00a0%" if value is not None else "—"
                                    for value in values]
                   for group, values in follow.progress_series],
                  align_right=tuple(range(1, len(labels) + 1)), split_after=1)
    else:
        doc.note(_("Pas encore d'historique d'avancement : le suivi mois par mois apparaîtra "
                   "après les premières mises à jour des actions."))
    doc.heading(_("Actions en retard"), 2)
    if follow.overdue:
        doc.bullets([[bold(row.action.title), " — ", _("échéance %(due)s",
                      due=long_date(row.action.due_date)), f" ({row.group.title})"]
                     for row in follow.overdue])
    else:
        doc.paragraph(_("Aucune action en retard."))
    doc.heading(_("Indicateurs à surveiller en %(year)s", year=follow.year), 2)
    if follow.indicator_alerts:
        doc.table([scope.group_label, _("Action"), _("Indicateur"), _("Situation")],
                  [[alert.row.group.title, alert.row.action.title, alert.indicator.title,
                    alert.label] for alert in follow.indicator_alerts])
    else:
        doc.paragraph(_("Aucun indicateur en retard sur sa cible de %(year)s.", year=follow.year))


def _action_cells(row: ActionRow, years: list[int], today: date) -> list:
    action = row.action
    details = [bold(action.title)]
    if action.description:
        details.append(action.description)
    if action.budget_amount is not None:
        budget = _("Budget : %(amount)s", amount=money(action.budget_amount))
        if action.funders:
            budget += " — " + _("financeurs : %(funders)s", funders=action.funders)
        details.append(budget)
    elif action.funders:
        details.append(_("Financeurs : %(funders)s", funders=action.funders))
    indicators = tuple(line for indicator in row.indicators
                       for line in indicator_lines(indicator, years, today)) or "—"
    return [tuple(details), action.horizon_label, action.scope_label, exports.owner_text(row),
            tuple(row.raci.split(" · ")) if row.raci else "—", _dates(action),
            exports.status_text(action), indicators]


def _dates(action) -> tuple | str:
    """« du 5 septembre 2026 » / « au 3 mai 2027 », one date per line."""
    start, due = action.start_date, action.due_date
    if start and due:
        return (_("du %(start)s", start=long_date(start)), _("au %(due)s", due=long_date(due)))
    if due:
        return _("échéance %(due)s", due=long_date(due))
    if start:
        return _("à partir du %(start)s", start=long_date(start))
    return _("non datée")


def describe_action_plan(scope: Scope, rows: list[ActionRow], figures: Synthesis,
                         follow: FollowUp, today: date | None = None) -> Document:
    today = today or dates.today()
    years = plan_years(scope, rows, today)
    doc = DocumentBuilder(scope.title, scope.territory, subtitle=scope.subtitle,
                          issued_on=today, file_name=[exports.filename_stem(scope)])
    doc.title_page([_("Période : %(period)s", period=scope.period) if scope.period else "",
                    _("Cibles des indicateurs : %(years)s", years=_span(years))])
    _synthesis(doc, scope, figures)
    follow_up_part(doc, scope, follow)
    headers = [_("Action"), _("Horizon"), _("Portée"), _("Porteur"), _("RACI"), _("Dates"),
               _("Statut"), _("Indicateurs et cibles %(years)s", years=_span(years))]
    for group, items in grouped(rows, scope):
        doc.heading(group.title)
        doc.paragraph(ngettext("%(num)d action", "%(num)d actions", len(items)))
        doc.table(headers, (_action_cells(row, years, today) for row in items))
    if not rows:
        doc.heading(_("Actions"))
        doc.paragraph(_("Ce plan ne compte encore aucune action."))
    return doc.build()


# Gallery (``flask --app app documents gallery``) -----------------------------------------

def plan_document(scope, rows, today: date) -> Document:
    """The plan's document: synthesis (with who is involved in the RACI), follow-up and
    every action of ``rows``."""
    figures = key_figures.synthesis(rows, scope, today, raci_involvement=raci_organisation_involvement(
        scope.territory.id, [p.id for p in scope.plans]))
    return describe_action_plan(scope, rows, figures, key_figures.follow_up(rows, scope, today), today)


def _plan_of(scope) -> Document:
    return plan_document(scope, reports.load_rows(scope), dates.today())


@example("plan-action-consolide", "Plan d'action consolidé")
def _consolidated_examples():
    from sqlalchemy import select

    from extensions import db
    from facilitation.action_plans.consolidation import experiment_scope
    from facilitation.experiments.models import Experiment
    from territorial.territories.models import Territory

    for experiment in db.session.scalars(select(Experiment).order_by(Experiment.id).limit(1)):
        territory = db.session.get(Territory, experiment.territory_id)
        yield experiment.title, territory, lambda e=experiment, t=territory: \
            _plan_of(experiment_scope(e, t))


@example("plan-action", "Plan d'action (d'un groupe, d'un partenariat, d'un projet)")
def _plan_examples():
    from sqlalchemy import select

    from extensions import db
    from facilitation.action_plans.models import ActionPlan
    from facilitation.action_plans.reports import plan_scope
    from territorial.territories.models import Territory

    def owner_name(plan) -> str:  # in the request of the plan's territory
        owner = plan_owners.get(plan.owner_type)
        return owner.name(plan.owner_id) if owner is not None else ""

    for plan in db.session.scalars(select(ActionPlan).order_by(ActionPlan.id)).all():
        territory = db.session.get(Territory, plan.territory_id)
        yield f"{plan.id}-{plan.title}", territory, lambda p=plan, t=territory: \
            _plan_of(plan_scope(p, t, owner_label=owner_name(p)))
