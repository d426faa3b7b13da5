"""Queries of conventions, and the standings the policy asks about them
(``territorial.access``: who follows a convention, who changes a note)."""
from flask import g
from flask_login import current_user
from sqlalchemy import select

from extensions import db
from territorial.access import standing
from territorial.conventions.models import Convention, ConventionMember, DialogueNote


def is_member(convention_id: int, user_id: int) -> bool:
    """Is this account one of the association's accounts of the convention?"""
    return db.session.scalar(select(ConventionMember.id).where(
        ConventionMember.convention_id == convention_id,
        ConventionMember.user_id == user_id)) is not None


@standing("follow", Convention)
@standing("enter_values", Convention)
@standing("note", Convention)
def follows(convention: Convention) -> bool:
    """The association's accounts follow their convention, enter its values, write notes."""
    known = g.setdefault("convention_members", {})
    if convention.id not in known:
        known[convention.id] = is_member(convention.id, current_user.id)
    return known[convention.id]


@standing("validate_value", Convention)
def validates(convention: Convention) -> bool:
    """Only the authority's coordination validates values: no one by standing."""
    return False


@standing("change_note", DialogueNote)
def wrote(note: DialogueNote) -> bool:
    return note.author_id == current_user.id
