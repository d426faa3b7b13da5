"""Loading many rows for a page at a lower cost than SQLAlchemy's defaults.

``selectinload`` and ``subqueryload`` cost about twice a plain query each (SQLAlchemy
rebuilds their statement and its cache key at every load): the pages that load several
collections at once group the rows of a plain query themselves (``grouped``,
``set_children``, ``side_by_side``). Long lists of plain columns skip the ORM (``rows``).
"""
from collections import defaultdict
from functools import cache

from sqlalchemy import Integer, literal_column, select, true
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db


def grouped(statement, key: str, parameters: dict | None = None) -> defaultdict[int, list]:
    """The objects selected by ``statement`` (with the values ``parameters`` of its bound
    parameters), grouped by their attribute ``key`` (the foreign key of their parent), in
    the statement's order."""
    groups = defaultdict(list)
    for item in db.session.scalars(statement, parameters):
        groups[getattr(item, key)].append(item)
    return groups


def set_children(parents, collection: str, statement, key: str,
                 parameters: dict | None = None) -> None:
    """Load the relationship ``collection`` of every parent from one query: ``statement``
    selects the children of all of them in the relationship's order, ``key`` is their
    foreign key to the parent (``parameters``: as for ``grouped``; a statement built once
    per process with ``bindparam``s skips SQLAlchemy's cache key at each request)."""
    children = grouped(statement, key, parameters)
    for parent in parents:
        set_committed_value(parent, collection, children[parent.id])


def rows(statement, parameters: dict | None = None) -> list:
    """The rows of a select of columns (not of model objects) run on the session's
    connection: the ORM's way builds each row in Python, five times the cost on the
    hundreds of organisations a page lists. Nothing is flushed first: for lists the
    request does not change. ``parameters``: the values of its bound parameters (a
    statement built once)."""
    return db.session.connection().execute(statement, parameters).all()


def set_parents(children, relationship: str, key: str, statement, model) -> None:
    """Load the many-to-one ``relationship`` of every child from one plain query (cheaper
    than ``selectinload``): ``statement`` selects ``model`` (options such as
    ``load_only`` kept), ``key`` is the children's foreign key."""
    ids = {getattr(child, key) for child in children} - {None}
    parents = {parent.id: parent for parent in db.session.scalars(
        statement.where(model.id.in_(sorted(ids))))} if ids else {}
    for child in children:
        set_committed_value(child, relationship, parents.get(getattr(child, key)))


def side_by_side(parent, first, first_key, second, second_key):
    """Two kinds of children of the same parents in one statement (on PostgreSQL each
    statement is a round trip): ``select(parent, first, second)`` where each row holds a
    child of one kind and None for the other (``first_key``, ``second_key``: their foreign
    keys to the parent), rather than every child of one kind repeated with every child of
    the other. Each parent comes once per kind with None when it has no such child.
    Returns the statement and its ``side`` column (1 or 2): order by it after the parent
    to keep each kind together."""
    side = _sides().c.side
    return (select(parent, first, second).select_from(parent).join(_sides(), true())
            .outerjoin(first, (side == literal_column("1")) & (first_key == parent.id))
            .outerjoin(second, (side == literal_column("2")) & (second_key == parent.id))), side


@cache
def _sides():
    """The two rows (column ``side``: 1 and 2) that ``side_by_side`` joins each parent to."""
    return (select(literal_column("1", Integer).label("side"))
            .union_all(select(literal_column("2", Integer)))
            .subquery("side"))
