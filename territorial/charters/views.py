"""Charter pages: adopt a template, read the charter, versions and their comparison in words,
re-adoption by the instance the charter names, member structures (editing a section:
``section_views``; interconnaissance sheets and delegations: ``record_views``).

Blueprint ``charters``, under ``/partnerships`` with the other blueprints of a partnership
(its home page, its joint projects, its decisions: ``facilitation``).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, url_for
from territorial.common.dates import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from territorial.access import can, get_or_404, may, needs
from territorial.charters import adoption, comparison, operations, rules, versioning
from territorial.charters import queries as charter_queries
from territorial.charters.exports import describe_charter, outline
from territorial.charters.forms import AgreementForm, MemberForm, new_charter_form
from territorial.charters.models import Charter, CharterMember
from territorial.common.errors import DomainError, flash_error, show_errors
from territorial.documents.web import send_document
from territorial.common.blueprints import territory_blueprint
from territorial.common.forms import ConfirmForm
from territorial.common.urls import url_for_keys

bp = territory_blueprint("charters", __name__, url_prefix="/partnerships")

# Which editable sections each part of the readable page holds (for its « Modifier » links).
PART_SECTIONS = {
    "preamble": ["preamble", "revision"],
    "glossary": ["glossary"],
    "values": ["values", "values_statement"],
    "vocation": ["vocation"],
    "instances": ["instances", "functions"],
    "lifecycle": ["lifecycle"],
    "decision_matrix": ["decision_matrix", "decision_levels", "decision_process"],
    "participation_levels": ["participation_levels"],
    "delegation": ["delegation"],
    "arbitration": ["arbitration"],
    "project_conduct": ["project_conduct"],
    "action_plan_axes": ["action_plan_axes", "action_plan_years"],
}


def load_charter(charter_id: int, need: str | None = None) -> Charter:
    return get_or_404(Charter, charter_id, need=need)


# Adoption of a template -----------------------------------------------------------------------

@bp.route("/charters/new", methods=["GET", "POST"])
@login_required
@needs("edit")
def new_charter():
    templates = charter_queries.templates()
    key = request.values.get("template_key") or request.args.get("template") or ""
    template = templates.get(key)
    form = new_charter_form(template)()
    form.template_key.choices = [(key, t["name"]) for key, t in templates.items()]
    if template is not None:
        form.template_key.data = key
        if request.method == "GET":
            guesses = operations.guess_organisations(template["signatories"],
                                                     charter_queries.signatory_candidates(
                                                         g.territory.id, template))
            for signatory in template["signatories"]:
                form[f"signatory_{signatory['key']}"].data = guesses.get(signatory["key"])
    if request.method == "POST" and template is not None and form.validate_on_submit():
        chosen = {signatory["key"]: form[f"signatory_{signatory['key']}"].data
                  for signatory in template["signatories"]}
        try:
            charter = operations.create_charter(
                g.territory.id, key, title=form.title.data or "",
                signatory_organisations=chosen, organisation_ids=form.other_members.data,
                user=current_user, adopted_on=form.adopted_on.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Charte créée à partir du modèle : relisez-la, adaptez-la partie par partie, "
                    "puis enregistrez son adoption."), "success")
            return redirect(url_for("charters.charter", charter_id=charter.id))
    status = 422 if request.method == "POST" else 200
    return render_template("charters/new.html", form=form, template=template,
                           templates=templates), status


# Reading ---------------------------------------------------------------------------------------

def _render_charter(charter: Charter, content: dict, version=None):
    instances = charter_queries.active_instances_of(charter)
    members = _members(charter)
    return render_template(
        "charters/charter.html", charter=charter, content=content, outline=outline(content),
        instances={i.key: i for i in instances},
        version=version, part_sections=PART_SECTIONS, edit_label=_edit_label(),
        rules=rules, members=members, member_form=_member_form(members),
        confirm_form=ConfirmForm(), editable=can("edit"),
        section_url=url_for_keys("charters.edit_section", "charter_section", charter_id=charter.id),
        may_adopt=may("adopt", charter), adoption_rule=adoption.rule_in_words(charter),
        in_force_version=_in_force_version(charter),
    )


def _edit_label() -> Callable[[str], str]:
    """« Modifier « partie » » for each section's button, the message translated once."""
    message = _("Modifier « %(s)s »")
    return lambda section: message % {"s": versioning.section_label(section)}


def _in_force_version(charter: Charter):
    """The version in force, which the page names only while a newer one is a draft."""
    if charter.has_draft and charter.in_force_version:
        return charter_queries.get_version(charter, charter.in_force_version)
    return None


def _member_form(members: list[CharterMember]) -> MemberForm:
    """The form adding a member structure; the names a search without JavaScript found
    come back in the address (``add_member`` redirects)."""
    form = MemberForm(formdata=None)
    form.organisation_id.query = request.args.get("organisation_id-q", "")[:200]
    form.organisation_id.exclude = {member.organisation_id for member in members}
    return form


def _members(charter: Charter) -> list[CharterMember]:
    return charter_queries.members_of(charter)


@bp.route("/charters/<int:charter_id>")
@login_required
@needs("view")
def charter(charter_id: int):
    charter = load_charter(charter_id)
    return _render_charter(charter, charter.content)


@bp.route("/charters/<int:charter_id>/charter.<any(docx, odt, pdf):fmt>")
@login_required
@needs("view")
def charter_document(charter_id: int, fmt: str):
    charter = load_charter(charter_id)
    document = describe_charter(
        charter.title, charter.content, structures=list(charter_queries.structures(charter).values()),
        version=charter.current_version, adopted_on=charter.adopted_at,
        is_adopted=charter.is_adopted, territory=g.territory)
    return send_document(document, fmt)


# Versions ----------------------------------------------------------------------------------------

@bp.route("/charters/<int:charter_id>/versions")
@login_required
@needs("view")
def versions(charter_id: int):
    charter = load_charter(charter_id)
    return render_template("charters/versions.html", charter=charter,
                           versions=charter_queries.versions(charter),
                           section_label=versioning.section_label, confirm_form=ConfirmForm())


@bp.route("/charters/<int:charter_id>/versions/<int:version_number>")
@login_required
@needs("view")
def version(charter_id: int, version_number: int):
    charter = load_charter(charter_id)
    found = charter_queries.get_version(charter, version_number)
    if found is None:
        abort(404)
    return _render_charter(charter, found.content, version=found)


@bp.route("/charters/<int:charter_id>/versions/<int:version_number>/restore", methods=["POST"])
@login_required
@needs("edit")
def restore(charter_id: int, version_number: int):
    charter = load_charter(charter_id)
    if charter_queries.get_version(charter, version_number) is None:
        abort(404)
    try:
        new = operations.restore_version(charter, version_number, current_user)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Le texte de la version %(old)d est repris dans la version %(new)d.",
                old=version_number, new=new.number), "success")
    return redirect(url_for("charters.versions", charter_id=charter.id))


@bp.route("/charters/<int:charter_id>/compare")
@login_required
@needs("view")
def compare(charter_id: int):
    charter = load_charter(charter_id)
    numbers = list(range(1, charter.current_version + 1))
    old_number = request.args.get("from", type=int) or max(charter.current_version - 1, 1)
    new_number = request.args.get("to", type=int) or charter.current_version
    old, new = charter_queries.get_version(charter, old_number), charter_queries.get_version(charter, new_number)
    if old is None or new is None:
        flash(_("Choisissez deux versions existantes."), "error")
        return redirect(url_for("charters.versions", charter_id=charter.id))
    return render_template("charters/compare.html", charter=charter, old=old, new=new,
                           comparison=comparison.compare(old.content, new.content),
                           numbers=numbers)


@bp.route("/charters/<int:charter_id>/adopt", methods=["GET", "POST"])
@login_required
@needs("adopt")
def adopt(charter_id: int):
    """Each party the charter names gives its agreement to the current version: a person of
    that party under their own account, or the coordination recording it on its behalf; the
    version is adopted with the last agreement."""
    charter = load_charter(charter_id, need="adopt")
    version = charter_queries.get_version(charter, charter.current_version)
    missing = adoption.missing(charter, version) if not charter.is_adopted else []
    own = {party.key for party in adoption.own_parties(charter)}
    on_behalf = can("edit")
    form = AgreementForm()
    form.party.choices = [(p.key, p.name if p.key in own else _("%(name)s (pour son compte)",
                                                                  name=p.name))
                          for p in missing if p.key in own or on_behalf]
    rule = rules.adoption_rule(charter.governing)
    if request.method == "GET" and rule is not None:
        form.body.data = rule.structure_body or rules.instance_name(charter.governing,
                                                                    rule.instance_key)
    if form.validate_on_submit():
        try:
            _agreement, adopted = adoption.record_agreement(
                charter, form.party.data, form.agreed_on.data, current_user,
                body=form.body.data or "", note=form.note.data or "",
                on_behalf=form.party.data not in own)
        except DomainError as error:
            show_errors(form, error)
        else:
            _flash_adoption(charter, version, adopted)
            return redirect(url_for("charters.charter", charter_id=charter.id))
    previous = (charter_queries.get_version(charter, charter.latest_adopted_version)
                if charter.has_draft else None)
    return render_template(
        "charters/adopt.html", charter=charter, form=form, version=version,
        rule_words=adoption.rule_in_words(charter), rule=rule,
        revision=charter.governing.get("revision"), missing=missing,
        agreements=adoption.agreements(version), party_name=adoption.party_name,
        comparison=comparison.compare(previous.content, version.content) if previous else None,
    ), 422 if form.errors else 200


def _flash_adoption(charter: Charter, version, adopted) -> None:
    if adopted is None:
        names = ", ".join(p.name for p in adoption.missing(charter, version))
        flash(_("Accord enregistré. La version %(number)d sera adoptée quand tous auront donné "
                "le leur ; il manque : %(names)s.", number=version.number, names=names), "success")
    elif charter.awaits_entry_into_force:
        flash(_("La version %(number)d est adoptée ; elle entrera en vigueur le %(date)s. "
                "D'ici là, la version %(current)s reste en vigueur.", number=version.number,
                date=format_date(version.adopted_on, "long"),
                current=charter.in_force_version or "—"), "success")
    else:
        flash(_("La version %(number)d est adoptée et en vigueur.", number=version.number),
              "success")


# Member structures -------------------------------------------------------------------------------

@bp.route("/charters/<int:charter_id>/members", methods=["POST"])
@login_required
@needs("edit")
def add_member(charter_id: int):
    charter = load_charter(charter_id)
    form = MemberForm()
    if form.organisation_id.search_pressed:
        return redirect(url_for("charters.charter", charter_id=charter.id, _anchor="membres",
                                **{"organisation_id-q": form.organisation_id.query}))
    if form.validate_on_submit():
        try:
            operations.add_member(charter, form.organisation_id.data, form.joined_on.data)
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("Structure ajoutée au partenariat."), "success")
            return redirect(url_for("charters.charter", charter_id=charter.id) + "#membres")
    else:
        flash_error(DomainError({name: errors[0] for name, errors in form.errors.items()}))
    return redirect(url_for("charters.charter", charter_id=charter.id) + "#membres")


@bp.route("/charter-members/<int:charter_member_id>/delete", methods=["POST"])
@login_required
@needs("edit")
def remove_member(charter_member_id: int):
    member = get_or_404(CharterMember, charter_member_id)
    try:
        operations.remove_member(member)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Structure retirée du partenariat."), "success")
    return redirect(url_for("charters.charter", charter_id=member.charter_id) + "#membres")


# The blueprint's routes written in the other view modules of the capability.
from territorial.charters import record_views, section_views  # noqa: E402,F401
