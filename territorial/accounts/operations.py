"""Account rules: login, signed links for invitations and password resets."""
import hashlib
import logging
import secrets
import smtplib
from email.message import EmailMessage
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from territorial.accounts.models import Invitation, Membership, User
from territorial.common.errors import DomainError
from territorial.common.models import utcnow
from territorial.territories.models import Territory

log = logging.getLogger(__name__)
COORDINATOR = "coordinator"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@cache
def _decoy_hash() -> str:
    """A hash of the same kind as the users', checked when there is no user to check
    against, so that a sign-in takes as long for an unknown address (no account probing)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is not None and user.password_hash:
        matches = user.check_password(password)
    else:
        check_password_hash(_decoy_hash(), password)  # the same work; never a match
        matches = False
    if user is None or not matches or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def create_user(email: str, display_name: str, password: str, *, is_admin: bool = False) -> User:
    user = User(email=normalise_email(email), display_name=display_name, is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def save_preferences(user: User, display_name: str, locale: str | None) -> None:
    """The name the account shows and the language of its pages."""
    user.display_name = display_name
    user.locale = locale
    db.session.flush()


def password_inputs(user: User) -> list[str]:
    """What a new password of ``user`` must not lean on: the address, the name and the
    names of the territories the account belongs to (``passwords.StrongPassword``)."""
    territories = db.session.scalars(
        select(Territory.name).join(Membership, Membership.territory_id == Territory.id)
        .where(Membership.user_id == user.id)
    ).all()
    return [user.email, user.display_name, *territories]


def set_membership(user: User, territory_id: int, role: str) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.territory_id == territory_id
        )
    )
    if membership is None:
        membership = Membership(user_id=user.id, territory_id=territory_id, role=role)
        db.session.add(membership)
    else:
        change_role(membership, role)
    db.session.flush()
    return membership


def change_role(membership: Membership, role: str) -> Membership:
    if membership.role == COORDINATOR and role != COORDINATOR:
        _keep_a_coordinator(membership)
    membership.role = role
    db.session.flush()
    return membership


def remove_membership(membership: Membership) -> None:
    if membership.role == COORDINATOR:
        _keep_a_coordinator(membership)
    db.session.delete(membership)
    db.session.flush()


def _keep_a_coordinator(leaving: Membership) -> None:
    """A territory keeps at least one active account at its coordination, or no one
    could administer it (members, roles, settings) but the platform's administrators."""
    others = db.session.scalar(
        select(func.count()).select_from(Membership).join(User, User.id == Membership.user_id)
        .where(Membership.territory_id == leaving.territory_id,
               Membership.role == COORDINATOR, Membership.id != leaving.id,
               User.is_active_account.is_(True))
    )
    if not others:
        raise DomainError(_("C'est le dernier compte à la coordination de ce territoire : "
                            "sans lui, personne ne pourrait plus l'administrer. Confiez "
                            "d'abord la coordination à un autre membre."), field="role")


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


# Invitations ---------------------------------------------------------------

def invite(territory_id: int, email: str, role: str, invited_by: User) -> Invitation:
    """Invite an address to a territory; inviting it again while the first invitation waits
    renews that one (a new link, the old one no longer works) rather than adding a second."""
    email = normalise_email(email)
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.territory_id == territory_id, Invitation.email == email,
        Invitation.accepted_at.is_(None)).order_by(Invitation.id.desc()).limit(1))
    if invitation is None:
        invitation = Invitation(territory_id=territory_id, email=email)
        db.session.add(invitation)
    else:
        invitation.nonce = secrets.token_hex(8)
        invitation.created_at = utcnow()
    invitation.role, invitation.invited_by_id = role, invited_by.id
    db.session.flush()
    return invitation


def invitation_token(invitation: Invitation) -> str:
    return _serializer("invitation").dumps([invitation.id, invitation.nonce])


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation of a valid, unexpired, unused link; else None."""
    try:
        invitation_id, nonce = _serializer("invitation").loads(
            token, max_age=current_app.config["INVITATION_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.nonce != nonce or invitation.accepted_at:
        return None
    return invitation


# What an accepted invitation brings besides the membership: a capability registers a
# function (invitation, user) -> the URL the user lands on, or None (e.g. the conventions an
# invitation carries: ``territorial.conventions.invitations``).
_acceptance_steps: list = []


def on_acceptance(step):
    _acceptance_steps.append(step)
    return step


def accept_invitation(invitation: Invitation, user: User) -> str | None:
    """Accept: the membership, then what the capabilities grant. Returns where the user
    lands (None: the territory's home for their role)."""
    invitation.accept()
    set_membership(user, invitation.territory_id, invitation.role)
    landings = [step(invitation, user) for step in _acceptance_steps]
    return next((url for url in landings if url), None)


# Password reset -------------------------------------------------------------

def _password_fingerprint(user: User) -> str:
    """Changes with the password, so that a reset link works once."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def password_reset_token(user: User) -> str:
    return _serializer("password-reset").dumps([user.id, _password_fingerprint(user)])


def user_from_reset_token(token: str) -> User | None:
    try:
        user_id, fingerprint = _serializer("password-reset").loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or _password_fingerprint(user) != fingerprint:
        return None
    return user


# Mail -----------------------------------------------------------------------

def send_mail(to: str, subject: str, body: str,
              attachments: tuple[tuple[str, bytes, str], ...] = ()) -> bool:
    """Send when SMTP settings are given; say whether a mail left. ``attachments``:
    (file name, content, MIME type) each."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    for name, content, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Sending mail to %s failed", to)
        return False
    return True
