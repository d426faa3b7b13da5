"""Create and change indicators, their targets and their measured values.

Operations flush, never commit (the request commits). Invalid data raises
``DomainError`` whose ``errors`` map fields to French messages.
"""
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from territorial.common import versions
from territorial.common.errors import DomainError
from territorial.common.loading import set_children, side_by_side
from territorial.common.models import utcnow
from territorial.indicators import rules
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue

INDICATOR_FIELDS = (
    "title", "description", "kind", "unit", "baseline", "baseline_year",
    "target_statement", "scale", "direction", "source",
)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _clean(fields: dict) -> dict:
    data = {key: fields[key] for key in INDICATOR_FIELDS if key in fields}
    for key in ("title", "description", "unit", "target_statement", "scale", "source"):
        if key in data:
            data[key] = (data[key] or "").strip()
    if "baseline" in data:
        data["baseline"] = _decimal(data["baseline"])
    if data.get("kind") == rules.QUALITATIVE:
        data["baseline"] = None
    return data


def _check(indicator: Indicator, data: dict) -> None:
    merged = {key: data.get(key, getattr(indicator, key, None)) for key in INDICATOR_FIELDS}
    errors = rules.indicator_errors(
        title=merged["title"] or "", kind=merged["kind"] or rules.QUANTITATIVE,
        unit=merged["unit"] or "", direction=merged["direction"] or "increase",
        baseline=merged["baseline"], baseline_year=merged["baseline_year"],
    )
    if errors:
        raise DomainError(errors)


def create_indicator(territory_id: int, owner_type: str, owner_id: int, **fields) -> Indicator:
    """A new indicator of an owner, placed after the owner's other indicators."""
    data = {"kind": rules.QUANTITATIVE, "direction": "increase", "unit": ""} | _clean(fields)
    indicator = Indicator(territory_id=territory_id, owner_type=owner_type, owner_id=owner_id)
    _check(indicator, data)
    last = db.session.scalar(
        select(func.max(Indicator.position)).where(
            Indicator.owner_type == owner_type, Indicator.owner_id == owner_id,
            Indicator.territory_id == territory_id,
        )
    )
    for key, value in data.items():
        setattr(indicator, key, value)
    indicator.position = fields.get("position", (last or 0) + 1)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def update_indicator(indicator: Indicator, *, version: int | None = None,
                     **fields) -> Indicator:
    """``version``: the indicator's version on the user's page (``versions.Conflict`` if a
    colleague saved it since)."""
    versions.check(indicator, version)
    data = _clean(fields)
    _check(indicator, data)
    for key, value in data.items():
        setattr(indicator, key, value)
    versions.flush(indicator)
    return indicator


def delete_indicator(indicator: Indicator) -> None:
    db.session.delete(indicator)
    db.session.flush()


def delete_for_owner(owner_type: str, owner_ids: Iterable[int], territory_id: int) -> None:
    """Remove the indicators of deleted owners (there is no foreign key to cascade)."""
    ids = list(owner_ids)
    if not ids:
        return
    for indicator in db.session.scalars(
        select(Indicator).where(
            Indicator.owner_type == owner_type, Indicator.owner_id.in_(ids),
            Indicator.territory_id == territory_id,
        )
    ):
        db.session.delete(indicator)
    db.session.flush()


def target_text(indicator: Indicator, target: IndicatorTarget | None = None, *, value=None,
                statement: str | None = None) -> str:
    """A target as two versions of it are compared: the number (normalised), or the
    statement; "" for no target."""
    if target is not None:
        value, statement = target.value, target.statement
    if indicator.kind == rules.QUANTITATIVE:
        value = _decimal(value)
        return "" if value is None else format(value.normalize(), "f")
    return (statement or "").strip()


def _target(indicator: Indicator, year) -> IndicatorTarget | None:
    return db.session.scalar(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator.id, IndicatorTarget.year == int(year)))


def targets_seen(indicator: Indicator) -> str:
    """The hidden field ``seen`` of a targets form: each year's target as the page shows it."""
    targets = db.session.scalars(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator.id))
    return versions.seen({t.year: (t.edit_version, target_text(indicator, t)) for t in targets})


def set_target(indicator: Indicator, year: int, value=None, statement: str | None = None,
               version: int | None = None) -> IndicatorTarget:
    """Set (or replace) the target of ``year``: a number for a quantitative indicator,
    a statement for a qualitative one. ``version``: the version of that year's target on the
    user's page (0: none shown); another target saved since raises ``versions.Conflict``."""
    value = _decimal(value)
    statement = (statement or "").strip() or None
    errors = rules.target_errors(indicator, year=year, value=value, statement=statement)
    if errors:
        raise DomainError(errors)
    target = _target(indicator, year)
    if version is not None and version != (target.edit_version if target else 0) and \
            target_text(indicator, target) != target_text(indicator, value=value,
                                                          statement=statement):
        raise versions.Conflict.of(target)
    if target is None:
        target = IndicatorTarget(
            indicator_id=indicator.id, territory_id=indicator.territory_id, year=int(year)
        )
        db.session.add(target)
    target.value = value if indicator.kind == rules.QUANTITATIVE else None
    target.statement = statement
    versions.flush(target, find=lambda: _target(indicator, year))
    return target


def delete_target(target: IndicatorTarget) -> None:
    db.session.delete(target)
    db.session.flush()


def record_value(indicator: Indicator, year: int, value=None, *, text_value: str = "",
                 measured_on: date | None = None, source: str = "", comment: str = "",
                 entered_by=None) -> IndicatorValue:
    """Record a measure of ``indicator`` for ``year``."""
    value = _decimal(value)
    errors = rules.value_errors(indicator, year=year, value=value, text_value=text_value)
    if errors:
        raise DomainError(errors)
    measure = IndicatorValue(
        indicator_id=indicator.id,
        territory_id=indicator.territory_id,
        year=int(year),
        value=value if indicator.kind == rules.QUANTITATIVE else None,
        text_value=(text_value or "").strip(),
        measured_on=measured_on,
        source=(source or "").strip(),
        comment=(comment or "").strip(),
        entered_by_id=getattr(entered_by, "id", entered_by),
    )
    db.session.add(measure)
    db.session.flush()
    return measure


def validate_value(measure: IndicatorValue, user, version: int | None = None) -> IndicatorValue:
    """Mark a measure as checked by ``user`` (once; validating again changes nothing).
    ``version``: the measure's version on the user's page: a value corrected since then is
    not validated unseen (``versions.Conflict``)."""
    versions.check(measure, version)
    if measure.validated_at is None:
        measure.validated_by_id = getattr(user, "id", user)
        measure.validated_at = utcnow()
        db.session.flush()
    return measure


def delete_value(measure: IndicatorValue) -> None:
    db.session.delete(measure)
    db.session.flush()


def indicators_for(owner_type: str, owner_ids: Iterable[int] | Select, *,
                   territory_id: int | None = None) -> dict[int, list[Indicator]]:
    """The indicators of many owners of one type, by owner id, with their targets and
    values loaded: one query whatever the number of owners (``side_by_side``: each
    indicator with its targets, then with its values). ``owner_ids``: the ids, or a
    select of them (hundreds of actions: one cheap subquery rather than hundreds of ids
    in the query)."""
    result: dict[int, list[Indicator]] = defaultdict(list)
    parameters = {"owner_type": owner_type, "territory_id": territory_id}
    if isinstance(owner_ids, Select):
        statement = _statement(owner_ids, territory_id is not None)
    else:
        parameters["owner_ids"] = list({int(i) for i in owner_ids})
        if not parameters["owner_ids"]:
            return result
        statement = _ids_statement(territory_id is not None)
    measures: dict[Indicator, tuple[list, list]] = {}
    for indicator, target, value in db.session.execute(statement, parameters):
        targets, values = measures.setdefault(indicator, ([], []))
        if target is not None:
            targets.append(target)
        if value is not None:
            values.append(value)
    for indicator, (targets, values) in measures.items():
        set_committed_value(indicator, "targets", targets)
        set_committed_value(indicator, "values", values)
        result[indicator.owner_id].append(indicator)
    return result


@cache
def _ids_statement(of_territory: bool):
    """``indicators_for``'s query for a list of owners (parameter ``owner_ids``): built
    once. The ids (integers) are written into the SQL: a page's fifty ids as as many
    bound parameters would make the driver parse the statement anew each time (psycopg
    keeps statements of at most 50 parameters)."""
    return _statement(bindparam("owner_ids", expanding=True, literal_execute=True),
                      of_territory)


def _statement(owners, of_territory: bool):
    """The indicators of ``owners`` (ids or a select of them) in order, each with its
    targets then its values in their relationships' order, with the parameters
    ``owner_type`` and, ``of_territory``, ``territory_id``."""
    statement, side = side_by_side(Indicator, IndicatorTarget, IndicatorTarget.indicator_id,
                                   IndicatorValue, IndicatorValue.indicator_id)
    statement = statement.where(Indicator.owner_type == bindparam("owner_type"),
                                Indicator.owner_id.in_(owners))
    if of_territory:
        statement = statement.where(Indicator.territory_id == bindparam("territory_id"))
    return statement.order_by(Indicator.owner_id, Indicator.position, Indicator.id, side,
                              IndicatorTarget.year, *VALUES_ORDER)


def load_measures(indicators: list[Indicator], chosen) -> None:
    """The targets and values of ``indicators`` (``chosen``: their ids, or a select of
    them), two plain queries in their relationships' order."""
    targets = (select(IndicatorTarget).where(IndicatorTarget.indicator_id.in_(chosen))
               .order_by(IndicatorTarget.year))
    set_children(indicators, "targets", targets, "indicator_id")
    set_children(indicators, "values", _values_statement(chosen), "indicator_id")


VALUES_ORDER = (IndicatorValue.year, IndicatorValue.measured_on, IndicatorValue.id)


def _values_statement(chosen):
    """The values of the indicators ``chosen``, in their relationship's order."""
    return (select(IndicatorValue).where(IndicatorValue.indicator_id.in_(chosen))
            .order_by(*VALUES_ORDER))


