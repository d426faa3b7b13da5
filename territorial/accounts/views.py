"""Login, logout, password reset, invitation acceptance and personal settings."""
from flask import (Blueprint, abort, flash, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from extensions import db, limiter
from territorial.accounts import limits, operations, people, queries
from territorial.accounts.forms import (AcceptInvitationForm, ChangePasswordForm,
                                        ForgotPasswordForm, LoginForm, PreferencesForm,
                                        ResetPasswordForm)
from territorial.accounts.models import User
from territorial.access import partner_landing
from territorial.common.errors import next_url
from territorial.common.forms import ConfirmForm
from territorial.common.text import elide
from territorial.territories.models import Territory

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(limits.ip_limit, methods=["POST"], deduct_when=limits.failed)
@limiter.limit(limits.account_limit, methods=["POST"], key_func=limits.account_key,
               deduct_when=limits.failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("territories.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user, remember=form.remember.data)
            if user.locale:
                session["locale"] = user.locale
            return limits.remember_device(redirect(next_url(url_for("territories.index"))),
                                          user.email)
        form.password.errors.append(_("Adresse ou mot de passe incorrect."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    current_user.rotate_session_token()
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté·e."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(limits.ip_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        link = None
        user = operations.find_user(form.email.data)
        if user is not None and user.is_active and limits.may_send_reset_link(user.email):
            link = url_for(
                "accounts.reset_password", token=operations.password_reset_token(user), _external=True
            )
            operations.send_mail(
                user.email,
                _("Réinitialisation de votre mot de passe"),
                _("Pour choisir un nouveau mot de passe, ouvrez ce lien : %(link)s", link=link),
            )
        flash(
            _("Si un compte existe pour cette adresse, un lien de réinitialisation lui a été envoyé."),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = operations.user_from_reset_token(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    form = ResetPasswordForm()
    form.password_inputs = operations.password_inputs(user)
    if form.validate_on_submit():
        user.set_password(form.password.data)
        flash(_("Votre mot de passe a été changé. Connectez-vous avec le nouveau."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = operations.invitation_from_token(token)
    if invitation is None:
        return render_template("accounts/link_invalid.html"), 404
    existing = operations.find_user(invitation.email)
    if existing is not None:
        return _accept_as_existing_user(invitation, existing)
    person = people.invited_person(invitation)
    territory = db.session.get(Territory, invitation.territory_id)
    form = AcceptInvitationForm()
    form.password_inputs = [invitation.email, territory.name]
    if request.method == "GET" and person is not None:
        form.display_name.data = person.full_name
    if form.validate_on_submit():
        user = operations.create_user(invitation.email, form.display_name.data, form.password.data)
        landing = operations.accept_invitation(invitation, user)
        _linked(people.link_on_acceptance(invitation, user))
        login_user(user)
        flash(_("Bienvenue ! Votre compte est créé."), "success")
        return redirect(landing or _home(invitation))
    return render_template(
        "accounts/accept_invitation.html",
        form=form,
        invitation=invitation,
        territory=territory,
        person=_label(person),
    )


def _label(person) -> str | None:
    """« Nathalie Grosjean (MJC Clairs-Soleils) » for the acceptance page."""
    if person is None:
        return None
    from territorial.actors.models import Organisation

    organisation = db.session.get(Organisation, person.organisation_id) \
        if person.organisation_id else None
    return f"{person.full_name} ({organisation.name})" if organisation else person.full_name


def _linked(person) -> None:
    if person is not None:
        flash(elide(_("Votre compte est celui de %(person)s : vous agissez sous votre nom dans "
                      "les instances où vous siégez.", person=person.full_name),
                    person.full_name), "success")


def _home(invitation) -> str:
    """Where the new member lands: the territory's home, or a partner's own pages (a partner
    does not see the territory's home)."""
    slug = db.session.get(Territory, invitation.territory_id).slug
    landing = partner_landing(slug) if invitation.role == "partner" else None
    return landing or url_for("territory.home", territory=slug)


def _accept_as_existing_user(invitation, user: User):
    if not current_user.is_authenticated:
        flash(_("Connectez-vous pour accepter l'invitation."), "info")
        return redirect(url_for("accounts.login", next=request.path))
    if current_user.id != user.id:
        abort(403)
    person = people.invited_person(invitation)
    if request.method == "POST":
        landing = operations.accept_invitation(invitation, user)
        _linked(people.link_on_acceptance(invitation, user))
        flash(_("Invitation acceptée."), "success")
        return redirect(landing or _home(invitation))
    return render_template(
        "accounts/accept_invitation.html",
        form=ConfirmForm(),
        invitation=invitation,
        territory=db.session.get(Territory, invitation.territory_id),
        existing=True,
        person=_label(person),
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    preferences = PreferencesForm(prefix="prefs", obj=current_user)
    password_form = ChangePasswordForm(prefix="pw")
    password_form.password_inputs = operations.password_inputs(current_user)
    if preferences.submitted() and preferences.validate():
        operations.save_preferences(current_user, preferences.display_name.data,
                                    preferences.locale.data)
        session["locale"] = current_user.locale
        flash(_("Vos préférences sont enregistrées."), "success")
        return redirect(url_for("accounts.account"))
    if password_form.submitted() and password_form.validate():
        if not current_user.check_password(password_form.current_password.data):
            password_form.current_password.errors.append(_("Mot de passe actuel incorrect."))
        else:
            current_user.set_password(password_form.password.data)
            login_user(current_user._get_current_object())  # keep this session only
            flash(_("Mot de passe changé. Vos autres sessions sont fermées."), "success")
            return redirect(url_for("accounts.account"))
    memberships = queries.memberships_of(current_user)
    return render_template(
        "accounts/account.html",
        preferences=preferences,
        password_form=password_form,
        memberships=memberships,
    )
