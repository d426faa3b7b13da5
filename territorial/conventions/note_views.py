"""The notes of a convention's yearly dialogue: each party writes them; their author, or
the authority's coordination, corrects or deletes them. Routes of the ``conventions``
blueprint (``territorial.conventions.views``). A correction made on a stale version is
refused with who changed the note and when, both versions side by side, the text typed
kept."""
from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.access import check, get_or_404, is_partner, needs
from territorial.common import versions
from territorial.common.errors import DomainError, show_errors
from territorial.conventions import follow_up, rules
from territorial.conventions.forms import NoteEditForm, NoteForm
from territorial.conventions.models import DialogueNote
from territorial.conventions.views import _convention, _indicator, _render_dialogue, bp


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
    convention = _convention(note.convention_id, details=False)
    check(note, "change_note")
    form, refused = _note_form(note), {}
    back = url_for("conventions.dialogue", convention_id=convention.id, year=note.year,
                   _anchor=f"indicateur-{note.indicator_id}")
    if form.validate_on_submit():
        try:
            follow_up.update_note(note, form.party.data, form.text.data, is_partner=is_partner(),
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


# Dialogue notes ----------------------------------------------------------------------

@bp.route("/indicators/<int:convention_indicator_id>/notes", methods=["POST"])
@login_required
@needs("note")
def add_note(convention_indicator_id: int):
    indicator, _objective, convention = _indicator(convention_indicator_id, "note")
    form = NoteForm()
    if is_partner():
        form.party.data = "association"
    year = form.year.data
    if form.validate_on_submit():
        try:
            follow_up.add_note(convention, indicator, form.year.data,
                                "association" if is_partner() else form.party.data,
                                form.text.data, current_user)
        except DomainError as error:
            errors = error.errors
        else:
            flash(_("Note ajoutée au dialogue %(year)s.", year=year), "success")
            return redirect(url_for("conventions.dialogue", convention_id=convention.id, year=year,
                                    _anchor=f"indicateur-{indicator.id}"))
    else:
        errors = {name: messages[0] for name, messages in form.errors.items()}
    fresh = _convention(convention.id, details=False)
    shown_year = year if convention.in_period(year) else rules.default_year(
        convention, date.today().year)
    message = " ".join(str(m) for m in errors.values())
    return _render_dialogue(fresh, shown_year, note_errors={indicator.id: message},
                            note_values={indicator.id: {"text": form.text.data or "",
                                                        "party": form.party.data}}, status=422)


@bp.route("/notes/<int:dialogue_note_id>/delete", methods=["POST"])
@login_required
@needs("change_note")
def delete_note(dialogue_note_id: int):
    note = get_or_404(DialogueNote, dialogue_note_id)
    convention = _convention(note.convention_id)
    year = note.year
    follow_up.delete_note(check(note, "change_note"))
    flash(_("Note supprimée."), "success")
    return redirect(url_for("conventions.dialogue", convention_id=convention.id, year=year))
