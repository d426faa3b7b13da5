"""Import of a working group's members from a file: each row a person, found in the
territory's directory or created (with their organisation), who joins the group. The
actors' import does the work (the file, the mapping step, the preview in words, the
confirmation all-or-nothing); the group registers itself as one more target."""
from flask import flash, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required

from facilitation.working_groups import operations
from facilitation.working_groups.views import _rules, bp, group_trail, load_group
from territorial.access import needs
from territorial.actors.import_targets import ImportTarget, register
from territorial.actors.import_views import send_template, upload


def _join(group, person_ids: list[int]) -> None:
    added = operations.add_members(group, person_ids)
    flash(ngettext("%(num)d personne a rejoint le groupe.",
                   "%(num)d personnes ont rejoint le groupe.", added), "success")
    group = load_group(group.id)
    for warning in operations.warnings_for_groups([group], _rules(group))[group.id]:
        flash(warning.message, "warning")


MEMBERS = register(ImportTarget(
    "working_group", _l("Importer les membres du groupe"),
    lambda group_id: url_for("working_groups.detail", working_group_id=group_id,
                             _anchor="membres"),
    "experiments.index", group_trail, "working_groups.import_members",
    "working_groups.members_template", owner_argument="working_group_id",
    load_owner=load_group, members=lambda group: {m.person_id for m in group.members},
    join=_join))


@bp.route("/<int:working_group_id>/members/import", methods=["GET", "POST"])
@login_required
@needs("edit")
def import_members(working_group_id: int):
    return upload(MEMBERS, load_group(working_group_id))


@bp.route("/<int:working_group_id>/members/import/modele.xlsx")
@login_required
@needs("view")
def members_template(working_group_id: int):
    load_group(working_group_id)
    return send_template(MEMBERS, "modele-membres-groupe.xlsx")
