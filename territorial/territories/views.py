"""Territory list, home, settings and members."""
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.access import (get_or_404, needs, partner_landing, role_in,
                                sends_partners_to_their_pages)
from territorial.accounts import operations as accounts
from territorial.accounts.forms import InvitationForm, MembershipRoleForm
from territorial.accounts.models import ROLES, Membership
from territorial.common.blueprints import territory_blueprint
from territorial.common.errors import DomainError, flash_error, show_errors
from territorial.common.forms import ConfirmForm
from territorial.common.panels import home_panels
from territorial.conventions import invitations
from territorial.territories import operations, queries
from territorial.territories.forms import LogoForm, TerritoryForm, TerritorySettingsForm
from territorial.territories.logo import logo_data_uri
from territorial.territories.models import Territory

bp = Blueprint("territories", __name__)
scoped = territory_blueprint("territory", __name__)


@bp.route("/")
def root():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("territories.index"))


@bp.route("/territories")
@login_required
def index():
    territories = operations.territories_of(current_user)
    archived = operations.territories_of(current_user, archived=True)
    if len(territories) == 1 and not archived and not current_user.is_admin:
        return redirect(_landing_url(territories[0]))
    return render_template("territories/index.html", territories=territories, archived=archived)


def _landing_url(territory: Territory) -> str:
    """A partner (e.g. an association under convention) lands on what it may see."""
    landing = partner_landing(territory.slug) \
        if role_in(territory, current_user) == "partner" else None
    return landing or url_for("territory.home", territory=territory.slug)


def _parent_choices(form: TerritoryForm) -> None:
    form.parent_id.choices = [(0, _("— Aucun —"))] + [
        (t.id, t.name) for t in operations.territories_of(current_user)]


@bp.route("/territories/new", methods=["GET", "POST"])
@login_required
def new():
    if not current_user.is_admin:
        abort(403)
    form = TerritoryForm()
    _parent_choices(form)
    if form.validate_on_submit():
        if form.slug.data and not operations.slug_available(form.slug.data):
            form.slug.errors.append(_("Cet identifiant est déjà pris."))
        else:
            territory = operations.create_territory(form.data, current_user)
            flash(_("Territoire « %(name)s » créé.", name=territory.name), "success")
            return redirect(url_for("territory.home", territory=territory.slug))
    return render_template("territories/form.html", form=form)


@scoped.route("/")
@login_required
@needs("view")
@sends_partners_to_their_pages
def home():
    return render_template(
        "territories/home.html",
        counts=queries.home_counts(g.territory.id),
        panels=home_panels.panels_for(g.territory),
        role_label=ROLES.get(g.role, _("Administration de la plateforme")),
    )


@scoped.route("/settings", methods=["GET", "POST"])
@login_required
@needs("administer")
def settings():
    territory: Territory = g.territory
    form = TerritorySettingsForm(obj=territory)
    if form.validate_on_submit():
        if form.slug.data and not operations.slug_available(form.slug.data, territory.id):
            form.slug.errors.append(_("Cet identifiant est déjà pris."))
        elif operations.makes_a_loop(territory, form.parent_id.data):
            form.parent_id.errors.append(_(
                "Le territoire choisi fait déjà partie de « %(name)s » (directement ou par "
                "un autre territoire) : il ne peut pas en devenir le parent.",
                name=territory.name))
        else:
            operations.update_territory(territory, form.data)
            flash(_("Territoire enregistré."), "success")
            return redirect(url_for("territory.home", territory=territory.slug))
    return render_settings(form=form)


def render_settings(form: TerritorySettingsForm | None = None,
                    logo_form: LogoForm | None = None, status: int = 200):
    """The settings page: the territory's form, its logo, its archiving."""
    territory: Territory = g.territory
    if form is None:
        form = TerritorySettingsForm(formdata=None, obj=territory)
    return render_template(
        "territories/form.html", form=form, territory=territory, confirm_form=ConfirmForm(),
        logo_form=logo_form or LogoForm(prefix="logo"), logo=logo_data_uri(territory.id)
    ), status


@scoped.route("/archive", methods=["POST"])
@login_required
@needs("administer")
def archive():
    archived = g.territory.archived_at is None
    operations.set_archived(g.territory, archived)
    if archived:
        flash(_("Territoire « %(name)s » archivé : il n'apparaît plus dans les listes, rien n'est "
                "supprimé.", name=g.territory.name), "success")
        return redirect(url_for("territories.index"))
    flash(_("Territoire restauré."), "success")
    return redirect(url_for("territory.home"))


def _invite(form):
    """The invitation the members' form asks for: a partner's carries its conventions."""
    if form.convention_ids.data and form.role.data != "partner":
        form.convention_ids.errors.append(_("Seul un compte « Partenaire » suit des conventions "
                                            "choisies : choisissez ce rôle, ou aucune "
                                            "convention."))
        return None
    if form.role.data == "partner" and form.convention_ids.data:
        try:
            return invitations.invite_partner(g.territory.id, form.email.data,
                                              form.convention_ids.data, current_user)
        except DomainError as error:
            show_errors(form, error)
            return None
    return accounts.invite(g.territory.id, form.email.data, form.role.data, current_user)


@scoped.route("/members", methods=["GET", "POST"])
@login_required
@needs("administer")
def members():
    form = InvitationForm()
    form.convention_ids.choices = invitations.convention_choices(g.territory.id)
    link = None
    invitation = _invite(form) if form.validate_on_submit() else None
    if invitation is not None:
        link = url_for(
            "accounts.accept_invitation", token=accounts.invitation_token(invitation), _external=True
        )
        sent = accounts.send_mail(
            invitation.email,
            _("Invitation sur la plateforme des partenariats territoriaux"),
            _("Vous êtes invité·e à rejoindre « %(territory)s ». Ouvrez ce lien pour créer "
              "votre accès (valable 7 jours) : %(link)s", territory=g.territory.name, link=link),
        )
        flash(_("Invitation envoyée par courriel.") if sent else
              _("Invitation créée : copiez le lien ci-dessous et transmettez-le."), "success")
        form = InvitationForm(formdata=None)
        form.convention_ids.choices = invitations.convention_choices(g.territory.id)
    if not form.convention_ids.choices:
        del form.convention_ids  # no convention in the territory: nothing to choose
    memberships = queries.memberships_of(g.territory.id)
    pending = queries.pending_invitations(g.territory.id)
    linked = queries.people_by_account(g.territory.id)
    return render_template(
        "territories/members.html",
        form=form,
        link=link,
        memberships=memberships,
        linked=linked,
        pending=pending,
        role_form=MembershipRoleForm,
        role_labels={key: str(label) for key, label in ROLES.items()},
        confirm_form=ConfirmForm(),
    )


@scoped.route("/members/<int:membership_id>/role", methods=["POST"])
@login_required
@needs("administer")
def change_role(membership_id: int):
    membership = get_or_404(Membership, membership_id)
    form = MembershipRoleForm()
    if form.validate_on_submit():
        try:
            accounts.change_role(membership, form.role.data)
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("Rôle modifié."), "success")
    return redirect(url_for("territory.members"))


@scoped.route("/members/<int:membership_id>/remove", methods=["POST"])
@login_required
@needs("administer")
def remove_member(membership_id: int):
    membership = get_or_404(Membership, membership_id)
    if membership.user_id == current_user.id:
        flash(_("Vous ne pouvez pas vous retirer vous-même."), "error")
    else:
        try:
            accounts.remove_membership(membership)
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("Membre retiré du territoire."), "success")
    return redirect(url_for("territory.members"))


# The blueprint's routes written in the other view modules of the capability.
from territorial.territories import logo_views  # noqa: E402,F401
