"""A convention's funders, amounts, documents and association accounts; the authority's
priorities and the convention's objectives. Routes of the ``conventions`` blueprint."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from territorial.accounts import operations as accounts
from territorial.access import get_or_404, needs
from territorial.common.errors import DomainError, flash_error, show_errors
from territorial.conventions import invitations, operations, queries
from territorial.conventions.forms import (
    AmountForm,
    DocumentForm,
    FunderForm,
    MemberForm,
    PartnerInviteForm,
    ObjectiveForm,
    PriorityEditForm,
    PriorityForm,
)
from territorial.conventions.models import (
    Convention,
    ConventionAmount,
    ConventionDocument,
    ConventionFunder,
    ConventionMember,
    ConventionObjective,
    Priority,
)

from territorial.conventions.views import _convention, _render_details, bp


# Funders, amounts, documents, accounts ------------------------------------------------

def _child(model, child_id: int):
    """A child row of a convention, with its convention checked (404 otherwise)."""
    child = get_or_404(model, child_id)
    return child, _convention(child.convention_id)


@bp.route("/<int:convention_id>/funders", methods=["POST"])
@login_required
@needs("edit")
def add_funder(convention_id: int):
    convention = _convention(convention_id)
    form = FunderForm()
    if form.validate_on_submit():
        try:
            operations.add_funder(convention, form.organisation_id.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Cofinanceur ajouté."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="financement"))
    return _render_details(_convention(convention_id), 422, funder_form=form)


@bp.route("/funders/<int:convention_funder_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_funder(convention_funder_id: int):
    funder, convention = _child(ConventionFunder, convention_funder_id)
    try:
        operations.remove_funder(funder)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Cofinanceur retiré."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="financement"))


@bp.route("/<int:convention_id>/amounts", methods=["POST"])
@login_required
@needs("edit")
def set_amount(convention_id: int):
    convention = _convention(convention_id)
    form = AmountForm()
    form.year.choices = [(y, str(y)) for y in range(1900, 2201)]
    form.funder_id.choices = [(o.id, o.name) for o in queries.organisations(g.territory.id)]
    if form.validate_on_submit():
        try:
            operations.set_amount(convention, form.year.data, form.amount.data, form.funder_id.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Montant %(year)s enregistré.", year=form.year.data), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="financement"))
    fresh = _convention(convention_id)
    return _render_details(fresh, 422, amount_form=form)


@bp.route("/amounts/<int:convention_amount_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_amount(convention_amount_id: int):
    amount, convention = _child(ConventionAmount, convention_amount_id)
    operations.delete_amount(amount)
    flash(_("Montant supprimé."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="financement"))


@bp.route("/<int:convention_id>/documents", methods=["POST"])
@login_required
@needs("edit")
def add_document(convention_id: int):
    convention = _convention(convention_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            operations.add_document(convention, form.title.data, form.kind.data,
                                    form.document_date.data, form.reference.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Document ajouté."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="pieces"))
    return _render_details(_convention(convention_id), 422, document_form=form)


@bp.route("/documents/<int:convention_document_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_document(convention_document_id: int):
    document, convention = _child(ConventionDocument, convention_document_id)
    operations.delete_document(document)
    flash(_("Document retiré."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="pieces"))


@bp.route("/<int:convention_id>/members", methods=["POST"])
@login_required
@needs("edit")
def add_member(convention_id: int):
    convention = _convention(convention_id)
    form = MemberForm()
    form.user_id.choices = [(u.id, u.email) for u in queries.partner_accounts(g.territory.id)]
    if form.validate_on_submit():
        try:
            operations.add_member(convention, form.user_id.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("L'association peut maintenant suivre sa convention avec ce compte."), "success")
            return redirect(url_for("conventions.details", convention_id=convention.id,
                                    _anchor="acces"))
    return _render_details(_convention(convention_id), 422, member_form=form)


@bp.route("/<int:convention_id>/invitations", methods=["POST"])
@login_required
@needs("edit")
def invite_partner(convention_id: int):
    """Invite a person of the association as partner of this convention: on accepting, they
    follow it (and land on it)."""
    convention = _convention(convention_id)
    form = PartnerInviteForm()
    if not form.validate_on_submit():
        return _render_details(convention, 422, invite_form=form)
    invitation = invitations.invite_partner(g.territory.id, form.email.data, [convention],
                                            current_user)
    link = url_for("accounts.accept_invitation",
                   token=accounts.invitation_token(invitation), _external=True)
    sent = accounts.send_mail(
        invitation.email, _("Invitation sur la plateforme des partenariats territoriaux"),
        _("Vous êtes invité·e à suivre la convention « %(title)s » sur « %(territory)s ». "
          "Ouvrez ce lien pour créer votre accès (valable 7 jours) : %(link)s",
          title=convention.title, territory=g.territory.name, link=link))
    flash(_("Invitation envoyée par courriel à %(email)s.", email=invitation.email) if sent else
          _("Invitation créée : transmettez ce lien à %(email)s : %(link)s",
            email=invitation.email, link=link), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="acces"))


@bp.route("/members/<int:convention_member_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_member(convention_member_id: int):
    member, convention = _child(ConventionMember, convention_member_id)
    operations.remove_member(member)
    flash(_("Accès retiré."), "success")
    return redirect(url_for("conventions.details", convention_id=convention.id, _anchor="acces"))


# Priorities --------------------------------------------------------------------------

@bp.route("/priorities", methods=["GET", "POST"])
@login_required
@needs("view", post="edit")
def priorities():
    form = PriorityForm()
    if request.method == "GET" and request.args.get("authority", type=int):
        form.authority_id.data = request.args.get("authority", type=int)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                priority = operations.create_priority(g.territory.id, form.authority_id.data,
                                                      form.title.data, form.description.data)
            except DomainError as error:
                show_errors(form, error)
            else:
                flash(_("Priorité « %(title)s » ajoutée.", title=priority.title), "success")
                return redirect(url_for("conventions.priorities", _anchor=f"priorite-{priority.id}"))
        status = 422
    rows = queries.priorities_of(g.territory.id)
    uses = queries.priority_uses(g.territory.id)
    return render_template("conventions/priorities.html", priorities=rows, uses=uses,
                           form=form), status


@bp.route("/priorities/<int:convention_priority_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_priority(convention_priority_id: int):
    priority = get_or_404(Priority, convention_priority_id, selectinload(Priority.authority))
    form = PriorityEditForm(obj=priority)
    if form.validate_on_submit():
        try:
            operations.update_priority(priority, form.title.data, form.description.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Priorité enregistrée."), "success")
            return redirect(url_for("conventions.priorities"))
    return render_template("conventions/priority_form.html", form=form, priority=priority), (
        422 if form.errors else 200)


@bp.route("/priorities/<int:convention_priority_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_priority(convention_priority_id: int):
    priority = get_or_404(Priority, convention_priority_id)
    try:
        operations.delete_priority(priority)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Priorité supprimée."), "success")
    return redirect(url_for("conventions.priorities"))


# Objectives --------------------------------------------------------------------------

def _priority_choices(form: ObjectiveForm, convention: Convention) -> None:
    form.priority_id.choices = [(0, _("— Choisir —"))] + [
        (p.id, p.title if p.authority_id == convention.authority_id
         else f"{p.title} ({p.authority.name})")
        for p in queries.priorities_for(convention)]


@bp.route("/<int:convention_id>/objectives/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new_objective(convention_id: int):
    convention = _convention(convention_id, details=False)
    form = ObjectiveForm()
    _priority_choices(form, convention)
    if form.validate_on_submit():
        try:
            objective = operations.create_objective(convention, form.priority_id.data,
                                                    form.title.data, form.description.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Objectif ajouté. Donnez-lui maintenant un ou plusieurs indicateurs."), "success")
            return redirect(url_for("conventions.show", convention_id=convention.id,
                                    _anchor=f"objectif-{objective.id}"))
    return render_template("conventions/objective_form.html", form=form, convention=convention,
                           objective=None), 422 if form.errors else 200


@bp.route("/objectives/<int:convention_objective_id>/edit", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_objective(convention_objective_id: int):
    objective = get_or_404(ConventionObjective, convention_objective_id)
    convention = _convention(objective.convention_id, details=False)
    form = ObjectiveForm(obj=objective)
    _priority_choices(form, convention)
    if form.validate_on_submit():
        try:
            operations.update_objective(objective, convention, form.priority_id.data,
                                        form.title.data, form.description.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Objectif enregistré."), "success")
            return redirect(url_for("conventions.show", convention_id=convention.id,
                                    _anchor=f"objectif-{objective.id}"))
    return render_template("conventions/objective_form.html", form=form, convention=convention,
                           objective=objective), 422 if form.errors else 200


@bp.route("/objectives/<int:convention_objective_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def delete_objective(convention_objective_id: int):
    objective = get_or_404(ConventionObjective, convention_objective_id)
    convention_id = objective.convention_id
    operations.delete_objective(objective)
    flash(_("Objectif supprimé, avec ses indicateurs."), "success")
    return redirect(url_for("conventions.show", convention_id=convention_id))
