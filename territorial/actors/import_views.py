"""Imports of organisations, of people, and of what other capabilities register (the members
of a working group): the file, the mapping and preview page, the confirmation, and the
template file to download. One set of views for every target (``import_targets``)."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from territorial.access import get_or_404, needs
from territorial.actors import import_apply, import_plan, import_summary, importing, operations
from territorial.actors.forms import ImportForm
from territorial.actors.import_targets import TARGETS, ImportTarget, register
from territorial.actors.mapping import FIELDS, PERSON_UPDATE_LABELS
from territorial.actors.models import ORGANISATION_KINDS, ImportBatch
from territorial.actors.views import bp
from territorial.common.downloads import send_download
from territorial.common.errors import DomainError, show_errors
from territorial.common.forms import ConfirmForm
from territorial.common.navigation import owned_pages, page_object

ACTORS = "actors.organisations"  # the menu section « Acteurs », the organisations' list

register(ImportTarget(
    "organisations", _l("Importer des organisations et des contacts"),
    lambda _owner: url_for(ACTORS), ACTORS, lambda _owner: [],
    "actors.import_upload", "actors.import_template"))
register(ImportTarget(
    "people", _l("Importer des contacts"), lambda _owner: url_for("actors.people"), ACTORS,
    lambda _owner: [(_("Personnes"), url_for("actors.people"))],
    "actors.import_people", "actors.people_import_template"))


def _mapping_section() -> str | None:
    """The menu section of an import's preview: its target's (a group's is its
    experiment's)."""
    batch = page_object(ImportBatch, "batch_id")
    target = TARGETS.get(batch.target) if batch is not None else None
    return target.section if target is not None else None


owned_pages("actors.import_mapping", _mapping_section)


@bp.route("/organisations/import", methods=["GET", "POST"])
@login_required
@needs("edit")
def import_upload():
    return upload(TARGETS["organisations"])


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
@needs("edit")
def import_people():
    return upload(TARGETS["people"])


def upload(target: ImportTarget, owner=None):
    """The upload page of a target (of ``owner``'s, when the people join something)."""
    owner_id = owner.id if owner is not None else None
    form = ImportForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        file = form.file.data
        try:
            header, rows = importing.read_upload(file.filename, file.read())
        except DomainError as error:
            status = show_errors(form, error, default="file")
        else:
            batch = operations.store_import(g.territory.id, current_user.id, file.filename,
                                            target.key, header, rows, owner_id)
            return redirect(url_for("actors.import_mapping", batch_id=batch.id))
    return render_template("actors/import.html", form=form, target=target, owner=owner,
                           back=target.back(owner_id),
                           template_url=target.template_url(owner_id),
                           headers=importing.headers_of(target.key)), status


def send_template(target: ImportTarget, name: str):
    return send_download(importing.template_workbook(importing.headers_of(target.key)), name)


@bp.route("/organisations/import/modele.xlsx")
@login_required
@needs("view")
def import_template():
    return send_template(TARGETS["organisations"], "modele-import-acteurs.xlsx")


@bp.route("/people/import/modele.xlsx")
@login_required
@needs("view")
def people_import_template():
    return send_template(TARGETS["people"], "modele-import-personnes.xlsx")


@bp.route("/organisations/import/<int:batch_id>", methods=["GET", "POST"])
@login_required
@needs("edit")
def import_mapping(batch_id: int):
    batch = get_or_404(ImportBatch, batch_id)
    if batch.user_id != current_user.id or batch.target not in TARGETS:
        abort(404)
    target = TARGETS[batch.target]
    owner = target.load_owner(batch.owner_id) if target.load_owner else None
    back = target.back(batch.owner_id)
    if batch.applied_at is not None:
        flash(_("Cet import a déjà été appliqué."), "info")
        return redirect(back)
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.choose_import(batch, _submitted_choices(batch))
        plan = _plan(batch, target, owner)
        if request.form.get("action") != "apply":
            return redirect(url_for("actors.import_mapping", batch_id=batch.id))
        if request.form.get("seen") != plan.signature():
            flash(_("Vos choix ont changé depuis l'aperçu : vérifiez-le puis confirmez."),
                  "warning")
        elif not plan.ready:
            flash(_("Réglez d'abord les points signalés : rien n'a été importé."), "error")
        else:
            return _apply(batch, plan, target, owner)
        return redirect(url_for("actors.import_mapping", batch_id=batch.id))
    plan = _plan(batch, target, owner)
    return render_template("actors/import_preview.html", batch=batch, plan=plan,
                           summary=import_summary.preview(plan),
                           joining=plan.joining and import_summary.joining(plan, owner.title),
                           form=form, fields=FIELDS,
                           kinds=ORGANISATION_KINDS, choices=import_plan.CHOICES,
                           person_fields=PERSON_UPDATE_LABELS,
                           target=target, owner=owner,
                           upload_url=target.upload_url(batch.owner_id))


def _plan(batch: ImportBatch, target: ImportTarget, owner) -> import_plan.Plan:
    members = target.members(owner) if target.members else None
    return import_plan.plan_import(batch.target, batch.header, batch.rows, batch.choices,
                                   g.territory.id, members)


def _submitted_choices(batch: ImportBatch) -> dict:
    form = request.form
    columns = [form.get(f"column-{index}", "") for index in range(len(batch.header))]
    kinds = {key[len("kind:"):]: value for key, value in form.items()
             if key.startswith("kind:") and value in ORGANISATION_KINDS}
    existing = {key[len("existing-"):]: value for key, value in form.items()
                if key.startswith("existing-") and value in import_plan.CHOICES}
    people = {key[len("person-"):]: value for key, value in form.items()
              if key.startswith("person-") and value in ("update", "keep")}
    return {"columns": columns, "kinds": kinds, "existing": existing, "people": people}


def _apply(batch: ImportBatch, plan: import_plan.Plan, target: ImportTarget, owner):
    counts = import_apply.apply_plan(plan, g.territory.id)
    operations.remember_import(batch)
    flash(import_summary.done(counts), "success")
    if updated := len(plan.updating("update")):
        flash(ngettext("%(num)d contact de l'annuaire mis à jour.",
                       "%(num)d contacts de l'annuaire mis à jour.", updated), "success")
    if target.join is not None:
        target.join(owner, counts["person_ids"])
    return redirect(target.back(batch.owner_id))
