"""The rows of the frise page's table of levels (``timelines/frise.html``), written in
Python: three or four small forms a level, which Jinja rendered at a tenth of the page's
cost. What is the same on every row (texts, URLs, the CSRF field) is made once per page;
the HTML is the template's, character for character."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from territorial.common.urls import escaped_for_ids, url_for_ids


def level_rows(timeline, csrf_field: Markup) -> Markup:
    """The ``<tr>`` of each level of ``timeline``: rename it, move it up or down, remove
    it (``csrf_field``: the page's ``m.csrf``)."""
    urls = {name: escaped_for_ids(url_for_ids(f"timelines.{name}_level", "frise_level_id",
                                              timeline_id=timeline.id))
            for name in ("rename", "move", "remove")}
    formats = {key: Markup(text) for key, text in {
        "name": _("Nom du niveau « %(label)s »"), "up": _("Monter le niveau « %(label)s »"),
        "down": _("Descendre le niveau « %(label)s »"),
        "remove": _("Retirer le niveau « %(label)s »")}.items()}
    words = {key: str(Markup(word)) for key, word in {  # as a template's ``_()`` prints them
        "rename": _("Renommer"), "remove": _("Retirer"),
        "confirm_remove": _("Retirer ce niveau ?")}.items()}
    last = len(timeline.levels) - 1

    def move(url: str, direction: str, name: str, arrow: str) -> str:
        return (f'<form method="post" action="{url}" class="inline-form">{csrf_field}'
                f'<button type="submit" name="direction" value="{direction}" '
                f'class="secondary outline" aria-label="{name}">{arrow}</button></form>')

    def row(index: int, level) -> str:
        id_, label = level.id, {"label": level.label}
        up = move(urls["move"](id_), "up", formats["up"] % label, "↑") if index > 0 else ""
        down = (move(urls["move"](id_), "down", formats["down"] % label, "↓")
                if index < last else "")
        return (
            f'\n        <tr>\n          <td>\n'
            f'            <form method="post" action="{urls["rename"](id_)}" class="inline-form">'
            f'\n              {csrf_field}\n'
            f'              <label for="level-{id_}" class="visually-hidden">'
            f'{formats["name"] % label}</label>\n'
            f'              <input id="level-{id_}" name="label" value="{escape(level.label)}"'
            f' maxlength="80" required>\n'
            f'              <button type="submit" class="secondary outline">{words["rename"]}'
            f'</button>\n            </form>\n          </td>\n          <td class="actions">\n'
            f'            {up}\n            {down}\n'
            f'            <form method="post" action="{urls["remove"](id_)}" class="inline-form"'
            f' data-confirm="{words["confirm_remove"]}">{csrf_field}<button type="submit" '
            f'class="secondary" aria-label="{formats["remove"] % label}">{words["remove"]}'
            f'</button></form>\n          </td>\n        </tr>\n      ')

    return Markup("".join(row(index, level) for index, level in enumerate(timeline.levels)))


def board_rows(timeline, board, terms) -> Markup:
    """The ``<tr>`` of the wall board: a row per level (``board``: ``frise_board``'s
    (level label, placements by term)), a list of cards per term (``terms``: (key, label))."""
    def card(placed) -> str:
        entry = placed.entry
        day = (f' <small>({entry.on_date.strftime("%d/%m/%Y")})</small>'
               if entry.on_date else "")
        return (f'<li class="frise-card" data-entry="{entry.id}" data-version='
                f'"{entry.edit_version}" data-kind="{escape(entry.kind)}">{escape(entry.name)}'
                f'{day}</li>')

    def row(level, label, columns) -> str:
        cells = "".join(
            f'\n            <td><ul class="frise-drop" data-level="{level.id}" data-term='
            f'"{escape(term)}" aria-label="{label}, {escape(term_label)}">\n              '
            + "".join(card(placed) for placed in column) + "\n            </ul></td>\n          "
            for (term, term_label), column in zip(terms, columns))
        return (f'\n        \n        <tr>\n          <th scope="row">{label}</th>\n          '
                f'{cells}\n        </tr>\n      ')

    return Markup("".join(row(level, escape(label), columns)
                          for level, (label, columns) in zip(timeline.levels, board)))
