"""Conventions as documents: a convention's dashboard and annual dialogue (for the annual
report and the yearly review), and the authority's portfolio of conventions.

Pure functions of data already loaded (``rules.Dashboard``, ``rules.Summary``, notes).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from territorial.conventions.exports import baseline_text, kind_text, reached_text, target_text
from territorial.conventions.rules import Dashboard, Summary
from territorial.documents import Document, DocumentBuilder, bold, charts, italic
from territorial.documents.gallery import example
from territorial.documents.formats import long_date, money


def _trajectories(doc: DocumentBuilder, dashboard: Dashboard) -> None:
    items = []
    for _objective, row in dashboard.indicator_rows():
        indicator = row.indicator
        if indicator.kind != "quantitative":
            continue
        targets = [float(c.target.value) if c.target is not None and c.target.value is not None
                   else None for c in row.cells]
        reached = [float(c.measure.value) if c.measure is not None and c.measure.value is not None
                   else None for c in row.cells]
        if any(v is not None for v in targets + reached):
            items.append(charts.Trajectory(indicator.title, indicator.unit, dashboard.years,
                                           targets, reached))
    if not items:
        return
    doc.figure(lambda width: charts.trajectories(items, width, target_label=_("Cible"),
                                                 reached_label=_("Atteint")),
               caption=_("Trajectoires des indicateurs quantitatifs : cibles et valeurs "
                         "atteintes, année par année"),
               alt=_("Pour chaque indicateur quantitatif, la courbe des cibles (tirets) et "
                     "celle des valeurs atteintes ; les chiffres sont dans les tableaux du "
                     "tableau de bord."))


def _cell_text(indicator, cell) -> tuple:
    reached = reached_text(indicator, cell.measure) or "—"
    if cell.measure is not None and cell.measure.validated_at is None:
        reached += " " + _("(à valider)")
    return (_("Cible : %(value)s", value=target_text(indicator, cell.target) or "—"),
            _("Atteint : %(value)s", value=reached), italic(cell.label))


def describe_convention(dashboard: Dashboard, notes: dict[tuple[int, int], list],
                        territory, summary: Summary | None = None,
                        meetings: list[tuple[str, list[str]]] = ()) -> Document:
    """The convention (loaded with ``queries.load_convention``), its multi-year
    dashboard with the trajectories, and the dialogue of each year: the notes per
    indicator and the review meetings."""
    convention = dashboard.convention
    doc = DocumentBuilder(_("Tableau de bord et dialogue annuel"), territory,
                          subtitle=f"{convention.reference} – {convention.title}",
                          file_name=[_("Convention"), convention.reference,
                                     _("Tableau de bord")])
    doc.title_page([
        _("Association : %(name)s", name=convention.association.name),
        _("Collectivité : %(name)s", name=convention.authority.name),
        _("Période : %(period)s", period=convention.period_label),
    ])
    doc.heading(_("La convention"))
    facts = [
        (_("Association"), convention.association.name),
        (_("Collectivité"), convention.authority.name),
        (_("Cofinanceurs"), ", ".join(f.organisation.name for f in convention.funders)),
        (_("Période"), convention.period_label),
        (_("Statut"), convention.status_label),
        (_("Date de signature"), long_date(convention.signed_on)),
        (_("Charte appliquée"), convention.charter.title if convention.charter else ""),
    ]
    for label, value in facts:
        doc.labelled(label, value)
    doc.text(convention.description)
    if summary is not None:
        doc.paragraph(bold(_("En %(year)s : ", year=summary.follow_year)), ngettext(
            "%(num)d objectif sur %(total)d en bonne voie ou atteint",
            "%(num)d objectifs sur %(total)d en bonne voie ou atteints", summary.on_track,
            total=summary.objectives), ", ", ngettext(
            "%(num)d en retard.", "%(num)d en retard.", summary.behind))
    doc.heading(_("Montants accordés"), 2)
    doc.table([_("Année"), _("Financeur"), _("Montant")],
              [[str(a.year), a.funder.name, money(a.amount)] for a in convention.amounts],
              align_right=(2,), empty=_("Aucun montant accordé n'est encore noté."))

    doc.heading(_("Tableau de bord pluriannuel"))
    doc.paragraph(_("Pour chaque année : la cible, la valeur atteinte et la situation (« Cible "
                    "atteinte », « En bonne voie » à partir de 90 % du chemin, « En retard sur "
                    "la cible » en dessous)."))
    _trajectories(doc, dashboard)
    if not dashboard.groups:
        doc.paragraph(_("Aucun objectif n'est encore défini."))
    for group in dashboard.groups:
        doc.heading(_("Priorité : %(title)s", title=group.priority.title), 2)
        rows = []
        for objective in group.objectives:
            if not objective.indicators:
                rows.append([objective.objective.title, _("(aucun indicateur)")]
                            + [""] * len(dashboard.years))
            for row in objective.indicators:
                indicator = row.indicator
                detail = kind_text(indicator) + (f" · {indicator.unit}" if indicator.unit else "")
                if indicator.baseline is not None:
                    detail += " · " + _("référence %(value)s", value=baseline_text(indicator))
                rows.append([objective.objective.title, (bold(indicator.title), detail)]
                             + [_cell_text(indicator, cell) for cell in row.cells])
        doc.table([_("Objectif"), _("Indicateur")] + [str(year) for year in dashboard.years],
                  rows)

    doc.heading(_("Dialogue annuel"))
    for title, lines in meetings:
        doc.paragraph(bold(title))
        doc.bullets(lines)
    for year in dashboard.years:
        year_notes = [(objective, row) for objective, row in dashboard.indicator_rows()
                      if notes.get((row.indicator.id, year))]
        doc.heading(_("Dialogue %(year)s", year=year), 2)
        if not year_notes:
            doc.paragraph(_("Pas de note de dialogue pour %(year)s.", year=year))
            continue
        for _objective, row in year_notes:
            doc.paragraph(bold(row.indicator.title))
            doc.bullets(signed_notes(notes[(row.indicator.id, year)]))
    return doc.build()


def signed_notes(notes: list) -> list[list]:
    """Bullets of dialogue notes, each with on whose behalf and who wrote it."""
    return [[bold(f"{note.party_label} : "), note.text, " ", italic(f"({note.signature})")]
            for note in notes]


def describe_portfolio(summaries: list[Summary], territory, year: int,
                       authority: str = "") -> Document:
    """Every convention with where it stands, the ones to meet first."""
    doc = DocumentBuilder(_("Portefeuille des conventions"), territory, subtitle=authority,
                          file_name=[_("Portefeuille des conventions"),
                                     authority or getattr(territory, "name", "")])
    doc.title_page([ngettext("%(num)d convention", "%(num)d conventions", len(summaries)),
                    _("Situation de l'année suivie de chaque convention (au plus tard %(year)s)",
                      year=year)])
    doc.new_section(landscape=True)
    doc.heading(_("Où en sont les conventions"))
    shown = [s for s in summaries if s.objectives]
    if shown:
        doc.figure(lambda width: charts.stacked_hbars(
            [f"{s.convention.reference} – {s.convention.association.name}" for s in shown],
            [(_("En bonne voie ou atteints"), [s.on_track for s in shown], "#2F7D4F"),
             (_("En retard"), [s.behind for s in shown], "#B3261E"),
             (_("Autres"), [max(s.objectives - s.on_track - s.behind, 0) for s in shown],
              "#8A99A8")], width, xlabel=_("Objectifs")),
            caption=_("Objectifs de chaque convention selon leur situation"),
            alt=_("Barres empilées : pour chaque convention, ses objectifs en bonne voie, en "
                  "retard et sans situation ; les chiffres sont dans le tableau qui suit."))
    doc.table([_("Référence"), _("Convention"), _("Association"), _("Période"), _("Statut"),
               _("Année suivie"), _("Objectifs"), _("En bonne voie"), _("En retard"),
               _("Valeurs à valider"), _("Montant accordé")],
              [[s.convention.reference, s.convention.title, s.convention.association.name,
                s.convention.period_label, s.convention.status_label, str(s.follow_year),
                s.objectives, s.on_track, s.behind, s.pending_values, money(s.total_amount)]
               for s in summaries], align_right=(5, 6, 7, 8, 9, 10),
              empty=_("Aucune convention n'est encore suivie."))
    doc.heading(_("Dialogues à prévoir"))
    to_meet = [s for s in summaries if s.needs_conversation]
    if to_meet:
        doc.bullets([([bold(f"{s.convention.reference} – {s.convention.association.name}")],
                      s.reasons) for s in to_meet])
    else:
        doc.paragraph(_("Aucune convention ne demande de dialogue particulier."))
    return doc.build()


@example("convention", "Tableau de bord et dialogue annuel d'une convention")
def _convention_examples():
    from datetime import date

    from sqlalchemy import select

    from extensions import db
    from territorial.common.panels import convention_panels
    from territorial.conventions import queries, rules
    from territorial.conventions.models import Convention
    from territorial.territories.models import Territory

    for territory_id, convention_id in db.session.execute(
            select(Convention.territory_id, Convention.id).order_by(Convention.id)).all():
        convention = queries.load_convention(territory_id, convention_id)
        territory = db.session.get(Territory, convention.territory_id)
        indicators = queries.indicators_of(convention.objectives, convention.territory_id)
        dashboard = rules.build_dashboard(convention, convention.objectives, indicators)
        summary = rules.summarise(convention, convention.objectives, indicators,
                                  date.today().year)
        notes = queries.notes_of(convention.id)
        yield convention.reference, territory, \
            lambda c=convention, d=dashboard, n=notes, t=territory, s=summary: \
            describe_convention(d, n, t, s, _meetings(c, convention_panels))


def _meetings(convention, panels) -> list[tuple[str, list[str]]]:
    """The convention's meetings (its yearly reviews), from the panels the facilitation
    side registers (the URLs they build need the territory of the request)."""
    return [(panel.title, [text for text, _url in panel.items])
            for panel in panels.panels_for(convention) if panel.items]


@example("portefeuille-conventions", "Portefeuille des conventions")
def _portfolio_examples():
    from datetime import date

    from sqlalchemy import select

    from extensions import db
    from territorial.conventions import queries
    from territorial.conventions.models import Convention
    from territorial.territories.models import Territory

    for territory_id in db.session.scalars(select(Convention.territory_id).distinct()).all():
        territory = db.session.get(Territory, territory_id)
        year = date.today().year
        yield territory.name, territory, lambda t=territory, y=year: describe_portfolio(
            queries.portfolio(t.id, y).summaries, t, y)
