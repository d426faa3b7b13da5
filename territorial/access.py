"""The policy: who may do what on which object, said once, here.

1. **Territory.** Every URL of a territory starts with ``/t/<territory>/``;
   ``load_territory`` runs before each such view, answers 404 to a user who is not a
   member (another territory's existence is not revealed) and puts the territory and the
   user's role in ``g``.
2. **Role.** A member's role gives permissions (``PERMISSIONS``); the platform admin has
   them all. Every view of a territory declares what it needs, for reading and for
   changing: ``@needs("view", post="facilitate")``. The territory blueprint checks it
   before the view runs (403); a view that declares nothing needs « view » to read and
   « edit » to change (``tests/test_routes_by_role.py`` walks every URL with every role).
3. **Object.** Some needs depend on the object and on the person: conducting a joint
   project (its working group, its porteurs), deciding for an instance (its members),
   following a convention (its association's accounts)… ``OBJECT_NEEDS`` says for each
   the permission a member needs at least (checked before the view), the one that acts
   without a standing of their own, and whether partners reach it; the loader
   ``get_or_404(Model, id, need=…)`` (or ``check(obj, need)``) asks the standing of the
   current user on the object (``_STANDING``, queries on the models).

A partner (an association under convention) has no permission of the territory: it
reaches only the views whose need admits partners, and there only its own objects (404
for any other); a page it reaches by its links without seeing it (the territory's home:
``sends_partners_to_their_pages``) sends it to its own pages.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, select

from extensions import db, login_manager
from territorial.accounts.models import Membership, User
from territorial.actors.models import Person
from territorial.common.errors import DomainError
from territorial.territories.models import Territory

T = TypeVar("T")

# What each role may do in its territory. The platform admin may do everything.
PERMISSIONS = {
    "coordinator": {"view", "contribute", "facilitate", "edit", "administer"},
    "facilitator": {"view", "contribute", "facilitate"},
    "participant": {"view", "contribute"},
    "observer": {"view"},
    "partner": set(),
}
ROLES = tuple(PERMISSIONS)


@dataclass(frozen=True)
class ObjectNeed:
    """A need that depends on the object. A member needs ``floor``; with ``on_behalf``
    they act without a standing of their own (a coordinator records for an instance),
    else they need one (``_STANDING``). ``partners``: partners reach it with a standing
    (else 404); ``refusal``: the 403 message of a refusal (else the plain 403 page)."""

    floor: str
    on_behalf: str | None
    partners: bool = False
    refusal: object = None


OBJECT_NEEDS: dict[str, ObjectNeed] = {
    # A joint project: its working group's members and its porteurs conduct it.
    "conduct": ObjectNeed("contribute", "facilitate"),
    # A charter instance (or a decision of one): its members decide.
    "decide": ObjectNeed("contribute", "facilitate"),
    # A seat in an instance: the coordination; a joint project's working group, those who
    # conduct the project.
    "manage_seat": ObjectNeed("contribute", "edit"),
    # A charter: the members of the instance that adopts its versions.
    "adopt": ObjectNeed("contribute", "edit"),
    # An interconnaissance sheet: the people of its structure.
    "edit_sheet": ObjectNeed("contribute", "edit"),
    # An indicator: the permission its owner asks (a plan's actions: facilitate…).
    "change_indicator": ObjectNeed("contribute", None),
    # A convention: the authority's members, and its association's accounts.
    "follow": ObjectNeed("view", "view", partners=True),
    "enter_values": ObjectNeed("edit", "edit", partners=True),
    "note": ObjectNeed("contribute", "contribute", partners=True),
    "validate_value": ObjectNeed("edit", "edit", partners=True, refusal=_l(
        "Les valeurs saisies par l'association sont validées par la collectivité : vous ne "
        "pouvez pas valider vos propres valeurs. Elles restent enregistrées, en attente de "
        "validation.")),
    # A note of a convention's dialogue: its author, or the authority's coordination.
    "change_note": ObjectNeed("view", "edit", partners=True, refusal=_l(
        "Seul l'auteur d'une note, ou la coordination, peut la modifier ou la supprimer.")),
}


# Roles --------------------------------------------------------------------------------------

def allowed(role: str | None, action: str, *, is_admin: bool = False) -> bool:
    return is_admin or action in PERMISSIONS.get(role or "", set())


def role_in(territory: Territory, user) -> str | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.territory_id == territory.id
        )
    )


def is_partner() -> bool:
    return g.get("role") == "partner"


def can(action: str) -> bool:
    """May the current user do ``action`` in the current territory?"""
    return allowed(g.get("role"), action, is_admin=current_user.is_admin)


def require(action: str) -> None:
    """For the rare check that depends on what was posted (which form of a page)."""
    if not can(action):
        abort(403)


# What views declare -------------------------------------------------------------------------

def needs(need: str = "view", *, post: str | None = None):
    """Declare what a view of a territory needs to read it (GET) and to change with it
    (POST): a permission (``view``, ``contribute``, ``facilitate``, ``edit``,
    ``administer``) or a need of ``OBJECT_NEEDS``."""
    for name in (need, post):
        if name is not None and name not in OBJECT_NEEDS and name not in PERMISSIONS["coordinator"]:
            raise ValueError(f"unknown need {name!r}")

    def declare(view):
        view.needs = {"GET": need, "POST": post or need}
        return view
    return declare


DEFAULT_NEEDS = {"GET": "view", "POST": "edit"}


def declared_need(view, method: str) -> str:
    method = "GET" if method in ("GET", "HEAD", "OPTIONS") else "POST"
    declared = getattr(view, "needs", None) or getattr(
        getattr(view, "__wrapped__", None), "needs", None) or DEFAULT_NEEDS
    return declared[method]


def admits_partners(need: str) -> bool:
    found = OBJECT_NEEDS.get(need)
    return bool(found and found.partners)


def is_open_to_partners(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    return view is not None and any(admits_partners(declared_need(view, method))
                                    for method in ("GET", "POST"))


def may_open(endpoint: str) -> bool:
    """For navigation: would the current user's role let them open this page?"""
    return g.get("role") != "partner" or is_open_to_partners(endpoint)


# Where a partner lands after login (a capability open to partners adds its index).
partner_landing_endpoints: list[str] = []


def partner_landing(slug: str) -> str | None:
    """The address of a partner's own pages in the territory ``slug`` (None while no
    capability open to partners has registered its index)."""
    if not partner_landing_endpoints:
        return None
    return url_for(partner_landing_endpoints[0], territory=slug)


def sends_partners_to_their_pages(view):
    """Declare a page that partners do not see but reach by its address (the territory's
    home, from the logo, a bookmark, « Mon compte »): a partner is sent to its own pages
    instead of a 404."""
    view.sends_partners_away = True
    return view


def load_user(alternative_id: str) -> User | None:
    """Flask-Login's user loader: the user of the session's id, if its token still holds
    (signing out everywhere changes it). On a territory's page the territory and the
    user's role in it come in the same query (``load_territory`` names the territory
    before it asks for the user): one statement less on every page and every live poll."""
    user_id, _sep, token = alternative_id.partition(":")
    if not user_id.isdigit():
        return None
    slug = g.pop("territory_asked", None)
    if slug is None:
        user = db.session.get(User, int(user_id))
    else:
        found = db.session.execute(_user_territory_and_role(),
                                   {"user_id": int(user_id), "slug": slug}).first()
        user = found[0] if found else None
        g.territory_found = found[1:] if found else None
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def load_territory(slug: str) -> Territory:
    """Resolve ``/t/<slug>`` for the current user, or 404; then the view's declared need
    for this request's method (403)."""
    g.territory_asked = slug
    authenticated = current_user.is_authenticated  # loads the user, and the territory
    g.pop("territory_asked", None)
    if not authenticated:
        abort(login_manager.unauthorized())
    if "territory_found" in g:
        found = g.pop("territory_found")
    else:  # the user was loaded earlier in the request
        found = db.session.execute(_territory_and_role(),
                                   {"user_id": current_user.id, "slug": slug}).first()
    if found is None or found[0] is None:
        abort(404)
    territory, role = found
    if role is None and not current_user.is_admin:
        abort(404)
    g.territory = territory
    g.role = role
    view = current_app.view_functions.get(request.endpoint or "")
    _check_role(declared_need(view, request.method), view)
    return territory


@cache
def _territory_and_role():
    """``load_territory``'s statement when the user is known already, built once."""
    return (select(Territory, Membership.role)
            .outerjoin(Membership, (Membership.territory_id == Territory.id)
                       & (Membership.user_id == bindparam("user_id")))
            .where(Territory.slug == bindparam("slug")))


@cache
def _user_territory_and_role():
    """The user (parameter ``user_id``), the territory (``slug``, None when no territory
    has it) and the user's role there (None when not a member): built once."""
    return (select(User, Territory, Membership.role).select_from(User)
            .outerjoin(Territory, Territory.slug == bindparam("slug"))
            .outerjoin(Membership, (Membership.territory_id == Territory.id)
                       & (Membership.user_id == User.id))
            .where(User.id == bindparam("user_id")))


def _check_role(need: str, view) -> None:
    found = OBJECT_NEEDS.get(need)
    if is_partner():
        if not (found and found.partners):
            landing = getattr(view, "sends_partners_away", False) and \
                partner_landing(g.territory.slug)
            abort(redirect(landing) if landing else 404)
    elif not can(found.floor if found else need):
        abort(403)


# Objects ------------------------------------------------------------------------------------

def may(need: str, obj) -> bool:
    """May the current user meet ``need`` (of ``OBJECT_NEEDS``) on ``obj``? (For pages
    that show or hide a button; the loaders refuse with ``check``.)"""
    found = OBJECT_NEEDS[need]
    if is_partner():
        return found.partners and _standing(need, obj)
    if not can(found.floor):
        return False
    return (found.on_behalf is not None and can(found.on_behalf)) or _standing(need, obj)


def check(obj: T, need: str | None) -> T:
    """``obj`` when the current user meets ``need`` (of ``OBJECT_NEEDS``) on it; else 403
    with the need's message when it has one, else 404 for a partner (the object is not
    theirs: it does not exist for them) and 403 for a member."""
    if need is None or may(need, obj):
        return obj
    refusal = OBJECT_NEEDS[need].refusal
    if refusal is not None:
        raise DomainError(str(refusal), status=403)
    abort(404 if is_partner() else 403)


def get_or_404(model: type[T], object_id: int, *options, need: str | None = None) -> T:
    """Load an object of the current territory by id (any other id is a 404), then check
    ``need`` on it."""
    statement = _by_id(model).options(*options) if options else _by_id(model)
    return check(_first_row_or_404(statement, object_id)[0], need)


def get_with_owner_or_404(model: type[T], object_id: int, owners, *options,
                          need: str | None = None) -> tuple[T, object | None]:
    """``get_or_404`` of an object that belongs to an owner of ``owners`` (an
    ``OwnerRegistry``), and its owner read by the same query: None when its kind has no
    model or it is gone."""
    row = _first_row_or_404(_by_id_with_owners(model, owners).options(*options), object_id)
    return check(row[0], need), next((owner for owner in row[1:] if owner is not None), None)


def _first_row_or_404(statement, object_id: int):
    row = db.session.execute(statement, {"object_id": object_id,
                                         "territory_id": g.territory.id}).first()
    if row is None:
        abort(404)
    return row


@cache
def _by_id(model):
    """An object of a territory by id, built once per model."""
    return select(model).where(model.id == bindparam("object_id"),
                               model.territory_id == bindparam("territory_id"))


@cache
def _by_id_with_owners(model, owners):
    return owners.with_owners(_by_id(model), model)


def scoped(statement, model):
    """Restrict a select() to the current territory."""
    return statement.where(model.territory_id == g.territory.id)


# Standing: the facts the object needs ask -----------------------------------------------------

_STANDING: dict[tuple[str, type], Callable[[object], bool]] = {}


def standing(need: str, model: type):
    """Register how to tell the current user's standing for ``need`` on a ``model``
    (a capability whose models the territorial layer must not import registers its own)."""
    def register(fn):
        _STANDING[(need, model)] = fn
        return fn
    return register


def _standing(need: str, obj) -> bool:
    for klass in type(obj).__mro__:
        fn = _STANDING.get((need, klass))
        if fn is not None:
            return bool(fn(obj))
    raise LookupError(f"no standing registered for {need!r} on {type(obj).__name__}")


@dataclass(frozen=True)
class InstanceSeat:
    """Where one decides: a charter instance, for a joint project (its working group) or
    as a standing body (``joint_project_id`` None)."""

    instance: object
    joint_project_id: int | None = None


def person_ids() -> list[int]:
    """The people of the current territory whose account is the current user's (what a
    standing is made of: a seat, a project, a structure)."""
    if "person_ids" not in g:
        g.person_ids = list(db.session.scalars(select(Person.id).where(
            Person.territory_id == g.territory.id, Person.user_id == current_user.id)))
    return g.person_ids
