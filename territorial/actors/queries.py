"""Queries of the territory's actors: the organisations and people still active, as the
pickers of other capabilities list them (RACI columns, frise partners)."""
from __future__ import annotations

from sqlalchemy import select

from territorial.actors.models import Organisation, Person
from territorial.common.collation import french
from territorial.common.loading import rows


def live_organisations(territory_id: int) -> list:
    """(id, name) of the territory's organisations not archived, by name."""
    return rows(
        select(Organisation.id, Organisation.name)
        .where(Organisation.territory_id == territory_id, Organisation.archived_at.is_(None))
        .order_by(french(Organisation.name))
    )


def live_people(territory_id: int) -> list:
    """(id, first name, last name, function) of the territory's people not archived, by name."""
    return rows(
        select(Person.id, Person.first_name, Person.last_name, Person.function)
        .where(Person.territory_id == territory_id, Person.archived_at.is_(None))
        .order_by(french(Person.last_name), french(Person.first_name))
    )
