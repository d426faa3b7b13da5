"""Blocks that a capability adds to a page owned by another one.

The territorial layer must not import facilitation. A capability that has
something to show on a territory's home page, or about an organisation, registers
a provider here at start-up; the page asks each provider for a ``Panel``.

A provider whose panel is empty on most subjects may register with ``shown_if``: a
function giving an SQL condition (an ``EXISTS``) true when the panel has something to
show, written with the bound parameters below rather than values. The page asks all these
conditions in one query, built once (building a statement of several subqueries and its
cache key costs several times its run), and calls only the providers whose condition
holds, instead of one query per empty panel.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, bindparam, select

from extensions import db
from territorial.common.models import utcnow

# What a ``shown_if`` condition compares with: the subject's id, today, now, this year.
# The id is written into the statement when it runs (``literal_execute``): PostgreSQL
# plans the query for the subject's own rows. As a parameter, the plan it kept after ten
# runs assumed an average territory and scanned every territory's conventions to tell that
# one had none (14 ms at 100 × the demo's data, against 0.1 ms).
SUBJECT_ID = bindparam("subject_id", type_=Integer, literal_execute=True)
TODAY, NOW, YEAR = (bindparam(name) for name in ("today", "now", "year"))

Provider = Callable[[object], "Panel | None"]
Condition = Callable[[], object]  # an SQL boolean expression of the parameters above


@dataclass
class Panel:
    title: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    empty_text: str = ""
    more_url: str | None = None
    order: int = 50


class PanelRegistry:
    def __init__(self) -> None:
        self._providers: list[Provider] = []
        self._conditions: dict[Provider, Condition] = {}
        self._shown_statement = None

    def register(self, provider: Provider | None = None, *, shown_if: Condition | None = None):
        """Add a provider (usable as ``@registry.register`` or
        ``@registry.register(shown_if=…)``)."""
        def add(provider: Provider) -> Provider:
            if provider not in self._providers:
                self._providers.append(provider)
            if shown_if is not None:
                self._conditions[provider] = shown_if
                self._shown_statement = None
            return provider
        return add if provider is None else add(provider)

    def panels_for(self, subject) -> list[Panel]:
        shown = self._shown(subject)
        panels = [panel for provider in self._providers
                  if shown.get(provider, True) and (panel := provider(subject))]
        return sorted(panels, key=lambda panel: panel.order)

    def _shown(self, subject) -> dict[Provider, bool]:
        """Whether each provider registered with ``shown_if`` has something to show, in
        one query."""
        if not self._conditions:
            return {}
        if self._shown_statement is None:
            self._shown_statement = select(*(condition() for condition
                                             in self._conditions.values()))
        today = date.today()
        row = db.session.connection().execute(self._shown_statement, {
            "subject_id": subject.id, "today": today, "now": utcnow(), "year": today.year,
        }).one()
        return {provider: bool(value) for provider, value in zip(self._conditions, row)}


home_panels = PanelRegistry()  # subject: the territory
organisation_panels = PanelRegistry()  # subject: the organisation
convention_panels = PanelRegistry()  # subject: the convention; more_url: where to add one
person_panels = PanelRegistry()  # subject: the person
convention_agenda = PanelRegistry()  # subject: the convention; what comes next (its next review)
