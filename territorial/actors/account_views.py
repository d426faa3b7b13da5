"""A person's account on the platform, from their page: invite them (the invitation links the
account it creates to the person), link an account that already exists, or unlink it.
Routes of the « actors » blueprint; the coordination (permission "administer") does this."""
from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from extensions import db
from territorial.access import can, get_or_404, needs
from territorial.accounts import operations as accounts
from territorial.accounts import people
from territorial.accounts.forms import InvitationForm, LinkAccountForm
from territorial.accounts.models import User
from territorial.actors.models import Person
from territorial.actors.views import bp
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import ConfirmForm
from territorial.common.panels import person_panels
from territorial.common.text import elide


def render_person(person: Person, *, invite_form=None, link_form=None, link=None, status=200):
    """The person's page, with their account (or how to give them one) for the coordination."""
    administer = can("administer")
    return render_template(
        "actors/person.html", person=person, confirm_form=ConfirmForm(),
        panels=person_panels.panels_for(person), administer=administer,
        account=people.linked_user(person) if administer else None,
        pending=people.pending_invitations(person) if administer else [],
        invite_form=invite_form or _invite_form(person), link_form=link_form or _link_form(),
        link=link,
    ), status


def _invite_form(person: Person, formdata=None) -> InvitationForm:
    form = InvitationForm(formdata=formdata)
    if formdata is None:
        form.email.data, form.role.data = person.email, "participant"
    return form


def _link_form() -> LinkAccountForm:
    form = LinkAccountForm()
    form.user_id.choices = [(0, _("— Choisir —"))] + [
        (user.id, f"{user.display_name} ({user.email})")
        for user in people.linkable_users(g.territory.id)]
    return form


def _person(person_id: int) -> Person:
    return get_or_404(Person, person_id, selectinload(Person.organisation))


@bp.route("/people/<int:person_id>/invite", methods=["POST"])
@login_required
@needs("administer")
def invite_person(person_id: int):
    person = _person(person_id)
    form = InvitationForm()
    if not form.validate_on_submit():
        return render_person(person, invite_form=form, status=422)
    try:
        invitation = people.invite_person(person, form.email.data, form.role.data, current_user)
    except DomainError as error:
        return render_person(person, invite_form=form, status=show_errors(form, error))
    link = url_for("accounts.accept_invitation", token=accounts.invitation_token(invitation),
                   _external=True)
    sent = accounts.send_mail(
        invitation.email, _("Invitation sur la plateforme des partenariats territoriaux"),
        elide(_("Vous êtes invité·e à rejoindre « %(territory)s ». Ouvrez ce lien pour créer "
                "votre accès (valable 7 jours) ; votre compte sera celui de %(person)s : "
                "%(link)s", territory=g.territory.name, person=person.full_name, link=link),
              person.full_name))
    flash(_("Invitation envoyée par courriel à %(email)s.", email=invitation.email) if sent else
          _("Invitation créée : copiez le lien ci-dessous et transmettez-le à %(person)s.",
            person=person.full_name), "success")
    return render_person(person, link=None if sent else link)


@bp.route("/people/<int:person_id>/account", methods=["POST"])
@login_required
@needs("administer")
def link_account(person_id: int):
    person = _person(person_id)
    form = _link_form()
    user = db.session.get(User, form.user_id.data) if form.validate_on_submit() \
        and form.user_id.data else None
    try:
        people.link(person, user)
    except DomainError as error:
        return render_person(person, link_form=form, status=show_errors(form, error))
    flash(_("%(person)s agit désormais sous le compte %(email)s.", person=person.full_name,
            email=user.email), "success")
    return redirect(url_for("actors.person", person_id=person.id) + "#compte")


@bp.route("/people/<int:person_id>/account/unlink", methods=["POST"])
@login_required
@needs("administer")
def unlink_account(person_id: int):
    person = _person(person_id)
    people.unlink(person)
    flash(_("Le compte n'est plus lié à %(person)s.", person=person.full_name), "success")
    return redirect(url_for("actors.person", person_id=person.id) + "#compte")
