"""Word export of the cadre méthodologique, and the agendas of many sessions at once."""
from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from flask import g
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from facilitation.experiments import gantt, operations, queries
from facilitation.experiments.methods import get_method
from facilitation.experiments.models import CadreSection, Experiment
from facilitation.sessions.models import AgendaItem
from facilitation.sessions.models import Session as MeetingSession
from facilitation.working_groups import operations as group_operations
from territorial.common.models import utcnow
from territorial.raci.exports import raci_rows
from territorial.raci.models import RaciGrid


def agendas_of(sessions: Sequence[MeetingSession]) -> dict[int, list[AgendaItem]]:
    """Session id → its agenda items, in one query."""
    items: dict[int, list[AgendaItem]] = defaultdict(list)
    ids = [s.id for s in sessions]
    if ids:
        for item in db.session.scalars(select(AgendaItem).where(AgendaItem.session_id.in_(ids))
                                       .order_by(AgendaItem.position, AgendaItem.id)):
            items[item.session_id].append(item)
    return items


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value or "")
    document.add_paragraph()
    return table


def _text(document, text: str) -> None:
    for block in (text or "").split("\n\n"):
        if block.strip():
            document.add_paragraph(block.strip())


def _to_complete(document, section: CadreSection) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(_("À compléter.")).italic = True
    for question in section.guiding_questions:
        document.add_paragraph(question, style="List Bullet")


def _period(start, end) -> str:
    return _("du %(start)s au %(end)s", start=format_date(start, "long"),
             end=format_date(end, "long"))


def build_cadre_docx(experiment: Experiment, grid: RaciGrid | None = None) -> io.BytesIO:
    """The cadre méthodologique: title page, every section in order with its content, the
    stakeholders, the parts and their deliverables, the GTs and their members, the planning
    and the operational roles. Headings use Word's Heading styles (navigation pane, table
    of contents)."""
    method = get_method(experiment.method_key)
    sections = list(db.session.scalars(
        select(CadreSection).where(CadreSection.experiment_id == experiment.id)
        .order_by(CadreSection.position, CadreSection.id)))
    stakeholders = queries.stakeholders(experiment.id)
    parts = queries.parts_with_deliverables(experiment.id)
    groups = group_operations.groups_of_experiment(experiment.id)
    sessions = queries.planned_sessions(experiment.id)

    document = Document()
    document.core_properties.title = f"Cadre méthodologique – {experiment.title}"
    document.core_properties.language = "fr-FR"
    document.styles["Normal"].font.size = Pt(11)

    # Title page
    document.add_paragraph(_("Cadre méthodologique"), style="Title")
    document.add_paragraph(experiment.title, style="Subtitle")
    document.add_paragraph(_("Méthode « %(name)s » – %(publisher)s", name=method["name"],
                             publisher=method["publisher"]))
    territory = g.get("territory")
    if territory is not None:
        document.add_paragraph(territory.name)
    document.add_paragraph(_("Périmètre : %(perimeter)s", perimeter=experiment.perimeter))
    document.add_paragraph(_("Période : %(period)s",
                             period=_period(experiment.start_date, experiment.end_date)))
    document.add_paragraph(_("Document établi le %(day)s",
                             day=format_date(utcnow().date(), "long")))
    document.add_paragraph(" ".join(method.get("introduction", "").split()))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    current_group = None
    for section in sections:
        if section.actor_kind is not None:
            document.add_heading(section.title, level=2)
        elif section.group_title:
            if section.group_title != current_group:
                document.add_heading(section.group_title, level=1)
                current_group = section.group_title
            document.add_heading(section.title, level=2)
        else:
            current_group = None
            document.add_heading(section.title, level=1)
        if section.is_filled:
            _text(document, section.content)
        elif section.actor_kind is None:
            _to_complete(document, section)
        _structured_block(document, section.key if section.actor_kind is None else None,
                          stakeholders, parts, groups, sessions, grid)
    output = io.BytesIO()
    document.save(output)
    output.seek(0)
    return output


def _structured_block(document, key, stakeholders, parts, groups, sessions, grid) -> None:
    if key == "positionnements":
        document.add_heading(_("Parties prenantes"), level=2)
        if stakeholders:
            _table(document, [_("Organisation"), _("Rôle"), _("Positionnement"),
                              _("Apport (complémentarité)"), _("Pourquoi l'impliquer")],
                   [[s.organisation.name, s.role_label, s.positioning, s.contribution, s.reason]
                    for s in stakeholders])
        else:
            document.add_paragraph(_("Aucune partie prenante renseignée."))
    elif key == "deroule_global":
        _table(document, [_("Partie"), _("Période"), _("Livrables")],
               [[p.title, _period(p.start_date, p.end_date),
                 "\n".join(d.title for d in p.deliverables)] for p in parts])
    elif key == "focus_parties":
        for part in parts:
            delivered, total = operations.part_progress(part)
            document.add_heading(part.title, level=2)
            document.add_paragraph(_period(part.start_date, part.end_date))
            for label, text in ((_("Objectifs"), part.objectives),
                                (_("Description"), part.description),
                                (_("Mode opératoire"), part.mode_operatoire)):
                if text:
                    document.add_heading(label, level=3)
                    _text(document, text)
            document.add_heading(_("Livrables (%(delivered)d livrés sur %(total)d)",
                                   delivered=delivered, total=total), level=3)
            _table(document, [_("Livrable"), _("État"), _("Responsable"), _("Échéance")],
                   [[d.title, d.status_label, _owner(d),
                     format_date(d.due_date, "long") if d.due_date else ""]
                    for d in part.deliverables])
        document.add_heading(_("Thématiques et groupes de travail"), level=1)
        if not groups:
            document.add_paragraph(_("Aucun groupe de travail constitué."))
        for group in groups:
            document.add_heading(group.title, level=2)
            if group.theme is not None:
                document.add_paragraph(_("Thématique : %(theme)s", theme=group.theme.title))
            if group.facilitator is not None:
                document.add_paragraph(_("Animation : %(name)s",
                                         name=group.facilitator.full_name))
            members = group_operations.sorted_members(group)
            _table(document, [_("Membre"), _("Fonction"), _("Organisation"), _("Type")],
                   [[m.person.full_name, m.person.function,
                     m.person.organisation.name if m.person.organisation else "",
                     m.person.organisation.kind_label if m.person.organisation else ""]
                    for m in members])
    elif key == "roles_operationnels":
        if grid is not None and grid.activities:
            headers, rows = raci_rows(grid)
            _table(document, headers, rows)
            document.add_paragraph(_("R : réalise · A : approuve · C : consulté · I : informé"))
        else:
            document.add_paragraph(_("Grille des rôles opérationnels non renseignée."))
    elif key == "planning":
        rows = gantt.session_rows(sessions)
        _table(document, [_("Date"), _("Horaire"), _("Séance"), _("Groupe"), _("Lieu")],
               [[r["date"], r["hours"], r["title"], r["group"], r["place"]] for r in rows])


def _owner(deliverable) -> str:
    names = []
    if deliverable.owner_organisation is not None:
        names.append(deliverable.owner_organisation.name)
    if deliverable.owner_person is not None:
        names.append(deliverable.owner_person.full_name)
    return " – ".join(names)
