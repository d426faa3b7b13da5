"""Rules of a joint project's conduct: economic balance, SMART advice, what is still missing —
in the words of the charter in force (its « incontournables », its SMART letters, the instance it
names to inform of the means or to help with funding)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from territorial.charters import rules as charter_rules

from facilitation.joint_projects.models import BudgetLine, ProjectMeans, ProjectObjective
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


@dataclass
class ConductWords:
    """What the charter in force says of project conduct, for the pages and the advice."""

    essentials: list[Mapping] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # essential key → its title
    examples: dict[str, list[str]] = field(default_factory=dict)  # essential key → examples
    smart: dict[str, str] = field(default_factory=dict)  # letter → the charter's word
    means_instance: str | None = None  # informed beforehand of the means a structure lends
    funding_instance: str | None = None  # helps with the funding file
    mission_instance: str | None = None  # helps with the fiche de mission


def conduct_words(content: Mapping) -> ConductWords:
    essentials = list(content.get("project_conduct", {}).get("essentials", []))
    by_key = {item["key"]: item for item in essentials}

    def instance(key: str) -> str | None:
        name = by_key.get(key, {}).get("instance")
        return charter_rules.instance_name(content, name) if name else None

    smart = next((item["smart"] for item in essentials if item.get("smart")), [])
    return ConductWords(
        essentials=essentials, titles={key: item["title"] for key, item in by_key.items()},
        examples={key: list(item.get("examples", [])) for key, item in by_key.items()},
        smart={entry["letter"]: entry["meaning"] for entry in smart},
        means_instance=instance("moyens"),
        funding_instance=instance("gestion_economique") or instance("budget"),
        mission_instance=instance("fiche_de_mission"))


def balance_message(result: Balance, which: str = "planned", helper: str | None = None
                    ) -> tuple[str, str]:
    """(tone, French sentence) on the economic balance, as the charter asks (``helper``: the
    instance it names to help with the funding file)."""
    if not result.charges and not result.income:
        return "muted", _("Aucune ligne de budget pour l'instant.")
    if result.result >= 0:
        return "success", (_("Le budget prévisionnel est à l'équilibre.") if which == "planned"
                           else _("Les comptes sont à l'équilibre."))
    amount = f"{-result.result:,.2f}".replace(",", "\u202f").replace(".", ",")
    if helper:
        return "warning", _(
            "Il manque %(amount)s € pour atteindre l'équilibre : prévoir des financements "
            "complémentaires (dossier à monter avec l'aide de l'instance « %(helper)s ») ou "
            "proposer des solutions pour atteindre l'équilibre.", amount=amount, helper=helper)
    return "warning", _(
        "Il manque %(amount)s € pour atteindre l'équilibre : prévoir des financements "
        "complémentaires ou proposer des solutions pour atteindre l'équilibre.", amount=amount)


def objective_advice(objective: ProjectObjective, has_indicator: bool,
                     smart: Mapping[str, str] | None = None) -> list[str]:
    """SMART advice on one objective (the shared indicator rules), each criterion named as the
    charter names it (``smart``: letter → word)."""
    return smart_advice(
        objective.text,
        has_measure=bool(objective.measure) or has_indicator,
        has_date=objective.due_on is not None,
        has_owner=objective.owner_organisation_id is not None,
        names=dict(smart or {}),
    )


def means_warnings(means: Iterable[ProjectMeans], instance: str | None) -> list[str]:
    """Means lent by a structure of which the instance the charter names was not informed
    beforehand (none when the charter names no such instance)."""
    if not instance:
        return []
    return [
        _("« %(means)s » (%(structure)s) : d'après la charte, l'instance « %(instance)s » doit "
          "en être informée en amont.", means=item.description,
          structure=item.organisation.name, instance=instance)
        for item in means if item.organisation_id and item.informed_on is None
    ]


@dataclass(frozen=True)
class Essential:
    """One « incontournable » and where the project stands: done, partial, todo, or followed
    (a point the platform does not measure)."""

    title: str
    state: str
    detail: str = ""


def conduct_checklist(project, *, words: ConductWords, objectives: int, not_smart: int,
                      indicators: int, budget_lines: int, unbalanced: bool, means: int,
                      means_uninformed: int, evaluations: int, mission: str | None
                      ) -> list[Essential]:
    """The charter's « incontournables » of project conduct, each with its real state."""
    states = {
        "diagnostic": ("done", "") if project.diagnostic else ("todo", ""),
        "finalite": ("done", "") if project.finalites else ("todo", ""),
        "objectifs": ("todo", _("aucun objectif")) if not objectives else (
            ("partial", ngettext("%(num)d objectif pas encore SMART",
                                 "%(num)d objectifs pas encore SMART", not_smart)) if not_smart
            else ("done", ngettext("%(num)d objectif", "%(num)d objectifs", objectives))),
        "moyens": ("todo", "") if not means else (
            ("partial", ngettext("l'instance « %(instance)s » n'est pas informée d'un moyen",
                                 "l'instance « %(instance)s » n'est pas informée de %(num)d "
                                 "moyens", means_uninformed, instance=words.means_instance or ""))
            if means_uninformed else ("done", "")),
        "fiche_de_mission": ("done", mission) if mission else ("todo", ""),
        "modalites": ("done", "") if project.modalities else ("todo", ""),
        "evaluation": ("done", "") if indicators and evaluations else (
            ("partial", _("indicateurs fixés, évaluation à faire")) if indicators
            else ("todo", _("aucun indicateur de réussite"))),
        "indicateurs": ("done", "") if indicators else ("todo", ""),
    }
    budget = ("todo", "") if not budget_lines else (
        ("partial", _("budget prévisionnel déséquilibré")) if unbalanced else ("done", ""))
    states["gestion_economique"] = states["budget"] = budget
    return [Essential(item["title"], *states.get(item["key"], ("followed", "")))
            for item in words.essentials]


