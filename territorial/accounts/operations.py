"""Account rules: login, signed links for invitations and password resets."""
import hashlib
import logging
import secrets
import smtplib
from email.message import EmailMessage
from functools import cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from territorial.accounts.models import Invitation, Membership, User
from territorial.common.models import utcnow

log = logging.getLogger(__name__)


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
        membership.role = role
    db.session.flush()
    return membership


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


# Invitations ---------------------------------------------------------------

def invite(territory_id: int, email: str, role: str, invited_by: User) -> Invitation:
    invitation = Invitation(
        territory_id=territory_id,
        email=normalise_email(email),
        role=role,
        invited_by_id=invited_by.id,
    )
    db.session.add(invitation)
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


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    invitation.accept()
    return set_membership(user, invitation.territory_id, invitation.role)


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
