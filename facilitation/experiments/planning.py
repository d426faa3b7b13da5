"""Dates of an experiment: its period, its parts, and the sessions the method proposes.

Months count from the experiment's start (month 0 is the first month); a part's
``end_month`` is exclusive. A session planned « in month m » falls inside that month,
on a weekday; the GTs of several groups are spread over the month.
"""
from __future__ import annotations

import calendar
from datetime import date, time, timedelta
from typing import Any

from facilitation.sessions.operations import local_datetime
from territorial.common import working_days

GT_KINDS = ("gt1", "gt2", "gt3")
STARTS = {"copil": time(14, 0), "lancement": time(9, 30), "restitution": time(9, 30)}
GT_START = time(9, 30)
COPIL_MINUTES = 120


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, duration_months: int) -> date:
    """Last day of an experiment lasting ``duration_months`` from ``start``."""
    return add_months(start, duration_months) - timedelta(days=1)


def month_span(start: date, first_month: int, end_month: int) -> tuple[date, date]:
    """Dates of months ``first_month`` to ``end_month - 1``."""
    return add_months(start, first_month), add_months(start, end_month) - timedelta(days=1)


# Eves when few people come (24 and 31 December): no session is proposed on them either.
EVES = {(12, 24), (12, 31)}


def working_day_from(day: date) -> date:
    """The first day from ``day`` that is a working day (no weekend, no French public
    holiday: ``territorial.common.working_days``) and not an eve of Christmas or New Year."""
    while not working_days.is_working_day(day) or (day.month, day.day) in EVES:
        day += timedelta(days=1)
    return day


def day_in_month(start: date, month: int, index: int = 0, count: int = 1,
                 default_offset: int = 9) -> date:
    """A weekday of month ``month`` of the experiment; ``index`` of ``count`` spreads
    several sessions of the same step over the month (between its 5th and ~24th day)."""
    first = add_months(start, month)
    length = (add_months(start, month + 1) - first).days
    if count <= 1:
        offset = default_offset
    else:
        offset = 4 + round(index * (length - 11) / (count - 1))
    return working_day_from(first + timedelta(days=offset))


def session_slot(start: date, month: int, kind: str, minutes: int,
                 index: int = 0, count: int = 1):
    """(starts_at, ends_at) of a session proposed in ``month`` of the experiment."""
    if kind == "copil":
        day = day_in_month(start, month, default_offset=14)
    else:
        day = day_in_month(start, month, index, count)
    starts_at = local_datetime(day, STARTS.get(kind, GT_START))
    return starts_at, starts_at + timedelta(minutes=minutes)


def proposed_collective_sessions(method: dict[str, Any], start: date) -> list[dict[str, Any]]:
    """The method's collective steps (launch, restitution) and the copils, with dates."""
    proposals = []
    for step in method["sessions"]:
        if step["scope"] != "per_theme":
            starts_at, ends_at = session_slot(start, step["month"], step["kind"],
                                              step["duration_minutes"])
            proposals.append({"step": step, "kind": step["kind"], "title": step["title"],
                              "starts_at": starts_at, "ends_at": ends_at})
    copil_months = method["defaults"]["copil_months"]
    for number, month in enumerate(copil_months, start=1):
        starts_at, ends_at = session_slot(start, month, "copil", COPIL_MINUTES)
        proposals.append({"step": None, "kind": "copil", "title": copil_title(number,
                                                                             len(copil_months)),
                          "starts_at": starts_at, "ends_at": ends_at})
    return proposals


def copil_title(number: int, total: int) -> str:
    if number == 1:
        return "Copil de lancement"
    if number == total:
        return "Copil de clôture"
    return f"Copil n° {number}"


def proposed_group_sessions(method: dict[str, Any], start: date, group_title: str,
                            index: int, count: int) -> list[dict[str, Any]]:
    """GT1, GT2, GT3 of one group (the ``index``-th of ``count``), with dates."""
    proposals = []
    for step in method["sessions"]:
        if step["scope"] == "per_theme":
            starts_at, ends_at = session_slot(start, step["month"], step["kind"],
                                              step["duration_minutes"], index, count)
            proposals.append({"step": step, "kind": step["kind"],
                              "title": f"{step['title']} – {group_title}",
                              "starts_at": starts_at, "ends_at": ends_at})
    return proposals


def gt_window_end(method: dict[str, Any], start: date) -> date:
    return add_months(start, method["defaults"]["gt_window_months"]) - timedelta(days=1)
