"""Word documents of a joint project: the document an appointment step forms (the chef de
projet's « Fiche de mission »)."""
from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any

from docx import Document
from flask_babel import format_date
from flask_babel import gettext as _

from facilitation.joint_projects.models import JointProject, ProjectTransition
from territorial.charters import rules


def build_mission_docx(project: JointProject, content: Mapping[str, Any], step: Mapping[str, Any],
                       transition: ProjectTransition) -> BytesIO:
    """The step's document: who is appointed, by whom, and what the step records."""
    appoints = step["appoints"]
    functions = rules.function_labels(content)
    document = Document()
    document.add_heading(f"{appoints['document']} – {project.title}", 0)
    person = transition.appointee
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    rows = [
        (_("Projet commun"), project.title),
        (_("Fonction"), functions.get(appoints["function"], appoints["function"])),
        (_("Personne nommée"), person.full_name + (f" ({person.organisation.name})"
                                                   if person.organisation else "")),
        (_("Nommée par"), transition.acting_label),
        (_("Date"), format_date(transition.created_at.date(), "long")),
    ]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    records = transition.data.get("records", {})
    for record in step.get("records", []):
        document.add_heading(record["label"], 1)
        document.add_paragraph(records.get(record["key"]) or _("Non renseigné."))
    if transition.notes:
        document.add_heading(_("Notes"), 1)
        document.add_paragraph(transition.notes)
    buffer = BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer
