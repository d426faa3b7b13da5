"""The charter as a Word document, close to the structure of the original text.

``outline(content)`` gives the order of the parts (the HTML page uses it too): the original's
order, with each « other section » placed after the part it names (``after``).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from io import BytesIO
from typing import Any

from docx import Document
from docx.shared import Pt
from flask_babel import format_date
from flask_babel import gettext as _

from territorial.charters import rules

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
SHOWN_WITHIN = {"values_statement": "values", "decision_levels": "decision_matrix",
                "decision_process": "decision_matrix", "action_plan_years": "action_plan_axes",
                "functions": "instances"}


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


def _paragraphs(document, text: str | None) -> None:
    for paragraph in (text or "").split("\n\n"):
        if paragraph.strip():
            document.add_paragraph(" ".join(paragraph.split()))


def _bullets(document, items, style: str = "List Bullet") -> None:
    for item in items or []:
        document.add_paragraph(" ".join(str(item).split()), style=style)


def _labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label} ").bold = True
    paragraph.add_run(" ".join(text.split()))


def _examples(document, examples) -> None:
    if examples:
        _labelled(document, _("Par exemple :"), ", ".join(examples) + ".")


def build_charter_docx(title: str, content: Mapping[str, Any], *, structures: list[str],
                       version: int, adopted_on: date | None, is_adopted: bool,
                       territory: str = "") -> BytesIO:
    """The charter's Word document; every part of the content has its heading."""
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    document.add_heading(_("Charte de partenariat – %(name)s", name=content.get("name", title)), 0)
    status = (_("Version %(number)d, adoptée le %(date)s.", number=version,
                date=format_date(adopted_on, "long"))
              if is_adopted and adopted_on else
              _("Version %(number)d, non encore adoptée.", number=version))
    document.add_paragraph(status)
    if territory:
        document.add_paragraph(territory)
    for key, part_title, other in outline(content):
        document.add_heading(part_title, 1)
        if other is not None:
            _paragraphs(document, other.get("text"))
            _bullets(document, other.get("items"))
            continue
        _WRITERS[key](document, content)
    document.add_heading(_("Structures signataires"), 1)
    _bullets(document, structures or [s["name"] for s in content.get("signatories", [])])
    buffer = BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def _preamble(document, content) -> None:
    _paragraphs(document, content["preamble"])


def _glossary(document, content) -> None:
    document.add_paragraph(_("La construction du projet a nécessité de se mettre d'accord sur la "
                             "définition des termes utilisés pour ce partenariat :"))
    for entry in content["glossary"]:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(entry["term"]).bold = True
        paragraph.add_run(" : " + " ".join(entry["definition"].split()))
        if entry.get("examples"):
            paragraph.add_run(" " + _("Par exemple : %(examples)s.",
                                      examples=", ".join(entry["examples"])))


def _values(document, content) -> None:
    document.add_paragraph(" – ".join(value["title"].split(",")[0] for value in content["values"]))
    for value in content["values"]:
        document.add_heading(value["title"], 2)
        _bullets(document, value.get("commitments"))
    _paragraphs(document, content.get("values_statement"))


def _vocation(document, content) -> None:
    vocation = content["vocation"]
    _paragraphs(document, vocation.get("summary"))
    for axis in vocation.get("axes", []):
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(" ".join(axis["title"].split())).bold = True
        if axis.get("text"):
            paragraph.add_run(" " + " ".join(axis["text"].split()))


def _instances(document, content) -> None:
    functions = rules.function_labels(content)
    document.add_paragraph(_("Des instances communes ont été identifiées :"))
    for instance in content["instances"]:
        document.add_heading(instance["name"], 2)
        _paragraphs(document, instance["description"])
        if instance.get("rhythm"):
            _labelled(document, _("Rythme :"), instance["rhythm"]["text"])
        rules_text = [rule["text"] for rule in instance["composition"]["rules"] if rule.get("text")]
        if rules_text:
            _labelled(document, _("Composition :"), " ".join(rules_text))
        if instance.get("allowed_functions"):
            _labelled(document, _("Fonctions :"), ", ".join(
                functions.get(key, key) for key in instance["allowed_functions"]) + ".")


def _lifecycle(document, content) -> None:
    for number, step in enumerate(content["lifecycle"], start=1):
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(step["title"]).bold = True
        paragraph.add_run(" – " + " ".join(step["text"].split()))
        _labelled(document, _("Qui agit :"), rules.step_actor_label(content, step) + ".")
        for name, choices in step.get("options", {}).items():
            _labelled(document, _("Choix :"), ", ".join(choice["label"] for choice in choices) + ".")
        if step.get("records"):
            _labelled(document, _("À consigner :"),
                      ", ".join(record["label"] for record in step["records"]) + ".")
        if step.get("outcomes"):
            _labelled(document, _("Issues :"),
                      ", ".join(outcome["label"] for outcome in step["outcomes"]) + ".")


def _decision(document, content) -> None:
    document.add_heading(_("Qui prend quelle décision"), 2)
    instances = content["instances"]
    levels = content["decision_levels"]
    table = document.add_table(rows=1, cols=len(instances) + 1)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text = ""
    for cell, instance in zip(header[1:], instances):
        cell.text = instance["name"]
        cell.paragraphs[0].runs[0].bold = True
    for level in levels:
        cells = table.add_row().cells
        cells[0].text = level["label"]
        cells[0].paragraphs[0].runs[0].bold = True
        for cell, instance in zip(cells[1:], instances):
            found = rules.matrix_cell(content, level["key"], instance["key"])
            if not found or found["role"] == "none":
                cell.text = "—"
                continue
            text = " ".join((found.get("text") or str(rules.MATRIX_ROLES[found["role"]])).split())
            if found.get("examples"):
                text += " " + _("(exemple : %(examples)s)", examples="; ".join(found["examples"]))
            cell.text = text
    for level in levels:
        _labelled(document, level["label"] + " :", level.get("definition", ""))
    process = content["decision_process"]
    document.add_heading(_("Modalités de prise de décision"), 2)
    _bullets(document, process.get("principles"))
    if process.get("consensus_definition"):
        _labelled(document, _("Définition du consensus :"), process["consensus_definition"])
    if process.get("dissensus_definition"):
        _labelled(document, _("Le dissensus :"), process["dissensus_definition"])
    _bullets(document, process.get("consensus_conditions"))
    document.add_heading(_("Processus de prise de décision"), 2)
    for step in process.get("steps", []):
        paragraph = document.add_paragraph(style="List Number 2")
        paragraph.add_run(step["title"]).bold = True
        paragraph.add_run(" – " + " ".join(step["text"].split()))


def _participation(document, content) -> None:
    levels = content["participation_levels"]
    _paragraphs(document, levels.get("text"))
    for level in levels.get("levels", []):
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(level["title"]).bold = True
        paragraph.add_run(" : " + " ".join(level["definition"].split()))
    if levels.get("initiators"):
        _labelled(document, _("Les initiateurs :"), levels["initiators"])


def _delegation(document, content) -> None:
    delegation = content["delegation"]
    _paragraphs(document, delegation["text"])
    for rule in delegation.get("rules", []):
        criteria = f" ({', '.join(rule['criteria'])})" if rule.get("criteria") else ""
        document.add_paragraph(" ".join(rule["text"].split()) + criteria, style="List Bullet")


def _arbitration(document, content) -> None:
    for entry in content["arbitration"]:
        document.add_paragraph(" ".join(entry["text"].split()), style="List Bullet")


def _conduct(document, content) -> None:
    conduct = content["project_conduct"]
    _bullets(document, conduct.get("principles"))
    for essential in conduct.get("essentials", []):
        document.add_heading(essential["title"], 2)
        _paragraphs(document, essential.get("text"))
        if essential.get("smart"):
            _labelled(document, "SMART :", ", ".join(
                f"{s['letter']} = {s['meaning']}" for s in essential["smart"]) + ".")
        _bullets(document, essential.get("items"))
        if essential.get("examples"):
            document.add_paragraph(_("Exemples :"))
            _bullets(document, essential["examples"])


def _action_plan(document, content) -> None:
    years = content.get("action_plan_years")
    document.add_paragraph(_("Le plan d'action à %(years)s ans est une feuille de route organisée "
                             "autour de ces grands sujets :", years=years)
                           if years else _("Le plan d'action est organisé autour de ces sujets :"))
    for axis in content["action_plan_axes"]:
        text = axis["title"] + (f" – {axis['text']}" if axis.get("text") else "")
        document.add_paragraph(text, style="List Bullet")


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

