"""The pas de côté of a frise: each team member takes a partner's point of view and notes
its freins and leviers, with a planned answer to each frein. Routes of the ``frise``
blueprint (``territorial.timelines.views``). A note saved on a stale version is refused with
who changed it and when, both versions side by side, the text typed kept."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.access import can, get_or_404, needs
from territorial.common import versions
from territorial.common.collation import french_key
from territorial.common.errors import DomainError, show_errors
from territorial.timelines import operations
from territorial.timelines import queries
from territorial.timelines.forms import NoteForm
from territorial.timelines.models import NOTE_CATEGORIES, PartnerTimeline
from territorial.common.owners import timeline_owners
from territorial.timelines.views import NOTE, _timeline, bp


def _prepare_note_form(form, timeline):
    form.entry_id.choices = [(e.id, e.name) for e in sorted(timeline.entries,
                                                            key=lambda e: french_key(e.name))]
    return form


def _render_step_aside(timeline, form=None, status=200):
    form = _prepare_note_form(form or NoteForm(prefix="note"), timeline)
    if request.args.get("entry", type=int) and not form.is_submitted():
        form.entry_id.data = request.args.get("entry", type=int)
    entries = [e for e in sorted(timeline.entries, key=lambda e: french_key(e.name))
               if e.step_aside_notes]
    unanswered = sum(1 for e in timeline.entries for n in e.step_aside_notes
                     if n.kind == "frein" and not n.answer)
    return render_template("timelines/step_aside.html", timeline=timeline,
                           owner=timeline_owners.link(timeline.owner_type, timeline.owner_id), entries=entries, form=form,
                           unanswered=unanswered, categories=NOTE_CATEGORIES,
                           can_note=can(NOTE)), status


@bp.route("/<int:timeline_id>/pas-de-cote", methods=["GET", "POST"])
@login_required
@needs("view", post=NOTE)
def step_aside(timeline_id: int):
    timeline = _timeline(timeline_id)
    if request.method == "GET":
        return _render_step_aside(timeline)
    form = _prepare_note_form(NoteForm(prefix="note"), timeline)
    if form.validate_on_submit():
        entry = next((e for e in timeline.entries if e.id == form.entry_id.data), None)
        try:
            if entry is None:
                raise DomainError(_("Choisissez un acteur placé sur la frise."), field="entry_id")
            note = operations.add_note(entry, kind=form.kind.data, category=form.category.data,
                                       text=form.text.data, answer=form.answer.data,
                                       author=current_user)
        except DomainError as error:
            show_errors(form, error, default="text")
        else:
            flash(_("%(kind)s noté pour « %(name)s ».", kind=note.kind_label, name=entry.name),
                  "success")
            return redirect(url_for("timelines.step_aside", timeline_id=timeline.id,
                                    _anchor=f"acteur-{entry.id}"))
    return _render_step_aside(timeline, form, status=422)


def _note(timeline, note_id):
    for entry in timeline.entries:
        for note in entry.step_aside_notes:
            if note.id == note_id:
                return entry, note
    abort(404)


def _note_form(note, formdata=True):
    form = NoteForm(prefix="note", obj=note) if formdata else \
        NoteForm(prefix="note", obj=note, formdata=None)
    del form.entry_id
    return form


@bp.route("/<int:timeline_id>/pas-de-cote/<int:step_aside_note_id>/edit",
          methods=["GET", "POST"])
@login_required
@needs("view", post=NOTE)
def edit_note(timeline_id: int, step_aside_note_id: int):
    timeline = _timeline(timeline_id)
    entry, note = _note(timeline, step_aside_note_id)
    form, refused = _note_form(note), {}
    if can(NOTE) and form.validate_on_submit():
        try:
            operations.update_note(note, kind=form.kind.data, category=form.category.data,
                                   text=form.text.data, answer=form.answer.data,
                                   version=versions.parse(form.edit_version.data))
        except versions.Conflict as conflict:
            timeline = _timeline(timeline_id)  # fresh: a save that raced this one is shown
            entry, note = _note(timeline, step_aside_note_id)
            refused = versions.refusal(conflict, form, _note_form(note, formdata=False))
        except DomainError as error:
            show_errors(form, error, default="text")
        else:
            flash(_("Note enregistrée."), "success")
            return redirect(url_for("timelines.step_aside", timeline_id=timeline.id,
                                    _anchor=f"acteur-{entry.id}"))
    status = 409 if refused else 422 if form.errors else 200
    return render_template("timelines/note.html", timeline=timeline, entry=entry, note=note,
                           form=form, owner=timeline_owners.link(timeline.owner_type, timeline.owner_id), can_note=can(NOTE),
                           **refused), status


@bp.route("/<int:timeline_id>/pas-de-cote/<int:step_aside_note_id>/delete", methods=["POST"])
@login_required
@needs(NOTE)
def remove_note(timeline_id: int, step_aside_note_id: int):
    timeline = _timeline(timeline_id)
    entry, note = _note(timeline, step_aside_note_id)
    operations.remove_note(note)
    flash(_("Note retirée."), "success")
    return redirect(url_for("timelines.step_aside", timeline_id=timeline.id,
                            _anchor=f"acteur-{entry.id}"))


@bp.route("/<int:timeline_id>/pas-de-cote/freins-sans-reponse")
@login_required
@needs("view")
def unanswered(timeline_id: int):
    timeline = get_or_404(PartnerTimeline, timeline_id)
    notes = queries.unanswered_freins(timeline)
    return render_template("timelines/unanswered.html", timeline=timeline,
                           owner=timeline_owners.link(timeline.owner_type, timeline.owner_id), notes=notes, can_note=can(NOTE))
