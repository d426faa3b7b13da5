"""The generic RACI grid page: edit cell by cell, rows, columns, exports."""
from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import login_required

from territorial.access import can, get_or_404, needs
from territorial.actors.models import Organisation
from territorial.common import versions
from territorial.common.blueprints import territory_blueprint
from territorial.common.downloads import send_download
from territorial.common.errors import DomainError, flash_error, refuse, show_errors, wants_json
from territorial.documents.web import send_document
from territorial.raci.documents import describe_raci
from territorial.common.panels import Panel, organisation_panels
from territorial.raci import exports, operations, queries
from territorial.raci.forms import ActivityForm, ActorForm, RenameActivityForm, ThresholdsForm
from territorial.raci.models import LETTERS, RaciActivity, RaciActor, RaciGrid
from territorial.common.navigation import owned_pages, page_object
from territorial.common.owners import raci_owners
from territorial.raci.rows import GridRows, raci_labels
from territorial.raci.rules import LETTER_ORDER, Thresholds
from territorial.timelines.queries import find_timeline

bp = territory_blueprint("raci", __name__, url_prefix="/raci")

EDIT_ACTION = "facilitate"  # coordinators and facilitators edit grids; everyone sees them

owned_pages(bp.name, lambda: raci_owners.section_of(page_object(RaciGrid, "grid_id")))


def _grid(grid_id: int) -> RaciGrid:
    """The grid of the current territory (or 404), with everything loaded fresh."""
    return operations.load_grid(get_or_404(RaciGrid, grid_id))


def _grid_url(grid: RaciGrid, anchor: str | None = None) -> str:
    return url_for("raci.grid", grid_id=grid.id, _anchor=anchor)


def raci_report(grid: RaciGrid):
    """For ``templates/raci/_grid_summary.html``: the report of a loaded grid."""
    return operations.report_for(grid)


def _actor_key(actor) -> str | None:
    if actor.organisation_id:
        return f"organisation:{actor.organisation_id}"
    return f"person:{actor.person_id}" if actor.person_id else None


def _render(grid: RaciGrid, activity_form=None, actor_form=None, status=200, saved=None,
            thresholds_form=None):
    """The grid page. ``saved``: a whole-grid save that met colleagues' changes (their
    cells are shown with the user's choice kept, and the current version)."""
    report = operations.report_for(grid)
    actor_form = actor_form or ActorForm(prefix="actor", formdata=None)
    actor_form.actor.exclude = {key for a in grid.actors if (key := _actor_key(a))}
    cells, loaded = operations.cell_map(grid), operations.cell_versions(grid)
    conflicts = []
    if saved is not None and saved.conflicts:
        labels = raci_labels()
        activities = {a.id: a.label for a in grid.activities}
        actors = {a.id: a.label for a in grid.actors}
        for key, (conflict, wanted) in saved.conflicts.items():
            label = labels["cell"] % {"actor": actors[key[1]], "activity": activities[key[0]]}
            conflicts.append((label, conflict, cells.get(key, ""), wanted or ""))
    shown = {**cells, **{key: wanted or "" for key, (_c, wanted) in
                         (saved.conflicts.items() if saved else [])}}
    editable = can(EDIT_ACTION)
    owner = raci_owners.named_link(grid.owner_type, grid.owner_id)
    return render_template(
        "raci/grid.html",
        grid=grid,
        report=report,
        rows=GridRows(grid, report, shown, cells, loaded, editable),
        conflicts=conflicts,
        letters=LETTERS,
        letter_order=LETTER_ORDER,
        default_thresholds=Thresholds(),
        thresholds_form=thresholds_form or ThresholdsForm(prefix="limits", obj=grid),
        owner=owner,
        owner_crumbs=raci_owners.crumbs(grid.owner_type, grid.owner_id, owner),
        activity_form=activity_form or ActivityForm(prefix="activity"),
        actor_form=actor_form,
        frise=find_timeline(grid.territory_id, grid.owner_type, grid.owner_id),
        editable=editable,
    ), status


@bp.route("/<int:grid_id>")
@login_required
@needs("view")
def grid(grid_id: int):
    return _render(_grid(grid_id))


def _cell_label(grid: RaciGrid, activity_id: int, actor_id: int) -> str:
    activity = next(a.label for a in grid.activities if a.id == activity_id)
    actor = next(a.label for a in grid.actors if a.id == actor_id)
    return raci_labels()["cell"] % {"actor": actor, "activity": activity}


@bp.route("/<int:grid_id>/cells", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def set_cell(grid_id: int):
    """One cell, saved by raci.js (JSON) or by a plain form. ``edit_version``: the cell's
    version on the page (0 if it showed it never filled)."""
    grid = _grid(grid_id)
    activity_id = request.form.get("activity_id", type=int)
    actor_id = request.form.get("actor_id", type=int)
    if activity_id not in {a.id for a in grid.activities} or \
            actor_id not in {a.id for a in grid.actors}:
        abort(404)
    label = _cell_label(grid, activity_id, actor_id)
    try:
        cell = operations.set_cell(grid, activity_id, actor_id, request.form.get("letter"),
                                   versions.loaded_version())
    except versions.Conflict as conflict:
        conflict.subject = label
        current = operations.load_grid(grid_id)
        letter = operations.cell_map(current).get((activity_id, actor_id), "")
        return refuse(conflict, _grid_url(grid, "grille"), f"{label} : {conflict.message}",
                      answer=conflict.as_json(letter or _("aucun rôle"), letter=letter))
    except DomainError as error:
        return refuse(error, _grid_url(grid, "grille"))
    if not wants_json():
        return redirect(_grid_url(grid, "grille"))
    grid = operations.load_grid(grid)
    report = operations.report_for(grid)
    html = render_template("raci/_report.html", grid=grid, report=report,
                           letter_order=LETTER_ORDER)
    return jsonify(ok=True, report=report.as_json(), report_html=html,
                   edit_version=cell.edit_version if cell else 0,
                   letter=cell.letter or "" if cell else "",
                   message=_("Case enregistrée : %(cell)s, %(letter)s.", cell=label,
                             letter=(cell.letter if cell else None) or _("aucun rôle")))


def _posted_cells(grid: RaciGrid) -> tuple[dict, dict]:
    """The letters of the whole-grid form, and for each cell the version and letter the
    page showed (hidden fields ``version-…`` and ``was-…``)."""
    values, loaded = {}, {}
    for activity in grid.activities:
        for actor in grid.actors:
            key, suffix = (activity.id, actor.id), f"{activity.id}-{actor.id}"
            if f"cell-{suffix}" not in request.form:
                continue
            values[key] = request.form[f"cell-{suffix}"]
            try:
                was = operations.normalise_letter(request.form.get(f"was-{suffix}"))
            except DomainError:
                was = None
            loaded[key] = (versions.parse(request.form.get(f"version-{suffix}")), was)
    return values, loaded


@bp.route("/<int:grid_id>/save", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def save(grid_id: int):
    """The whole grid at once (the form works without JavaScript). A cell a colleague changed
    after the page was loaded is never put back: if the user changed it too, it is refused
    and shown with both versions; the user's other changes are saved."""
    grid = _grid(grid_id)
    saved = operations.set_cells(grid, *_posted_cells(grid))
    for error in dict.fromkeys(saved.errors):
        flash(error, "error")
    if saved.conflicts:
        return _render(operations.load_grid(grid), saved=saved)
    if not saved.errors:
        flash(_("Grille enregistrée."), "success")
    return redirect(_grid_url(grid, "grille"))


@bp.route("/<int:grid_id>/thresholds", methods=["POST"])
@login_required
@needs("edit")
def thresholds(grid_id: int):
    """The coordination sets when an actor of this grid is flagged as overloaded."""
    grid = _grid(grid_id)
    form = ThresholdsForm(prefix="limits")
    if form.validate_on_submit():
        try:
            operations.set_thresholds(grid, form.max_accountable.data, form.max_load.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Seuils de surcharge enregistrés."), "success")
            return redirect(_grid_url(grid, "controle"))
    return _render(grid, thresholds_form=form, status=422)


@bp.route("/<int:grid_id>/activities", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def add_activity(grid_id: int):
    grid = _grid(grid_id)
    form = ActivityForm(prefix="activity")
    if not form.validate_on_submit():
        return _render(grid, activity_form=form, status=422)
    activity = operations.add_activity(grid, form.label.data)
    flash(_("Activité « %(label)s » ajoutée.", label=activity.label), "success")
    return redirect(_grid_url(grid, "grille"))


def _activity(grid: RaciGrid, activity_id: int) -> RaciActivity:
    activity = next((a for a in grid.activities if a.id == activity_id), None)
    if activity is None:
        abort(404)
    return activity


def _actor(grid: RaciGrid, actor_id: int) -> RaciActor:
    actor = next((a for a in grid.actors if a.id == actor_id), None)
    if actor is None:
        abort(404)
    return actor


@bp.route("/<int:grid_id>/activities/<int:raci_activity_id>/rename", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def rename_activity(grid_id: int, raci_activity_id: int):
    grid = _grid(grid_id)
    activity = _activity(grid, raci_activity_id)
    form = RenameActivityForm(prefix="rename")
    if form.validate_on_submit():
        operations.rename_activity(grid, activity.id, form.label.data)
        flash(_("Activité renommée."), "success")
    else:
        flash(_("Donnez un intitulé à l'activité."), "error")
    return redirect(_grid_url(grid, "gerer-activites"))


@bp.route("/<int:grid_id>/activities/<int:raci_activity_id>/move", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def move_activity(grid_id: int, raci_activity_id: int):
    grid = _grid(grid_id)
    activity = _activity(grid, raci_activity_id)
    operations.move_activity(grid, activity.id, -1 if request.form.get("direction") == "up" else 1)
    return redirect(_grid_url(grid, "gerer-activites"))


@bp.route("/<int:grid_id>/activities/<int:raci_activity_id>/delete", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def remove_activity(grid_id: int, raci_activity_id: int):
    grid = _grid(grid_id)
    activity = _activity(grid, raci_activity_id)
    try:
        operations.remove_activity(grid, activity.id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Activité « %(label)s » retirée.", label=activity.label), "success")
    return redirect(_grid_url(grid, "gerer-activites"))


@bp.route("/<int:grid_id>/actors", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def add_actor(grid_id: int):
    grid = _grid(grid_id)
    form = ActorForm(prefix="actor")
    if form.validate_on_submit():
        subjects = form.actor.objects()
        try:
            if subjects:
                added = operations.add_actors(grid, subjects)
            elif form.label.data:
                added = [operations.add_actor(grid, label=form.label.data)]
            else:
                raise DomainError(_("Choisissez une organisation ou une personne, ou donnez "
                                    "un nom."), field="actor")
        except DomainError as error:
            show_errors(form, error, default="actor")
        else:
            flash(ngettext("« %(labels)s » ajouté à la grille.",
                           "%(num)d acteurs ajoutés à la grille : %(labels)s.", len(added),
                           labels=", ".join(a.label for a in added)), "success")
            return redirect(_grid_url(grid, "grille"))
    return _render(grid, actor_form=form, status=422)


@bp.route("/<int:grid_id>/actors/from-frise", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def add_frise_partners(grid_id: int):
    """« Ajouter les partenaires de la frise » of the same project (or owner)."""
    grid = _grid(grid_id)
    timeline = find_timeline(grid.territory_id, grid.owner_type, grid.owner_id)
    if timeline is None:
        abort(404)
    added = operations.add_timeline_partners(grid, timeline)
    if added:
        flash(ngettext("%(num)d partenaire de la frise ajouté à la grille : %(labels)s.",
                       "%(num)d partenaires de la frise ajoutés à la grille : %(labels)s.",
                       len(added), labels=", ".join(a.label for a in added)), "success")
    else:
        flash(_("Tous les partenaires de la frise sont déjà dans la grille."), "info")
    return redirect(_grid_url(grid, "gerer-acteurs"))


@bp.route("/<int:grid_id>/actors/<int:raci_actor_id>/move", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def move_actor(grid_id: int, raci_actor_id: int):
    grid = _grid(grid_id)
    actor = _actor(grid, raci_actor_id)
    operations.move_actor(grid, actor.id, -1 if request.form.get("direction") == "up" else 1)
    return redirect(_grid_url(grid, "gerer-acteurs"))


@bp.route("/<int:grid_id>/actors/<int:raci_actor_id>/delete", methods=["POST"])
@login_required
@needs(EDIT_ACTION)
def remove_actor(grid_id: int, raci_actor_id: int):
    grid = _grid(grid_id)
    actor = _actor(grid, raci_actor_id)
    operations.remove_actor(grid, actor.id)
    flash(_("« %(label)s » retiré de la grille.", label=actor.label), "success")
    return redirect(_grid_url(grid, "gerer-acteurs"))


@bp.route("/<int:grid_id>/raci.xlsx")
@login_required
@needs("view")
def export_xlsx(grid_id: int):
    grid = _grid(grid_id)
    return send_download(exports.build_raci_xlsx(grid), f"raci-{grid.id}.xlsx")


@bp.route("/<int:grid_id>/raci.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def export_document(grid_id: int, fmt: str):
    grid = _grid(grid_id)
    owner = raci_owners.link(grid.owner_type, grid.owner_id)
    return send_document(describe_raci(grid, g.territory, owner[0] if owner else ""), fmt)


@organisation_panels.register
def organisation_grids(organisation: Organisation) -> Panel | None:
    """The RACI grids where an organisation is a column, on the organisation's page."""
    rows = queries.grids_of_organisation(organisation)
    if not rows:
        return None
    return Panel(title=_("Grilles RACI"), order=41, items=[
        (title, url_for("raci.grid", grid_id=grid_id)) for grid_id, title in rows])
