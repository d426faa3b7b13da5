"""A frise's levels (its lanes), its documents, its snapshots and its history. Routes of the
``timelines`` blueprint."""
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from territorial.access import can, needs
from territorial.common.errors import DomainError, flash_error, show_errors
from territorial.documents.web import send_document
from territorial.timelines import compare as comparing
from territorial.timelines import operations
from territorial.timelines import queries
from territorial.timelines import documents
from territorial.timelines.forms import LevelForm, SnapshotForm
from territorial.timelines.models import TERM_ORDER, TERMS
from territorial.common.owners import timeline_owners

from territorial.timelines.views import EDIT, _frise_url, _render_frise, _timeline, bp


# Levels --------------------------------------------------------------------------

def _level(timeline, level_id):
    if level_id not in {level.id for level in timeline.levels}:
        abort(404)
    return level_id


@bp.route("/<int:timeline_id>/levels", methods=["POST"])
@login_required
@needs(EDIT)
def add_level(timeline_id: int):
    timeline = _timeline(timeline_id)
    form = LevelForm(prefix="level")
    if form.validate_on_submit():
        try:
            level = operations.add_level(timeline, form.label.data)
        except DomainError as error:
            show_errors(form, error, default="label")
        else:
            flash(_("Niveau « %(label)s » ajouté.", label=level.label), "success")
            return redirect(_frise_url(timeline, "niveaux"))
    return _render_frise(timeline, level_form=form, status=422)


@bp.route("/<int:timeline_id>/levels/<int:frise_level_id>/rename", methods=["POST"])
@login_required
@needs(EDIT)
def rename_level(timeline_id: int, frise_level_id: int):
    timeline = _timeline(timeline_id)
    try:
        operations.rename_level(timeline, _level(timeline, frise_level_id),
                                request.form.get("label", ""))
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Niveau renommé."), "success")
    return redirect(_frise_url(timeline, "niveaux"))


@bp.route("/<int:timeline_id>/levels/<int:frise_level_id>/move", methods=["POST"])
@login_required
@needs(EDIT)
def move_level(timeline_id: int, frise_level_id: int):
    timeline = _timeline(timeline_id)
    operations.move_level(timeline, _level(timeline, frise_level_id),
                          -1 if request.form.get("direction") == "up" else 1)
    return redirect(_frise_url(timeline, "niveaux"))


@bp.route("/<int:timeline_id>/levels/<int:frise_level_id>/delete", methods=["POST"])
@login_required
@needs(EDIT)
def remove_level(timeline_id: int, frise_level_id: int):
    timeline = _timeline(timeline_id)
    try:
        operations.remove_level(timeline, _level(timeline, frise_level_id))
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Niveau retiré."), "success")
    return redirect(_frise_url(timeline, "niveaux"))


# Export, snapshots, history ---------------------------------------------------------

@bp.route("/<int:timeline_id>/frise.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def export_document(timeline_id: int, fmt: str):
    timeline = _timeline(timeline_id)
    return send_document(documents.describe_frise(timeline, g.territory), fmt)


@bp.route("/<int:timeline_id>/pas-de-cote.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def step_aside_document(timeline_id: int, fmt: str):
    timeline = _timeline(timeline_id)
    return send_document(documents.describe_step_aside(timeline, g.territory), fmt)


@bp.route("/<int:timeline_id>/snapshots", methods=["POST"])
@login_required
@needs(EDIT)
def take_snapshot(timeline_id: int):
    timeline = _timeline(timeline_id)
    form = SnapshotForm(prefix="snapshot")
    if form.validate_on_submit():
        operations.take_snapshot(timeline, form.label.data, date.today())
        flash(_("Instantané de la frise enregistré."), "success")
    else:
        flash(_("Donnez un nom à l'instantané."), "error")
    return redirect(url_for("timelines.history", timeline_id=timeline.id))


@bp.route("/<int:timeline_id>/history")
@login_required
@needs("view")
def history(timeline_id: int):
    """Two states of the frise side by side: snapshots, or a snapshot and today."""
    timeline = _timeline(timeline_id, with_notes=False)
    snapshots = queries.snapshots_of(timeline)
    by_id = {snapshot.id: snapshot for snapshot in snapshots}
    current = {"label": _("Aujourd'hui"), "data": queries.snapshot_data(timeline)}

    def state(value, default):
        if value == "now":
            return "now", current
        if value and value.isdigit() and int(value) in by_id:
            snapshot = by_id[int(value)]
            return value, {"label": f"{snapshot.label} ({snapshot.taken_on.strftime('%d/%m/%Y')})",
                           "data": snapshot.data}
        return default

    default_before = (str(snapshots[-1].id), None) if snapshots else ("now", current)
    if default_before[1] is None:
        default_before = state(default_before[0], None)
    before_key, before = state(request.args.get("before"), default_before)
    after_key, after = state(request.args.get("after"), ("now", current))
    result = comparing.compare(before["data"], after["data"])
    return render_template(
        "timelines/history.html", timeline=timeline, owner=timeline_owners.link(timeline.owner_type, timeline.owner_id),
        snapshots=snapshots, before=before, after=after, before_key=before_key,
        after_key=after_key, result=result, board_before=comparing.board(before["data"]),
        board_after=comparing.board(after["data"]), terms=[TERMS[t] for t in TERM_ORDER],
        snapshot_form=SnapshotForm(prefix="snapshot"), editable=can(EDIT),
        place_label=comparing.place_label, french_date=comparing.french_date)
