"""Users are people: an account linked to a person of the territory (``Person.user_id``) acts
under its own name wherever that person sits (an instance, a working group, a structure).

The coordination invites a person from their page (the invitation carries the person, and
accepting it links the new account), or links an account that already exists. Accepting an
invitation sent to a person's address links the account to that person too. Operations flush,
never commit.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from extensions import db
from territorial.accounts.models import Invitation, Membership, User
from territorial.accounts.operations import invite, normalise_email
from territorial.actors.models import Person
from territorial.common.collation import french
from territorial.common.errors import DomainError
from territorial.common.text import elide


def linked_user(person: Person) -> User | None:
    return db.session.get(User, person.user_id) if person.user_id else None


def linkable_users(territory_id: int) -> list[User]:
    """Accounts of the territory's members (by name) that no person of the territory has yet."""
    linked = select(Person.user_id).where(Person.territory_id == territory_id,
                                          Person.user_id.is_not(None))
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.territory_id == territory_id, User.id.not_in(linked))
        .order_by(french(User.display_name), User.id)))


def link(person: Person, user: User | None) -> None:
    """Link an existing account, member of the person's territory, to the person."""
    if user is None:
        raise DomainError({"user_id": _("Choisissez le compte de cette personne.")})
    if person.user_id and person.user_id != user.id:
        raise DomainError({"user_id": _("%(person)s est déjà liée à un autre compte : déliez-le "
                                      "d'abord.", person=person.full_name)})
    member = db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.territory_id == person.territory_id))
    if member is None:
        raise DomainError({"user_id": _("Ce compte n'est pas membre du territoire : invitez plutôt "
                                      "la personne.")})
    other = db.session.scalar(select(Person).where(
        Person.territory_id == person.territory_id, Person.user_id == user.id,
        Person.id != person.id).limit(1))
    if other is not None:
        raise DomainError({"user_id": elide(_("Ce compte est déjà celui de %(person)s.",
                                            person=other.full_name), other.full_name)})
    person.user_id = user.id
    db.session.flush()


def unlink(person: Person) -> None:
    person.user_id = None
    db.session.flush()


def invite_person(person: Person, email: str, role: str, invited_by: User) -> Invitation:
    """An invitation to the platform that will link the new account to this person; the
    address becomes the person's when they had none."""
    if person.user_id:
        raise DomainError({"email": _("%(person)s a déjà un compte sur la plateforme.",
                                    person=person.full_name)})
    if not person.email:
        person.email = normalise_email(email)
    invitation = invite(person.territory_id, email, role, invited_by)
    invitation.person_id = person.id
    db.session.flush()
    return invitation


def pending_invitations(person: Person) -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).where(
        Invitation.person_id == person.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc())))


def invited_person(invitation: Invitation) -> Person | None:
    """The person an accepted invitation links: the one it was sent from, or else the only
    person of the territory, without an account, whose address it was sent to."""
    if invitation.person_id:
        person = db.session.get(Person, invitation.person_id)
        if person is not None and person.territory_id == invitation.territory_id \
                and person.user_id is None:
            return person
        return None
    found = db.session.scalars(select(Person).where(
        Person.territory_id == invitation.territory_id, Person.user_id.is_(None),
        Person.archived_at.is_(None),
        func.lower(Person.email) == normalise_email(invitation.email)).limit(2)).all()
    return found[0] if len(found) == 1 else None


def link_on_acceptance(invitation: Invitation, user: User) -> Person | None:
    """Accepting an invitation links the account to its person (if any); returns the person."""
    person = invited_person(invitation)
    if person is None:
        return None
    already = db.session.scalar(select(Person.id).where(
        Person.territory_id == person.territory_id, Person.user_id == user.id))
    if already is not None:
        return None
    person.user_id = user.id
    db.session.flush()
    return person
