"""Queries of RACI grids: the organisations and people one may add as columns, and the
grids where an organisation is a column."""
from __future__ import annotations

from sqlalchemy import select

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.collation import french
from territorial.common.loading import rows
from territorial.raci.models import RaciActor, RaciGrid


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


def grids_of_organisation(organisation: Organisation, limit: int = 20) -> list:
    """(id, title) of the grids where an organisation is a column, by title."""
    return db.session.execute(
        select(RaciGrid.id, RaciGrid.title).join(RaciActor, RaciActor.grid_id == RaciGrid.id)
        .where(RaciGrid.territory_id == organisation.territory_id,
               RaciActor.organisation_id == organisation.id)
        .order_by(french(RaciGrid.title)).limit(limit)).all()
