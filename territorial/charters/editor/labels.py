"""French labels of the charter form editor: field names, list elements, values, and which
places name another part of the charter (an instance, a function, a decision level)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from territorial.charters import rules, versioning

Path = tuple[str | int, ...]

FIELD_LABELS = {
    "actor": _l("Qui agit, hors instances"),
    "adopted_by": _l("Instance qui adopte une nouvelle version"),
    "agreement_of": _l("Accord nécessaire pour adopter une nouvelle version"),
    "many": _l("Au pluriel"),
    "one": _l("Au singulier"),
    "origin": _l("Origine de la règle"),
    "reopened_by_origin": _l("Origine de la règle de réouverture"),
    "structure_body": _l("Instance de chaque structure qui donne l'accord"),
    "after": _l("Placée après la partie"),
    "allowed_functions": _l("Fonctions possibles dans l'instance"),
    "appoints": _l("Nomination à cette étape"),
    "axes": _l("Axes"),
    "blocked_at": _l("Décision bloquée au niveau de"),
    "commitments": _l("Engagements"),
    "composition": _l("Composition"),
    "consensus_conditions": _l("Conditions du consensus"),
    "consensus_definition": _l("Définition du consensus"),
    "count": _l("Nombre"),
    "criteria": _l("Critères"),
    "decision_by": _l("Qui décide"),
    "decision": _l("Étape décidée par l'instance selon le processus de décision"),
    "definition": _l("Définition"),
    "description": _l("Description"),
    "dissensus_definition": _l("Définition du dissensus"),
    "document": _l("Document remis"),
    "ends_project": _l("Cette issue met fin au projet"),
    "escalate_to": _l("Portée devant l'instance"),
    "essentials": _l("Les incontournables"),
    "examples": _l("Exemples"),
    "forms_body_with": _l("Forme une même instance avec"),
    "function": _l("Fonction"),
    "initiators": _l("Qui lance la démarche"),
    "instance": _l("Instance"),
    "instances": _l("Instances"),
    "items": _l("Points"),
    "key": _l("Identifiant"),
    "label": _l("Libellé"),
    "letter": _l("Lettre"),
    "level": _l("Niveau de décision"),
    "levels": _l("Niveaux"),
    "max": _l("Maximum"),
    "meaning": _l("Signification"),
    "meetings_per_year": _l("Réunions par an"),
    "min": _l("Minimum"),
    "name": _l("Nom"),
    "optional": _l("Facultatif"),
    "options": _l("Choix proposés"),
    "outcome": _l("Issue du blocage"),
    "outcomes": _l("Issues possibles"),
    "outside_charter_min_structures": _l("Structures nécessaires pour porter le projet hors charte"),
    "per_project": _l("Une instance par projet commun"),
    "per_structure": _l("Par structure"),
    "principles": _l("Principes"),
    "records": _l("Ce qui est consigné"),
    "refers_to": _l("Se réfère à"),
    "reopened_by": _l("Instance qui peut rouvrir un projet caduc"),
    "rhythm": _l("Rythme des réunions"),
    "role": _l("Rôle"),
    "rule": _l("Règle"),
    "rules": _l("Règles"),
    "smart": _l("Objectifs SMART"),
    "steps": _l("Étapes"),
    "summary": _l("Résumé"),
    "term": _l("Terme"),
    "text": _l("Texte"),
    "title": _l("Titre"),
}

# A list's element: (its name in a legend, the label of the button that adds one).
LIST_ITEMS = {
    "signatories": (_l("Signataire"), _l("Ajouter un signataire")),
    "glossary": (_l("Terme"), _l("Ajouter un terme")),
    "values": (_l("Valeur"), _l("Ajouter une valeur")),
    "axes": (_l("Axe"), _l("Ajouter un axe")),
    "functions": (_l("Fonction"), _l("Ajouter une fonction")),
    "instances": (_l("Instance"), _l("Ajouter une instance")),
    "rules": (_l("Règle"), _l("Ajouter une règle")),
    "decision_levels": (_l("Niveau"), _l("Ajouter un niveau de décision")),
    "decision_matrix": (_l("Case"), _l("Ajouter une case à la matrice")),
    "lifecycle": (_l("Étape"), _l("Ajouter une étape")),
    "outcomes": (_l("Issue"), _l("Ajouter une issue")),
    "records": (_l("Élément consigné"), _l("Ajouter un élément consigné")),
    "options": (_l("Liste de choix"), _l("Ajouter une liste de choix")),
    "_value": (_l("Choix"), _l("Ajouter un choix")),
    "steps": (_l("Étape"), _l("Ajouter une étape")),
    "levels": (_l("Niveau"), _l("Ajouter un niveau")),
    "arbitration": (_l("Règle d'arbitrage"), _l("Ajouter une règle d'arbitrage")),
    "essentials": (_l("Incontournable"), _l("Ajouter un incontournable")),
    "smart": (_l("Lettre"), _l("Ajouter une lettre")),
    "action_plan_axes": (_l("Axe"), _l("Ajouter un axe")),
    "other_sections": (_l("Partie"), _l("Ajouter une partie")),
}

COMPOSITION_RULE_LABELS = {
    "per_structure_exact": _l("Nombre exact de membres par structure (« Nombre »)"),
    "per_structure_min": _l("Nombre minimum de membres par structure (« Nombre »)"),
    "function_required": _l("Une fonction doit être représentée (« Fonction », « Par structure »)"),
    "total_exact": _l("Nombre total exact de membres (« Nombre »)"),
    "total_range": _l("Nombre total de membres entre un minimum et un maximum"),
    "open": _l("Ouverte : pas de règle de nombre"),
}

# Labels of the values a field may take, by field name.
ENUM_LABELS: dict[str, Mapping[str, Any]] = {
    "role": rules.MATRIX_ROLES,
    "agreement_of": {"each_structure": _l("L'accord de chaque structure membre")},
    "origin": rules.ORIGINS,
    "reopened_by_origin": rules.ORIGINS,
    "actor": rules.ACTORS,
    "rule": COMPOSITION_RULE_LABELS,
    "decision_by": {"initiator": _l("Celui qui lance la démarche"),
                    "meeting": _l("La réunion")},
    "outcome": {"escalate": _l("Est portée devant une autre instance, qui arbitre"),
                "lapse": _l("Le projet commun devient caduc (bloquée dans toutes ces instances)")},
    "after": {section.key: section.label for section in versioning.SECTIONS},
}

# Places that name another part of the charter (indices written « * ») → which part.
REFERENCES = {
    "instances.*.forms_body_with": "instances",
    "instances.*.allowed_functions": "functions",
    "instances.*.composition.rules.*.function": "functions",
    "decision_matrix.*.level": "decision_levels",
    "decision_matrix.*.instance": "instances",
    "decision_matrix.*.refers_to": "instances",
    "lifecycle.*.instance": "instances",
    "lifecycle.*.appoints.function": "functions",
    "lifecycle.*.appoints.instances": "instances",
    "arbitration.*.blocked_at": "instances",
    "arbitration.*.escalate_to": "instances",
    "arbitration.*.reopened_by": "instances",
    "lifecycle.*.decision.level": "decision_levels",
    "project_conduct.instance": "instances",
    "project_conduct.essentials.*.instance": "instances",
    "revision.adopted_by": "instances",
}
REFERENCED_NAME = {"instances": "name", "functions": "label", "decision_levels": "label"}

# Text fields written on one line; the others are paragraphs.
SHORT_TEXTS = {"name", "title", "label", "term", "letter", "document", "meaning"}
# What an element is called in its legend, in this order of preference.
ITEM_NAMES = ("name", "title", "label", "term", "letter", "key", "rule", "level")
TRISTATE = (("", _l("— Non précisé —")), ("oui", _l("Oui")), ("non", _l("Non")))


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def place_label(place: Path) -> str:
    """The place of a problem inside its section, in words: « Case 6 → Se réfère à → 3 »."""
    parts = []
    for previous, part in zip(place, place[1:]):
        if isinstance(part, int):
            noun = LIST_ITEMS.get(previous, (None,))[0] if isinstance(previous, str) else None
            parts.append(f"{noun} {part + 1}" if noun else str(part + 1))
        else:
            parts.append(field_label(part))
    return " → ".join(parts)
