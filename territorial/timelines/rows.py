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
