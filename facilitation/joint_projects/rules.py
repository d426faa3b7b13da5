"""Rules of a joint project's conduct: economic balance, SMART advice, what is still missing."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from facilitation.joint_projects.models import CHARGES, BudgetLine, ProjectMeans, ProjectObjective
from territorial.indicators.rules import smart_advice

ZERO = Decimal("0")


@dataclass
class Balance:
    """Totals of a budget (planned or actual)."""

    external: Decimal
    internal: Decimal
    participants: Decimal
    funding: Decimal
    structures: Decimal

    @property
    def charges(self) -> Decimal:
        return self.external + self.internal

    @property
    def income(self) -> Decimal:
        return self.participants + self.funding + self.structures

    @property
    def result(self) -> Decimal:
        """Income minus charges: ≥ 0 means the project is balanced."""
        return self.income - self.charges

    @property
    def self_financing_rate(self) -> Decimal | None:
        """Share of the charges covered by the participants' contributions (autofinancement)."""
        if not self.charges:
            return None
        return (self.participants / self.charges * 100).quantize(Decimal("1"))


_CATEGORY_FIELDS = {
    "charge_externe": "external",
    "charge_interne": "internal",
    "recette_participants": "participants",
    "recette_financement": "funding",
    "recette_structures": "structures",
}


def balance(lines: Iterable[BudgetLine], which: str = "planned") -> Balance:
    totals = dict.fromkeys(_CATEGORY_FIELDS.values(), ZERO)
    for line in lines:
        value = line.planned if which == "planned" else line.actual
        if value is not None:
            totals[_CATEGORY_FIELDS[line.category]] += value
    return Balance(**totals)


def balance_message(result: Balance, which: str = "planned") -> tuple[str, str]:
    """(tone, French sentence) on the economic balance, as the charter asks."""
    if not result.charges and not result.income:
        return "muted", _("Aucune ligne de budget pour l'instant.")
    if result.result >= 0:
        return "success", (_("Le budget prévisionnel est à l'équilibre.") if which == "planned"
                           else _("Les comptes sont à l'équilibre."))
    return "warning", _(
        "Il manque %(amount)s € pour atteindre l'équilibre : prévoir des financements "
        "complémentaires (dossier à monter avec l'aide de la direction) ou proposer des "
        "solutions pour atteindre l'équilibre.",
        amount=f"{-result.result:,.2f}".replace(",", "\u202f").replace(".", ","))


def objective_advice(objective: ProjectObjective, has_indicator: bool) -> list[str]:
    """SMART advice on one objective (the shared indicator rules)."""
    return smart_advice(
        objective.text,
        has_measure=bool(objective.measure) or has_indicator,
        has_date=objective.due_on is not None,
        has_owner=objective.owner_organisation_id is not None,
    )


def means_warnings(means: Iterable[ProjectMeans]) -> list[str]:
    """Means lent by a structure whose management was not informed beforehand."""
    return [
        _("« %(means)s » (%(structure)s) : la direction doit en être informée en amont.",
          means=item.description, structure=item.organisation.name)
        for item in means if item.organisation_id and item.informed_on is None
    ]


def conduct_checklist(project, *, objectives: int, indicators: int, budget_lines: int,
                      means: int, evaluations: int, essentials: list[Mapping]) -> list[tuple[str, bool]]:
    """The charter's « incontournables » of project conduct, each with whether it is done.

    Only the essentials the charter lists are shown (by their key; unknown keys are shown as
    titles without a check)."""
    done = {
        "diagnostic": bool(project.diagnostic),
        "finalite": bool(project.finalites),
        "objectifs": objectives > 0,
        "moyens": means > 0,
        "gestion_economique": budget_lines > 0,
        "budget": budget_lines > 0,
        "modalites": bool(project.modalities),
        "evaluation": indicators > 0 or evaluations > 0,
        "indicateurs": indicators > 0,
    }
    return [(item["title"], done.get(item["key"])) for item in essentials]


def is_charge(category: str) -> bool:
    return category in CHARGES
