"""Who the facilitator lets in: the rules that keep a phone from being several people or
someone else.

- A **guest** joins at once, up to ``JOIN_GUESTS_PER_NETWORK`` guests of a session from
  one network (a room on the venue's Wi-Fi); beyond that, each new guest waits until the
  facilitator admits them. Someone dropping the device cookie to come back as a new guest
  again and again (to multiply their dots) ends up waiting, and the facilitator can remove
  a guest: their dots vanish, what they wrote stays on the board.
- A **named person** (a member of the group, a guest the facilitator listed) is taken by a
  phone only once the facilitator confirms it (« X demande à rejoindre comme … »), unless
  the phone is signed in as that very person; a second phone asking for the same name is
  refused (``phones``).
A waiting phone can read the page, not post nor vote.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, func, select, update

from extensions import db
from facilitation.sessions.live import revision, rules
from facilitation.sessions.live.models import Attendee, Contribution, Dot
from facilitation.sessions.models import Meeting
from territorial.common.errors import DomainError


def origin_key() -> str | None:
    """A keyed hash of the network the request comes from (no address is stored)."""
    address = request.remote_addr if request else None
    if not address:
        return None
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


def guest_admission(session: Meeting, origin: str | None) -> str:
    """« admis » while the network has brought fewer guests than a room holds."""
    if origin is None:
        return "admis"
    count = db.session.scalar(select(func.count()).select_from(Attendee).where(
        Attendee.session_id == session.id, Attendee.origin_key == origin,
        Attendee.is_guest.is_(True)))
    return "admis" if count < current_app.config["JOIN_GUESTS_PER_NETWORK"] else "attente"


def is_signed_in_as(person_id: int | None) -> bool:
    """The phone is signed in with the account of that person."""
    if person_id is None or not current_user.is_authenticated:
        return False
    from territorial.actors.models import Person

    return db.session.scalar(select(Person.user_id).where(Person.id == person_id)) == \
        current_user.id


def waiting(session: Meeting) -> list[Attendee]:
    return list(db.session.scalars(
        select(Attendee).where(Attendee.session_id == session.id,
                               Attendee.admission == "attente")
        .order_by(Attendee.joined_at, Attendee.id)))


def admit(session: Meeting, attendee: Attendee) -> None:
    rules.ensure_open(session)
    attendee.admission = "admis"
    db.session.flush()


def admit_all(session: Meeting) -> int:
    rules.ensure_open(session)
    count = db.session.execute(
        update(Attendee).where(Attendee.session_id == session.id,
                               Attendee.admission == "attente")
        .values(admission="admis").execution_options(synchronize_session="fetch")).rowcount
    revision.touch(session.id)
    return count


def turn_away(session: Meeting, attendee: Attendee) -> None:
    """Not who they said: a named person's row is freed (their name can be chosen again),
    a new guest goes."""
    rules.ensure_not_closed(session)
    if not attendee.waiting:
        raise DomainError(_("Cette personne a déjà été admise."), status=409)
    if attendee.is_guest and attendee.person_id is None and attendee.origin_key is not None:
        remove_guest(session, attendee)
        return
    attendee.device_key, attendee.joined_at = None, None
    attendee.status, attendee.admission = "absent", "admis"
    db.session.flush()


def remove_guest(session: Meeting, attendee: Attendee) -> None:
    """A guest leaves the session for good: their dots vanish from every vote, their cards
    stay (with the name they signed)."""
    rules.ensure_not_closed(session)
    if not attendee.is_guest or attendee.person_id is not None:
        raise DomainError(_("Seule une personne invitée peut être retirée ; pour un membre, "
                            "libérez son téléphone."), status=409)
    db.session.execute(delete(Dot).where(Dot.attendee_id == attendee.id))
    db.session.execute(update(Contribution).where(Contribution.author_attendee_id == attendee.id)
                       .values(author_attendee_id=None)
                       .execution_options(synchronize_session=False))
    db.session.delete(attendee)
    db.session.flush()
    revision.touch(session.id)
