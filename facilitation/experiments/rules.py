"""Rules of an experiment's dates, as plain functions: its forms and its operations call
them (``Form.rule_errors``; the operations raise ``DomainError`` with them)."""
from datetime import date

from territorial.common.dates import format_date
from flask_babel import gettext as _


def period_errors(start: date | None, end: date | None) -> dict[str, str]:
    """A period (of the experiment, of a part) that ends before it starts, by field."""
    if start and end and end < start:
        return {"end_date": _("La date de fin précède la date de début.")}
    return {}


def part_errors(start: date | None, end: date | None, experiment) -> dict[str, str]:
    """A part's period, which must also lie within the experiment's."""
    errors = period_errors(start, end)
    if not errors and start and end and (start < experiment.start_date
                                         or end > experiment.end_date):
        errors["end_date"] = _(
            "La partie doit se tenir dans la période de l'expérimentation (du %(start)s au "
            "%(end)s).", start=format_date(experiment.start_date, "long"),
            end=format_date(experiment.end_date, "long"))
    return errors
