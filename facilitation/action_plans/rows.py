"""The tables of actions of a plan's page and of the consolidated plan, written in Python:
a page shows 50 rows of three small forms each, which Jinja rendered in ~70 µs a row. What
is the same on every row (labels, badges, URLs, the CSRF field) is made once per page or
per language; the badges are ``_macros.html``'s.

In a template::

    {% import "indicators/_standing.html" as ind %}
    {% set tables = action_tables(editable, today, names, ind.standing) %}
    {{ tables.table(items, caption, bulk, reorder_url) }}

``items``: ``ActionRow``; ``bulk``: the rows carry a checkbox of ``#bulk-form``;
``reorder_url``: where dragging a row posts its new order, or None."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Callable

from flask import request
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from facilitation.action_plans.models import SCOPES, STATUS_TONES, STATUSES
from facilitation.action_plans.rules import allowed_statuses
from territorial.common.dates import date_formatter
from territorial.common.text import per_language
from territorial.common.urls import escaped_for_ids, url_for_ids
from territorial.indicators.views import indicator_standing


def action_urls() -> SimpleNamespace:
    """The URLs of an action's row by action id (its page, status, progress and move)."""
    return SimpleNamespace(**{name: url_for_ids(f"action_plans.{name}", "action_id")
                              for name in ("action", "change_status", "set_progress",
                                           "move_action")})


def escaped_urls(urls: SimpleNamespace) -> SimpleNamespace:
    """``action_urls`` escaped for the page's HTML once (``escaped_for_ids``)."""
    return SimpleNamespace(**{name: escaped_for_ids(url_of) for name, url_of in vars(urls).items()})


@per_language
def action_row_labels() -> SimpleNamespace:
    """The accessible names of the controls of an action's row, translated and escaped
    once per language, each as the text before and after the action's escaped title
    (escaping works character by character, so the parts may be escaped apart)."""
    return SimpleNamespace(**{key: tuple(str(escape(label % {"title": TITLE})).split(TITLE))
                              for key, label in {
        "select": _("Sélectionner « %(title)s »"),
        "status": _("Statut de « %(title)s »"),
        "reason": _("Motif de l'abandon de « %(title)s »"),
        "change_status": _("le statut de « %(title)s »"),
        "progress": _("Avancement de « %(title)s » en %%"),
        "save_progress": _("enregistrer l'avancement de « %(title)s »"),
        "up": _("Monter « %(title)s »"),
        "down": _("Descendre « %(title)s »"),
    }.items()})


TITLE = "\x00"  # where a label takes the title: a character no translation holds


@per_language
def row_texts() -> dict[str, str]:
    """The texts of a row that do not name its action, translated and escaped once per
    language."""
    return {key: str(escape(text)) for key, text in {
        "undated": _("non datée"), "raci": _("RACI :"), "reason": _("Motif si abandon"),
        "change": _("Changer"), "ok": _("OK"), "drag": _("Glisser pour réordonner"),
    }.items()}


@per_language
def headings(reorder: bool, bulk: bool) -> str:
    """The ``<th>`` of a table's head, translated and escaped once per language."""
    names = [_("Action"), _("Porteur"), _("Échéance"), _("Statut"), _("Avancement"),
             _("Indicateurs")] + ([_("Ordre")] if reorder else [])
    selection_label = escape(_("Sélection"))  # outside the f-string: read by pybabel
    selection = (f'<th scope="col"><span class="visually-hidden">{selection_label}'
                 f'</span></th>' if bulk else "")
    return selection + "".join(f'<th scope="col">{escape(name)}</th>' for name in names)


def badge(text, tone: str) -> str:
    """``_macros.html``'s ``badge``."""
    return f'<span class="badge badge-{tone}">{escape(text)}</span>'


@per_language
def row_badges() -> SimpleNamespace:
    """The badges of the rows and the ``<option>`` of the statuses allowed from each
    status, written once per language."""
    statuses = {key: str(label) for key, label in STATUSES.items()}
    return SimpleNamespace(
        to_designate=badge(_("À désigner"), "warning"), overdue=badge(_("En retard"), "danger"),
        scopes={key: badge(label, "info" if key == "territoire" else "neutral")
                for key, label in SCOPES.items()},
        statuses={key: badge(label, STATUS_TONES[key]) for key, label in statuses.items()},
        status_options={current: "".join(
            f'<option value="{key}"{" selected" if key == current else ""}>'
            f'{escape(statuses[key])}</option>' for key in allowed_statuses(current))
            for current in statuses},
    )


class ActionTables:
    """``table(items, caption, bulk, reorder_url)``: a table of ``ActionRow``. What every
    row repeats (the CSRF field, the return address, the texts) is joined into the pieces
    around each row's values once per page."""

    def __init__(self, editable: bool, today, names, standing: Callable, reorder: bool = True):
        self.editable, self.today, self.standing = editable, today, standing
        # ↑ ↓ and the drag handle move an action among all its plan's: not offered on a
        # filtered list, where its neighbour may be hidden
        self.reorder = editable and reorder
        self.labels, self.texts, self.badges = action_row_labels(), row_texts(), row_badges()
        self.urls = escaped_urls(action_urls())
        self.organisations = {id_: str(escape(name)) for id_, name in names.organisations.items()}
        self.people = {id_: str(escape(name)) for id_, name in names.people.items()}
        next_url = str(escape(request.full_path))
        # Still checked after the bulk picker's « Chercher » (``action_views.bulk``).
        self.checked = {int(id_) for id_ in request.args.getlist("action_ids") if id_.isdigit()}
        self.short_date = date_formatter("short")
        csrf = f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'
        self.before_version = (f'{csrf}\n'
                               f'          <input type="hidden" name="edit_version" value="')
        self.before_anchor = (f'">\n          <input type="hidden" name="next"'
                              f' value="{next_url}#action-')
        self.move_fields = (f'          {csrf}\n'
                            f'          <input type="hidden" name="next" value="{next_url}">\n')

    def table(self, items, caption: str, bulk: bool, reorder_url) -> Markup:
        reorder = (f' data-reorder-url="{escape(reorder_url)}"'
                   if self.reorder and reorder_url else "")
        return Markup(
            f'<div class="table-scroll">\n<table class="actions-table">\n'
            f'  <caption>{escape(caption)}</caption>\n'
            f'  <thead>\n    <tr>{headings(self.reorder, bulk)}</tr>\n  </thead>\n'
            f'  <tbody{reorder}>{self.rows(items, bulk, reorder_url)}</tbody>\n'
            f'</table>\n</div>')

    def rows(self, items, bulk: bool, reorder_url) -> str:
        last = len(items) - 1
        return "".join([self.row(row, bulk, reorder_url, index == 0, index == last)
                        for index, row in enumerate(items)])

    def row(self, row, bulk, reorder_url, first, last) -> str:
        action, labels, badges = row.action, self.labels, self.badges
        id_, title = action.id, str(escape(action.title))
        select = (f'<td><input type="checkbox" name="action_ids" value="{id_}" form="bulk-form"'
                  f' id="select-{id_}" aria-label="{title.join(labels.select)}"'
                  f'{" checked" if id_ in self.checked else ""}></td>'
                  if bulk else "")
        raci = (f'<br><small class="muted">{self.texts["raci"]} {escape(row.raci)}</small>'
                if row.raci else "")
        progress, status = action.progress, action.status
        return (
            f'\n    \n    \n    <tr id="action-{id_}" data-action-id="{id_}">\n      {select}\n'
            f'      <th scope="row">\n        <a href="{self.urls.action(id_)}">'
            f'{title}</a>\n'
            f'        <br><small>{badges.scopes[action.scope]}</small>\n'
            f'        {raci}\n      </th>\n      \n'
            f'      <td>{self.porteur(action)}</td>\n      <td>{self.due(action)}</td>\n'
            f'      <td class="status-cell">\n        <span class="status-badge">'
            f'{badges.statuses[status]}</span>\n'
            f'        {self.status_form(action, id_, title, status)}\n'
            f'      </td>\n      <td class="progress-cell">\n'
            f'        <progress value="{progress}" max="100" aria-hidden="true">'
            f'</progress>\n        {self.progress_form(action, id_, title, progress)}\n'
            f'      </td>\n      <td>\n        {self.indicators(row)}\n      </td>\n'
            f'      {self.order_cell(id_, title, reorder_url, first, last)}\n    </tr>\n  '
        )

    def porteur(self, action) -> str:
        porteur = self.organisations.get(action.owner_organisation_id)
        contact = self.people.get(action.contact_person_id)
        if contact is None:
            return self.badges.to_designate if porteur is None else porteur
        return f"{porteur or ''}<br><small>{contact}</small>"

    def due(self, action) -> str:
        due_date = action.due_date
        if not due_date:
            return f'<span class="muted">{self.texts["undated"]}</span>'
        return f"{escape(self.short_date(due_date))}{self.late(action)}"

    def late(self, action) -> str:
        """« En retard » under a past due date, hidden while the action is done or
        abandoned: the page's script shows it when the action is reopened inline."""
        if action.due_date >= self.today:
            return ""
        hidden = "" if action.is_overdue(self.today) else " hidden"
        return f"<span data-overdue{hidden}><br>{self.badges.overdue}</span>"

    def hidden_fields(self, action, id_) -> str:
        return f'{self.before_version}{action.edit_version}{self.before_anchor}{id_}">\n'

    def status_form(self, action, id_, title, status) -> str:
        if not self.editable:
            return ""
        labels, texts = self.labels, self.texts
        return (
            f'\n        <form method="post" action="{self.urls.change_status(id_)}"'
            f' class="inline-edit" data-inline="status">\n'
            f'          {self.hidden_fields(action, id_)}'
            f'          <label for="status-{id_}" class="visually-hidden">'
            f'{title.join(labels.status)}</label>\n'
            f'          <select id="status-{id_}" name="status">\n'
            f'            {self.badges.status_options[status]}\n          </select>\n'
            f'          <span class="reason-field" data-reason>\n'
            f'            <label for="reason-{id_}" class="visually-hidden">'
            f'{title.join(labels.reason)}</label>\n'
            f'            <input id="reason-{id_}" name="reason" type="text"'
            f' placeholder="{texts["reason"]}" value="{escape(action.abandon_reason)}">\n'
            f'          </span>\n          <button type="submit" class="secondary small">'
            f'{texts["change"]}<span class="visually-hidden"> '
            f'{title.join(labels.change_status)}</span></button>\n        </form>\n        '
        )

    def progress_form(self, action, id_, title, progress) -> str:
        if not self.editable:
            return f"<span>{progress} %</span>"
        labels = self.labels
        return (
            f'\n        <form method="post" action="{self.urls.set_progress(id_)}"'
            f' class="inline-edit" data-inline="progress">\n'
            f'          {self.hidden_fields(action, id_)}'
            f'          <label for="progress-{id_}" class="visually-hidden">'
            f'{title.join(labels.progress)}</label>\n'
            f'          <input id="progress-{id_}" name="progress" type="number" min="0"'
            f' max="100" step="5" value="{progress}" inputmode="numeric"> %\n'
            f'          <button type="submit" class="secondary small">{self.texts["ok"]}'
            f'<span class="visually-hidden"> {title.join(labels.save_progress)}</span>'
            f'</button>\n        </form>\n        '
        )

    def indicators(self, row) -> str:
        if not row.indicators:
            return '<span class="muted">—</span>'
        last = len(row.indicators) - 1
        return "".join(
            f"\n          <small>{escape(indicator.title)}</small> <small>"
            f"{self.standing(indicator, indicator_standing(indicator, row.years), trajectory=False)}"
            f"</small>{'<br>' if index != last else ''}\n        "
            for index, indicator in enumerate(row.indicators))

    def order_cell(self, id_, title, reorder_url, first, last) -> str:
        if not self.reorder:
            return ""
        labels = self.labels
        handle = (f'<span class="drag-handle" aria-hidden="true" title="{self.texts["drag"]}">⠿</span>'
                  if reorder_url else "")
        return (
            f'\n      <td class="order-cell">\n        {handle}\n'
            f'        <form method="post" action="{self.urls.move_action(id_)}"'
            f' class="inline-form">\n{self.move_fields}'
            f'          <button type="submit" name="direction" value="up" class="secondary outline'
            f' small" {"disabled" if first else ""}>↑<span class="visually-hidden"> '
            f'{title.join(labels.up)}</span></button>\n'
            f'          <button type="submit" name="direction" value="down" class="secondary outline'
            f' small" {"disabled" if last else ""}>↓<span class="visually-hidden"> '
            f'{title.join(labels.down)}</span></button>\n        </form>\n      </td>\n      '
        )


def action_tables(editable: bool, today, names, standing: Callable,
                  reorder: bool = True) -> ActionTables:
    """The tables' writer of a page (a template global: ``names`` the porteurs' and
    contacts' names of its actions, ``queries.names_of``; ``standing`` the macro
    ``indicators/_standing.html:standing``; ``reorder``: offer ↑ ↓ to the editors)."""
    return ActionTables(editable, today, names, standing, reorder)
