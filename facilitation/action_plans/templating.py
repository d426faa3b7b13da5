"""What the action plans' templates use, registered with the others in ``app.py``."""
from __future__ import annotations

from markupsafe import Markup

from facilitation.action_plans import charts
from facilitation.action_plans.rows import action_rows, action_urls
from facilitation.action_plans.summary_rows import overdue_rows, proposal_rows, unowned_rows
from territorial.documents.formats import money


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


TEMPLATE_GLOBALS = {"plan_money": plan_money, "month_label": month_label,
                    "action_urls": action_urls, "action_rows": action_rows,
                    "overdue_rows": overdue_rows, "unowned_rows": unowned_rows,
                    "proposal_rows": proposal_rows}
TEMPLATE_FILTERS = {"with_selected": with_selected}
