"""The cadre méthodologique and the planning of an experiment, as documents.

The cadre follows the method's text part by part (exposé des motifs per kind of actor,
description, principles, positions of the stakeholders, déroulé global, focus on each
part — the préparation, then the experimentation itself: the launch meeting, the three GTs
and their content, the restitution —, operational roles, planning with its Gantt chart).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from territorial.common.dates import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from extensions import db
from facilitation.experiments import gantt, queries
from facilitation.experiments.methods import get_method
from facilitation.experiments.models import CadreSection, Experiment
from facilitation.sessions.models import Meeting
from facilitation.sessions.operations import to_local
from facilitation.working_groups import operations as group_operations
from territorial.documents import Document, DocumentBuilder, bold, charts, italic
from territorial.documents.formats import french_date, hours, long_date
from territorial.documents.gallery import example
from territorial.raci.exports import raci_rows
from territorial.raci.models import LETTERS, RaciGrid

GT_KINDS = ("gt1", "gt2", "gt3")


def _period(start, end) -> str:
    return _("du %(start)s au %(end)s", start=long_date(start), end=long_date(end))


def _family(session: Meeting) -> tuple[str, str, str]:
    """(legend, matplotlib symbol, colour) of a session on the Gantt chart."""
    key = ("collective" if session.kind in gantt.COLLECTIVE_KINDS else
           "gt" if session.kind in GT_KINDS else
           "copil" if session.kind == "copil" else "other")
    legend, _symbol, colour = gantt.MARKERS[key]
    return str(_(legend)), {"collective": "*", "gt": "o", "copil": "D"}.get(key, "s"), colour


def gantt_figure(doc: DocumentBuilder, experiment: Experiment, parts, sessions,
                 today: date) -> None:
    """The planning's Gantt chart: the parts as bars, the sessions as markers on the row
    of their group (collective meetings and copils on their own rows)."""
    rows = [part.title for part in parts]
    markers = []
    for session in sessions:
        row = gantt.row_label(session)
        if row not in rows:
            rows.append(row)
        legend, symbol, colour = _family(session)
        markers.append(charts.Marker(row, to_local(session.starts_at).date(),
                                     gantt.short_label(session), legend, symbol, colour))
    bars = [charts.Bar(part.title, part.start_date, part.end_date, part.title,
                       gantt.PART_COLOURS[index % len(gantt.PART_COLOURS)])
            for index, part in enumerate(parts)]
    doc.figure(lambda width: charts.gantt(rows, bars, markers, experiment.start_date,
                                          experiment.end_date, width, today,
                                          _("Aujourd'hui")),
               caption=_("Planning prévisionnel – %(title)s", title=experiment.title),
               alt=_("Diagramme de Gantt : les trois parties en barres, les séances en "
                     "repères sur la ligne de leur groupe ; les dates sont dans le tableau "
                     "qui suit."))


def session_table(doc: DocumentBuilder, sessions) -> None:
    doc.table([_("Date"), _("Horaire"), _("Séance"), _("Groupe"), _("Lieu")],
              [[r["date"], r["hours"], r["title"], r["group"], r["place"]]
               for r in gantt.session_rows(sessions)], empty=_("Aucune séance planifiée."))


def _planning(doc, experiment, parts, sessions, today) -> None:
    doc.go_landscape()
    gantt_figure(doc, experiment, parts, sessions, today)
    session_table(doc, sessions)
    copils = [s for s in sessions if s.kind == "copil"]
    doc.paragraph(ngettext("%(num)d comité de pilotage programmé.",
                           "%(num)d comités de pilotage programmés.", len(copils)))


def _owner(deliverable) -> str:
    names = []
    if deliverable.owner_organisation is not None:
        names.append(deliverable.owner_organisation.name)
    if deliverable.owner_person is not None:
        names.append(deliverable.owner_person.full_name)
    return " – ".join(names)


def _agenda_of(method, kind: str) -> list[str]:
    template = next((s for s in method.get("sessions", []) if s["kind"] == kind), None)
    return [" ".join(item["title"].split()) for item in (template or {}).get("agenda", [])]


def _when(sessions, kind: str) -> str:
    found = [s for s in sessions if s.kind == kind]
    if not found:
        return _("pas encore planifiée")
    if len(found) == 1:
        return long_date(to_local(found[0].starts_at).date())
    first, last = to_local(found[0].starts_at).date(), to_local(found[-1].starts_at).date()
    return _("%(num)d séances, %(period)s", num=len(found), period=_period(first, last))


def _focus(doc, method, parts, groups, sessions) -> None:
    for part in parts:
        delivered, total = queries.part_progress(part)
        doc.heading(part.title, 2)
        doc.paragraph(italic(_period(part.start_date, part.end_date)))
        for label, text in ((_("Objectifs"), part.objectives),
                            (_("Description"), part.description),
                            (_("Mode opératoire"), part.mode_operatoire)):
            if text:
                doc.heading(label, 3)
                doc.text(text)
        doc.heading(ngettext("Livrables (%(num)d livré sur %(total)d)",
                             "Livrables (%(num)d livrés sur %(total)d)", delivered,
                             total=total), 3)
        doc.table([_("Livrable"), _("État"), _("Responsable"), _("Échéance")],
                  [[d.title, d.status_label, _owner(d), long_date(d.due_date)]
                   for d in part.deliverables], empty=_("Aucun livrable prévu."))
        if part.key == "experimentation":
            _experimentation(doc, method, sessions)
    doc.heading(_("Thématiques et groupes de travail"), 2)
    if not groups:
        doc.paragraph(_("Aucun groupe de travail constitué."))
    for group in groups:
        doc.heading(group.title, 3)
        facts = []
        if group.theme is not None:
            facts.append(_("Thématique : %(theme)s", theme=group.theme.title))
        if group.facilitator is not None:
            facts.append(_("Animation : %(name)s", name=group.facilitator.full_name))
        members = group_operations.sorted_members(group)
        facts.append(ngettext("%(num)d membre", "%(num)d membres", len(members)))
        doc.paragraph(" · ".join(facts))
        if members:
            doc.table([_("Membre"), _("Fonction"), _("Organisation"), _("Type")],
                      [[m.person.full_name, m.person.function,
                        m.person.organisation.name if m.person.organisation else "",
                        m.person.organisation.kind_label if m.person.organisation else ""]
                       for m in members])


def _experimentation(doc, method, sessions) -> None:
    """The experimentation itself, as the method lays it out: the launch meeting, the
    thematic GTs (each with its content) and the restitution, with their dates."""
    for kind, title in (("lancement", _("Réunion collective de lancement")),):
        doc.heading(title, 3)
        doc.paragraph(bold(_("Date : ")), _when(sessions, kind))
        doc.bullets(_agenda_of(method, kind))
    doc.heading(_("Les GT thématiques"), 3)
    for kind in GT_KINDS:
        template = next((s for s in method.get("sessions", []) if s["kind"] == kind), {})
        doc.paragraph(bold(template.get("title", kind.upper())), " — ", _when(sessions, kind))
        doc.bullets(_agenda_of(method, kind))
    doc.heading(_("Réunion collective de restitution"), 3)
    doc.paragraph(bold(_("Date : ")), _when(sessions, "restitution"))
    doc.bullets(_agenda_of(method, "restitution"))


def _roles(doc, grid: RaciGrid | None) -> None:
    if grid is not None and grid.activities:
        headers, rows = raci_rows(grid)
        doc.note(" · ".join(f"{letter} : {meaning}" for letter, meaning in LETTERS.items()))
        doc.table(headers, rows, split_after=1)  # the key above, kept with the grid
    else:
        doc.paragraph(_("Grille des rôles opérationnels non renseignée."))


def describe_cadre(experiment: Experiment, territory, grid: RaciGrid | None = None,
                   today: date | None = None) -> Document:
    today = today or date.today()
    method = get_method(experiment.method_key)
    sections = list(db.session.scalars(
        select(CadreSection).where(CadreSection.experiment_id == experiment.id)
        .order_by(CadreSection.position, CadreSection.id)))
    stakeholders = queries.stakeholders(experiment.id)
    parts = queries.parts_with_deliverables(experiment.id)
    groups = group_operations.groups_of_experiment(experiment.id)
    sessions = queries.planned_sessions(experiment.id)

    doc = DocumentBuilder(_("Cadre méthodologique"), territory, subtitle=experiment.title,
                          issued_on=today)
    doc.title_page([
        _("Méthode « %(name)s » – %(publisher)s", name=method["name"],
          publisher=method["publisher"]),
        _("Périmètre : %(perimeter)s", perimeter=experiment.perimeter),
        _("Période : %(period)s", period=_period(experiment.start_date, experiment.end_date)),
        " ".join(method.get("introduction", "").split()),
    ])
    current_group = None
    for section in sections:
        if section.actor_kind is not None:
            doc.heading(section.title, 2)
        elif section.group_title:
            if section.group_title != current_group:
                doc.heading(section.group_title, 1)
                current_group = section.group_title
            doc.heading(section.title, 2)
        else:
            current_group = None
            doc.heading(section.title, 1)
        if section.is_filled:
            doc.text(section.content)
        elif section.actor_kind is None:
            doc.note(italic(_("À compléter.")))
            doc.bullets(section.guiding_questions)
        key = section.key if section.actor_kind is None else None
        if key == "positionnements":
            doc.heading(_("Parties prenantes"), 2)
            if stakeholders:
                doc.table([_("Organisation"), _("Rôle"), _("Positionnement"),
                           _("Apport (complémentarité)"), _("Pourquoi l'impliquer")],
                          [[s.organisation.name, s.role_label, s.positioning, s.contribution,
                            s.reason] for s in stakeholders])
            else:
                doc.paragraph(_("Aucune partie prenante renseignée."))
        elif key == "deroule_global":
            doc.table([_("Partie"), _("Période"), _("Livrables")],
                      [[p.title, _period(p.start_date, p.end_date),
                        "\n".join(d.title for d in p.deliverables)] for p in parts])
        elif key == "focus_parties":
            _focus(doc, method, parts, groups, sessions)
        elif key == "roles_operationnels":
            _roles(doc, grid)
        elif key == "planning":
            _planning(doc, experiment, parts, sessions, today)
    return doc.build()


def describe_planning(experiment: Experiment, territory, today: date | None = None
                      ) -> Document:
    """The planning alone: the Gantt chart, the sessions with their agenda, the copils."""
    today = today or date.today()
    parts = queries.parts_with_deliverables(experiment.id)
    sessions = queries.planned_sessions(experiment.id)
    from facilitation.experiments.exports import agendas_of

    agendas = agendas_of(sessions)
    doc = DocumentBuilder(_("Planning prévisionnel"), territory, subtitle=experiment.title,
                          issued_on=today)
    doc.heading(_("Planning prévisionnel – %(title)s", title=experiment.title))
    doc.paragraph(_("Période : %(period)s", period=_period(experiment.start_date,
                                                          experiment.end_date)))
    doc.go_landscape()
    gantt_figure(doc, experiment, parts, sessions, today)
    doc.table([_("Partie"), _("Période"), _("Livrables")],
              [[p.title, _period(p.start_date, p.end_date),
                "\n".join(d.title for d in p.deliverables)] for p in parts])
    doc.heading(_("Séances"), 2)
    session_table(doc, sessions)
    by_month = defaultdict(list)
    for session in sessions:
        by_month[format_date(to_local(session.starts_at).date(), "MMMM yyyy")].append(session)
    doc.new_section(landscape=False)
    doc.heading(_("Ordre du jour des séances"))
    if not sessions:
        doc.paragraph(_("Aucune séance planifiée."))
    for month, items in by_month.items():
        doc.heading(month.capitalize(), 2)
        for session in items:
            local = to_local(session.starts_at)
            doc.paragraph(bold(session.title), " — ", french_date(local.date(), "full"),
                          ", ", hours(local, to_local(session.ends_at)),
                          f" — {session.place}" if session.place else "")
            doc.numbered([" ".join(item.title.split()) + (
                f" ({item.duration_minutes} min)" if item.duration_minutes else "")
                for item in agendas.get(session.id, [])], empty=_("Ordre du jour vide."))
    return doc.build()


# Gallery (``flask --app app documents gallery``) -----------------------------------------

def _experiments():
    from territorial.territories.models import Territory

    for experiment in db.session.scalars(select(Experiment).order_by(Experiment.id).limit(2)):
        yield experiment, db.session.get(Territory, experiment.territory_id)


@example("cadre-methodologique", "Cadre méthodologique")
def _cadre_examples():
    from facilitation.experiments.roles import find_grid

    for experiment, territory in _experiments():
        grid = find_grid(experiment)
        yield experiment.title, territory, \
            lambda e=experiment, t=territory, g=grid: describe_cadre(e, t, grid=g)


@example("planning", "Planning prévisionnel")
def _planning_examples():
    for experiment, territory in _experiments():
        yield experiment.title, territory, \
            lambda e=experiment, t=territory: describe_planning(e, t)
