"""Indicator pages for any registered owner: add, edit, targets per year, measures.

The owner's page embeds ``templates/indicators/_indicators.html`` and links here with
``next`` set to its own URL, where the user returns after each change.
"""
from datetime import date
from decimal import Decimal

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from territorial.access import check, get_or_404, needs, require
from territorial.common import versions
from territorial.common.blueprints import territory_blueprint
from territorial.common.errors import DomainError, flash_error, next_url, show_errors
from territorial.common.panels import SUBJECT_ID, YEAR, Panel, home_panels
from territorial.indicators import operations, rules, standing
from territorial.indicators import queries
from territorial.indicators.forms import IndicatorForm, TargetForm, ValueForm
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue
from territorial.common.navigation import owned_pages, page_object
from territorial.common.owners import indicator_owners

bp = territory_blueprint("indicators", __name__, url_prefix="/indicators")


def _section() -> str | None:
    """The menu section of an indicator's page: its owner's (on « new », the owner's
    kind that the address asks for)."""
    indicator = page_object(Indicator, "indicator_id")
    if indicator is not None:
        return indicator_owners.section_of(indicator)
    kind = indicator_owners.get(request.args.get("owner_type", ""))
    return kind.section if kind is not None else None


owned_pages(bp.name, _section)


def indicator_number(value) -> str:
    """« 1 250 » or « 12,5 » (French grouping and decimal comma)."""
    if value is None:
        return "—"
    value = Decimal(value)
    return format_decimal(value, format="#,##0" if value == value.to_integral_value() else "#,##0.##")


def indicator_status(indicator, year):
    return rules.status_against_target(indicator, year)


def indicator_standing(indicator, years=None):
    """Where ``indicator`` stands today for a page whose period is ``years`` (the
    targets of its year, the next one and the trajectory: ``standing.py``)."""
    return standing.standing(indicator, None, list(years) if years else None)


def indicator_tone(code: str) -> str:
    return rules.status_tone(code)


def scale_levels(scale: str) -> list[str]:
    return rules.scale_levels(scale)

INDICATOR_FIELDS = ("title", "kind", "unit", "direction", "baseline", "baseline_year",
                    "target_statement", "scale", "description", "source")


@home_panels.register(shown_if=lambda: queries.any_without_measure(SUBJECT_ID, YEAR))
def missing_measures_panel(territory) -> Panel | None:
    """Indicators with a target this year and no measure yet (DESIGN §6: the home page)."""
    year = date.today().year
    count, items = queries.without_measure(territory.id, year)
    if not count:
        return None
    return Panel(
        title=_("Indicateurs sans mesure en %(year)s (%(n)d)", year=year, n=count),
        items=[(indicator.title, url_for("indicators.show", indicator_id=indicator.id))
               for indicator in items],
        order=70,
    )


def _owner_url(owner_type: str, owner_id: int) -> str:
    owner = indicator_owners.get(owner_type)
    if owner is not None:
        try:
            return owner.url(owner_id)
        except Exception:  # noqa: BLE001  (an owner page that cannot be built must not break ours)
            pass
    return url_for("territory.home")


def _back(indicator: Indicator | None = None, owner=None) -> str:
    wanted = next_url()
    if wanted:
        return wanted
    if indicator is not None:
        return _owner_url(indicator.owner_type, indicator.owner_id)
    return url_for("territory.home")


def _year_refused(indicator: Indicator, form) -> bool:
    """Let the owner refuse the year (a convention refuses years outside its period)."""
    owner = indicator_owners.get(indicator.owner_type)
    problem = owner.year_problem(indicator.owner_id, form.year.data) if owner else None
    if problem:
        form.year.errors.append(problem)
    return bool(problem)


def _load(indicator_id: int) -> Indicator:
    return get_or_404(
        Indicator, indicator_id,
        selectinload(Indicator.targets),
        selectinload(Indicator.values).selectinload(IndicatorValue.entered_by),
        selectinload(Indicator.values).selectinload(IndicatorValue.validated_by),
    )


def _crumbs(owner, owner_id: int, back_url: str) -> list[tuple[str, str]]:
    """The breadcrumbs before the indicator's: the owner's trail (« Plans d'action », the
    plan), then the way back named by the owner's kind and name (« Action « Créer un
    tiers-lieu » »), its kind alone when it has no name."""
    if owner is None:
        return [(_("Retour"), back_url)]
    name = owner.name(owner_id)
    label = _("%(label)s « %(title)s »", label=owner.label, title=name) if name \
        else str(owner.label)
    return owner.trail(owner_id) + [(label, back_url)]


@bp.route("/new", methods=["GET", "POST"])
@login_required
@needs("contribute")
def new():
    owner_type_key = request.args.get("owner_type", "")
    owner_id = request.args.get("owner_id", type=int)
    if not owner_type_key and owner_id is None:
        flash(_("Un indicateur s'ajoute depuis la page de l'action, du projet ou de la "
                "convention qu'il mesure."), "info")
        return redirect(url_for("territory.home"))
    owner = indicator_owners.get(owner_type_key)
    if owner is None or owner_id is None or not owner.exists(owner_id):
        abort(404)
    require(owner.permission)  # the owner asked for in the address says what it needs
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            indicator = operations.create_indicator(
                g.territory.id, owner_type_key, owner_id,
                **{name: getattr(form, name).data for name in INDICATOR_FIELDS},
            )
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Indicateur « %(title)s » ajouté. Fixez maintenant ses cibles.",
                    title=indicator.title), "success")
            return redirect(url_for("indicators.show", indicator_id=indicator.id,
                                    next=next_url()))
    back_url = next_url() or owner.url(owner_id)
    return render_template(
        "indicators/form.html", form=form, indicator=None, back_url=back_url,
        crumbs=_crumbs(owner, owner_id, back_url),
    ), 422 if form.errors else 200


@bp.route("/<int:indicator_id>")
@login_required
@needs("view")
def show(indicator_id: int):
    indicator = _load(indicator_id)
    return _render_show(indicator, TargetForm(prefix="target"), ValueForm(prefix="measure"))


def _render_show(indicator, target_form, value_form, status=200, refused=None):
    year = date.today().year
    target_form.statement.levels = value_form.text_value.levels = rules.scale_levels(
        indicator.scale)
    if target_form.year.data is None:
        target_form.year.data = year
    if not target_form.seen.data:
        target_form.seen.data = operations.targets_seen(indicator)
    if value_form.year.data is None:
        value_form.year.data = year
    owner = indicator_owners.get(indicator.owner_type)
    back_url = _back(indicator)
    years = indicator.years() or [year]
    return render_template(
        "indicators/show.html", indicator=indicator, years=years,
        statuses={y: rules.status_against_target(indicator, y) for y in years},
        tones=rules.STATUS_TONES, target_form=target_form, value_form=value_form,
        crumbs=_crumbs(owner, indicator.owner_id, back_url), back_url=back_url,
        next_url=next_url(),
        permission=owner.permission if owner else "edit", **(refused or {}),
    ), status


@bp.route("/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
@needs("change_indicator")
def edit(indicator_id: int):
    indicator = _load(indicator_id)
    check(indicator, "change_indicator")
    form, refused = IndicatorForm(obj=indicator), {}
    if form.validate_on_submit():
        try:
            operations.update_indicator(
                indicator, version=versions.parse(form.edit_version.data),
                **{name: getattr(form, name).data for name in INDICATOR_FIELDS}
            )
        except versions.Conflict as conflict:
            indicator = _load(indicator_id)
            refused = versions.refusal(conflict, form, IndicatorForm(obj=indicator, formdata=None))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Indicateur enregistré."), "success")
            return redirect(url_for("indicators.show", indicator_id=indicator.id,
                                    next=next_url()))
    owner, back_url = indicator_owners.get(indicator.owner_type), _back(indicator)
    return render_template(
        "indicators/form.html", form=form, indicator=indicator,
        crumbs=_crumbs(owner, indicator.owner_id, back_url), back_url=back_url, **refused,
    ), 409 if refused else 422 if form.errors else 200


@bp.route("/<int:indicator_id>/delete", methods=["POST"])
@login_required
@needs("change_indicator")
def delete(indicator_id: int):
    indicator = _load(indicator_id)
    check(indicator, "change_indicator")
    back = _back(indicator)
    operations.delete_indicator(indicator)
    flash(_("Indicateur supprimé."), "success")
    return redirect(back)


@bp.route("/<int:indicator_id>/targets", methods=["POST"])
@login_required
@needs("change_indicator")
def set_target(indicator_id: int):
    indicator = _load(indicator_id)
    check(indicator, "change_indicator")
    form = TargetForm(prefix="target")
    if form.validate_on_submit() and not _year_refused(indicator, form):
        seen = versions.parse_seen(form.seen.data)
        try:
            operations.set_target(indicator, form.year.data, form.value.data, form.statement.data,
                                  None if seen is None else seen.get(str(form.year.data), (0,))[0])
        except versions.Conflict as conflict:
            return _target_refused(indicator_id, form, conflict)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Cible %(year)s enregistrée.", year=form.year.data), "success")
            return redirect(url_for("indicators.show", indicator_id=indicator.id,
                                    next=next_url()))
    return _render_show(indicator, form, ValueForm(prefix="measure", formdata=None), status=422)


@bp.route("/targets/<int:target_id>/delete", methods=["POST"])
@login_required
@needs("change_indicator")
def delete_target(target_id: int):
    target = get_or_404(IndicatorTarget, target_id, selectinload(IndicatorTarget.indicator))
    check(target.indicator, "change_indicator")
    indicator_id = target.indicator_id
    operations.delete_target(target)
    flash(_("Cible supprimée."), "success")
    return redirect(url_for("indicators.show", indicator_id=indicator_id,
                            next=next_url()))


@bp.route("/<int:indicator_id>/values", methods=["POST"])
@login_required
@needs("change_indicator")
def record_value(indicator_id: int):
    indicator = _load(indicator_id)
    check(indicator, "change_indicator")
    form = ValueForm(prefix="measure")
    if form.validate_on_submit() and not _year_refused(indicator, form):
        try:
            operations.record_value(
                indicator, form.year.data, form.value.data, text_value=form.text_value.data,
                measured_on=form.measured_on.data, source=form.source.data,
                comment=form.comment.data, entered_by=current_user,
            )
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Mesure %(year)s enregistrée.", year=form.year.data), "success")
            return redirect(url_for("indicators.show", indicator_id=indicator.id,
                                    next=next_url()))
    return _render_show(indicator, TargetForm(prefix="target", formdata=None), form, status=422)


def _target_refused(indicator_id: int, form, conflict: versions.Conflict):
    """A target another person set for that year after the page was loaded: both shown, the
    form kept as typed, now carrying what the page shows."""
    indicator = _load(indicator_id)
    theirs = indicator.target_for(form.year.data)
    value = form.value.data if indicator.is_quantitative else form.statement.data
    rows = [(_("Cible %(year)s", year=form.year.data), _target_shown(indicator, theirs),
             _target_shown(indicator, None, value))]
    form.seen.data = operations.targets_seen(indicator)
    return _render_show(indicator, form, ValueForm(prefix="measure", formdata=None), 409,
                        refused={"conflict": conflict, "conflict_rows": rows})


def _target_shown(indicator: Indicator, target, value=None) -> str:
    if target is not None:
        value = target.value if indicator.is_quantitative else target.statement
    if indicator.is_quantitative:
        return f"{indicator_number(value)} {indicator.unit}" if value is not None else ""
    return value or ""


def _measure(value_id: int) -> IndicatorValue:
    return get_or_404(IndicatorValue, value_id, selectinload(IndicatorValue.indicator))


@bp.route("/values/<int:value_id>/validate", methods=["POST"])
@login_required
@needs("edit")
def validate_value(value_id: int):
    measure = _measure(value_id)
    try:
        operations.validate_value(measure, current_user, versions.loaded_version())
    except versions.Conflict as conflict:
        flash_error(conflict, _("Mesure non validée : elle a changé. %(who)s",
                                who=conflict.background_message))
        return redirect(url_for("indicators.show", indicator_id=measure.indicator_id,
                                next=next_url()))
    flash(_("Mesure validée."), "success")
    return redirect(url_for("indicators.show", indicator_id=measure.indicator_id,
                            next=next_url()))


@bp.route("/values/<int:value_id>/delete", methods=["POST"])
@login_required
@needs("change_indicator")
def delete_value(value_id: int):
    measure = _measure(value_id)
    check(measure.indicator, "change_indicator")
    indicator_id = measure.indicator_id
    operations.delete_value(measure)
    flash(_("Mesure supprimée."), "success")
    return redirect(url_for("indicators.show", indicator_id=indicator_id,
                            next=next_url()))
