"""The tables of a convention's dashboard (``conventions/show.html``), written in Python: one
table per priority, a row per objective and per indicator, a cell per year — badges, links
and translations Jinja rendered at a third of the page's cost. What is the same on every
row (words, URLs) is made once per page; the HTML is the template's, character for
character."""
from __future__ import annotations


from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from territorial.common.text import per_language
from territorial.common.urls import escaped_for_ids, url_for_ids
from territorial.conventions.exports import reached_text, target_text
from territorial.indicators.rules import status_tone
from territorial.indicators.views import indicator_number

NO_TARGET = '<span class="muted">—</span>'


@per_language
def _formats() -> dict[str, Markup]:
    """The messages the rows fill in, translated once per language: ``_(text, **values)`` as a template
    prints it is ``Markup(_(text)) % values`` (the translation as it is, the values
    escaped)."""
    return {key: Markup(text) for key, text in {
        "priority": _("Priorité : %(title)s"),
        "caption": _("Priorité « %(title)s » : objectifs, indicateurs, cibles et valeurs "
                     "atteintes par année"),
        "to_objective": _("à l'objectif « %(title)s »"),
        "of_objective": _("l'objectif « %(title)s »"),
        "of_indicator": _("de « %(title)s »"),
        "source": _("source : %(source)s"),
        "value": _("la valeur %(year)s de « %(title)s »"),
        "correction": _("correction en attente : %(value)s"),
    }.items()}


def _badge(code: str, label) -> str:
    """``cm.status(code, label)``: a status's badge."""
    return f'<span class="badge badge-{escape(status_tone(code))}">{escape(label)}</span>'


@per_language
def _words() -> dict[str, str]:
    """The words the rows repeat, translated once per language (printed as they are, like a template's
    ``_()``)."""
    return {key: str(Markup(word)) for key, word in {
        "objective": _("Objectif"), "add_indicator": _("Ajouter un indicateur"),
        "edit": _("Modifier"), "reference": _("référence"), "targets": _("Cibles"),
        "history": _("Détail et historique"), "target": _("Cible :"),
        "reached": _("Atteint :"), "to_validate": _("à valider"), "enter": _("Saisir"),
        "correct": _("Corriger"), "columns": _("Objectif et indicateurs"),
    }.items()}


class DashboardTables:
    """``table(group)``: the HTML of a ``rules.PriorityGroup`` of the dashboard (its title
    and its table). ``editable``: the objectives' and indicators' links; ``enter_urls``:
    the value form's address by year (``None``: no « Saisir » link)."""

    def __init__(self, convention, years, editable: bool, enter_urls: dict | None):
        self.years, self.editable = years, editable
        self.words, self.formats = _words(), _formats()
        self.enter_urls = ({year: escaped_for_ids(url_of) for year, url_of in enter_urls.items()}
                           if enter_urls is not None else None)
        here = url_for("conventions.show", convention_id=convention.id)
        self.urls = {
            # called once, around a placeholder id (``escaped_for_ids``)
            "new_indicator": escaped_for_ids(lambda id_: url_for(
                "indicators.new", owner_type="convention_objective", owner_id=id_, next=here)),
            "edit_objective": escaped_for_ids(url_for_ids("conventions.edit_objective",
                                                           "convention_objective_id")),
            "targets": escaped_for_ids(url_for_ids("conventions.targets",
                                                    "convention_indicator_id")),
            "indicator": escaped_for_ids(url_for_ids("indicators.show", "indicator_id", next=here)),
        }
        self.year_headings = "".join(f'<th scope="col">{year}</th>' for year in years)

    def say(self, key: str, **values) -> str:
        """A message of ``_formats``, filled in."""
        return str(self.formats[key] % values)

    def table(self, group) -> Markup:
        title = group.priority.title
        caption = self.say("caption", title=title)
        return Markup(
            f'\n    <h3 class="priority-title">{self.say("priority", title=title)}'
            f'</h3>\n    <div class="table-scroll">\n    <table class="dashboard-table">\n'
            f'      <caption class="visually-hidden">{caption}</caption>\n'
            f'      <thead><tr><th scope="col">{self.words["columns"]}</th>'
            f'{self.year_headings}</tr></thead>\n      '
            + "".join(self.objective(row) for row in group.objectives)
            + "\n    </table>\n    </div>\n  ")

    def objective(self, row) -> str:
        objective = row.objective
        id_, title = objective.id, escape(objective.title)
        description = (f'<br><small class="muted">{escape(objective.description)}</small>'
                       if objective.description else "")
        statuses = "".join(
            f'\n            <td>{_badge(code, label) if code != "no_target" else NO_TARGET}'
            f'</td>\n          '
            for code, label in (row.statuses[year] for year in self.years))
        return (
            f'\n      \n      <tbody>\n        <tr class="objective-row" id="objectif-{id_}">\n'
            f'          <th scope="row">\n            <span class="objective-label">'
            f'{self.words["objective"]}</span><br> {title}\n            {description}\n'
            f'            {self.objective_actions(id_, objective.title)}\n          </th>\n'
            f'          {statuses}\n        </tr>\n        '
            + "".join(self.indicator(irow) for irow in row.indicators)
            + "\n      </tbody>\n      ")

    def objective_actions(self, id_: int, title: str) -> str:
        if not self.editable:
            return ""
        words, urls = self.words, self.urls
        to_objective = self.say("to_objective", title=title)
        of_objective = self.say("of_objective", title=title)
        return (
            f'<br><small class="row-actions">\n'
            f'              <a href="{urls["new_indicator"](id_)}">{words["add_indicator"]}'
            f'<span class="visually-hidden"> {to_objective}</span></a>\n'
            f'              · <a href="{urls["edit_objective"](id_)}">{words["edit"]}'
            f'<span class="visually-hidden"> {of_objective}</span></a>\n            </small>')

    def indicator(self, irow) -> str:
        indicator = irow.indicator
        id_ = indicator.id
        return (
            f'\n        \n        \n        <tr id="indicateur-{id_}" class="indicator-row">\n'
            f'          <th scope="row">\n            {escape(indicator.title)}\n'
            f'            <br><small class="muted">{self.facts(indicator)}</small>\n'
            f'            {self.indicator_actions(indicator)}\n          </th>\n          '
            + "".join(self.cell(indicator, cell) for cell in irow.cells)
            + "\n        </tr>\n        ")

    def facts(self, indicator) -> str:
        """Its kind, unit, baseline and source (« Quantitatif · ETP · référence 18 (2023) »)."""
        facts = str(escape(indicator.kind_label))
        if indicator.unit:
            facts += f" · {escape(indicator.unit)}"
        if indicator.baseline is not None:
            facts += f' · {self.words["reference"]} {escape(indicator_number(indicator.baseline))}'
            if indicator.baseline_year:
                facts += f" ({escape(indicator.baseline_year)})"
        if indicator.source:
            facts += f' · {self.say("source", source=indicator.source)}'
        return facts

    def indicator_actions(self, indicator) -> str:
        if not self.editable:
            return ""
        words, urls, id_ = self.words, self.urls, indicator.id
        of_indicator = self.say("of_indicator", title=indicator.title)
        return (
            f'<br><small class="row-actions">\n'
            f'              <a href="{urls["targets"](id_)}">{words["targets"]}'
            f'<span class="visually-hidden"> {of_indicator}</span></a>\n'
            f'              · <a href="{urls["indicator"](id_)}">{words["history"]}'
            f'<span class="visually-hidden"> {of_indicator}</span></a>\n            </small>')

    def cell(self, indicator, cell) -> str:
        words, measure = self.words, cell.measure
        target = escape(target_text(indicator, cell.target) or "—")
        if measure:
            reached = str(escape(reached_text(indicator, measure)))
            if not measure.validated_at:
                reached += f' <em>({words["to_validate"]})</em>'
        else:
            reached = "—"
        status = (f'<span class="cell-line">{_badge(cell.code, cell.label)}</span>'
                  if cell.target else "")
        return (
            f'\n          <td class="year-cell">\n'
            f'            <span class="cell-line">{words["target"]} {target}</span>\n'
            f'            <span class="cell-line">{words["reached"]} {reached}</span>\n'
            f'{self.correction(indicator, cell)}'
            f'            {status}\n            {self.enter_link(indicator, cell, measure)}\n'
            f'          </td>\n          ')

    def correction(self, indicator, cell) -> str:
        """The line that says a correction of the validated value waits for validation."""
        if not (cell.measure and cell.measure.validated_at and cell.pending):
            return ""
        correction = self.say("correction", value=reached_text(indicator, cell.pending[-1]))
        return f'            <span class="cell-line"><em>{correction}</em></span>\n'

    def enter_link(self, indicator, cell, measure) -> str:
        if self.enter_urls is None:
            return ""
        label = self.say("value", year=cell.year, title=indicator.title)
        return (f'<a class="cell-action" href="{self.enter_urls[cell.year](indicator.id)}">'
                f'{self.words["correct"] if measure else self.words["enter"]}'
                f'<span class="visually-hidden"> {label}</span></a>')
