"""The partnership governed by a charter, as a whole (blueprint ``partnerships``,
``/partnerships``): its home page — charters, standing instances, joint projects under way,
latest decisions, the plan — and its action plan on the charter's axes. The charters, the
joint projects and the decisions have their own blueprints under the same address."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from facilitation.action_plans import operations as plans
from facilitation.action_plans import queries as ap_queries
from facilitation.decisions import queries as decision_queries
from facilitation.joint_projects import operations
from facilitation.joint_projects import queries as project_queries
from facilitation.joint_projects.models import STATUSES
from territorial.access import get_or_404, needs
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters import composition, rules
from territorial.charters.models import Charter
from territorial.common.blueprints import territory_blueprint
from territorial.common.forms import ConfirmForm
from territorial.common.owners import plan_owners

bp = territory_blueprint("partnerships", __name__, url_prefix="/partnerships")

plan_owners.register(
    "partnership", _l("Partenariat"), lambda owner_id: url_for("partnerships.index"),
    exists=lambda owner_id: owner_id == g.territory.id,
    name=lambda owner_id: g.territory.name,
)


# Index ---------------------------------------------------------------------------------------

@bp.route("")
@login_required
@needs("view")
def index():
    charters_ = charter_queries.charters_of(g.territory.id)
    charter_ids = [c.id for c in charters_]
    instances = charter_queries.instances_of_charters(charter_ids)
    standing = [i for i in instances if not i.per_project]
    members = charter_queries.instance_members([i.id for i in standing])
    by_charter = {c.id: c for c in charters_}
    structures = {c.id: {m.organisation_id: m.organisation.name for m in c.members} for c in charters_}
    problems = {
        i.id: composition.composition_problems(by_charter[i.charter_id].governing, i.key,
                                         charters.seats(members[i.id]), structures[i.charter_id])
        for i in standing
    }
    counts = project_queries.status_counts(g.territory.id)
    projects = project_queries.projects_under_way(g.territory.id)
    porteurs = operations.porteur_names([p.id for p in projects])
    deciding = decision_queries.deciding_now([p.id for p in projects])
    decisions = decision_queries.latest_decisions(g.territory.id)
    plan = ap_queries.plan_for("partnership", g.territory.id, g.territory.id)
    return render_template(
        "partnerships/index.html", charters=charters_, instances=instances, members=members,
        problems=problems, counts=counts, projects=projects, porteurs=porteurs,
        decisions=decisions, plan=plan, statuses=STATUSES, by_charter=by_charter, rules=rules,
        deciding=deciding,
        confirm_form=ConfirmForm(),
    )


@bp.route("/charters/<int:charter_id>/action-plan", methods=["POST"])
@login_required
@needs("edit")
def action_plan(charter_id: int):
    """The partnership's plan on the charter's axes (found when it exists, created otherwise)."""
    charter = get_or_404(Charter, charter_id)
    existing = ap_queries.plan_for("partnership", g.territory.id, g.territory.id)
    if existing is None:
        content = charter.governing
        years = content.get("action_plan_years")
        existing = plans.create_plan(
            g.territory.id, "partnership", g.territory.id,
            _("Plan d'action à %(years)s ans – %(name)s", years=years, name=content["name"])
            if years else _("Plan d'action – %(name)s", name=content["name"]),
            [(axis["key"], axis["title"]) for axis in content["action_plan_axes"]],
            horizon_years=years, start_year=date.today().year)
        flash(_("Plan d'action créé sur les grands sujets de la charte."), "success")
    return redirect(url_for("action_plans.plan", plan_id=existing.id))
