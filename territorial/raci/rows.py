"""The rows of the RACI grid page (``raci/grid.html``) written in Python: the cells of the
grid (a label, a select and two hidden fields each) and the rows of the tables that manage
activities and actors (three small forms each), which Jinja rendered at several times the
cost. What is the same on every row (texts, URLs, the CSRF field, the options of each
letter) is made once per page; the HTML is the template's, character for character. The
read-only table of a grid on its owner's page (``summary_rows``) is written here too."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from territorial.common.text import elide, html_text, per_language
from territorial.common.urls import url_for_ids
from territorial.raci.operations import cell_map
from territorial.raci.rules import LETTER_ORDER


@per_language
def raci_labels() -> dict[str, str]:
    """The accessible names of the grid's cells and of the buttons of its rows and
    columns, translated once per language (``labels["up"] % {"label": …}``)."""
    return {
        "cell": _("Rôle de %(actor)s pour « %(activity)s »"),
        "activity": _("Intitulé de l'activité « %(label)s »"),
        "up": _("Monter « %(label)s »"),
        "down": _("Descendre « %(label)s »"),
        "remove": _("Retirer « %(label)s »"),
        "left": _("Déplacer « %(label)s » vers la gauche"),
        "right": _("Déplacer « %(label)s » vers la droite"),
    }


class _LetterOptions(dict):
    """The options after « — » of a cell's select, by the letter the cell shows: written
    once per letter for the page, not for each of its cells."""

    def __missing__(self, letter: str) -> str:
        options = self[letter] = "".join(
            f'<option value="{escape(code)}"{" selected" if letter == code else ""}>'
            f'{escape(code)}</option>' for code in LETTER_ORDER)
        return options


class _Escaped(dict):
    """The letters of the cells escaped once for the page, not for each cell."""

    def __missing__(self, letter: str) -> str:
        escaped = self[letter] = html_text(letter)
        return escaped


def _escaped(**texts) -> dict[str, str]:
    return {key: html_text(text) for key, text in texts.items()}


@per_language
def _texts() -> dict[str, dict[str, str]]:
    """The words of the grid's rows and of the tables managing them (escaped), translated
    once per language."""
    return {
        "grid": _escaped(to_correct=_("à corriger"), complete=_("complète")),
        "activities": _escaped(rename=_("Renommer"), up=_("Monter"), down=_("Descendre"),
                               remove=_("Retirer"),
                               synced=_("tenue à jour depuis le plan ou le projet de "
                                        "la grille"),
                               confirm=_("Retirer cette activité et ses rôles ?")),
        "actors": _escaped(left=_("Gauche"), right=_("Droite"), remove=_("Retirer"),
                           confirm=_("Retirer cet acteur et ses rôles ?")),
    }


class GridRows:
    """The rows of a loaded grid's page. ``shown``: the letter each cell shows (the user's
    choice where a save met a colleague's change), ``cells`` and ``versions``: the letter
    and version of each cell in the database, by (activity id, actor id)."""

    def __init__(self, grid, report, shown: dict, cells: dict, versions: dict,
                 editable: bool):
        self.grid, self.report, self.editable = grid, report, editable
        self.shown, self.cells, self.versions = shown, cells, versions
        self.labels = raci_labels()

    # The grid -------------------------------------------------------------------------

    def grid_rows(self) -> Markup:
        """The ``<tr>`` of each activity of the grid: a cell for each actor, its status."""
        options, letters = _LetterOptions(), _Escaped()
        actors = [(actor.id, actor.label) for actor in self.grid.actors]
        texts = _texts()["grid"]
        status = {True: f'<span class="badge badge-warning">{texts["to_correct"]}</span>',
                  False: f'<span class="badge badge-success">{texts["complete"]}</span>'}
        rows = []
        for activity in self.grid.activities:
            id_, label = activity.id, activity.label
            cells = "".join([self._cell(id_, label, actor_id, actor_label, options, letters)
                             for actor_id, actor_label in actors])
            rows.append(
                f'\n            \n            <tr data-activity-row="{id_}">\n'
                f'              <th scope="row">{html_text(label)}</th>\n              {cells}'
                f'\n              <td class="raci-row-status" data-row-status="{id_}">\n'
                f'                {status[bool(self.report.for_activity(id_))]}\n'
                f'              </td>\n            </tr>\n          ')
        return Markup("".join(rows))

    def _cell(self, activity_id: int, activity: str, actor_id: int, actor: str,
              options: _LetterOptions, letters: _Escaped) -> str:
        """The cell of an activity and an actor (ids and labels)."""
        key, suffix = (activity_id, actor_id), f"{activity_id}-{actor_id}"
        letter = self.shown.get(key, "")
        label = html_text(elide(self.labels["cell"] % {"actor": actor, "activity": activity},
                                actor))
        hidden = (f'<input type="hidden" name="version-{suffix}"'
                  f' value="{self.versions.get(key, 0)}"><input type="hidden"'
                  f' name="was-{suffix}" value="{letters[self.cells.get(key, "")]}">'
                  if self.editable else "")
        return (
            f'\n                \n                \n                \n'
            f'                <td class="raci-cell" data-letter="{letters[letter]}">\n'
            f'                  <label for="cell-{suffix}" class="visually-hidden">{label}</label>\n'
            f'                  <select id="cell-{suffix}" name="cell-{suffix}"'
            f' data-activity="{activity_id}" data-actor="{actor_id}"'
            f'{"" if self.editable else " disabled"}>\n'
            f'                    <option value=""{"" if letter else " selected"}>—</option>\n'
            f'                    {options[letter]}\n                  </select>\n'
            f'                  {hidden}\n                </td>\n              ')

    # The tables that manage rows and columns --------------------------------------------

    def _moves(self, url: str, csrf: Markup, named: dict, first: bool, last: bool,
               up: tuple[str, str], down: tuple[str, str]) -> tuple[str, str]:
        """The forms moving a row up and down (a column left and right), none up for the
        first, none down for the last. ``up``, ``down``: (key of the accessible name in
        ``labels``, text of the button)."""
        return tuple(
            "" if hidden else
            f'<form method="post" action="{html_text(url)}" class="inline-form">{csrf}'
            f'<button type="submit" name="direction" value="{direction}" class="secondary outline"'
            f' aria-label="{html_text(self.labels[key] % named)}">{text}</button></form>'
            for hidden, direction, (key, text) in ((first, "up", up), (last, "down", down)))

    def _remove_form(self, url: str, csrf: Markup, confirm: str, named: dict, text: str) -> str:
        return (f'<form method="post" action="{html_text(url)}" class="inline-form"'
                f' data-confirm="{confirm}">{csrf}<button type="submit" class="secondary"'
                f' aria-label="{html_text(self.labels["remove"] % named)}">{text}</button></form>')

    def _managed(self, items, kind: str, csrf: Markup, texts: dict, up, down):
        """For each activity or actor (``kind``): the item, its name for the labels, its
        forms moving it (``_moves``) and the form removing it."""
        move_url = url_for_ids(f"raci.move_{kind}", f"raci_{kind}_id", grid_id=self.grid.id)
        remove_url = url_for_ids(f"raci.remove_{kind}", f"raci_{kind}_id", grid_id=self.grid.id)
        last = len(items) - 1
        for index, item in enumerate(items):
            named = {"label": item.label}
            yield (item, named,
                   self._moves(move_url(item.id), csrf, named, index == 0, index == last, up, down),
                   self._remove_form(remove_url(item.id), csrf, texts["confirm"], named,
                                     texts["remove"]))

    def activity_rows(self, csrf: Markup) -> Markup:
        """The rows of « Activités (lignes) »: rename, move up or down, remove (a row
        synced from the grid's owner is not removed here)."""
        grid, labels, csrf = self.grid, self.labels, str(csrf)  # (cheaper in f-strings)
        texts = _texts()["activities"]
        rename_url = url_for_ids("raci.rename_activity", "raci_activity_id", grid_id=grid.id)
        rows = []
        for activity, named, (up, down), remove_form in self._managed(
                grid.activities, "activity", csrf, texts, ("up", f'↑ {texts["up"]}'),
                ("down", f'↓ {texts["down"]}')):
            id_ = activity.id
            synced = (f'<small class="muted">{texts["synced"]}</small>'
                      if activity.source_key else "")
            remove = "" if activity.source_key else f"\n              {remove_form}\n            "
            rows.append(
                f'\n        \n        <tr>\n          <td>\n'
                f'            <form method="post" action="{html_text(rename_url(id_))}"'
                f' class="inline-form">\n'
                f'              {csrf}\n'
                f'              <label for="rename-{id_}" class="visually-hidden">'
                f'{html_text(labels["activity"] % named)}</label>\n'
                f'              <input id="rename-{id_}" name="rename-label"'
                f' value="{html_text(activity.label)}" maxlength="300" required>\n'
                f'              <button type="submit" class="secondary outline">{texts["rename"]}</button>\n'
                f'            </form>\n            {synced}\n          </td>\n'
                f'          <td class="actions">\n            {up}\n            {down}\n'
                f'            {remove}\n          </td>\n        </tr>\n      ')
        return Markup("".join(rows))

    def actor_rows(self, csrf: Markup) -> Markup:
        """The rows of « Acteurs (colonnes) »: move left or right, remove."""
        texts = _texts()["actors"]
        csrf, rows = str(csrf), []
        for actor, _named, (left, right), remove_form in self._managed(
                self.grid.actors, "actor", csrf, texts, ("left", f'← {texts["left"]}'),
                ("right", f'→ {texts["right"]}')):
            rows.append(
                f'\n        \n        <tr>\n          <td>{html_text(actor.label)}</td>\n'
                f'          <td class="actions">\n            {left}\n            {right}\n'
                f'            {remove_form}\n          </td>\n        </tr>\n      ')
        return Markup("".join(rows))


def summary_rows(grid) -> Markup:
    """The rows of a loaded grid's read-only table (``raci/_grid_summary.html``, on its
    owner's page): each activity and the letter each actor holds in it, « — » for none."""
    letters, held = _Escaped(), cell_map(grid)
    actor_ids = [actor.id for actor in grid.actors]
    rows = []
    for activity in grid.activities:
        cells = "".join(
            f'<td class="raci-cell" data-letter="{(shown := letters[letter])}">{shown}</td>'
            if (letter := held.get((activity.id, actor_id))) else
            '<td class="raci-cell" data-letter="">—</td>' for actor_id in actor_ids)
        rows.append(f'<tr><th scope="row">{html_text(activity.label)}</th>{cells}</tr>')
    return Markup("\n".join(rows))
