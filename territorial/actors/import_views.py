"""Imports of organisations and people: the file, the mapping and preview page, the
confirmation, and the template file to download."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.access import get_or_404, needs
from territorial.actors import import_plan, importing, operations
from territorial.actors.forms import ImportForm
from territorial.actors.mapping import FIELDS
from territorial.actors.models import ORGANISATION_KINDS, ImportBatch
from territorial.actors.views import bp
from territorial.common.downloads import send_download
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import ConfirmForm

TARGETS = ("organisations", "people")


@bp.route("/organisations/import", methods=["GET", "POST"])
@login_required
@needs("edit")
def import_upload():
    return _upload("organisations")


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
@needs("edit")
def import_people():
    return _upload("people")


def _upload(target: str):
    form = ImportForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            header, rows = importing.read_upload(upload.filename, upload.read())
        except DomainError as error:
            status = show_errors(form, error, default="file")
        else:
            batch = operations.store_import(g.territory.id, current_user.id, upload.filename,
                                            target, header, rows)
            return redirect(url_for("actors.import_mapping", batch_id=batch.id))
    return render_template("actors/import.html", form=form, target=target,
                           headers=importing.TEMPLATE_HEADERS), status


@bp.route("/organisations/import/modele.xlsx")
@login_required
@needs("view")
def import_template():
    return send_download(importing.template_workbook(), "modele-import-acteurs.xlsx")


@bp.route("/organisations/import/<int:batch_id>", methods=["GET", "POST"])
@login_required
@needs("edit")
def import_mapping(batch_id: int):
    batch = get_or_404(ImportBatch, batch_id)
    if batch.user_id != current_user.id:
        abort(404)
    if batch.applied_at is not None:
        flash(_("Cet import a déjà été appliqué."), "info")
        return redirect(url_for("actors.organisations"))
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.choose_import(batch, _submitted_choices(batch))
        plan = _plan(batch)
        if request.form.get("action") != "apply":
            return redirect(url_for("actors.import_mapping", batch_id=batch.id))
        if request.form.get("seen") != plan.signature():
            flash(_("Vos choix ont changé depuis l'aperçu : vérifiez-le puis confirmez."),
                  "warning")
        elif not plan.ready:
            flash(_("Réglez d'abord les points signalés : rien n'a été importé."), "error")
        else:
            return _apply(batch, plan)
        return redirect(url_for("actors.import_mapping", batch_id=batch.id))
    return render_template("actors/import_preview.html", batch=batch, plan=_plan(batch),
                           form=form, fields=FIELDS, kinds=ORGANISATION_KINDS,
                           choices=import_plan.CHOICES)


def _plan(batch: ImportBatch) -> import_plan.Plan:
    return import_plan.plan_import(batch.target, batch.header, batch.rows, batch.choices,
                                 g.territory.id)


def _submitted_choices(batch: ImportBatch) -> dict:
    form = request.form
    columns = [form.get(f"column-{index}", "") for index in range(len(batch.header))]
    kinds = {key[len("kind:"):]: value for key, value in form.items()
             if key.startswith("kind:") and value in ORGANISATION_KINDS}
    existing = {key[len("existing-"):]: value for key, value in form.items()
                if key.startswith("existing-") and value in import_plan.CHOICES}
    return {"columns": columns, "kinds": kinds, "existing": existing}


def _apply(batch: ImportBatch, plan: import_plan.Plan):
    counts = import_plan.apply_plan(plan, g.territory.id)
    operations.remember_import(batch)
    flash(_("Import terminé : %(created)d organisation(s) créée(s), %(updated)d mise(s) à jour "
            "et %(people)d contact(s) ajouté(s).", **counts), "success")
    return redirect(url_for("actors.people" if batch.target == "people" else
                            "actors.organisations"))
