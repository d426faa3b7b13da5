"""The charter as a document (Word, OpenDocument, PDF), close to the structure of the
original text: every part has its heading, the lifecycle is a numbered list, the « qui
prend quelle décision » matrix a table (landscape, every cell with its role).

``outline(content)`` gives the order of the parts (the HTML page uses it too): the original's
order, with each « other section » placed after the part it names (``after``).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _

from territorial.charters import rules
from territorial.charters import queries as charter_queries
from territorial.documents import Document, DocumentBuilder, bold
from territorial.documents.formats import long_date
from territorial.documents.gallery import example

# (content key, French title of the part in the document)
PARTS = [
    ("preamble", "Préambule"),
    ("glossary", "Langage commun"),
    ("values", "Valeurs"),
    ("vocation", "Vocation du partenariat"),
    ("instances", "Gouvernance du partenariat"),
    ("lifecycle", "Naissance et vie d'un projet commun : étapes"),
    ("decision_matrix", "Processus et modalités de décision"),
    ("participation_levels", "Consultation, concertation ou participation"),
    ("delegation", "Délégation"),
    ("arbitration", "Situation de blocage et arbitrage"),
    ("project_conduct", "Conduite de projet"),
    ("action_plan_axes", "Plan d'action"),
]
# Sections that the document shows inside another part.


def outline(content: Mapping[str, Any]) -> list[tuple[str, str, Mapping[str, Any] | None]]:
    """(key, title, other_section or None) for every part of the charter, in reading order."""
    others = content.get("other_sections", [])
    result = []
    placed = set()
    for key, title in PARTS:
        if key in content:
            result.append((key, title, None))
        for index, section in enumerate(others):
            if section.get("after") == key:
                result.append((f"other:{section['key']}", section["title"], section))
                placed.add(index)
    for index, section in enumerate(others):
        if index not in placed:
            result.append((f"other:{section['key']}", section["title"], section))
    return result


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def _paragraphs(doc: DocumentBuilder, text: str | None) -> None:
    doc.text(text)


def _bullets(doc: DocumentBuilder, items, numbered: bool = False) -> None:
    doc.bullets([_clean(item) for item in items or []], numbered=numbered)


def _labelled(doc: DocumentBuilder, label: str, text: str) -> None:
    doc.paragraph(bold(f"{label} "), _clean(text))


def describe_charter(title: str, content: Mapping[str, Any], *, structures: list[str],
                     version: int, adopted_on: date | None, is_adopted: bool,
                     territory=None) -> Document:
    """The charter's document; every part of the content has its heading."""
    name = content.get("name", title)
    status = (_("Version %(number)d, adoptée le %(date)s.", number=version,
                date=long_date(adopted_on))
              if is_adopted and adopted_on else
              _("Version %(number)d, non encore adoptée.", number=version))
    doc = DocumentBuilder(_("Charte de partenariat – %(name)s", name=name), territory,
                          file_name=[_("Charte"), name, f"v{version}"])
    doc.title_page([status, _("Structures signataires : %(names)s", names=", ".join(
        structures or [s["name"] for s in content.get("signatories", [])]))])
    for key, part_title, other in outline(content):
        doc.heading(part_title, 1)
        if other is not None:
            _paragraphs(doc, other.get("text"))
            _bullets(doc, other.get("items"))
            continue
        _WRITERS[key](doc, content)
    doc.heading(_("Structures signataires"), 1)
    _bullets(doc, structures or [s["name"] for s in content.get("signatories", [])])
    return doc.build()


def _preamble(doc, content) -> None:
    _paragraphs(doc, content["preamble"])


def _glossary(doc, content) -> None:
    doc.paragraph(_("La construction du projet a nécessité de se mettre d'accord sur la "
                    "définition des termes utilisés pour ce partenariat :"))
    items = []
    for entry in content["glossary"]:
        runs = [bold(entry["term"]), " : " + _clean(entry["definition"])]
        if entry.get("examples"):
            runs.append(" " + _("Par exemple : %(examples)s.",
                                examples=", ".join(entry["examples"])))
        items.append(runs)
    doc.bullets(items)


def _values(doc, content) -> None:
    doc.paragraph(" – ".join(value["title"].split(",")[0] for value in content["values"]))
    for value in content["values"]:
        doc.heading(value["title"], 2)
        _bullets(doc, value.get("commitments"))
    _paragraphs(doc, content.get("values_statement"))


def _vocation(doc, content) -> None:
    vocation = content["vocation"]
    _paragraphs(doc, vocation.get("summary"))
    doc.bullets([[bold(_clean(axis["title"])), (" " + _clean(axis["text"]))
                  if axis.get("text") else ""] for axis in vocation.get("axes", [])])


def _instances(doc, content) -> None:
    functions = rules.function_labels(content)
    doc.paragraph(_("Des instances communes ont été identifiées :"))
    for instance in content["instances"]:
        doc.heading(instance["name"], 2)
        _paragraphs(doc, instance["description"])
        if instance.get("rhythm"):
            _labelled(doc, _("Rythme :"), instance["rhythm"]["text"])
        rules_text = [rule["text"] for rule in instance["composition"]["rules"] if rule.get("text")]
        if rules_text:
            _labelled(doc, _("Composition :"), " ".join(rules_text))
        if instance.get("allowed_functions"):
            _labelled(doc, _("Fonctions :"), ", ".join(
                functions.get(key, key) for key in instance["allowed_functions"]) + ".")


def _lifecycle(doc, content) -> None:
    items = []
    for step in content["lifecycle"]:
        details = [[bold(_("Qui agit :")), " " + rules.step_actor_label(content, step) + "."]]
        for _name, choices in step.get("options", {}).items():
            details.append([bold(_("Choix :")), " " + ", ".join(
                choice["label"] for choice in choices) + "."])
        if step.get("records"):
            details.append([bold(_("À consigner :")), " " + ", ".join(
                record["label"] for record in step["records"]) + "."])
        if step.get("outcomes"):
            details.append([bold(_("Issues :")), " " + ", ".join(
                outcome["label"] for outcome in step["outcomes"]) + "."])
        items.append(([bold(step["title"]), " – " + _clean(step["text"])], details))
    doc.numbered(items)


def matrix_rows(content) -> tuple[list[str], list[list]]:
    """The « qui prend quelle décision » matrix: one row per decision level, one column
    per instance, every cell with its role (and its examples)."""
    instances = content["instances"]
    headers = [_("Décision")] + [instance["name"] for instance in instances]
    rows = []
    for level in content["decision_levels"]:
        row = [bold(level["label"])]
        for instance in instances:
            found = rules.matrix_cell(content, level["key"], instance["key"])
            if not found or found["role"] == "none":
                row.append("—")
                continue
            text = _clean(found.get("text") or str(rules.MATRIX_ROLES[found["role"]]))
            if found.get("examples"):
                text += " " + _("(exemple : %(examples)s)", examples="; ".join(found["examples"]))
            row.append(text)
        rows.append(row)
    return headers, rows


def _decision(doc, content) -> None:
    doc.heading(_("Qui prend quelle décision"), 2)
    headers, rows = matrix_rows(content)
    doc.table(headers, rows, landscape=True)
    for level in content["decision_levels"]:
        _labelled(doc, level["label"] + " :", level.get("definition", ""))
    process = content["decision_process"]
    doc.heading(_("Modalités de prise de décision"), 2)
    _bullets(doc, process.get("principles"))
    if process.get("consensus_definition"):
        _labelled(doc, _("Définition du consensus :"), process["consensus_definition"])
    if process.get("dissensus_definition"):
        _labelled(doc, _("Le dissensus :"), process["dissensus_definition"])
    _bullets(doc, process.get("consensus_conditions"))
    doc.heading(_("Processus de prise de décision"), 2)
    doc.numbered([[bold(step["title"]), " – " + _clean(step["text"])]
                  for step in process.get("steps", [])])


def _participation(doc, content) -> None:
    levels = content["participation_levels"]
    _paragraphs(doc, levels.get("text"))
    doc.bullets([[bold(level["title"]), " : " + _clean(level["definition"])]
                 for level in levels.get("levels", [])])
    if levels.get("initiators"):
        _labelled(doc, _("Les initiateurs :"), levels["initiators"])


def _delegation(doc, content) -> None:
    delegation = content["delegation"]
    _paragraphs(doc, delegation["text"])
    doc.bullets([_clean(rule["text"]) + (f" ({', '.join(rule['criteria'])})"
                                         if rule.get("criteria") else "")
                 for rule in delegation.get("rules", [])])


def _arbitration(doc, content) -> None:
    _bullets(doc, [entry["text"] for entry in content["arbitration"]
                   if not rules.added_by_coordination(entry)])
    added = [entry["text"] for entry in content["arbitration"]
             if rules.added_by_coordination(entry)]
    if added:
        doc.paragraph(_("Là où la charte se tait, la coordination a ajouté :"))
        _bullets(doc, added)


def _conduct(doc, content) -> None:
    conduct = content["project_conduct"]
    _bullets(doc, conduct.get("principles"))
    for essential in conduct.get("essentials", []):
        doc.heading(essential["title"], 2)
        _paragraphs(doc, essential.get("text"))
        if essential.get("smart"):
            _labelled(doc, "SMART :", ", ".join(
                f"{s['letter']} = {s['meaning']}" for s in essential["smart"]) + ".")
        _bullets(doc, essential.get("items"))
        if essential.get("examples"):
            doc.paragraph(_("Exemples :"))
            _bullets(doc, essential["examples"])


def _action_plan(doc, content) -> None:
    years = content.get("action_plan_years")
    doc.paragraph(_("Le plan d'action à %(years)s ans est une feuille de route organisée "
                    "autour de ces grands sujets :", years=years)
                  if years else _("Le plan d'action est organisé autour de ces sujets :"))
    doc.bullets([[bold(axis["title"]), f" – {axis['text']}" if axis.get("text") else ""]
                 for axis in content["action_plan_axes"]])


_WRITERS = {
    "preamble": _preamble,
    "glossary": _glossary,
    "values": _values,
    "vocation": _vocation,
    "instances": _instances,
    "lifecycle": _lifecycle,
    "decision_matrix": _decision,
    "participation_levels": _participation,
    "delegation": _delegation,
    "arbitration": _arbitration,
    "project_conduct": _conduct,
    "action_plan_axes": _action_plan,
}


@example("charte", "Charte de partenariat")
def _charter_examples():
    from sqlalchemy import select

    from extensions import db
    from territorial.charters.models import Charter
    from territorial.territories.models import Territory

    for charter in db.session.scalars(select(Charter).order_by(Charter.id)).all():
        territory = db.session.get(Territory, charter.territory_id)
        yield charter.title, territory, lambda c=charter, t=territory: describe_charter(
            c.title, c.content, structures=list(charter_queries.structures(c).values()),
            version=c.current_version, adopted_on=c.adopted_at, is_adopted=c.is_adopted,
            territory=t)
