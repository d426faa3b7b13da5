"""Interconnaissance sheets and delegations of a charter's member structures. Routes of the
« partnerships » blueprint of ``territorial.charters.views``."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from territorial.access import get_or_404, may, needs
from territorial.charters import records
from territorial.charters import queries as charter_queries
from territorial.charters.forms import DelegationForm, SheetForm
from territorial.charters.models import Charter, CharterMember
from territorial.charters.record_models import Delegation
from territorial.charters.views import _members, bp, load_charter
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import ConfirmForm
from territorial.common.text import elide


# Interconnaissance -------------------------------------------------------------------------------

@bp.route("/charters/<int:charter_id>/interconnaissance")
@login_required
@needs("view")
def interconnaissance(charter_id: int):
    charter = load_charter(charter_id)
    members = _members(charter)
    sheets = charter_queries.sheets_of(charter)
    editable = {m.organisation_id for m in members if may("edit_sheet", m)}
    text = next((s for s in charter.content.get("other_sections", [])
                 if s["key"] == "information_interconnaissance"), None)
    return render_template("charters/interconnaissance.html", charter=charter, members=members,
                           sheets=sheets, editable=editable, form=SheetForm(), intro=text)


@bp.route("/charter-members/<int:charter_member_id>/sheet", methods=["GET", "POST"])
@login_required
@needs("edit_sheet")
def edit_sheet(charter_member_id: int):
    member = get_or_404(CharterMember, charter_member_id, selectinload(CharterMember.organisation),
                        need="edit_sheet")
    charter = load_charter(member.charter_id)
    sheet = records.sheet_for(charter, member.organisation_id)
    form = SheetForm(obj=sheet)
    if form.validate_on_submit():
        records.save_sheet(charter, member.organisation_id,
                              {name: getattr(form, name).data for name in records.SHEET_FIELDS},
                              current_user)
        name = member.organisation.name
        flash(elide(_("Fiche d'interconnaissance de %(name)s enregistrée.", name=name), name),
              "success")
        return redirect(url_for("charters.interconnaissance", charter_id=charter.id)
                        + f"#fiche-{member.organisation_id}")
    return render_template("charters/sheet_form.html", charter=charter, member=member, form=form), \
        422 if form.errors else 200


# Delegations ------------------------------------------------------------------------------------

def _delegation_form(charter: Charter) -> DelegationForm:
    form = DelegationForm()
    people = charter_queries.people_of_structures(charter)
    choices = [(None, _("— Choisir —"))] + [
        (p.id, f"{p.full_name} ({p.organisation.name})") for p in people]
    form.delegator_id.choices = form.delegate_id.choices = choices
    form.criteria.choices = [(c, c) for c in records.delegation_criteria(charter)]
    return form


@bp.route("/charters/<int:charter_id>/delegations", methods=["GET", "POST"])
@login_required
@needs("view", post="edit")
def delegations(charter_id: int):
    charter = load_charter(charter_id)
    form = _delegation_form(charter)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                records.record_delegation(
                    charter, delegator_id=form.delegator_id.data, delegate_id=form.delegate_id.data,
                    subject=form.subject.data, scope=form.scope.data, details=form.details.data,
                    criteria=form.criteria.data or [], reference_group=form.reference_group.data,
                    informed_on=form.informed_on.data, starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data, user=current_user)
            except DomainError as error:
                show_errors(form, error)
            else:
                flash(_("Délégation enregistrée."), "success")
                return redirect(url_for("charters.delegations", charter_id=charter.id))
        status = 422
    rows = charter_queries.delegations_of(charter)
    warnings = {d.id: records.delegation_warnings(charter, d) for d in rows}
    return render_template("charters/delegations.html", charter=charter, rows=rows, form=form,
                           warnings=warnings, confirm_form=ConfirmForm()), status


@bp.route("/delegations/<int:delegation_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_delegation(delegation_id: int):
    delegation = get_or_404(Delegation, delegation_id)
    records.delete_delegation(delegation)
    flash(_("Délégation supprimée."), "success")
    return redirect(url_for("charters.delegations", charter_id=delegation.charter_id))
