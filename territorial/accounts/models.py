"""Users, their memberships in territories and the invitations that create them."""
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from territorial.common.models import Timestamped, utcnow
from territorial.territories.models import Territory

ROLES = {
    "coordinator": _l("Coordination"),
    "facilitator": _l("Animation"),
    "participant": _l("Participant·e"),
    "observer": _l("Observateur·rice"),
    "partner": _l("Partenaire (accès limité à ses conventions)"),
}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        """Flask-Login's alternative id: a new token makes old cookies unusable."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.rotate_session_token()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def audit_label(self) -> str:
        return self.email


class AnonymousUser(AnonymousUserMixin):
    is_admin = False


class Membership(Timestamped, db.Model):
    __audit_name__ = _l("Accès au territoire")
    __audit_title__ = ("user_id", "role")
    __audit_link__ = ("territory.members", {})
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("user_id", "territory_id"),
        CheckConstraint(
            "role IN ('coordinator', 'facilitator', 'participant', 'observer', 'partner')",
            name="role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True, info={"label": _l("Compte")})
    territory_id: Mapped[int] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), info={"label": _l("Rôle"), "choices": ROLES})

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    territory: Mapped[Territory] = relationship(lazy="raise")

    @property
    def role_label(self) -> str:
        return str(ROLES[self.role])

    def audit_label(self) -> str:
        return f"{self.user_id} → {self.role}"


class Invitation(Timestamped, db.Model):
    """A pending invitation; the link carries its signed id and is usable once."""
    __audit_name__ = _l("Invitation")
    __audit_link__ = ("territory.members", {})

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(
        ForeignKey("territory.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), info={"label": _l("Courriel")})
    role: Mapped[str] = mapped_column(String(20), info={"label": _l("Rôle"), "choices": ROLES})
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True, info={"label": _l("Invité par")}
    )
    accepted_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), info={"label": _l("Acceptée le")})
    # The contact the account will be linked to (« users are people »), when invited from it.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, info={"label": _l("Personne")}
    )
    nonce: Mapped[str] = mapped_column(
        String(32), default=lambda: secrets.token_hex(8), info={"hidden": True})

    territory: Mapped[Territory] = relationship(lazy="raise")

    def accept(self) -> None:
        self.accepted_at = utcnow()

    def audit_label(self) -> str:
        return self.email
