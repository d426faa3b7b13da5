"""The rows of the RACI grid page (``raci/grid.html``) written in Python: the cells of the
grid (a label, a select and two hidden fields each) and the rows of the tables that manage
activities and actors (three small forms each), which Jinja rendered at several times the
cost. What is the same on every row (texts, URLs, the CSRF field, the options of each
letter) is made once per page; the HTML is the template's, character for character."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from territorial.common.urls import url_for_ids
from territorial.raci.rules import LETTER_ORDER


def raci_labels() -> dict[str, str]:
    """The accessible names of the grid's cells and of the buttons of its rows and
    columns, translated once per page (``labels["up"] % {"label": …}``)."""
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


def _texts(**texts) -> dict[str, str]:
    return {key: str(escape(text)) for key, text in texts.items()}


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
        options, actors = _LetterOptions(), self.grid.actors
        texts = _texts(to_correct=_("à corriger"), complete=_("complète"))
        status = {True: f'<span class="badge badge-warning">{texts["to_correct"]}</span>',
                  False: f'<span class="badge badge-success">{texts["complete"]}</span>'}
        return Markup("".join(
            f'\n            \n            <tr data-activity-row="{activity.id}">\n'
            f'              <th scope="row">{escape(activity.label)}</th>\n              '
            f'{"".join(self._cell(activity, actor, options) for actor in actors)}'
            f'\n              <td class="raci-row-status" data-row-status="{activity.id}">\n'
            f'                {status[bool(self.report.for_activity(activity.id))]}\n'
            f'              </td>\n            </tr>\n          '
            for activity in self.grid.activities))

    def _cell(self, activity, actor, options: _LetterOptions) -> str:
        key, suffix = (activity.id, actor.id), f"{activity.id}-{actor.id}"
        letter = self.shown.get(key, "")
        label = escape(self.labels["cell"] % {"actor": actor.label, "activity": activity.label})
        hidden = (f'<input type="hidden" name="version-{suffix}" value="{self.versions.get(key, 0)}">'
                  f'<input type="hidden" name="was-{suffix}" value="{escape(self.cells.get(key, ""))}">'
                  if self.editable else "")
        return (
            f'\n                \n                \n                \n'
            f'                <td class="raci-cell" data-letter="{escape(letter)}">\n'
            f'                  <label for="cell-{suffix}" class="visually-hidden">{label}</label>\n'
            f'                  <select id="cell-{suffix}" name="cell-{suffix}"'
            f' data-activity="{activity.id}" data-actor="{actor.id}"'
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
            f'<form method="post" action="{escape(url)}" class="inline-form">{csrf}'
            f'<button type="submit" name="direction" value="{direction}" class="secondary outline"'
            f' aria-label="{escape(self.labels[key] % named)}">{text}</button></form>'
            for hidden, direction, (key, text) in ((first, "up", up), (last, "down", down)))

    def _remove_form(self, url: str, csrf: Markup, confirm: str, named: dict, text: str) -> str:
        return (f'<form method="post" action="{escape(url)}" class="inline-form"'
                f' data-confirm="{confirm}">{csrf}<button type="submit" class="secondary"'
                f' aria-label="{escape(self.labels["remove"] % named)}">{text}</button></form>')

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
        grid, labels = self.grid, self.labels
        texts = _texts(rename=_("Renommer"), up=_("Monter"), down=_("Descendre"),
                       remove=_("Retirer"),
                       synced=_("synchronisée depuis le propriétaire de la grille"),
                       confirm=_("Retirer cette activité et ses rôles ?"))
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
                f'            <form method="post" action="{escape(rename_url(id_))}" class="inline-form">\n'
                f'              {csrf}\n'
                f'              <label for="rename-{id_}" class="visually-hidden">'
                f'{escape(labels["activity"] % named)}</label>\n'
                f'              <input id="rename-{id_}" name="rename-label"'
                f' value="{escape(activity.label)}" maxlength="300" required>\n'
                f'              <button type="submit" class="secondary outline">{texts["rename"]}</button>\n'
                f'            </form>\n            {synced}\n          </td>\n'
                f'          <td class="actions">\n            {up}\n            {down}\n'
                f'            {remove}\n          </td>\n        </tr>\n      ')
        return Markup("".join(rows))

    def actor_rows(self, csrf: Markup) -> Markup:
        """The rows of « Acteurs (colonnes) »: move left or right, remove."""
        texts = _texts(left=_("Gauche"), right=_("Droite"), remove=_("Retirer"),
                       confirm=_("Retirer cet acteur et ses rôles ?"))
        rows = []
        for actor, _named, (left, right), remove_form in self._managed(
                self.grid.actors, "actor", csrf, texts, ("left", f'← {texts["left"]}'),
                ("right", f'→ {texts["right"]}')):
            rows.append(
                f'\n        \n        <tr>\n          <td>{escape(actor.label)}</td>\n'
                f'          <td class="actions">\n            {left}\n            {right}\n'
                f'            {remove_form}\n          </td>\n        </tr>\n      ')
        return Markup("".join(rows))
