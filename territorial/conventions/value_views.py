"""A convention's targets by year, the values the association enters and the authority
validates. Routes of the ``conventions`` blueprint."""
from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.access import get_or_404, is_partner, needs
from territorial.common import versions
from territorial.common.errors import DomainError, flash_error, next_url, show_errors
from territorial.conventions import exports, follow_up, queries
from territorial.conventions.forms import ValueForm, targets_form
from territorial.indicators.rules import scale_levels
from territorial.indicators import operations as indicator_operations
from territorial.indicators.models import IndicatorValue

from territorial.conventions.views import _indicator, _year_arg, bp


# Targets, values, validation ---------------------------------------------------------

@bp.route("/indicators/<int:convention_indicator_id>/targets", methods=["GET", "POST"])
@login_required
@needs("edit")
def targets(convention_indicator_id: int):
    indicator, objective, convention = _indicator(convention_indicator_id)
    current = queries.current_targets(indicator)
    form, conflicts = targets_form(convention, indicator, current), []
    if not form.is_submitted():
        form.seen.data = indicator_operations.targets_seen(indicator)
    if form.validate_on_submit():
        wanted = {year: getattr(form, f"target_{year}").data for year in convention.years}
        try:
            refused = follow_up.set_targets(convention, indicator, wanted,
                                             versions.parse_seen(form.seen.data))
        except DomainError as error:
            show_errors(form, error)
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
    current = {t.year: t for t in queries.current_targets(indicator)}
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
@needs("enter_values")
def enter_value(convention_indicator_id: int):
    """The association (or the authority) enters the value reached in a year."""
    indicator, objective, convention = _indicator(convention_indicator_id, "enter_values")
    form, refused = ValueForm(), {}
    if request.method == "GET":
        form.year.data = _year_arg(convention)
        _start_from_the_year_value(form, indicator)
    if form.validate_on_submit():
        try:
            follow_up.enter_value(
                convention, indicator, form.year.data, form.value.data,
                text_value=form.text_value.data or "", source=form.source.data or "",
                comment=form.comment.data or "", user=current_user, by_authority=not is_partner(),
                seen=follow_up.pending_seen(request.form.get("pending")))
        except versions.Conflict as conflict:
            pending = queries.pending_value(indicator, form.year.data)
            form.pending.data = f"{pending.id}:{pending.edit_version}"
            refused = {"conflict": conflict, "conflict_rows": versions.compare(
                form, ValueForm(obj=pending, formdata=None))}
        except DomainError as error:
            show_errors(form, error)
        else:
            if is_partner():
                flash(_("Valeur %(year)s enregistrée : elle attend la validation de la collectivité.",
                        year=form.year.data), "success")
            else:
                flash(_("Valeur %(year)s enregistrée et validée.", year=form.year.data), "success")
            return redirect(next_url(url_for("conventions.show", convention_id=convention.id,
                                             _anchor=f"indicateur-{indicator.id}")))
    year = form.year.data if convention.in_period(form.year.data) else None
    form.text_value.levels = scale_levels(indicator.scale)
    validated = _validated_value(indicator, year)
    return render_template(
        "conventions/value_form.html", form=form, indicator=indicator, objective=objective,
        convention=convention, year=year,
        target=indicator.target_for(year) if year else None,
        history=[v for v in indicator.values if v.year == year] if year else [],
        partner=is_partner(), validated=validated,
        correcting=validated is not None and not form.pending.data, back=next_url(), **refused,
    ), 409 if refused else 422 if form.errors else 200


def _validated_value(indicator, year: int | None) -> IndicatorValue | None:
    """The year's validated value (the last one), that a new entry would correct."""
    validated = [v for v in indicator.values_for(year) if v.validated_at is not None]
    return validated[-1] if validated else None


def _start_from_the_year_value(form: ValueForm, indicator) -> None:
    """Fill the form with the year's value being corrected: the one waiting for validation,
    else the validated one (a new entry is then added beside it)."""
    values = indicator.values_for(form.year.data)
    pending = next((v for v in reversed(values) if v.validated_at is None), None)
    form.pending.data = f"{pending.id}:{pending.edit_version}" if pending else ""
    shown = pending or (values[-1] if values else None)
    if shown is not None:
        form.value.data, form.text_value.data = shown.value, shown.text_value
        form.source.data, form.comment.data = shown.source, shown.comment


@bp.route("/values/<int:convention_value_id>/validate", methods=["POST"])
@login_required
@needs("validate_value")
def validate_value(convention_value_id: int):
    measure = get_or_404(IndicatorValue, convention_value_id)
    indicator, _objective, convention = _indicator(measure.indicator_id, "validate_value")
    try:
        indicator_operations.validate_value(measure, current_user, versions.loaded_version())
    except versions.Conflict as conflict:
        flash_error(conflict, _("Valeur %(year)s de « %(title)s » non validée : elle a été "
                                "corrigée. %(who)s Vérifiez-la avant de la valider.",
                                year=measure.year, title=indicator.title,
                                who=conflict.background_message))
        return redirect(url_for("conventions.show", convention_id=convention.id,
                                _anchor="a-valider"))
    flash(_("Valeur %(year)s de « %(title)s » validée.", year=measure.year, title=indicator.title),
          "success")
    return redirect(next_url(url_for("conventions.show", convention_id=convention.id)))
