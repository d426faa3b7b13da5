"""Blocks that a capability adds to a page owned by another one.

The territorial layer must not import facilitation. A capability that has
something to show on a territory's home page, or about an organisation, registers
a provider here at start-up; the page asks each provider for a ``Panel``.
"""
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    title: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    empty_text: str = ""
    more_url: str | None = None
    order: int = 50


class PanelRegistry:
    def __init__(self) -> None:
        self._providers: list[Callable[[object], Panel | None]] = []

    def register(self, provider: Callable[[object], Panel | None]):
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def panels_for(self, subject) -> list[Panel]:
        panels = [panel for provider in self._providers if (panel := provider(subject))]
        return sorted(panels, key=lambda panel: panel.order)


home_panels = PanelRegistry()  # subject: the territory
organisation_panels = PanelRegistry()  # subject: the organisation
convention_panels = PanelRegistry()  # subject: the convention; more_url: where to add one
person_panels = PanelRegistry()  # subject: the person
convention_agenda = PanelRegistry()  # subject: the convention; what comes next (its next review)
