"""Pages of conventions (blueprint ``conventions``): the list, the portfolio, a convention's
dashboard, trajectories, yearly dialogue and details, and their exports; its funders,
amounts, documents, accounts, priorities and objectives in ``detail_views``, targets and
values in ``value_views``, the dialogue's notes in ``note_views``.

Access: the authority's members see every convention of their territory (``view``),
its coordinators change them (``edit``). An association's account has the « partner »
role: it reaches only the views whose need admits partners (« follow », « enter_values »,
« note », « change_note »… in ``territorial.access``), and there only the conventions it
is a member of (404 for any other). The association enters its values and dialogue
notes; the authority validates the values.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from territorial.documents.formats import money
from territorial.access import can, check, is_partner, may, needs, partner_landing_endpoints
from territorial.common.blueprints import territory_blueprint
from territorial.common.downloads import send_download
from territorial.common.errors import DomainError, show_errors
from territorial.common.owners import indicator_owners
from territorial.documents.web import send_document
from territorial.common.pagination import paginate, paginate_list
from territorial.common.panels import convention_panels
from territorial.common.text import slugify
from territorial.common.urls import url_for_ids
from territorial.conventions import (charts, documents, expectations, exports, operations,
                                     queries, rules)
from territorial.conventions import panels  # noqa: F401  (the home and organisation panels)
from territorial.conventions.rows import DashboardTables
from territorial.conventions.forms import (
    AmountForm,
    ConventionForm,
    DocumentForm,
    FunderForm,
    MemberForm,
    PartnerInviteForm,
)
from territorial.conventions.models import (
    OWNER_TYPE,
    PARTIES,
    STATUSES,
    Convention,
    ConventionObjective,
)

bp = territory_blueprint("conventions", __name__, url_prefix="/conventions")



def _objective_url(objective_id: int) -> str:
    convention_id = queries.convention_id_of_objective(objective_id)
    return url_for("conventions.show", convention_id=convention_id, _anchor=f"objectif-{objective_id}")


def _objective_year_problem(objective_id: int, year: int) -> str | None:
    convention = queries.convention_of_objective(objective_id)
    return rules.period_error(convention, year) if convention else None


def _objective_trail(objective_id: int) -> list[tuple[str, str]]:
    """The objective's convention, by its reference."""
    convention = queries.convention_of_objective(objective_id)
    return [(convention.reference, url_for("conventions.show", convention_id=convention.id))] \
        if convention else []


indicator_owners.register(OWNER_TYPE, _l("Objectif de convention"), _objective_url,
                          model=ConventionObjective, permission="edit",
                          year_problem=_objective_year_problem, section="conventions.index",
                          trail=_objective_trail)


partner_landing_endpoints.append("conventions.index")


# Access ------------------------------------------------------------------------------

def _convention(convention_id: int, *, details: bool = True) -> Convention:
    """The convention, for a user who follows it (a partner: its own; else 404)."""
    convention = queries.load_convention(g.territory.id, convention_id, details=details)
    if convention is None:
        abort(404)
    return check(convention, "follow")


def _indicator(indicator_id: int, need: str = "follow"):
    """(indicator, objective, convention) of a convention the user follows, then ``need``
    on the convention."""
    found = queries.indicator_context(g.territory.id, indicator_id)
    if found is None:
        abort(404)
    check(check(found[2], "follow"), need)
    return found


def _year_arg(convention: Convention) -> int:
    year = request.args.get("year", type=int)
    return year if convention.in_period(year) else rules.default_year(convention, date.today().year)


def _dashboard(convention: Convention):
    indicators = queries.indicators_of(convention.objectives, g.territory.id)
    dashboard = rules.build_dashboard(convention, convention.objectives, indicators)
    return dashboard, indicators


def convention_target_text(indicator, target) -> str:
    return exports.target_text(indicator, target)


def convention_money(value) -> str:
    return money(value)


def convention_reached_text(indicator, measure) -> str:
    return exports.reached_text(indicator, measure)


# Lists -------------------------------------------------------------------------------

@bp.route("")
@login_required
@needs("follow")
def index():
    if is_partner():
        conventions = queries.conventions_of_member(g.territory.id, current_user.id)
        return render_template("conventions/partner_index.html", today=date.today(),
                               expected=expectations.expected_of(conventions, g.territory.id,
                                                                 date.today()))
    filters = {"status": request.args.get("status", ""),
               "authority": request.args.get("authority", type=int) or ""}
    statement = queries.conventions_statement(
        g.territory.id, filters["status"] if filters["status"] in STATUSES else "",
        filters["authority"] or None)
    return render_template("conventions/index.html", page=paginate(statement), filters=filters,
                           statuses=STATUSES, authorities=queries.authorities(g.territory.id))


@bp.route("/portfolio")
@login_required
@needs("view")
def portfolio():
    authority_id = request.args.get("authority", type=int)
    result = queries.portfolio(g.territory.id, date.today().year, authority_id,
                                  with_dashboards=False)
    to_meet = [summary for summary in result.summaries if summary.needs_conversation]
    return render_template("conventions/portfolio.html", portfolio=result,
                           page=paginate_list(result.summaries),
                           meetings=paginate_list(to_meet, "meetings_page"),
                           authority_id=authority_id,
                           authorities=queries.authorities(g.territory.id))


@bp.route("/portfolio.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def portfolio_document(fmt: str):
    authority_id = request.args.get("authority", type=int)
    year = date.today().year
    result = queries.portfolio(g.territory.id, year, authority_id)
    authority = next((o.name for o in queries.authorities(g.territory.id)
                      if o.id == authority_id), "")
    return send_document(documents.describe_portfolio(result.summaries, g.territory, year,
                                                      authority), fmt)


@bp.route("/portfolio.xlsx")
@login_required
@needs("view")
def portfolio_xlsx():
    authority_id = request.args.get("authority", type=int)
    result = queries.portfolio(g.territory.id, date.today().year, authority_id)
    data = exports.build_conventions_xlsx(result.summaries, result.dashboards)
    return send_download(data, f"conventions-{g.territory.slug}.xlsx")


# A convention ------------------------------------------------------------------------

def _convention_form_choices(form: ConventionForm) -> None:
    territory_id = g.territory.id
    form.charter_id.choices = [(0, _("— Aucune —"))] + [
        (c.id, c.title) for c in queries.charters(territory_id)]


def _convention_data(form: ConventionForm) -> dict:
    return {name: getattr(form, name).data for name in operations.CONVENTION_FIELDS}


@bp.route("/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new():
    form = ConventionForm()
    _convention_form_choices(form)
    if request.method == "GET":
        year = date.today().year
        form.start_year.data, form.end_year.data = year, year + 2
    if form.validate_on_submit():
        try:
            convention = operations.create_convention(g.territory.id, **_convention_data(form))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Convention « %(ref)s » créée. Ajoutez maintenant les objectifs du partenariat.",
                    ref=convention.reference), "success")
            return redirect(url_for("conventions.show", convention_id=convention.id))
    return render_template("conventions/form.html", form=form, convention=None), (
        422 if form.errors else 200)


@bp.route("/<int:convention_id>")
@login_required
@needs("follow")
def show(convention_id: int):
    """The multi-year dashboard: priorities, objectives, indicators, targets and values."""
    convention = _convention(convention_id, details=False)
    dashboard, indicators = _dashboard(convention)
    flags = rules.dashboard_flags(convention, convention.objectives, indicators)
    pending = [(row.indicator, c, v) for _o, row in dashboard.indicator_rows()
               for c in row.cells for v in c.pending]
    partner = is_partner()
    editable = can("edit") and not partner
    tables = DashboardTables(convention, dashboard.years, editable,
                             _enter_value_urls(dashboard.years)
                             if may("enter_values", convention) else None)
    return render_template(
        "conventions/show.html", convention=convention, dashboard=dashboard, flags=flags,
        pending=pending, authors=queries.load_value_authors(v for _i, _c, v in pending),
        panels=convention_panels.panels_for(convention), partner=partner, editable=editable,
        tables=tables,
    )


def _enter_value_urls(years) -> dict:
    """The address of the value form of a year, for any indicator, by year (built once a
    year, not once per indicator and year)."""
    return {year: url_for_ids("conventions.enter_value", "convention_indicator_id", year=year)
            for year in years}


@bp.route("/<int:convention_id>/trajectories")
@login_required
@needs("follow")
def trajectories(convention_id: int):
    convention = _convention(convention_id, details=False)
    dashboard, _indicators = _dashboard(convention)
    return render_template("conventions/trajectories.html", convention=convention,
                           figures=charts.trajectory_figures(dashboard), partner=is_partner())


@bp.route("/<int:convention_id>/dialogue")
@login_required
@needs("follow")
def dialogue(convention_id: int):
    convention = _convention(convention_id, details=False)
    return _render_dialogue(convention, _year_arg(convention))


def _render_dialogue(convention, year, note_errors=None, note_values=None, status=200):
    dashboard, indicators = _dashboard(convention)
    return render_template(
        "conventions/dialogue.html", convention=convention, dashboard=dashboard, year=year,
        notes=queries.notes_of(convention.id, year), parties=PARTIES, partner=is_partner(),
        may_note=may("note", convention), may_enter=may("enter_values", convention),
        panels=convention_panels.panels_for(convention), note_errors=note_errors or {},
        note_values=note_values or {}, year_index=dashboard.years.index(year),
        next_to_enter=dashboard.next_to_enter(year),
    ), status


@bp.route("/<int:convention_id>/details")
@login_required
@needs("follow")
def details(convention_id: int):
    return _render_details(_convention(convention_id))


def _render_details(convention, status=200, **forms):
    funder_form = forms.get("funder_form") or FunderForm(formdata=None)
    amount_form = forms.get("amount_form") or AmountForm(formdata=None)
    document_form = forms.get("document_form") or DocumentForm(formdata=None)
    member_form = forms.get("member_form") or MemberForm(formdata=None)
    invite_form = forms.get("invite_form") or PartnerInviteForm(formdata=None)
    if can("edit") and not is_partner():
        taken = {convention.authority_id, convention.association_id,
                 *(f.organisation_id for f in convention.funders)}
        funder_form.organisation_id.exclude = taken
        amount_form.year.choices = [(y, str(y)) for y in convention.years]
        amount_form.funder_id.choices = [(convention.authority_id, convention.authority.name)] + [
            (f.organisation_id, f.organisation.name) for f in convention.funders]
        members = {m.user_id for m in convention.members}
        member_form.user_id.choices = [(0, _("— Choisir —"))] + [
            (u.id, f"{u.display_name} ({u.email})")
            for u in queries.partner_accounts(g.territory.id) if u.id not in members]
    totals: dict[int, object] = {}
    for amount in convention.amounts:
        totals[amount.year] = totals.get(amount.year, 0) + amount.amount
    return render_template(
        "conventions/details.html", convention=convention, funder_form=funder_form,
        amount_form=amount_form, document_form=document_form, member_form=member_form,
        invite_form=invite_form,
        totals=totals, partner=is_partner(),
    ), status


@bp.route("/<int:convention_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit(convention_id: int):
    convention = _convention(convention_id, details=False)
    form = ConventionForm(obj=convention)
    _convention_form_choices(form)
    if request.method == "GET":
        form.charter_id.data = convention.charter_id or 0
    if form.validate_on_submit():
        try:
            operations.update_convention(convention, **_convention_data(form))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Convention enregistrée."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id))
    return render_template("conventions/form.html", form=form, convention=convention), (
        422 if form.errors else 200)


@bp.route("/<int:convention_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete(convention_id: int):
    convention = _convention(convention_id)
    reference = convention.reference
    operations.delete_convention(convention)
    flash(_("Convention « %(ref)s » supprimée.", ref=reference), "success")
    return redirect(url_for("conventions.index"))


# Exports -----------------------------------------------------------------------------

@bp.route("/<int:convention_id>/dashboard.<any(docx, odt, pdf):fmt>")
@login_required
@needs("follow")
def export_document(convention_id: int, fmt: str):
    convention = _convention(convention_id)
    dashboard, indicators = _dashboard(convention)
    summary = rules.summarise(convention, convention.objectives, indicators, date.today().year)
    meetings = [(panel.title, [text for text, _url in panel.items])
                for panel in convention_panels.panels_for(convention) if panel.items]
    document = documents.describe_convention(dashboard, queries.notes_of(convention.id),
                                             g.territory, summary, meetings)
    return send_document(document, fmt)


@bp.route("/<int:convention_id>/dashboard.xlsx")
@login_required
@needs("follow")
def export_xlsx(convention_id: int):
    convention = _convention(convention_id)
    dashboard, indicators = _dashboard(convention)
    summary = rules.summarise(convention, convention.objectives, indicators, date.today().year)
    data = exports.build_conventions_xlsx([summary], [dashboard])
    return send_download(data, f"convention-{slugify(convention.reference)}.xlsx")


# The blueprint's routes written in the other view modules of the capability.
from territorial.conventions import detail_views, note_views, value_views  # noqa: E402,F401
