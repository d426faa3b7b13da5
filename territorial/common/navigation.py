"""The territory's menu (DESIGN §6) and the one section of it that each page belongs to.

The menu marks that section (``aria-current="page"``); a page's breadcrumbs start from
it, in the menu's words (``crumb``). A page belongs to the section of its blueprint, but:

- an endpoint of ``ENDPOINTS`` belongs to the section it names (an experiment's
  consolidated action plan is a tab of the experiment);
- the pages of what several capabilities own (a RACI grid, a frise, an indicator, a
  meeting) belong to their owner's section, which their capability tells
  (``owned_pages``);
- a page that no rule names belongs to no section (the territory's settings, its members).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.util import identity_key

from extensions import db
from territorial.access import can, may_open
from territorial.common.text import per_language


@dataclass(frozen=True)
class Section:
    """A menu entry: its page, its label, the blueprints whose pages are its own, and the
    permission that shows it (beyond the role's access to its page)."""

    endpoint: str
    label: object
    blueprints: tuple[str, ...] = ()
    permission: str | None = None


SECTIONS = (
    Section("territory.home", _l("Accueil")),
    Section("actors.organisations", _l("Acteurs"), ("actors",)),
    Section("experiments.index", _l("Expérimentations"), ("experiments", "working_groups")),
    # The actions outlive the experiment that drew them: a coordinator follows the plans of
    # every experiment and the partnership's 3-year plan from one entry.
    Section("action_plans.index", _l("Plans d'action"), ("action_plans",)),
    Section("projects.index", _l("Projets"), ("projects", "reviews")),
    Section("partnerships.index", _l("Partenariats"),
            ("partnerships", "charters", "joint_projects", "decisions")),
    Section("conventions.index", _l("Conventions"), ("conventions", "convention_reviews")),
    Section("agenda.index", _l("Agenda"), ("agenda",)),
    Section("audit.index", _l("Journal"), ("audit",), permission="administer"),
)
_BY_ENDPOINT = {section.endpoint: section for section in SECTIONS}
_BY_BLUEPRINT = {blueprint: section.endpoint for section in SECTIONS
                 for blueprint in section.blueprints}

# Pages drawn by one capability inside another's section.
ENDPOINTS = {
    "action_plans.experiment_plan": "experiments.index",
    "action_plans.experiment_follow_up": "experiments.index",
    "action_plans.restitution": "experiments.index",
}

# Blueprint or endpoint → the section of the object its pages show (None: of no section).
_owned: dict[str, Callable[[], str | None]] = {}


def owned_pages(name: str, section_of: Callable[[], str | None]) -> None:
    """The pages of blueprint ``name`` (or the page of endpoint ``name``) belong to the
    section that ``section_of()`` names, the section of what they show."""
    _owned[name] = section_of


def current_section() -> Section | None:
    """The section of the current page (asked once a page, by the menu and the trail)."""
    if "nav_section" not in g:
        endpoint = _section_endpoint(request.endpoint or "", request.blueprints)
        g.nav_section = _BY_ENDPOINT.get(endpoint) if endpoint else None
    return g.nav_section


def _section_endpoint(endpoint: str, blueprints: list[str]) -> str | None:
    if endpoint in _BY_ENDPOINT:
        return endpoint
    if endpoint in ENDPOINTS:
        return ENDPOINTS[endpoint]
    for name in (endpoint, *blueprints):
        if name in _owned:
            return _owned[name]()
    return next((_BY_BLUEPRINT[name] for name in blueprints if name in _BY_BLUEPRINT), None)


@per_language
def section_labels() -> dict[str, str]:
    """Each section's label in the page's language, by its endpoint."""
    return {section.endpoint: str(section.label) for section in SECTIONS}


def menu() -> list[tuple[str, str, bool]]:
    """The sections the current user may open, in order: (label, page, is the current
    page's)."""
    labels, current = section_labels(), current_section()
    return [(labels[section.endpoint], url_for(section.endpoint), section is current)
            for section in SECTIONS
            if section.endpoint in current_app.view_functions and may_open(section.endpoint)
            and (section.permission is None or can(section.permission))]


def crumb(endpoint: str) -> tuple[str, str]:
    """The breadcrumb of a section: its label in the menu and its page."""
    return section_labels()[endpoint], url_for(endpoint)


def section_crumbs() -> list[tuple[str, str]]:
    """The current page's trail from its section: the section's crumb, none without one."""
    section = current_section()
    return [crumb(section.endpoint)] if section is not None else []


def shown(model, object_id):
    """The ``model`` row of this key that the page's view loaded (after its access check),
    found without a query; None when the view did not load it."""
    if object_id is None:
        return None
    return db.session.identity_map.get(identity_key(model, object_id))


def page_object(model, argument: str):
    """``shown`` for the row that the page's address names by ``argument``."""
    return shown(model, (request.view_args or {}).get(argument))
