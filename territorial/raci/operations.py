"""Operations on RACI grids. They flush, never commit (the request commits)."""
from dataclasses import dataclass, field
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common import versions
from territorial.common.errors import DomainError
from territorial.common.loading import side_by_side
from territorial.raci.models import LETTERS, RaciActivity, RaciActor, RaciCell, RaciGrid


def load_grid(grid_or_id: RaciGrid | int) -> RaciGrid | None:
    """The grid with its activities, actors and cells, fresh from the database: one query
    whatever the size.

    Does not check the territory: callers load the owner (or the grid) with
    ``territorial.access.get_or_404`` first."""
    grid_id = grid_or_id.id if isinstance(grid_or_id, RaciGrid) else grid_or_id
    return _filled(db.session.execute(_filled_statement(False), {"grid_id": grid_id}).all())


def find_grid(territory_id: int, owner_type: str, owner_id: int) -> RaciGrid | None:
    return db.session.scalars(_find_statement(), {
        "territory_id": territory_id, "owner_type": owner_type, "owner_id": owner_id}).first()


def find_filled_grid(territory_id: int, owner_type: str, owner_id: int) -> RaciGrid | None:
    """``find_grid`` then ``load_grid`` in one query."""
    return _filled(db.session.execute(_filled_statement(True), {
        "territory_id": territory_id, "owner_type": owner_type, "owner_id": owner_id}).all())


def _filled(found: list) -> RaciGrid | None:
    """The grid of ``_filled_statement``'s rows with its actors, activities and cells."""
    if not found:
        return None
    grid = found[0][0]
    set_committed_value(grid, "actors", [actor for _g, actor, _a, _c in found
                                         if actor is not None])
    set_committed_value(grid, "activities", list(dict.fromkeys(
        activity for _g, _actor, activity, _c in found if activity is not None)))
    set_committed_value(grid, "cells", sorted((cell for *_, cell in found if cell is not None),
                                              key=lambda cell: cell.id))
    return grid


@cache
def _filled_statement(of_owner: bool):
    """A grid (parameter ``grid_id``, or ``of_owner`` the first of an owner: the parameters
    of ``_find_statement``) with its actors, and its activities with their cells, in order
    (``side_by_side``): built once."""
    statement, side = side_by_side(RaciGrid, RaciActor, RaciActor.grid_id,
                                   RaciActivity, RaciActivity.grid_id)
    chosen = (_find_statement().with_only_columns(RaciGrid.id).limit(1).scalar_subquery()
              if of_owner else bindparam("grid_id"))
    return (statement.add_columns(RaciCell)
            .outerjoin(RaciCell, RaciCell.activity_id == RaciActivity.id)
            .where(RaciGrid.id == chosen)
            .order_by(side, RaciActor.position, RaciActor.id, RaciActivity.position,
                      RaciActivity.id, RaciCell.id)
            .execution_options(populate_existing=True))


@cache
def _find_statement():
    """The grids of an owner (parameters ``territory_id``, ``owner_type``, ``owner_id``),
    first first: built once."""
    return (select(RaciGrid)
            .where(RaciGrid.territory_id == bindparam("territory_id"),
                   RaciGrid.owner_type == bindparam("owner_type"),
                   RaciGrid.owner_id == bindparam("owner_id"))
            .order_by(RaciGrid.id))


def get_or_create_grid(territory_id: int, owner_type: str, owner_id: int, title: str) -> RaciGrid:
    grid = find_grid(territory_id, owner_type, owner_id)
    if grid is None:
        grid = RaciGrid(territory_id=territory_id, owner_type=owner_type, owner_id=owner_id,
                        title=title[:200])
        db.session.add(grid)
        db.session.flush()
    return grid


def delete_grids(territory_id: int, owner_type: str, owner_id: int) -> None:
    """For an owner being deleted (there is no foreign key to cascade from)."""
    for grid in db.session.scalars(
        select(RaciGrid).where(RaciGrid.territory_id == territory_id,
                               RaciGrid.owner_type == owner_type, RaciGrid.owner_id == owner_id)
    ):
        db.session.delete(grid)
    db.session.flush()


def _next_position(model, grid: RaciGrid) -> int:
    current = db.session.scalar(select(func.max(model.position)).where(model.grid_id == grid.id))
    return (current or 0) + 1


def _activities(grid: RaciGrid) -> list[RaciActivity]:
    return list(db.session.scalars(
        select(RaciActivity).where(RaciActivity.grid_id == grid.id)
        .order_by(RaciActivity.position, RaciActivity.id)
    ))


def _actors(grid: RaciGrid) -> list[RaciActor]:
    return list(db.session.scalars(
        select(RaciActor).where(RaciActor.grid_id == grid.id)
        .order_by(RaciActor.position, RaciActor.id)
    ))


# Activities (rows) ------------------------------------------------------------

def add_activity(grid: RaciGrid, label: str, source_key: str | None = None) -> RaciActivity:
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Donnez un intitulé à l'activité."))
    activity = RaciActivity(
        territory_id=grid.territory_id, grid_id=grid.id, label=label[:300],
        position=_next_position(RaciActivity, grid), source_key=source_key,
    )
    db.session.add(activity)
    db.session.flush()
    return activity


def sync_activities(grid: RaciGrid, rows: list[tuple[str, str]]) -> None:
    """Make the synced rows follow the owner's list of (source_key, label): add the
    missing ones, relabel and reorder the others (their cells are kept), remove the rows
    whose source_key vanished. Rows added by hand (no source_key) stay, after them."""
    existing = {a.source_key: a for a in _activities(grid) if a.source_key is not None}
    wanted = [key for key, _label in rows]
    for activity in existing.values():
        if activity.source_key not in wanted:
            db.session.delete(activity)
    for position, (key, label) in enumerate(rows, start=1):
        activity = existing.get(key)
        if activity is None:
            db.session.add(RaciActivity(territory_id=grid.territory_id, grid_id=grid.id,
                                        label=label[:300], position=position, source_key=key))
        else:
            if activity.label != label[:300]:
                activity.label = label[:300]
            if activity.position != position:
                activity.position = position
    db.session.flush()
    manual = [a for a in _activities(grid) if a.source_key is None]
    for offset, activity in enumerate(manual, start=len(rows) + 1):
        if activity.position != offset:
            activity.position = offset
    db.session.flush()


def rename_activity(grid: RaciGrid, activity_id: int, label: str) -> RaciActivity:
    activity = _activity_of(grid, activity_id)
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Donnez un intitulé à l'activité."))
    activity.label = label[:300]
    db.session.flush()
    return activity


def remove_activity(grid: RaciGrid, activity_id: int) -> None:
    activity = _activity_of(grid, activity_id)
    if activity.source_key is not None:
        raise DomainError(_(
            "Cette activité vient de « %(label)s » : retirez-la à sa source.",
            label=activity.label))
    db.session.delete(activity)
    db.session.flush()


def move_activity(grid: RaciGrid, activity_id: int, delta: int) -> None:
    """Move a row up (delta −1) or down (+1)."""
    _move(_activities(grid), activity_id, delta)


def _move(items: list, item_id: int, delta: int) -> None:
    index = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        raise DomainError(_("Cet élément n'appartient pas à cette grille."))
    target = index + delta
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
    db.session.flush()


def _activity_of(grid: RaciGrid, activity_id: int) -> RaciActivity:
    activity = db.session.get(RaciActivity, activity_id)
    if activity is None or activity.grid_id != grid.id:
        raise DomainError(_("Cette activité n'appartient pas à cette grille."))
    return activity


# Actors (columns) -------------------------------------------------------------

def add_actor(grid: RaciGrid, organisation: Organisation | None = None,
              person: Person | None = None, label: str | None = None) -> RaciActor:
    """Add a column for an organisation, a person, or (neither) a free label such as
    « Équipe d'animation »."""
    if organisation is not None and person is not None:
        raise DomainError(_("Choisissez une organisation ou une personne, pas les deux."))
    subject = organisation or person
    if subject is not None and subject.territory_id != grid.territory_id:
        raise DomainError(_("Cet acteur n'appartient pas à ce territoire : choisissez une "
                           "organisation ou une personne du territoire."))
    if organisation is not None:
        label = label or organisation.name
        duplicate = RaciActor.organisation_id == organisation.id
    elif person is not None:
        label = label or _person_label(person)
        duplicate = RaciActor.person_id == person.id
    else:
        label = (label or "").strip()
        if not label:
            raise DomainError(_("Choisissez une organisation, une personne, ou donnez un nom."))
        duplicate = (RaciActor.label == label) & RaciActor.organisation_id.is_(None) \
            & RaciActor.person_id.is_(None)
    if db.session.scalar(select(RaciActor.id).where(RaciActor.grid_id == grid.id, duplicate)):
        raise DomainError(_("« %(label)s » est déjà une colonne de cette grille.", label=label))
    actor = RaciActor(
        territory_id=grid.territory_id, grid_id=grid.id,
        organisation_id=organisation.id if organisation else None,
        person_id=person.id if person else None,
        label=label[:250], position=_next_position(RaciActor, grid),
    )
    db.session.add(actor)
    db.session.flush()
    return actor


def add_actors(grid: RaciGrid, subjects) -> list[RaciActor]:
    """A column for each organisation or person of ``subjects``, in one change."""
    return [add_actor(grid, organisation=s if isinstance(s, Organisation) else None,
                      person=s if isinstance(s, Person) else None) for s in subjects]


def add_timeline_partners(grid: RaciGrid, timeline) -> list[RaciActor]:
    """The partners of a frise (``PartnerTimeline``) that are not yet columns of the grid,
    added in the frise's order; those already there are skipped."""
    from territorial.actors import search
    from territorial.timelines.models import TimelineEntry

    present = set(db.session.execute(select(RaciActor.organisation_id, RaciActor.person_id)
                                     .where(RaciActor.grid_id == grid.id)).tuples())
    keys = [f"organisation:{o}" if o else f"person:{p}" for o, p in db.session.execute(
        select(TimelineEntry.organisation_id, TimelineEntry.person_id)
        .where(TimelineEntry.timeline_id == timeline.id)
        .order_by(TimelineEntry.position, TimelineEntry.id)).tuples()
        if (o, None) not in present and (None, p) not in present]
    return add_actors(grid, search.picked(grid.territory_id, search.MIXED, keys))


def _person_label(person: Person) -> str:
    return f"{person.full_name} ({person.function})" if person.function else person.full_name


def remove_actor(grid: RaciGrid, actor_id: int) -> None:
    db.session.delete(_actor_of(grid, actor_id))
    db.session.flush()


def move_actor(grid: RaciGrid, actor_id: int, delta: int) -> None:
    _move(_actors(grid), actor_id, delta)


def _actor_of(grid: RaciGrid, actor_id: int) -> RaciActor:
    actor = db.session.get(RaciActor, actor_id)
    if actor is None or actor.grid_id != grid.id:
        raise DomainError(_("Cet acteur n'appartient pas à cette grille."))
    return actor


# Cells ------------------------------------------------------------------------

def normalise_letter(letter: str | None) -> str | None:
    """'' / None / '—' mean an empty cell; lower case is accepted, « AR », « RA » or « R/A »
    are « A/R »; anything else is an error."""
    value = "".join((letter or "").split()).upper()
    if value in ("", "-", "—"):
        return None
    if value in ("AR", "RA", "R/A", "A+R", "R+A"):
        value = "A/R"
    if value not in LETTERS:
        raise DomainError(_(
            "« %(letter)s » n'est pas un rôle RACI : choisissez R (réalise), A (approuve), "
            "A/R (approuve et réalise), C (consulté), I (informé) ou laissez la case vide.",
            letter=letter))
    return value


def _cell(activity_id: int, actor_id: int) -> RaciCell | None:
    return db.session.scalar(
        select(RaciCell).where(RaciCell.activity_id == activity_id, RaciCell.actor_id == actor_id))


def _write(grid: RaciGrid, cell: RaciCell | None, activity_id: int, actor_id: int,
           value: str | None) -> RaciCell | None:
    """Put ``value`` in a cell; an emptied cell keeps its row (no letter), so that its version
    and who emptied it remain."""
    if cell is None and value is not None:
        cell = RaciCell(territory_id=grid.territory_id, grid_id=grid.id,
                        activity_id=activity_id, actor_id=actor_id, letter=value)
        db.session.add(cell)
    elif cell is not None and cell.letter != value:
        cell.letter = value
    return cell


def set_cell(grid: RaciGrid, activity_id: int, actor_id: int, letter: str | None,
             version: int | None = None) -> RaciCell | None:
    """Put a letter in a cell (None or '' empties it). Invalid grids may be saved.
    ``version``: the cell's version on the user's page (0: the page showed it never filled);
    a cell changed since then raises ``versions.Conflict``."""
    value = normalise_letter(letter)
    _activity_of(grid, activity_id)
    _actor_of(grid, actor_id)
    cell = _cell(activity_id, actor_id)
    if version is not None and version != (cell.edit_version if cell else 0) \
            and value != (cell.letter if cell else None):
        raise versions.Conflict.of(cell)
    cell = _write(grid, cell, activity_id, actor_id, value)
    if cell is not None:
        # Two people filling the same empty cell at once: the second insert meets the
        # first's row (unique pair), reported as a conflict like any other.
        versions.flush(cell, find=lambda: _cell(activity_id, actor_id))
    return cell


@dataclass
class GridSave:
    """What a whole-grid save did: cells written, and those refused because a colleague
    changed them after the page was loaded (with the letter the user wanted)."""

    saved: int = 0
    errors: list[str] = field(default_factory=list)
    conflicts: dict[tuple[int, int], tuple[versions.Conflict, str | None]] = \
        field(default_factory=dict)


def set_cells(grid: RaciGrid, values: dict[tuple[int, int], str | None],
              loaded: dict[tuple[int, int], tuple[int, str | None]] | None = None) -> GridSave:
    """Save many cells at once (the form of the whole grid). ``loaded``: for each cell, the
    version and letter the user's page showed. A cell the user did not change is not
    written (a colleague's change of it stays); a cell both changed is refused with the
    conflict; the other cells are saved. Invalid letters are refused with their message."""
    result = GridSave()
    loaded = loaded or {}
    activity_ids = {a.id for a in _activities(grid)}
    actor_ids = {a.id for a in _actors(grid)}
    cells = {
        (c.activity_id, c.actor_id): c
        for c in db.session.scalars(select(RaciCell).where(RaciCell.grid_id == grid.id))
    }
    for key, letter in values.items():
        if key[0] not in activity_ids or key[1] not in actor_ids:
            result.errors.append(_("Une case ne correspond à aucune ligne ou colonne de la grille."))
            continue
        try:
            value = normalise_letter(letter)
        except DomainError as error:
            result.errors.append(error.message)
            continue
        cell = cells.get(key)
        version, was = loaded.get(key, (None, None))
        decision = versions.cell_decision(value, was, version, cell.letter if cell else None,
                                          cell.edit_version if cell else 0)
        if decision == "conflict":
            result.conflicts[key] = (versions.Conflict.of(cell), value)
        elif decision == "write":
            _write(grid, cell, *key, value)
            result.saved += 1
    db.session.flush()
    return result


def cell_map(grid: RaciGrid) -> dict[tuple[int, int], str]:
    """(activity id, actor id) → letter, from a loaded grid."""
    return {(c.activity_id, c.actor_id): c.letter for c in grid.cells if c.letter}


def cell_versions(grid: RaciGrid) -> dict[tuple[int, int], int]:
    """(activity id, actor id) → version of the cell (absent: 0, never filled)."""
    return {(c.activity_id, c.actor_id): c.edit_version for c in grid.cells}


def report_for(grid: RaciGrid):
    """The rules' report of a loaded grid, with the grid's own overload thresholds."""
    from territorial.raci.rules import Thresholds, check_grid

    return check_grid(grid.activities, grid.actors, grid.cells, Thresholds.of(grid))


def set_thresholds(grid: RaciGrid, max_accountable: int | None, max_load: int | None) -> None:
    """The coordination's overload thresholds for this grid (None: the default)."""
    for name, value in (("max_accountable", max_accountable), ("max_load", max_load)):
        if value is not None and not 1 <= value <= 100:
            raise DomainError({name: _("Indiquez un nombre d'activités entre 1 et 100.")})
    grid.max_accountable, grid.max_load = max_accountable, max_load
    db.session.flush()

