"""What the action plans' templates use, registered with the others in ``app.py``."""
from __future__ import annotations

from markupsafe import Markup, escape

from facilitation.action_plans import charts
from facilitation.action_plans.models import HORIZONS, SCOPES, STATUSES
from facilitation.action_plans.rows import action_tables, action_urls
from facilitation.action_plans.summary_rows import overdue_rows, proposal_rows, unowned_rows
from territorial.common.text import per_language
from territorial.documents.formats import money


def plan_money(amount) -> str:
    return money(amount)


def month_label(day) -> str:
    return charts.month_label(day)


@per_language
def choice_options(kind: str) -> Markup:
    """The ``<option>`` of the statuses, horizons or scopes (``kind``) for the filters of
    the lists of actions and the bulk form, written once per language."""
    choices = {"status": STATUSES, "horizon": HORIZONS, "scope": SCOPES}[kind]
    return Markup("".join(f'<option value="{key}">{escape(str(label))}</option>'
                          for key, label in choices.items()))


def with_selected(options: Markup, value: int | str | None) -> Markup:
    """Filter: ``options`` (``<option>`` written once: ``choice_options``, the porteurs')
    with the one of ``value`` selected."""
    if value is None or value == "":
        return options
    value = escape(str(value))
    return Markup(str(options).replace(f'<option value="{value}">',
                                       f'<option value="{value}" selected>', 1))


TEMPLATE_GLOBALS = {"plan_money": plan_money, "month_label": month_label,
                    "action_urls": action_urls, "action_tables": action_tables,
                    "overdue_rows": overdue_rows, "unowned_rows": unowned_rows,
                    "proposal_rows": proposal_rows, "choice_options": choice_options}
TEMPLATE_FILTERS = {"with_selected": with_selected}
