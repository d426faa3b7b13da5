"""Partners onboarded: an invitation may name the conventions its partner will follow. On
acceptance the account becomes a member of each (``ConventionMember``) and lands on the
first one, rather than on pages a partner may not see."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from territorial.accounts import operations as accounts
from territorial.accounts.models import Invitation, Membership, User
from territorial.common.errors import DomainError
from territorial.conventions.models import Convention, ConventionMember
from territorial.territories.models import Territory


class InvitedConvention(db.Model):
    """A convention an invitation gives access to (its partner's)."""

    __tablename__ = "invitation_convention"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True)
    convention_id: Mapped[int] = mapped_column(
        ForeignKey("convention.id", ondelete="CASCADE"), primary_key=True, index=True)


def invite_partner(territory_id: int, email: str, conventions: list[Convention | int],
                   invited_by: User) -> Invitation:
    """An invitation as partner that carries ``conventions`` (or their ids), of the
    territory only."""
    ids = {getattr(c, "id", c) for c in conventions}
    mine = set(db.session.scalars(select(Convention.id).where(
        Convention.territory_id == territory_id, Convention.id.in_(ids))))
    if ids - mine:
        raise DomainError({"convention_ids": _("Cette convention n'appartient pas à ce "
                                               "territoire.")})
    invitation = accounts.invite(territory_id, email, "partner", invited_by)
    for convention_id in sorted(mine):
        db.session.add(InvitedConvention(invitation_id=invitation.id,
                                         convention_id=convention_id))
    db.session.flush()
    return invitation


def convention_choices(territory_id: int) -> list[tuple[int, str]]:
    """The territory's conventions, for the invitation form (« CA-2027-04 – Titre »)."""
    return [(convention_id, f"{reference} – {title}") for convention_id, reference, title in
            db.session.execute(select(Convention.id, Convention.reference, Convention.title)
                               .where(Convention.territory_id == territory_id)
                               .order_by(Convention.reference, Convention.id))]


def conventions_of(invitation: Invitation) -> list[Convention]:
    return list(db.session.scalars(
        select(Convention).join(InvitedConvention,
                                InvitedConvention.convention_id == Convention.id)
        .where(InvitedConvention.invitation_id == invitation.id,
               Convention.territory_id == invitation.territory_id)
        .order_by(Convention.reference, Convention.id)))


@accounts.on_acceptance
def grant_conventions(invitation: Invitation, user: User) -> str | None:
    """The invited partner becomes a member of the invitation's conventions; they land on
    the first. Other roles reach conventions through their role: nothing to grant."""
    conventions = conventions_of(invitation)
    role = db.session.scalar(select(Membership.role).where(
        Membership.user_id == user.id, Membership.territory_id == invitation.territory_id))
    if not conventions or role != "partner":
        return None
    members = set(db.session.scalars(select(ConventionMember.convention_id).where(
        ConventionMember.user_id == user.id,
        ConventionMember.convention_id.in_([c.id for c in conventions]))))
    for convention in conventions:
        if convention.id not in members:
            db.session.add(ConventionMember(territory_id=invitation.territory_id,
                                            convention_id=convention.id, user_id=user.id))
    db.session.flush()
    slug = db.session.get(Territory, invitation.territory_id).slug
    return url_for("conventions.show", territory=slug, convention_id=conventions[0].id)
