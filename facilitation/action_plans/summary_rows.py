"""The rows of the lists of actions of the follow-up and the restitution (overdue actions,
actions without porteur, proposals for the territory), written in Python: a consolidated
plan lists a hundred or more of them, which Jinja rendered in ~25 µs a row. What every row
repeats (the badges, the action's URL, the date format) is made once per page; the HTML is
the template's, character for character (see ``rows.py`` for the plan's table)."""
from __future__ import annotations

from functools import cache

from markupsafe import Markup, escape

from facilitation.action_plans.rows import row_badges
from territorial.common.urls import escaped_for_ids, url_for_ids
from territorial.common.dates import date_formatter


def _escaper():
    """``escape`` for the texts many rows repeat (group titles, labels, porteurs' names):
    each escaped once per page."""
    return cache(lambda text: str(escape(text)))


def _linker():
    """The ``<th>`` of an action's link by its id and title: the action's URL built and
    escaped once per table."""
    url = escaped_for_ids(url_for_ids("action_plans.action", "action_id"))
    return lambda id_, title: f'<th scope="row"><a href="{url(id_)}">{escape(title)}</a></th>'


def overdue_rows(rows, to_designate: str) -> Markup:
    """The ``<tr>`` of the overdue actions: action, group, due date, status, progress,
    porteur."""
    link, short_date, once = _linker(), date_formatter("short"), _escaper()
    status_badges = row_badges().statuses
    to_designate = escape(to_designate)
    return Markup("".join(
        f"<tr>{link(action.id, action.title)}<td>{once(row.group.title)}</td>"
        f"<td>{once(short_date(action.due_date))}</td><td>{status_badges[action.status]}</td>"
        f"<td>{action.progress} %</td>"
        f"<td>{once(row.owner_name) if row.owner_name else to_designate}</td></tr>"
        for row, action in ((row, row.action) for row in rows)))


def unowned_rows(rows, horizons: dict) -> Markup:
    """The ``<tr>`` of the open actions without porteur: action, group, horizon, status."""
    link, once, status_badges = _linker(), _escaper(), row_badges().statuses
    return Markup("".join(
        f"<tr>{link(action.id, action.title)}<td>{once(row.group.title)}</td>"
        f"<td>{once(horizons.get(action.horizon, action.horizon))}</td>"
        f"<td>{status_badges[action.status]}</td></tr>"
        for row, action in ((row, row.action) for row in rows)))


def proposal_rows(proposals, to_designate: str) -> Markup:
    """The ``<tr>`` of the restitution's proposals: (id, title, theme, horizon, porteur)."""
    link, once, to_designate = _linker(), _escaper(), escape(to_designate)
    return Markup("".join(
        f"<tr>{link(id_, title)}<td>{once(theme)}</td><td>{once(horizon)}</td>"
        f"<td>{once(porteur) if porteur else to_designate}</td></tr>"
        for id_, title, theme, horizon, porteur in proposals))
