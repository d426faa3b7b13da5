"""Correcting a note of a convention's yearly dialogue (its author, or the authority's
coordination). Routes of the ``conventions`` blueprint (``territorial.conventions.views``).
A correction made on a stale version is refused with who changed the note and when, both
versions side by side, the text typed kept."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from territorial.access import check, get_or_404, is_partner, needs
from territorial.common import versions
from territorial.common.errors import DomainError, show_errors
from territorial.conventions import operations
from territorial.conventions.forms import NoteEditForm
from territorial.conventions.models import DialogueNote
from territorial.conventions.views import _convention, bp


def _note_form(note, formdata=True):
    form = NoteEditForm(obj=note) if formdata else NoteEditForm(obj=note, formdata=None)
    if is_partner():
        form.party.choices = [(key, label) for key, label in form.party.choices
                              if key == "association"]
    return form


@bp.route("/notes/<int:dialogue_note_id>/edit", methods=["GET", "POST"])
@login_required
@needs("change_note")
def edit_note(dialogue_note_id: int):
    note = get_or_404(DialogueNote, dialogue_note_id)
    convention = _convention(note.convention_id)
    check(note, "change_note")
    form, refused = _note_form(note), {}
    back = url_for("conventions.dialogue", convention_id=convention.id, year=note.year,
                   _anchor=f"indicateur-{note.indicator_id}")
    if form.validate_on_submit():
        try:
            operations.update_note(note, form.party.data, form.text.data, is_partner=is_partner(),
                                   version=versions.parse(form.edit_version.data))
        except versions.Conflict as conflict:
            note = get_or_404(DialogueNote, dialogue_note_id)
            refused = versions.refusal(conflict, form, _note_form(note, formdata=False))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Note du dialogue %(year)s enregistrée.", year=note.year), "success")
            return redirect(back)
    return render_template("conventions/note_form.html", form=form, note=note,
                           convention=convention, back_url=back, **refused), \
        409 if refused else 422 if form.errors else 200
