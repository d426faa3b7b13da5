"""Queries of RACI grids: the grids where an organisation is a column (the organisations
and people one may add as columns are the pickers', ``territorial.actors.search``)."""
from __future__ import annotations

from sqlalchemy import select

from extensions import db
from territorial.actors.models import Organisation
from territorial.common.collation import french
from territorial.raci.models import RaciActor, RaciGrid

def grids_of_organisation(organisation: Organisation, limit: int = 20) -> list:
    """(id, title) of the grids where an organisation is a column, by title."""
    return db.session.execute(
        select(RaciGrid.id, RaciGrid.title).join(RaciActor, RaciActor.grid_id == RaciGrid.id)
        .where(RaciGrid.territory_id == organisation.territory_id,
               RaciActor.organisation_id == organisation.id)
        .order_by(french(RaciGrid.title)).limit(limit)).all()
