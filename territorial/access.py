"""The one place that decides what the current user may see and change.

Every URL of a territory starts with ``/t/<territory>/``; ``load_territory`` runs
before each such view, answers 404 to a user who is not a member (so that another
territory's existence is not revealed) and puts the territory and the user's role
in ``g``. Views then load objects with ``get_or_404``, which filters on the
territory, and check actions with ``require``.
"""
from typing import TypeVar

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select

from extensions import db, login_manager
from territorial.accounts.models import Membership
from territorial.territories.models import Territory

T = TypeVar("T")

# What each role may do in its territory. The platform admin may do everything.
# A partner (e.g. an association under convention) sees nothing of the territory
# but the few objects it was given, through views marked ``open_to_partners``.
PERMISSIONS = {
    "coordinator": {"view", "contribute", "facilitate", "edit", "administer"},
    "facilitator": {"view", "contribute", "facilitate"},
    "participant": {"view", "contribute"},
    "observer": {"view"},
    "partner": set(),
}
_views_open_to_partners: set = set()


def open_to_partners(view):
    """Let partners reach this view; it must then check their access to the object."""
    _views_open_to_partners.add(view)
    return view


# Where a partner lands after login (a capability open to partners adds its index).
partner_landing_endpoints: list[str] = []


def is_open_to_partners(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    return view in _views_open_to_partners or (
        getattr(view, "__wrapped__", None) in _views_open_to_partners
    )


def _current_view_is_open_to_partners() -> bool:
    return is_open_to_partners(request.endpoint)


def may_open(endpoint: str) -> bool:
    """For navigation: would the current user's role let them open this page?"""
    return g.get("role") != "partner" or is_open_to_partners(endpoint)


def role_in(territory: Territory, user) -> str | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.territory_id == territory.id
        )
    )


def allowed(role: str | None, action: str, *, is_admin: bool = False) -> bool:
    return is_admin or action in PERMISSIONS.get(role or "", set())


def load_territory(slug: str) -> Territory:
    """Resolve ``/t/<slug>`` for the current user, or 404."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    # The territory and the user's role in it, in one query (every page, every live poll).
    found = db.session.execute(
        select(Territory, Membership.role)
        .outerjoin(Membership, (Membership.territory_id == Territory.id)
                   & (Membership.user_id == current_user.id))
        .where(Territory.slug == slug)).first()
    if found is None:
        abort(404)
    territory, role = found
    if role is None and not current_user.is_admin:
        abort(404)
    if role == "partner" and not _current_view_is_open_to_partners():
        abort(404)
    g.territory = territory
    g.role = role
    return territory


def can(action: str) -> bool:
    """May the current user do ``action`` in the current territory?"""
    return allowed(g.get("role"), action, is_admin=current_user.is_admin)


def require(action: str) -> None:
    if not can(action):
        abort(403)


def get_or_404(model: type[T], object_id: int, *options) -> T:
    """Load an object of the current territory by id; any other id is a 404."""
    obj = db.session.scalar(
        select(model)
        .where(model.id == object_id, model.territory_id == g.territory.id)
        .options(*options)
    )
    if obj is None:
        abort(404)
    return obj


def scoped(statement, model):
    """Restrict a select() to the current territory."""
    return statement.where(model.territory_id == g.territory.id)
