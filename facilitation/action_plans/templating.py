"""What the action plans' templates use, registered with the others in ``app.py``."""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import gettext as _
from markupsafe import Markup

from facilitation.action_plans import charts
from territorial.documents.formats import money
from territorial.common.urls import url_for_ids


def plan_money(amount) -> str:
    return money(amount)


def month_label(day) -> str:
    return charts.month_label(day)


def with_selected(options: Markup, value: int | None) -> Markup:
    """Filter: ``options`` (one ``<option>`` per organisation) with ``value`` selected."""
    if value is None:
        return options
    option = f'<option value="{int(value)}">'
    return Markup(str(options).replace(option, f'<option value="{int(value)}" selected>', 1))


def action_urls() -> SimpleNamespace:
    """The URLs of an action's row by action id (its page, status, progress and move), for
    ``_actions_table.html`` (attributes, which a template reads faster than a dict's keys)."""
    return SimpleNamespace(**{name: url_for_ids(f"action_plans.{name}", "action_id")
                              for name in ("action", "change_status", "set_progress",
                                           "move_action")})


def action_row_labels() -> SimpleNamespace:
    """The accessible names of the controls of an action's row, translated once per page:
    ``_actions_table.html`` fills in each action's title (``labels.status % title``)."""
    return SimpleNamespace(**{
        "select": _("Sélectionner « %(title)s »"),
        "status": _("Statut de « %(title)s »"),
        "reason": _("Motif de l'abandon de « %(title)s »"),
        "change_status": _("le statut de « %(title)s »"),
        "progress": _("Avancement de « %(title)s » en %%"),
        "save_progress": _("enregistrer l'avancement de « %(title)s »"),
        "up": _("Monter « %(title)s »"),
        "down": _("Descendre « %(title)s »"),
    })


TEMPLATE_GLOBALS = {"plan_money": plan_money, "month_label": month_label,
                    "action_urls": action_urls, "action_row_labels": action_row_labels}
TEMPLATE_FILTERS = {"with_selected": with_selected}
