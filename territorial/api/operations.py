"""Tokens (create, revoke, authenticate) and what a token's user may read."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from territorial.accounts.models import Membership, User
from territorial.api.models import ApiToken
from territorial.common.models import utcnow
from territorial.territories.models import Territory

TOKEN_PREFIX = "tp_"
# last_used_at is written at most once per minute and token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token, to be shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token),
                   prefix=token[: len(TOKEN_PREFIX) + 6])
    db.session.add(row)
    db.session.flush()
    return row, token


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def authenticate(token: str) -> User | None:
    """The active account of an active token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.is_active:
        return None
    now = utcnow()
    last = row.ApiToken.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or now - last > LAST_USED_PRECISION:
        row.ApiToken.last_used_at = now
    return row.User


def readable_territories(user: User):
    """The select() of the territories ``user`` reads through the API: those where they
    are a member (partners excepted: they only reach their conventions' pages), all of
    them for the platform admin."""
    statement = select(Territory)
    if not user.is_admin:
        statement = statement.where(
            Territory.id.in_(
                select(Membership.territory_id).where(
                    Membership.user_id == user.id, Membership.role != "partner"
                )
            )
        )
    return statement
