"""Pages of conventions: list, portfolio, dashboard, trajectories, yearly dialogue,
the convention's details, priorities, objectives, targets, values and exports.

Access: the authority's members see every convention of their territory (``view``),
its coordinators change them (``edit``). An association's account has the « partner »
role: it reaches only the views marked ``open_to_partners`` below, and each of them
checks through ``ConventionMember`` that the convention is one of its own (404 for
any other). The association enters its values and dialogue notes; the authority
validates the values.
"""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.access import (can, get_or_404, open_to_partners, partner_landing_endpoints,
                                require)
from territorial.actors.models import Organisation
from territorial.common import versions
from territorial.common.blueprints import territory_blueprint
from territorial.common.downloads import send_download
from territorial.documents.web import send_document
from territorial.common.pagination import paginate, paginate_list
from territorial.common.panels import Panel, convention_panels, home_panels, organisation_panels
from territorial.common.text import slugify
from territorial.common.urls import local_path, url_for_ids
from territorial.conventions import charts, documents, exports, operations, rules
from territorial.conventions.forms import (
    AmountForm,
    ConventionForm,
    DocumentForm,
    FunderForm,
    MemberForm,
    NoteForm,
    ObjectiveForm,
    PriorityEditForm,
    PriorityForm,
    ValueForm,
    targets_form,
)
from territorial.conventions.models import (
    OWNER_TYPE,
    PARTIES,
    STATUSES,
    Convention,
    ConventionAmount,
    ConventionDocument,
    ConventionFunder,
    ConventionMember,
    ConventionObjective,
    DialogueNote,
    Priority,
)
from territorial.indicators import operations as indicator_operations
from territorial.indicators import rules as indicator_rules
from territorial.indicators.models import Indicator, IndicatorValue
from territorial.indicators.owners import register_owner

bp = territory_blueprint("conventions", __name__, url_prefix="/conventions")

AUTHORITY_KINDS = ("collectivite", "institution")
ASSOCIATION_KINDS = ("association", "centre_social", "fondation", "habitant_relais", "autre")


def _objective_url(objective_id: int) -> str:
    convention_id = db.session.scalar(
        select(ConventionObjective.convention_id).where(ConventionObjective.id == objective_id))
    return url_for("conventions.show", convention_id=convention_id, _anchor=f"objectif-{objective_id}")


def _objective_year_problem(objective_id: int, year: int) -> str | None:
    convention = db.session.scalar(
        select(Convention).join(ConventionObjective)
        .where(ConventionObjective.id == objective_id))
    return rules.period_error(convention, year) if convention else None


register_owner(OWNER_TYPE, _l("Objectif de convention"), _objective_url,
               model=ConventionObjective, permission="edit",
               year_problem=_objective_year_problem)


partner_landing_endpoints.append("conventions.index")


# Access ------------------------------------------------------------------------------

def is_partner() -> bool:
    return g.get("role") == "partner"


def _check_access(convention: Convention) -> None:
    """A partner reaches only the conventions it is a member of (else 404); the
    authority's members need the « view » permission."""
    if is_partner():
        if not operations.is_member(convention.id, current_user.id):
            abort(404)
    else:
        require("view")


def _convention(convention_id: int, *, details: bool = True) -> Convention:
    convention = operations.load_convention(g.territory.id, convention_id, details=details)
    if convention is None:
        abort(404)
    _check_access(convention)
    return convention


def _indicator(indicator_id: int):
    found = operations.indicator_context(g.territory.id, indicator_id)
    if found is None:
        abort(404)
    _check_access(found[2])
    return found


def _may_enter_values() -> bool:
    return is_partner() or can("edit")


def _forbidden(message: str):
    return render_template("errors/error.html", code=403, message=message), 403


def _apply_errors(form, errors: dict) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


def _year_arg(convention: Convention) -> int:
    year = request.args.get("year", type=int)
    return year if convention.in_period(year) else rules.default_year(convention, date.today().year)


def _dashboard(convention: Convention):
    indicators = operations.indicators_of(convention.objectives, g.territory.id)
    dashboard = rules.build_dashboard(convention, convention.objectives, indicators)
    return dashboard, indicators


bp.add_app_template_global(url_for_ids)  # the links of the portfolio's lists


@bp.app_template_global("convention_target_text")
def convention_target_text(indicator, target) -> str:
    return exports.target_text(indicator, target)


@bp.app_template_global("convention_money")
def convention_money(value) -> str:
    return exports.money(value)


@bp.app_template_global("convention_reached_text")
def convention_reached_text(indicator, measure) -> str:
    return exports.reached_text(indicator, measure)


# Lists -------------------------------------------------------------------------------

@bp.route("")
@login_required
@open_to_partners
def index():
    if is_partner():
        return render_template("conventions/partner_index.html",
                               conventions=operations.conventions_of_member(g.territory.id,
                                                                            current_user.id))
    require("view")
    filters = {"status": request.args.get("status", ""),
               "authority": request.args.get("authority", type=int) or ""}
    statement = (select(Convention).where(Convention.territory_id == g.territory.id)
                 .options(selectinload(Convention.authority), selectinload(Convention.association))
                 .order_by(Convention.start_year.desc(), Convention.reference))
    if filters["status"] in STATUSES:
        statement = statement.where(Convention.status == filters["status"])
    if filters["authority"]:
        statement = statement.where(Convention.authority_id == filters["authority"])
    return render_template("conventions/index.html", page=paginate(statement), filters=filters,
                           statuses=STATUSES, authorities=operations.authorities(g.territory.id))


@bp.route("/portfolio")
@login_required
def portfolio():
    require("view")
    authority_id = request.args.get("authority", type=int)
    result = operations.portfolio(g.territory.id, date.today().year, authority_id,
                                  with_dashboards=False)
    to_meet = [summary for summary in result.summaries if summary.needs_conversation]
    return render_template("conventions/portfolio.html", portfolio=result,
                           page=paginate_list(result.summaries),
                           meetings=paginate_list(to_meet, "meetings_page"),
                           authority_id=authority_id,
                           authorities=operations.authorities(g.territory.id))


@bp.route("/portfolio.<any(docx, odt, pdf):fmt>")
@login_required
def portfolio_document(fmt: str):
    require("view")
    authority_id = request.args.get("authority", type=int)
    year = date.today().year
    result = operations.portfolio(g.territory.id, year, authority_id)
    authority = next((o.name for o in operations.authorities(g.territory.id)
                      if o.id == authority_id), "")
    return send_document(documents.describe_portfolio(result.summaries, g.territory, year,
                                                      authority), fmt)


@bp.route("/portfolio.xlsx")
@login_required
def portfolio_xlsx():
    require("view")
    authority_id = request.args.get("authority", type=int)
    result = operations.portfolio(g.territory.id, date.today().year, authority_id)
    data = exports.build_conventions_xlsx(result.summaries, result.dashboards)
    return send_download(data, f"conventions-{g.territory.slug}.xlsx")


# A convention ------------------------------------------------------------------------

def _convention_form_choices(form: ConventionForm) -> None:
    territory_id = g.territory.id
    choose = [(0, _("— Choisir —"))]
    form.authority_id.choices = choose + [
        (o.id, o.name) for o in operations.organisations(territory_id, AUTHORITY_KINDS)]
    form.association_id.choices = choose + [
        (o.id, o.name) for o in operations.organisations(territory_id, ASSOCIATION_KINDS)]
    form.charter_id.choices = [(0, _("— Aucune —"))] + [
        (c.id, c.title) for c in operations.charters(territory_id)]


def _convention_data(form: ConventionForm) -> dict:
    return {name: getattr(form, name).data for name in operations.CONVENTION_FIELDS}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require("edit")
    form = ConventionForm()
    _convention_form_choices(form)
    if request.method == "GET":
        year = date.today().year
        form.start_year.data, form.end_year.data = year, year + 2
    if form.validate_on_submit():
        try:
            convention = operations.create_convention(g.territory.id, **_convention_data(form))
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Convention « %(ref)s » créée. Ajoutez maintenant les objectifs du partenariat.",
                    ref=convention.reference), "success")
            return redirect(url_for("conventions.show", convention_id=convention.id))
    return render_template("conventions/form.html", form=form, convention=None), (
        422 if form.errors else 200)


@bp.route("/<int:convention_id>")
@login_required
@open_to_partners
def show(convention_id: int):
    """The multi-year dashboard: priorities, objectives, indicators, targets and values."""
    convention = _convention(convention_id, details=False)
    dashboard, indicators = _dashboard(convention)
    flags = rules.dashboard_flags(convention, convention.objectives, indicators)
    pending = [(row.indicator, c, v) for _o, row in dashboard.indicator_rows()
               for c in row.cells for v in c.pending]
    return render_template(
        "conventions/show.html", convention=convention, dashboard=dashboard, flags=flags,
        pending=pending, authors=operations.load_value_authors(indicators),
        panels=convention_panels.panels_for(convention), partner=is_partner(),
        may_enter=_may_enter_values(), current_year=rules.default_year(convention, date.today().year),
    )


@bp.route("/<int:convention_id>/trajectories")
@login_required
@open_to_partners
def trajectories(convention_id: int):
    convention = _convention(convention_id)
    dashboard, _indicators = _dashboard(convention)
    return render_template("conventions/trajectories.html", convention=convention,
                           figures=charts.trajectory_figures(dashboard), partner=is_partner())


@bp.route("/<int:convention_id>/dialogue")
@login_required
@open_to_partners
def dialogue(convention_id: int):
    convention = _convention(convention_id)
    return _render_dialogue(convention, _year_arg(convention))


def _render_dialogue(convention, year, note_errors=None, note_values=None, status=200):
    dashboard, indicators = _dashboard(convention)
    return render_template(
        "conventions/dialogue.html", convention=convention, dashboard=dashboard, year=year,
        notes=operations.notes_of(convention.id, year), parties=PARTIES, partner=is_partner(),
        may_note=is_partner() or can("contribute"), may_enter=_may_enter_values(),
        panels=convention_panels.panels_for(convention), note_errors=note_errors or {},
        note_values=note_values or {}, year_index=dashboard.years.index(year),
    ), status


@bp.route("/<int:convention_id>/details")
@login_required
@open_to_partners
def details(convention_id: int):
    return _render_details(_convention(convention_id))


def _render_details(convention, status=200, **forms):
    funder_form = forms.get("funder_form") or FunderForm(formdata=None)
    amount_form = forms.get("amount_form") or AmountForm(formdata=None)
    document_form = forms.get("document_form") or DocumentForm(formdata=None)
    member_form = forms.get("member_form") or MemberForm(formdata=None)
    if can("edit") and not is_partner():
        taken = {convention.authority_id, convention.association_id,
                 *(f.organisation_id for f in convention.funders)}
        funder_form.organisation_id.choices = [(0, _("— Choisir —"))] + [
            (o.id, o.name) for o in operations.organisations(g.territory.id) if o.id not in taken]
        amount_form.year.choices = [(y, str(y)) for y in convention.years]
        amount_form.funder_id.choices = [(convention.authority_id, convention.authority.name)] + [
            (f.organisation_id, f.organisation.name) for f in convention.funders]
        members = {m.user_id for m in convention.members}
        member_form.user_id.choices = [(0, _("— Choisir —"))] + [
            (u.id, f"{u.display_name} ({u.email})")
            for u in operations.partner_accounts(g.territory.id) if u.id not in members]
    totals: dict[int, object] = {}
    for amount in convention.amounts:
        totals[amount.year] = totals.get(amount.year, 0) + amount.amount
    return render_template(
        "conventions/details.html", convention=convention, funder_form=funder_form,
        amount_form=amount_form, document_form=document_form, member_form=member_form,
        totals=totals, partner=is_partner(),
    ), status


@bp.route("/<int:convention_id>/edit", methods=["GET", "POST"])
@login_required
def edit(convention_id: int):
    require("edit")
    convention = _convention(convention_id)
    form = ConventionForm(obj=convention)
    _convention_form_choices(form)
    if request.method == "GET":
        form.charter_id.data = convention.charter_id or 0
    if form.validate_on_submit():
        try:
            operations.update_convention(convention, **_convention_data(form))
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Convention enregistrée."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id))
    return render_template("conventions/form.html", form=form, convention=convention), (
        422 if form.errors else 200)


@bp.route("/<int:convention_id>/delete", methods=["POST"])
@login_required
def delete(convention_id: int):
    require("edit")
    convention = _convention(convention_id)
    reference = convention.reference
    operations.delete_convention(convention)
    flash(_("Convention « %(ref)s » supprimée.", ref=reference), "success")
    return redirect(url_for("conventions.index"))


# Funders, amounts, documents, accounts ------------------------------------------------

def _child(model, child_id: int):
    """A child row of a convention, with its convention checked (404 otherwise)."""
    require("edit")
    child = get_or_404(model, child_id)
    return child, _convention(child.convention_id)


@bp.route("/<int:convention_id>/funders", methods=["POST"])
@login_required
def add_funder(convention_id: int):
    require("edit")
    convention = _convention(convention_id)
    form = FunderForm()
    form.organisation_id.choices = [(o.id, o.name) for o in operations.organisations(g.territory.id)]
    if form.validate_on_submit():
        try:
            operations.add_funder(convention, form.organisation_id.data)
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Cofinanceur ajouté."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="financement"))
    return _render_details(_convention(convention_id), 422, funder_form=form)


@bp.route("/funders/<int:convention_funder_id>/delete", methods=["POST"])
@login_required
def delete_funder(convention_funder_id: int):
    funder, convention = _child(ConventionFunder, convention_funder_id)
    try:
        operations.remove_funder(funder)
    except rules.ConventionError as error:
        flash(next(iter(error.errors.values())), "error")
    else:
        flash(_("Cofinanceur retiré."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="financement"))


@bp.route("/<int:convention_id>/amounts", methods=["POST"])
@login_required
def set_amount(convention_id: int):
    require("edit")
    convention = _convention(convention_id)
    form = AmountForm()
    form.year.choices = [(y, str(y)) for y in range(1900, 2201)]
    form.funder_id.choices = [(o.id, o.name) for o in operations.organisations(g.territory.id)]
    if form.validate_on_submit():
        try:
            operations.set_amount(convention, form.year.data, form.amount.data, form.funder_id.data)
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Montant %(year)s enregistré.", year=form.year.data), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="financement"))
    fresh = _convention(convention_id)
    return _render_details(fresh, 422, amount_form=form)


@bp.route("/amounts/<int:convention_amount_id>/delete", methods=["POST"])
@login_required
def delete_amount(convention_amount_id: int):
    amount, convention = _child(ConventionAmount, convention_amount_id)
    operations.delete_amount(amount)
    flash(_("Montant supprimé."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="financement"))


@bp.route("/<int:convention_id>/documents", methods=["POST"])
@login_required
def add_document(convention_id: int):
    require("edit")
    convention = _convention(convention_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            operations.add_document(convention, form.title.data, form.kind.data,
                                    form.document_date.data, form.reference.data)
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Document ajouté."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="pieces"))
    return _render_details(_convention(convention_id), 422, document_form=form)


@bp.route("/documents/<int:convention_document_id>/delete", methods=["POST"])
@login_required
def delete_document(convention_document_id: int):
    document, convention = _child(ConventionDocument, convention_document_id)
    operations.delete_document(document)
    flash(_("Document retiré."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="pieces"))


@bp.route("/<int:convention_id>/members", methods=["POST"])
@login_required
def add_member(convention_id: int):
    require("edit")
    convention = _convention(convention_id)
    form = MemberForm()
    form.user_id.choices = [(u.id, u.email) for u in operations.partner_accounts(g.territory.id)]
    if form.validate_on_submit():
        try:
            operations.add_member(convention, form.user_id.data)
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("L'association peut maintenant suivre sa convention avec ce compte."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="acces"))
    return _render_details(_convention(convention_id), 422, member_form=form)


@bp.route("/members/<int:convention_member_id>/delete", methods=["POST"])
@login_required
def delete_member(convention_member_id: int):
    member, convention = _child(ConventionMember, convention_member_id)
    operations.remove_member(member)
    flash(_("Accès retiré."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="acces"))


# Priorities --------------------------------------------------------------------------

@bp.route("/priorities", methods=["GET", "POST"])
@login_required
def priorities():
    require("view")
    form = PriorityForm()
    form.authority_id.choices = [(0, _("— Choisir —"))] + [
        (o.id, o.name) for o in operations.organisations(g.territory.id, AUTHORITY_KINDS)]
    if request.method == "GET" and request.args.get("authority", type=int):
        form.authority_id.data = request.args.get("authority", type=int)
    status = 200
    if request.method == "POST":
        require("edit")
        if form.validate_on_submit():
            try:
                priority = operations.create_priority(g.territory.id, form.authority_id.data,
                                                      form.title.data, form.description.data)
            except rules.ConventionError as error:
                _apply_errors(form, error.errors)
            else:
                flash(_("Priorité « %(title)s » ajoutée.", title=priority.title), "success")
                return redirect(url_for("conventions.priorities", _anchor=f"priorite-{priority.id}"))
        status = 422
    rows = db.session.scalars(
        select(Priority).where(Priority.territory_id == g.territory.id)
        .options(selectinload(Priority.authority))
        .order_by(Priority.authority_id, Priority.position, Priority.id)).all()
    uses = dict(db.session.execute(
        select(ConventionObjective.priority_id, func.count())
        .where(ConventionObjective.territory_id == g.territory.id)
        .group_by(ConventionObjective.priority_id)).all())
    return render_template("conventions/priorities.html", priorities=rows, uses=uses,
                           form=form), status


@bp.route("/priorities/<int:convention_priority_id>/edit", methods=["GET", "POST"])
@login_required
def edit_priority(convention_priority_id: int):
    require("edit")
    priority = get_or_404(Priority, convention_priority_id, selectinload(Priority.authority))
    form = PriorityEditForm(obj=priority)
    if form.validate_on_submit():
        try:
            operations.update_priority(priority, form.title.data, form.description.data)
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Priorité enregistrée."), "success")
            return redirect(url_for("conventions.priorities"))
    return render_template("conventions/priority_form.html", form=form, priority=priority), (
        422 if form.errors else 200)


@bp.route("/priorities/<int:convention_priority_id>/delete", methods=["POST"])
@login_required
def delete_priority(convention_priority_id: int):
    require("edit")
    priority = get_or_404(Priority, convention_priority_id)
    try:
        operations.delete_priority(priority)
    except rules.ConventionError as error:
        flash(next(iter(error.errors.values())), "error")
    else:
        flash(_("Priorité supprimée."), "success")
    return redirect(url_for("conventions.priorities"))


# Objectives --------------------------------------------------------------------------

def _priority_choices(form: ObjectiveForm, convention: Convention) -> None:
    form.priority_id.choices = [(0, _("— Choisir —"))] + [
        (p.id, p.title if p.authority_id == convention.authority_id
         else f"{p.title} ({p.authority.name})")
        for p in operations.priorities_for(convention)]


@bp.route("/<int:convention_id>/objectives/new", methods=["GET", "POST"])
@login_required
def new_objective(convention_id: int):
    require("edit")
    convention = _convention(convention_id)
    form = ObjectiveForm()
    _priority_choices(form, convention)
    if form.validate_on_submit():
        try:
            objective = operations.create_objective(convention, form.priority_id.data,
                                                    form.title.data, form.description.data)
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Objectif ajouté. Donnez-lui maintenant un ou plusieurs indicateurs."), "success")
            return redirect(url_for("conventions.show", convention_id=convention.id,
                                    _anchor=f"objectif-{objective.id}"))
    return render_template("conventions/objective_form.html", form=form, convention=convention,
                           objective=None), 422 if form.errors else 200


@bp.route("/objectives/<int:convention_objective_id>/edit", methods=["GET", "POST"])
@login_required
def edit_objective(convention_objective_id: int):
    require("edit")
    objective = get_or_404(ConventionObjective, convention_objective_id)
    convention = _convention(objective.convention_id)
    form = ObjectiveForm(obj=objective)
    _priority_choices(form, convention)
    if form.validate_on_submit():
        try:
            operations.update_objective(objective, convention, form.priority_id.data,
                                        form.title.data, form.description.data)
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            flash(_("Objectif enregistré."), "success")
            return redirect(url_for("conventions.show", convention_id=convention.id,
                                    _anchor=f"objectif-{objective.id}"))
    return render_template("conventions/objective_form.html", form=form, convention=convention,
                           objective=objective), 422 if form.errors else 200


@bp.route("/objectives/<int:convention_objective_id>/delete", methods=["POST"])
@login_required
def delete_objective(convention_objective_id: int):
    require("edit")
    objective = get_or_404(ConventionObjective, convention_objective_id)
    convention_id = objective.convention_id
    operations.delete_objective(objective)
    flash(_("Objectif supprimé, avec ses indicateurs."), "success")
    return redirect(url_for("conventions.show", convention_id=convention_id))


# Targets, values, validation ---------------------------------------------------------

@bp.route("/indicators/<int:convention_indicator_id>/targets", methods=["GET", "POST"])
@login_required
def targets(convention_indicator_id: int):
    require("edit")
    indicator, objective, convention = _indicator(convention_indicator_id)
    current = operations.current_targets(indicator)
    form, conflicts = targets_form(convention, indicator, current), []
    if not form.is_submitted():
        form.seen.data = indicator_operations.targets_seen(indicator)
    if form.validate_on_submit():
        wanted = {year: getattr(form, f"target_{year}").data for year in convention.years}
        try:
            refused = operations.set_targets(convention, indicator, wanted,
                                             versions.parse_seen(form.seen.data))
        except rules.ConventionError as error:
            _apply_errors(form, error.errors)
        else:
            if not refused:
                flash(_("Cibles de « %(title)s » enregistrées.", title=indicator.title),
                      "success")
                return redirect(url_for("conventions.show", convention_id=convention.id,
                                        _anchor=f"indicateur-{indicator.id}"))
            form, conflicts = _targets_refused(convention, indicator, form, refused)
    outside = [t for t in indicator.targets if not convention.in_period(t.year)]
    return render_template(
        "conventions/targets.html", form=form, indicator=indicator, objective=objective,
        convention=convention, outside=outside, conflicts=conflicts,
    ), 422 if form.errors else 200


def _targets_refused(convention, indicator, posted, refused):
    """After a save that met colleagues' targets: the form shows the targets now saved, but
    the user's own value for each year both changed, and ``seen`` what it now shows. Returns
    it with the rows of the notice: (year, conflict, their target, the user's)."""
    current = {t.year: t for t in operations.current_targets(indicator)}
    form = targets_form(convention, indicator, current.values(), formdata=None)
    form.seen.data = indicator_operations.targets_seen(indicator)
    conflicts = []
    for year, conflict, _text in refused:
        wanted = getattr(posted, f"target_{year}").data
        getattr(form, f"target_{year}").data = wanted
        mine = SimpleNamespace(value=wanted, statement=wanted)
        conflicts.append((_("Cible %(year)s", year=year), conflict,
                          exports.target_text(indicator, current.get(year)),
                          exports.target_text(indicator, mine)))
    return form, conflicts


@bp.route("/indicators/<int:convention_indicator_id>/value", methods=["GET", "POST"])
@login_required
@open_to_partners
def enter_value(convention_indicator_id: int):
    """The association (or the authority) enters the value reached in a year."""
    indicator, objective, convention = _indicator(convention_indicator_id)
    if not _may_enter_values():
        abort(403)
    form, refused = ValueForm(), {}
    if request.method == "GET":
        form.year.data = _year_arg(convention)
        pending = next((v for v in reversed(indicator.values_for(form.year.data))
                        if v.validated_at is None), None)
        form.pending.data = f"{pending.id}:{pending.edit_version}" if pending else ""
        if pending is not None:
            form.value.data, form.text_value.data = pending.value, pending.text_value
            form.source.data, form.comment.data = pending.source, pending.comment
    if form.validate_on_submit():
        try:
            operations.enter_value(
                convention, indicator, form.year.data, form.value.data,
                text_value=form.text_value.data or "", source=form.source.data or "",
                comment=form.comment.data or "", user=current_user, by_authority=not is_partner(),
                seen=operations.pending_seen(request.form.get("pending")))
        except indicator_rules.IndicatorError as error:
            _apply_errors(form, error.errors)
        except versions.Conflict as conflict:
            pending = operations.pending_value(indicator, form.year.data)
            form.pending.data = f"{pending.id}:{pending.edit_version}"
            refused = {"conflict": conflict, "conflict_rows": versions.compare(
                form, ValueForm(obj=pending, formdata=None))}
        else:
            if is_partner():
                flash(_("Valeur %(year)s enregistrée : elle attend la validation de la collectivité.",
                        year=form.year.data), "success")
            else:
                flash(_("Valeur %(year)s enregistrée et validée.", year=form.year.data), "success")
            return redirect(url_for("conventions.show", convention_id=convention.id,
                                    _anchor=f"indicateur-{indicator.id}"))
    year = form.year.data if convention.in_period(form.year.data) else None
    return render_template(
        "conventions/value_form.html", form=form, indicator=indicator, objective=objective,
        convention=convention, year=year,
        target=indicator.target_for(year) if year else None,
        history=[v for v in indicator.values if v.year == year] if year else [],
        partner=is_partner(), **refused,
    ), 409 if refused else 422 if form.errors else 200


@bp.route("/values/<int:convention_value_id>/validate", methods=["POST"])
@login_required
@open_to_partners
def validate_value(convention_value_id: int):
    measure = get_or_404(IndicatorValue, convention_value_id)
    indicator, _objective, convention = _indicator(measure.indicator_id)
    if not is_partner():
        require("edit")
    try:
        operations.validate_value(measure, current_user, is_partner=is_partner(),
                                  version=versions.loaded_version())
    except operations.NotAllowed as error:
        return _forbidden(str(error))
    except versions.Conflict as conflict:
        flash(_("Valeur %(year)s de « %(title)s » non validée : elle a été corrigée. %(who)s "
                "Vérifiez-la avant de la valider.", year=measure.year, title=indicator.title,
                who=conflict.background_message), "error")
        return redirect(url_for("conventions.show", convention_id=convention.id,
                                _anchor="a-valider"))
    flash(_("Valeur %(year)s de « %(title)s » validée.", year=measure.year, title=indicator.title),
          "success")
    return redirect(request.form.get("next") if _safe(request.form.get("next"))
                    else url_for("conventions.show", convention_id=convention.id))


def _safe(target: str | None) -> bool:
    return local_path(target) is not None


# Dialogue notes ----------------------------------------------------------------------

@bp.route("/indicators/<int:convention_indicator_id>/notes", methods=["POST"])
@login_required
@open_to_partners
def add_note(convention_indicator_id: int):
    indicator, _objective, convention = _indicator(convention_indicator_id)
    if not is_partner():
        require("contribute")
    form = NoteForm()
    if is_partner():
        form.party.data = "association"
    year = form.year.data
    if form.validate_on_submit():
        try:
            operations.add_note(convention, indicator, form.year.data,
                                "association" if is_partner() else form.party.data,
                                form.text.data, current_user)
        except rules.ConventionError as error:
            errors = error.errors
        else:
            flash(_("Note ajoutée au dialogue %(year)s.", year=year), "success")
            return redirect(url_for("conventions.dialogue", convention_id=convention.id, year=year,
                                    _anchor=f"indicateur-{indicator.id}"))
    else:
        errors = {name: messages[0] for name, messages in form.errors.items()}
    fresh = _convention(convention.id)
    shown_year = year if convention.in_period(year) else rules.default_year(
        convention, date.today().year)
    message = " ".join(str(m) for m in errors.values())
    return _render_dialogue(fresh, shown_year, note_errors={indicator.id: message},
                            note_values={indicator.id: {"text": form.text.data or "",
                                                        "party": form.party.data}}, status=422)


@bp.route("/notes/<int:dialogue_note_id>/delete", methods=["POST"])
@login_required
@open_to_partners
def delete_note(dialogue_note_id: int):
    note = get_or_404(DialogueNote, dialogue_note_id)
    convention = _convention(note.convention_id)
    year = note.year
    try:
        operations.delete_note(note, current_user, is_partner=is_partner(), can_edit=can("edit"))
    except operations.NotAllowed as error:
        return _forbidden(str(error))
    flash(_("Note supprimée."), "success")
    return redirect(url_for("conventions.dialogue", convention_id=convention.id, year=year))


# Exports -----------------------------------------------------------------------------

@bp.route("/<int:convention_id>/dashboard.<any(docx, odt, pdf):fmt>")
@login_required
@open_to_partners
def export_document(convention_id: int, fmt: str):
    convention = _convention(convention_id)
    dashboard, indicators = _dashboard(convention)
    summary = rules.summarise(convention, convention.objectives, indicators, date.today().year)
    meetings = [(panel.title, [text for text, _url in panel.items])
                for panel in convention_panels.panels_for(convention) if panel.items]
    document = documents.describe_convention(dashboard, operations.notes_of(convention.id),
                                             g.territory, summary, meetings)
    return send_document(document, fmt)


@bp.route("/<int:convention_id>/dashboard.xlsx")
@login_required
@open_to_partners
def export_xlsx(convention_id: int):
    convention = _convention(convention_id)
    dashboard, indicators = _dashboard(convention)
    summary = rules.summarise(convention, convention.objectives, indicators, date.today().year)
    data = exports.build_conventions_xlsx([summary], [dashboard])
    return send_download(data, f"convention-{slugify(convention.reference)}.xlsx")


# Panels ------------------------------------------------------------------------------

@home_panels.register
def pending_values_panel(territory) -> Panel | None:
    """Values entered by associations that wait for the authority's validation."""
    if not can("edit"):
        return None
    rows = db.session.execute(
        select(Convention.id, Convention.reference, Organisation.name, func.count(IndicatorValue.id))
        .join(ConventionObjective, ConventionObjective.convention_id == Convention.id)
        .join(Indicator, (Indicator.owner_type == OWNER_TYPE)
              & (Indicator.owner_id == ConventionObjective.id))
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .join(Organisation, Organisation.id == Convention.association_id)
        .where(Convention.territory_id == territory.id, IndicatorValue.validated_at.is_(None))
        .group_by(Convention.id, Convention.reference, Organisation.name)
        .order_by(Convention.reference).limit(6)).all()
    if not rows:
        return None
    return Panel(
        title=_("Conventions : valeurs à valider"),
        items=[(_("%(association)s (%(ref)s) : %(n)d valeur(s)", association=name, ref=ref, n=n),
                url_for("conventions.show", convention_id=cid, territory=territory.slug,
                        _anchor="a-valider"))
               for cid, ref, name, n in rows],
        more_url=url_for("conventions.portfolio", territory=territory.slug),
        order=25,
    )


@organisation_panels.register
def organisation_conventions_panel(organisation) -> Panel | None:
    conventions = db.session.scalars(
        select(Convention).where(Convention.territory_id == organisation.territory_id,
                                 (Convention.association_id == organisation.id)
                                 | (Convention.authority_id == organisation.id))
        .order_by(Convention.start_year.desc(), Convention.reference).limit(10)).all()
    if not conventions:
        return None
    return Panel(
        title=_("Conventions"),
        items=[(f"{c.reference} – {c.title} ({c.period_label}, {c.status_label})",
                url_for("conventions.show", convention_id=c.id)) for c in conventions],
        order=45,
    )

