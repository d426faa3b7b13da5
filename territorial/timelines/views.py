"""The frise page (chart, accessible table, board), its entries, levels, history and the
pas de côté. URLs: /t/<territory>/frises/<timeline_id>/…"""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import login_required

from territorial.access import can, get_or_404, needs
from territorial.common import versions
from territorial.common.blueprints import territory_blueprint
from territorial.common.errors import DomainError, flash_error, json_refusal, show_errors
from territorial.timelines import operations
from territorial.timelines import queries
from territorial.timelines.exports import frise_board
from territorial.timelines.figure import (
    build_frise_figure, kind_label, placements, table_rows,
)
from territorial.timelines.forms import (
    ContactForm, EditEntryForm, EntryForm, LevelForm,
)
from territorial.timelines.models import TERM_ORDER, TERMS, PartnerTimeline, TimelineSnapshot
from territorial.timelines.rows import board_rows, level_rows
from territorial.common.navigation import owned_pages, page_object
from territorial.common.owners import timeline_owners

bp = territory_blueprint("timelines", __name__, url_prefix="/frises")

EDIT = "facilitate"  # place and move partners
NOTE = "contribute"  # the pas de côté: every team member takes an actor's point of view

owned_pages(bp.name,
            lambda: timeline_owners.section_of(page_object(PartnerTimeline, "timeline_id")))


def _timeline(timeline_id: int, with_notes: bool = True) -> PartnerTimeline:
    """The timeline of the current territory (or 404), with everything loaded fresh (the
    pas de côté's notes unless ``with_notes`` is false)."""
    return queries.fill_timeline(get_or_404(PartnerTimeline, timeline_id), with_notes)


def _entry(timeline: PartnerTimeline, entry_id: int):
    entry = next((e for e in timeline.entries if e.id == entry_id), None)
    if entry is None:
        abort(404)
    return entry


def _frise_url(timeline, anchor=None):
    return url_for("timelines.show", timeline_id=timeline.id, _anchor=anchor)


def _prepare_entry_form(form, timeline):
    form.level_id.choices = [(level.id, level.label) for level in timeline.levels]
    if getattr(form, "partner", None) is not None:
        form.partner.exclude = {e.partner_key for e in timeline.entries}
    return form


def _render_frise(timeline, entry_form=None, level_form=None, status=200):
    entry_form = _prepare_entry_form(entry_form or EntryForm(prefix="entry", formdata=None),
                                     timeline)
    placed = placements(timeline)
    return render_template(
        "timelines/frise.html",
        timeline=timeline,
        owner=timeline_owners.link(timeline.owner_type, timeline.owner_id),
        figure=build_frise_figure(timeline, placed),
        rows=table_rows(timeline, placed),
        board=frise_board(timeline, placed),
        terms=[(term, str(TERMS[term])) for term in TERM_ORDER],
        entry_form=entry_form,
        level_form=level_form or LevelForm(prefix="level"),
        editable=can(EDIT), level_rows=level_rows, board_rows=board_rows,
    ), status


@bp.route("/<int:timeline_id>")
@login_required
@needs("view")
def show(timeline_id: int):
    return _render_frise(_timeline(timeline_id, with_notes=False))


@bp.route("/<int:timeline_id>/present")
@login_required
@needs("view")
def present(timeline_id: int):
    """The chart alone, large, to show at a board meeting or to elected officials."""
    timeline = _timeline(timeline_id, with_notes=False)
    placed = placements(timeline)
    return render_template("timelines/present.html", timeline=timeline,
                           owner=timeline_owners.link(timeline.owner_type, timeline.owner_id), figure=build_frise_figure(timeline, placed),
                           rows=table_rows(timeline, placed))


@bp.route("/<int:timeline_id>/entries", methods=["POST"])
@login_required
@needs(EDIT)
def add_entry(timeline_id: int):
    timeline = _timeline(timeline_id)
    form = _prepare_entry_form(EntryForm(prefix="entry"), timeline)
    if form.validate_on_submit():
        subjects = form.partner.objects()
        try:
            entries = operations.add_entries(
                timeline, subjects, level_id=form.level_id.data,
                term=form.term.data or None, on_date=form.on_date.data, notes=form.notes.data)
        except DomainError as error:
            show_errors(form, error, default="partner")
        else:
            flash(ngettext("« %(names)s » placé sur la frise.",
                           "%(num)d partenaires placés sur la frise : %(names)s.", len(entries),
                           names=", ".join(e.name for e in entries)), "success")
            return redirect(_frise_url(timeline, f"ligne-{entries[0].id}"))
    return _render_frise(timeline, entry_form=form, status=422)


@bp.route("/<int:timeline_id>/entries/<int:frise_entry_id>/edit", methods=["GET", "POST"])
@login_required
@needs("view", post=EDIT)
def edit_entry(timeline_id: int, frise_entry_id: int):
    timeline = _timeline(timeline_id, with_notes=False)
    entry = _entry(timeline, frise_entry_id)
    form, refused = _prepare_entry_form(EditEntryForm(prefix="entry", obj=entry), timeline), {}
    if can(EDIT) and form.validate_on_submit():
        try:
            operations.update_entry(timeline, entry, level_id=form.level_id.data,
                                    term=form.term.data or None, on_date=form.on_date.data,
                                    notes=form.notes.data,
                                    version=versions.parse(form.edit_version.data))
        except versions.Conflict as conflict:
            timeline = _timeline(timeline_id)  # fresh: a save that raced this one is shown
            entry = _entry(timeline, frise_entry_id)
            theirs = EditEntryForm(prefix="entry", obj=entry, formdata=None)
            refused = versions.refusal(conflict, form, _prepare_entry_form(theirs, timeline))
        except DomainError as error:
            show_errors(form, error, default="term")
        else:
            flash(_("« %(name)s » enregistré.", name=entry.name), "success")
            return redirect(_frise_url(timeline, f"ligne-{entry.id}"))
    status = 409 if refused else 422 if form.errors else 200
    return render_template("timelines/entry.html", timeline=timeline, entry=entry, form=form,
                           contact_form=ContactForm(prefix="contact"), kind=kind_label(entry.kind),
                           owner=timeline_owners.link(timeline.owner_type, timeline.owner_id), editable=can(EDIT), **refused), status


@bp.route("/<int:timeline_id>/entries/<int:frise_entry_id>/move", methods=["POST"])
@login_required
@needs(EDIT)
def move_entry(timeline_id: int, frise_entry_id: int):
    timeline = _timeline(timeline_id)
    entry = _entry(timeline, frise_entry_id)
    try:
        operations.move_entry(timeline, entry, request.form.get("move", ""),
                              versions.loaded_version())
    except versions.Conflict as conflict:
        timeline = _timeline(timeline_id)
        entry = _entry(timeline, frise_entry_id)
        flash_error(conflict, _("« %(name)s » n'a pas été déplacé. %(who)s Il est maintenant : "
                                "%(where)s.", name=entry.name, who=conflict.background_message,
                                where=queries.placement(timeline, entry)))
    except DomainError as error:
        flash_error(error)
    else:
        timeline = queries.load_timeline(timeline)
        entry = _entry(timeline, frise_entry_id)
        flash(_("« %(name)s » : %(where)s.", name=entry.name,
                where=queries.placement(timeline, entry)), "success")
    return redirect(_frise_url(timeline, f"ligne-{frise_entry_id}"))


@bp.route("/<int:timeline_id>/entries/<int:frise_entry_id>/place", methods=["POST"])
@login_required
@needs(EDIT)
def place_entry(timeline_id: int, frise_entry_id: int):
    """Drag and drop on the board (frise.js)."""
    timeline = _timeline(timeline_id)
    entry = _entry(timeline, frise_entry_id)
    try:
        operations.place_entry(timeline, entry, request.form.get("level_id", type=int),
                               request.form.get("term", ""), versions.loaded_version())
    except versions.Conflict as conflict:
        timeline = _timeline(timeline_id)
        entry = _entry(timeline, frise_entry_id)
        conflict.subject = entry.name
        return json_refusal(conflict, conflict.as_json(
            queries.placement(timeline, entry), level_id=entry.level_id, term=entry.term))
    except DomainError as error:
        return json_refusal(error)
    return jsonify(ok=True, edit_version=entry.edit_version,
                   message=_("« %(name)s » : %(where)s.", name=entry.name,
                             where=queries.placement(timeline, entry)))


@bp.route("/<int:timeline_id>/entries/<int:frise_entry_id>/delete", methods=["POST"])
@login_required
@needs(EDIT)
def remove_entry(timeline_id: int, frise_entry_id: int):
    timeline = _timeline(timeline_id)
    entry = _entry(timeline, frise_entry_id)
    name = entry.name
    operations.remove_entry(timeline, entry)
    flash(_("« %(name)s » retiré de la frise.", name=name), "success")
    return redirect(_frise_url(timeline, "tableau"))


@bp.route("/<int:timeline_id>/entries/<int:frise_entry_id>/contacts", methods=["POST"])
@login_required
@needs(EDIT)
def add_contact(timeline_id: int, frise_entry_id: int):
    timeline = _timeline(timeline_id)
    entry = _entry(timeline, frise_entry_id)
    form = ContactForm(prefix="contact")
    if form.validate_on_submit():
        contact = operations.add_contact(entry, form.kind.data, form.on_date.data, form.note.data)
        flash(_("%(kind)s le %(date)s : enregistré.", kind=contact.kind_label,
                date=contact.on_date.strftime("%d/%m/%Y")), "success")
        return redirect(url_for("timelines.edit_entry", timeline_id=timeline.id,
                                frise_entry_id=entry.id, _anchor="contacts"))
    entry_form = _prepare_entry_form(EditEntryForm(prefix="entry", obj=entry), timeline)
    return render_template("timelines/entry.html", timeline=timeline, entry=entry,
                           form=entry_form, contact_form=form, owner=timeline_owners.link(timeline.owner_type, timeline.owner_id),
                           kind=kind_label(entry.kind), editable=True), 422


@bp.route("/<int:timeline_id>/entries/<int:frise_entry_id>/contacts/<int:frise_contact_id>"
          "/delete", methods=["POST"])
@login_required
@needs(EDIT)
def remove_contact(timeline_id: int, frise_entry_id: int, frise_contact_id: int):
    timeline = _timeline(timeline_id)
    entry = _entry(timeline, frise_entry_id)
    if frise_contact_id not in {c.id for c in entry.contacts}:
        abort(404)
    operations.remove_contact(entry, frise_contact_id)
    flash(_("Contact retiré."), "success")
    return redirect(url_for("timelines.edit_entry", timeline_id=timeline.id,
                            frise_entry_id=entry.id, _anchor="contacts"))


def frise_move_labels() -> dict[str, str]:
    """The accessible names of the move buttons of a partner's row, translated once per
    table: ``_table.html`` fills in the partner's name (``labels.earlier % name``)."""
    return {
        "earlier": _("%(name)s : plus tôt"),
        "later": _("%(name)s : plus tard"),
        "up": _("%(name)s : monter d'un niveau"),
        "down": _("%(name)s : descendre d'un niveau"),
    }


def frise_snapshot_url(snapshot: TimelineSnapshot) -> str:
    return url_for("timelines.history", timeline_id=snapshot.timeline_id, before=snapshot.id,
                   after="now")


# The blueprint's routes written in the other view modules of the capability.
from territorial.timelines import history_views, step_aside_views  # noqa: E402,F401
