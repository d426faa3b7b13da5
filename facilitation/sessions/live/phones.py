"""Joining a session from a phone: the code, the phone's identity, who may join as whom.

A participant needs no account. Their phone gets a device cookie (a random token; only its
hash, ``Attendee.device_key``, is stored) and the signed session cookie remembers the
session the phone is taking part in now. Every participant request checks both against
the database, and the session must be open.

The identity rule — one phone is one attendee of a session:
- a member picks their name: refused if that name is already in use on another phone (the
  message tells them to ask the facilitator, who can free the phone or merge two attendees
  on the attendance page); otherwise the phone waits until the facilitator confirms the
  name on the board (``admission``), unless it is signed in as that person;
- a guest types their name: a member of the group, or an attendee already listed (a guest
  the facilitator added), with that name is recognised and joined — never duplicated;
- a phone that has joined gets its attendee back and cannot become anyone else, so it
  cannot make itself several guests to multiply its dots (the database holds it: one
  device key per session). Leaving before contributing or voting frees the phone (the
  participant chose the wrong name); after that, only the facilitator can.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass

from flask import current_app, g, request
from flask import session as cookie
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.sessions.live import admission, participation, revision, rules
from facilitation.sessions.live.models import Attendee, Contribution, Dot
from facilitation.sessions.models import Meeting
from territorial.common.models import utcnow
from territorial.common.errors import DomainError

COOKIE_KEY = "live_participant"
DEVICE_COOKIE = "tp_device"
DEVICE_COOKIE_MAX_AGE = 7 * 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


# The phone's identity ---------------------------------------------------------------------

def device_key(create: bool = False) -> str | None:
    """The hash of this phone's device token; with ``create``, a new token is made (and
    set on the response by ``set_device_cookie``) when the phone has none."""
    token = g.get("new_device_token") or request.cookies.get(DEVICE_COOKIE, "")
    if not _TOKEN.fullmatch(token):
        if not create:
            return None
        token = g.new_device_token = secrets.token_urlsafe(32)
    return hashlib.sha256(token.encode()).hexdigest()


def set_device_cookie(response):
    token = g.get("new_device_token")
    if token:
        response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_MAX_AGE, path="/j",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                            samesite="Lax")
    return response


def name_key(name: str | None) -> str:
    """« Julie Marchand », « MARCHAND julie », « Julie  Marchand » are one name."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(re.findall(r"[^\W_]+", text)))


# Codes ------------------------------------------------------------------------------------

def normalise_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def session_by_code(code: str) -> Meeting | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(
        select(Meeting).where(Meeting.join_code == code)
        .options(selectinload(Meeting.experiment),
                 selectinload(Meeting.working_group)))


@dataclass
class Probe:
    """What a phone's poll needs to answer 304: the session of the code, its status and
    live revision, this phone's attendee (if it joined)."""

    session_id: int
    status: str
    revision: int
    attendee_id: int | None


_SESSION, _ATTENDEE = Meeting.__table__, Attendee.__table__
_PROBE = (
    select(_SESSION.c.id, _SESSION.c.status, revision.revision_subquery(_SESSION.c.id),
           _ATTENDEE.c.id)
    .select_from(_SESSION.outerjoin(_ATTENDEE, and_(
        _ATTENDEE.c.session_id == _SESSION.c.id, _ATTENDEE.c.device_key == bindparam("key"))))
    .where(_SESSION.c.join_code == bindparam("code")))


def probe(code: str) -> Probe | None:
    """One query, built once; None for a code that matches no session."""
    row = db.session.connection().execute(
        _PROBE, {"code": normalise_code(code), "key": device_key()}).first()
    return Probe(*row) if row is not None else None


# Joining ----------------------------------------------------------------------------------

def device_attendee(session: Meeting, key: str | None) -> Attendee | None:
    if key is None:
        return None
    return db.session.scalar(select(Attendee).where(
        Attendee.session_id == session.id, Attendee.device_key == key))


def _claimed_message(name: str) -> str:
    return _("%(name)s a déjà rejoint la séance depuis un autre téléphone. Si c'est bien vous, "
             "demandez à l'animateur de libérer votre nom ; sinon, précisez le vôtre.", name=name)


def _already_message(attendee: Attendee) -> str:
    return _("Ce téléphone participe déjà à la séance comme %(name)s. Pour changer de nom, "
             "demandez à l'animateur.", name=attendee.name)


def _claim(attendee: Attendee, key: str | None) -> Attendee:
    """Bind ``attendee`` to this phone (unless it is bound to another one, even by a
    request running at the same time) and count them present."""
    if key is None:
        db.session.add(attendee)  # joined by the demo or a test: no phone
    else:
        if attendee.id is None:
            if attendee in db.session:
                db.session.expunge(attendee)  # inserted in the savepoint below, not before
            attendee.device_key = key
            try:
                with db.session.begin_nested():
                    db.session.add(attendee)
            except IntegrityError as error:
                raise DomainError(_claimed_message(attendee.name), status=409) from error
        elif attendee.device_key != key:
            try:
                with db.session.begin_nested():
                    claimed = db.session.execute(
                        update(Attendee).where(Attendee.id == attendee.id,
                                               or_(Attendee.device_key.is_(None),
                                                   Attendee.device_key == key))
                        .values(device_key=key).execution_options(synchronize_session=False))
            except IntegrityError as error:  # this phone became someone else meanwhile
                raise DomainError(_claimed_message(attendee.name), status=409) from error
            if claimed.rowcount != 1:
                raise DomainError(_claimed_message(attendee.name), status=409)
            db.session.refresh(attendee, ["device_key"])
    attendee.status = "present"
    attendee.joined_at = attendee.joined_at or utcnow()
    db.session.flush()
    return attendee


def join_as_member(session: Meeting, person_id: int, key: str | None = None
                   ) -> Attendee:
    """The participant picked their name among the group's members."""
    rules.ensure_open(session)
    if person_id not in {p.id for p in participation.group_members(session)}:
        raise DomainError(_("Choisissez votre nom dans la liste des membres du groupe."))
    mine = device_attendee(session, key)
    if mine is not None:
        if mine.person_id == person_id:
            return _claim(mine, key)
        raise DomainError(_already_message(mine), status=409)
    person = participation.person_of_territory(session, person_id)
    attendee = participation.attendee_for_person(session, person)
    if attendee.device_key is not None and attendee.device_key != key:
        raise DomainError(_claimed_message(attendee.name), status=409)
    return _claim_name(attendee, key)


def _claim_name(attendee: Attendee, key: str | None) -> Attendee:
    """A phone takes a named person: the facilitator confirms it, unless the phone is
    signed in as them."""
    confirmed = key is None or admission.is_signed_in_as(attendee.person_id)
    attendee.admission = "admis" if confirmed else "attente"
    return _claim(attendee, key)


def join_as_guest(session: Meeting, name: str, organisation_name: str = "",
                  key: str | None = None) -> Attendee:
    """The participant typed their name: a member or a listed attendee of that name is
    recognised; otherwise a new guest."""
    rules.ensure_open(session)
    wanted = name_key(name)
    mine = device_attendee(session, key)
    if mine is not None:
        if name_key(mine.name) == wanted:
            return _claim(mine, key)
        raise DomainError(_already_message(mine), status=409)
    member = next((p for p in participation.group_members(session)
                   if name_key(p.full_name) == wanted), None)
    if member is not None:
        return join_as_member(session, member.id, key)
    listed = next((a for a in participation.attendees(session)
                   if wanted and name_key(a.name) == wanted), None)
    if listed is not None:
        if listed.device_key is not None and listed.device_key != key:
            raise DomainError(_claimed_message(listed.name), status=409)
        return _claim_name(listed, key)
    attendee = participation.new_guest(session, name, organisation_name)
    if key is not None:
        attendee.origin_key = admission.origin_key()
        attendee.admission = admission.guest_admission(session, attendee.origin_key)
    return _claim(attendee, key)


def keep_email(attendee: Attendee, email: str | None) -> None:
    """The address a participant gave on joining, for the compte rendu (none given: the
    one known stays)."""
    if email:
        attendee.email = email.strip()
        db.session.flush()


def has_taken_part(attendee: Attendee) -> bool:
    """Did they post a card or place a dot?"""
    return bool(db.session.scalar(select(
        select(Contribution.id).where(Contribution.author_attendee_id == attendee.id)
        .exists() | select(Dot.id).where(Dot.attendee_id == attendee.id).exists())))


def leave(session: Meeting) -> None:
    """This phone leaves the session. Before contributing or voting, the phone is freed
    (the participant may choose another name, the name another phone) and the attendee
    no longer counted present; after, the phone stays bound to them."""
    attendee = current_participant(session)
    forget_participant()
    if attendee is None or has_taken_part(attendee):
        return
    attendee.device_key, attendee.joined_at, attendee.status = None, None, "absent"
    db.session.flush()


def remember_participant(session: Meeting) -> None:
    """The session this phone takes part in now, and its code (the attendee is found by
    the phone's device)."""
    cookie[COOKIE_KEY] = {"s": session.id, "c": session.join_code}


def is_own_code(code: str | None) -> bool:
    """The code of the session this phone joined (the signed cookie says so): it is not a
    guess, whatever the phone's IP has been guessing."""
    entry = cookie.get(COOKIE_KEY)
    return isinstance(entry, dict) and bool(code) and entry.get("c") == normalise_code(code)


def remembers(session_id: int) -> bool:
    """Is this phone taking part in that session now (not left, not another one)?"""
    entry = cookie.get(COOKIE_KEY)
    return isinstance(entry, dict) and entry.get("s") == session_id


def forget_participant() -> None:
    cookie.pop(COOKIE_KEY, None)


def current_participant(session: Meeting) -> Attendee | None:
    """The attendee this phone joined ``session`` as, while the session is open."""
    if not remembers(session.id):
        return None
    if session.status != "ouverte":
        forget_participant()
        return None
    attendee = device_attendee(session, device_key())
    if attendee is None:
        forget_participant()
    return attendee
