"""Queries of RACI grids: the organisations and people one may add as columns (those of
``territorial.actors.queries``), and the grids where an organisation is a column."""
from __future__ import annotations

from sqlalchemy import select

from extensions import db
from territorial.actors.models import Organisation
from territorial.actors.queries import live_organisations, live_people
from territorial.common.collation import french
from territorial.raci.models import RaciActor, RaciGrid

__all__ = ["grids_of_organisation", "live_organisations", "live_people"]


def grids_of_organisation(organisation: Organisation, limit: int = 20) -> list:
    """(id, title) of the grids where an organisation is a column, by title."""
    return db.session.execute(
        select(RaciGrid.id, RaciGrid.title).join(RaciActor, RaciActor.grid_id == RaciGrid.id)
        .where(RaciGrid.territory_id == organisation.territory_id,
               RaciActor.organisation_id == organisation.id)
        .order_by(french(RaciGrid.title)).limit(limit)).all()
