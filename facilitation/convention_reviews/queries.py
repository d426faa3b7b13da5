"""The review meetings of a convention."""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select

from facilitation.convention_reviews.operations import BODY_TYPE
from facilitation.sessions.models import Meeting
from territorial.common.loading import rows


def reviews_of(convention_id: int) -> list:
    """The convention's review meetings in date order: rows of (id, title, start, place,
    status), what the panel shows, rather than whole sessions."""
    return rows(_reviews_statement(), {"convention_id": convention_id})


@cache
def _reviews_statement():
    """``reviews_of``'s query (its parameter ``convention_id``), built once."""
    return (select(Meeting.id, Meeting.title, Meeting.starts_at, Meeting.place, Meeting.status)
            .where(Meeting.body_type == BODY_TYPE, Meeting.body_id == bindparam("convention_id"))
            .order_by(Meeting.starts_at, Meeting.id))
