"""Editing a charter section by section: prose parts as text, structured parts (instances,
decision matrix, lifecycle…) with the form editor generated from the template schema, or as
structured text for those who prefer it (« mode texte »). Each save is a new version.

The page carries the version of the charter it showed: a save made while a colleague saved
the same section is refused with who and when, their text beside the user's, what the user
typed kept (``territorial.common.versions``); colleagues' changes to other sections do not
stop it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.access import needs
from territorial.charters import operations, versioning
from territorial.charters.editor import SectionEditor
from territorial.charters.forms import SectionForm, SectionSummaryForm
from territorial.charters.views import bp, load_charter
from territorial.common import versions
from territorial.common.errors import DomainError, show_errors


@bp.route("/charters/<int:charter_id>/sections/<charter_section>", methods=["GET", "POST"])
@login_required
@needs("edit")
def edit_section(charter_id: int, charter_section: str):
    charter = load_charter(charter_id)
    section = versioning.SECTIONS_BY_KEY.get(charter_section)
    if section is None:
        abort(404)
    if section.kind == "yaml" and request.args.get("mode") != "texte":
        return _edit_with_form(charter, section)
    form, refused = SectionForm(), {}
    if request.method == "GET":
        form.content.data = versioning.section_text(charter.content, charter_section)
        form.edit_version.data = charter.current_version
    if form.validate_on_submit():
        try:
            version = operations.update_section(charter, charter_section, form.content.data or "",
                                                current_user, form.summary.data or "",
                                                versions.parse(form.edit_version.data))
        except versions.Conflict as conflict:
            charter = load_charter(charter_id)
            refused = _refusal(conflict, form, charter, section, form.content.data or "")
        except DomainError as error:
            show_errors(form, error)
        else:
            return _saved(charter, section, version)
    return render_template("charters/section.html", charter=charter, section=section, form=form,
                           **refused), 409 if refused else 422 if form.errors else 200


def _refusal(conflict, form, charter, section, yours: str) -> dict:
    """The section as the colleague saved it beside the user's text."""
    theirs = versioning.section_text(charter.content, section.key)
    return versions.refusal(conflict, form) | {"conflict_rows": [(section.label, theirs, yours)]}


def _edit_with_form(charter, section):
    """The form editor: list buttons redisplay the form with what was typed; saving checks the
    whole charter and shows each problem next to its field."""
    editor = SectionEditor(section.key, charter.content)
    form = SectionSummaryForm()
    if request.method == "GET":
        form.edit_version.data = charter.current_version
        return _render_editor(charter, section, form, *editor.tree(charter.content.get(section.key)))
    raw = editor.read(request.form)
    action = request.form.get("_action", "save")
    if action != "save":
        focus = editor.apply(raw, action)
        return _render_editor(charter, section, form, *editor.tree(raw, focus=focus))
    errors: dict = {}
    if form.validate():
        value, errors = editor.clean(raw)
        if not errors:
            try:
                version = operations.replace_section(charter, section.key, value, current_user,
                                                     form.summary.data or "",
                                                     versions.parse(form.edit_version.data))
            except versions.Conflict as conflict:
                charter = load_charter(charter.id)
                yours = versioning.section_text({section.key: value}, section.key)
                return _render_editor(charter, section, form, *editor.tree(raw), status=409,
                                      refused=_refusal(conflict, form, charter, section, yours))
            except operations.ContentProblems as error:
                errors = {place: detail if place[:1] == (section.key,) else message
                          for place, detail, message in error.problems}
            except DomainError as error:
                errors = {(): error.message}
            else:
                return _saved(charter, section, version)
    return _render_editor(charter, section, form, *editor.tree(raw, errors=errors), status=422)


def _render_editor(charter, section, form, root, summary, status=200, refused=None):
    return render_template("charters/section_form.html", charter=charter, section=section,
                           form=form, root=root, summary=summary, **(refused or {})), status


def _saved(charter, section, version):
    flash(_("« %(section)s » modifiée : version %(number)d enregistrée. Elle devra être "
            "adoptée pour entrer en vigueur.", section=section.label, number=version.number),
          "success")
    return redirect(url_for("charters.charter", charter_id=charter.id)
                    + f"#partie-{section.key}")
