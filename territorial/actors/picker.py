"""One field for choosing organisations or people of the territory, at any size of it.

``PickerField(kind="organisations" | "people" | "actors", multiple=False)``. The page
renders it with ``m.field`` (the ``picker`` macro of ``_macros.html``):

- without JavaScript, a text box and a « Chercher » button that shows the form again with
  the matching names as a list (a select, or boxes to tick when several may be chosen):
  everything else typed in the form is kept (``Form.validate`` stops there, see
  ``search_pressed``);
- with ``static/js/picker.js``, a combobox that searches as one types
  (``actors.search``), chips for a multiple choice, « Créer cette organisation ».

The choice is checked here, on the server: an id outside the territory's active
directory is refused with a message next to the field, the typed text kept.
"""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import current_app, g, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from territorial.actors import search
from territorial.common.text import html_text, per_language
from territorial.common.urls import local_path
from territorial.common.validation import control_characters_message, has_control_characters

NO_SCRIPT_LIMIT = 50


class PickerField(Field):
    """``data``: an id (int; « organisation:12 » for ``kind="actors"``) or None, or the
    list of them when ``multiple``. ``exclude``: ids not to offer (the members already
    there), set by the view; ``kept``: ids saved before, shown and accepted even where the
    user could not choose them now (a parent territory the coordinator is no member of),
    set by the form; ``create``: offer « Créer cette organisation »; ``of_kinds``:
    only organisations of these kinds (the associations of a convention…); ``browse``:
    list the first names of the directory before anything is typed (without JavaScript;
    off where the field sits on a page read far more often than it is used)."""

    def __init__(self, label=None, validators=None, *, kind: str = "organisations",
                 multiple: bool = False, blank: str | None = None, create: bool = False,
                 of_kinds: tuple[str, ...] = (), browse: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kind, self.multiple, self.blank, self.create = kind, multiple, blank, create
        self.of_kinds, self.browse = tuple(of_kinds), browse
        self.exclude: set = set()
        self.kept: set = set()
        self.query = ""
        self.search_pressed = False
        self._refused_raw: list[str] = []
        self._options = None

    # Reading -------------------------------------------------------------------------

    def _parse(self, raw) -> int | str | None:
        if self.kind == search.MIXED:
            return raw if search.split_actor(raw) else None
        return search.parse_id(raw)

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.query = (formdata.get(f"{self.name}-q") or "").strip()[:200]
            self.search_pressed = f"{self.name}-search" in formdata
        if self.data is None and self.multiple:
            self.data = []
        elif self.data == 0 and not self.multiple:
            self.data = None  # the old selects' « none »

    def process_formdata(self, valuelist):
        values = [v for v in valuelist if str(v).strip()]
        parsed = [self._parse(v) for v in values]
        self._refused_raw = [v for v, p in zip(values, parsed) if p is None]
        chosen = list(dict.fromkeys(p for p in parsed if p is not None))
        self.data = chosen if self.multiple else (chosen[0] if chosen else None)

    @property
    def ids(self) -> list:
        if self.multiple:
            return list(self.data or [])
        return [] if self.data in (None, "", 0) else [self.data]

    def objects(self) -> list:
        """The ``Organisation`` / ``Person`` objects chosen (checked by ``pre_validate``)."""
        return search.picked(g.territory.id, self.kind, self.ids)

    # Checking ------------------------------------------------------------------------

    def pre_validate(self, form):
        if has_control_characters(self.query):
            raise StopValidation(control_characters_message())
        known = search.chosen(g.territory.id, self.kind, self.ids, self.of_kinds, self.kept)
        if self._refused_raw or any(i not in known for i in self.ids):
            raise StopValidation(search.kind_words(self.kind)["refused"])
        if not self.ids and self.query:
            raise StopValidation(_("« %(text)s » n'a pas été choisi : cherchez-le puis "
                                   "choisissez-le dans la liste.", text=self.query))

    # Showing -------------------------------------------------------------------------

    def options(self) -> tuple[list, list, bool]:
        """(chosen options, other options to offer, whether more match): the choice made,
        then the names matching the typed text (the first ones of the directory when
        nothing is typed, unless ``browse`` is off), for the page without JavaScript."""
        if self._options is None:
            found, more = [], False
            if self.query or self.browse:
                found, more = search.search(g.territory.id, self.kind, self.query,
                                            NO_SCRIPT_LIMIT, self.of_kinds)
            chosen = self._chosen(found)
            others = [o for o in found if o.id not in chosen and o.id not in self.exclude]
            self._options = ([chosen[i] for i in self.ids if i in chosen], others, more)
        return self._options

    @property
    def choice_selected(self) -> bool:
        """Whether the choice made stays selected in the list without JavaScript: not once
        « Chercher » found other names (the user looks for another one; saving without
        picking it then says so, rather than keeping the old choice unnoticed)."""
        return not (self.search_pressed and self.options()[1])

    def _chosen(self, found: list) -> dict:
        """The options of the ids chosen, by id: those the search found are active and of
        the kinds asked; the others are read (one query less when all were found)."""
        known = {o.id: o for o in found if o.id in self.ids}
        missing = [i for i in self.ids if i not in known]
        if missing:
            known.update(search.chosen(g.territory.id, self.kind, missing, self.of_kinds,
                                       self.kept))
        return known

    def option_tags(self, options, chosen: bool = False) -> Markup:
        """``options`` as the page without JavaScript lists them: a box to tick each when
        several may be chosen, else an ``<option>`` each; written here once for the fifty
        names, each value escaped once (a template's loop costs several times as much)."""
        if self.multiple:
            checked = " checked" if chosen else ""
            head = f'<label><input type="checkbox" name="{escape(self.name)}" value="'
            return Markup("".join([
                f'{head}{html_text(id_)}"{checked} data-label="{(text := html_text(label))}">'
                f' {text}{f" <small>{html_text(detail)}</small>" if detail else ""}</label>'
                for id_, label, detail in options]))
        selected = " selected" if chosen else ""
        return Markup("".join([
            f'<option value="{html_text(id_)}"{selected}>{html_text(label)}'
            f'{f" ({html_text(detail)})" if detail else ""}</option>'
            for id_, label, detail in options]))

    @property
    def words(self) -> SimpleNamespace:
        """The picker's texts in the page's language (``_words``)."""
        return _words(self.kind)

    @property
    def search_url(self) -> str:
        return url_for("actors.search", kind=self.kind, of=",".join(self.of_kinds) or None)

    def _may_create(self) -> bool:
        from territorial.access import can

        return self.create and self.kind != "people" and not self.of_kinds and can("edit")

    @property
    def create_url(self) -> str | None:
        return url_for("actors.quick_organisation") if self._may_create() else None

    @property
    def create_page_url(self) -> str | None:
        """The creation form, coming back to this page (without JavaScript)."""
        if not self._may_create():
            return None
        return url_for("actors.new_organisation", name=self.query or None,
                       next=_this_page())

    def _value(self):
        return self.query

    def shown(self) -> str:
        """The names chosen, as the user reads them (``versions.compare``)."""
        return ", ".join(option.label for option in self.options()[0])


@per_language
def _words(kind: str) -> SimpleNamespace:
    """The texts of a picker of ``kind``: translated once per language, not at each picker
    shown (fifteen messages, a sixth of its cost). Like the template's ``_()``, a
    translation is the page's markup; ``none`` is escaped."""
    texts = {
        "create": _("Créer l’organisation « {text} »"),
        "create_failed": _("L’organisation n’a pas pu être créée : {error}"),
        "count_one": _("1 résultat, flèches haut et bas pour parcourir."),
        "count_many": _("{count} résultats, flèches haut et bas pour parcourir."),
        "count_more": _("{count} premiers résultats : précisez pour en voir d’autres."),
        "added": _("« {label} » ajouté."), "removed": _("« {label} » retiré."),
        "remove": _("Retirer « {label} »"), "chosen": _("« {label} » choisi."),
        "failed": _("La recherche n’a pas abouti : vérifiez la connexion, ou utilisez "
                    "« Chercher »."),
        "chips": _("Choisis"), "find": _("Chercher"), "tick": _("Cochez les noms à ajouter"),
        "choice": _("Nom choisi parmi ceux trouvés"), "choose": _("— Choisir —"),
        "more": _("D’autres noms correspondent : tapez-en une partie et « Chercher » pour "
                  "les trouver."),
        "new": _("Créer une organisation"),
        "type": _("Tapez une partie du nom puis « Chercher » pour choisir."),
    }
    return SimpleNamespace(none=escape(search.kind_words(kind)["none"]),
                           **{key: Markup(text) for key, text in texts.items()})


def _this_page() -> str | None:
    """The page showing the form: this one, or the one that posted it (a form shown again)."""
    if request.method == "GET":
        return local_path(request.full_path.rstrip("?"))
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not _shows_a_page(parts.path):
        return None
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))


def _shows_a_page(path: str) -> bool:
    """Whether ``path`` answers a GET (a form shown again after a search has the address
    of the POST that showed it, which coming back to would refuse)."""
    try:
        current_app.url_map.bind(request.host).match(path, method="GET")
    except HTTPException:
        return False
    return True
