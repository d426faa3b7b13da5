"""A lifecycle step that the charter makes a decision (« le comité de pilotage valide ou non le
projet commun »): put it to the instance — its members then take position and the consensus
records the step — or settle it with a consensus decision the instance has already taken.

Routes are added to the « partnerships » blueprint of ``territorial.charters.views``.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from extensions import db
from facilitation.decisions import operations, queries
from facilitation.decisions.forms import StepDecisionForm
from facilitation.joint_projects.models import JointProject
from facilitation.joint_projects.project_views import _render_project
from facilitation.joint_projects.views import load_project
from territorial.access import InstanceSeat, check, needs
from territorial.charters import queries as charter_queries
from territorial.charters import rules
from territorial.charters.models import Charter
from facilitation.decisions.views import bp
from territorial.common.errors import DomainError


def _step(project: JointProject):
    charter = db.session.get(Charter, project.charter_id)
    step = rules.step_def(charter.governing, project.step_key) if project.step_key else None
    if step is None or not step.get("decision"):
        abort(404)
    instance = charter_queries.instance_row(charter, step["instance"])
    if instance is None:
        abort(403)
    check(InstanceSeat(instance, project.id), "decide")
    return charter, step, instance


@bp.route("/projects/<int:joint_project_id>/step-decision", methods=["POST"])
@login_required
@needs("decide")
def submit_step_decision(joint_project_id: int):
    project = load_project(joint_project_id)
    charter, step, instance = _step(project)
    form = StepDecisionForm()
    if not form.validate():
        return _render_project(project, errors={name: messages[0] for name, messages
                                                in form.errors.items()}, status=422)
    outcome = rules.outcome_def(step, form.step_outcome.data)
    statement = form.statement.data or ""
    if not statement and outcome is not None:  # what the decision proposes, clearly stated
        statement = _("%(outcome)s : « %(project)s »", outcome=outcome["label"],
                      project=project.title)
    try:
        decision = operations.create_decision(
            charter, instance, level=step["decision"]["level"], statement=statement,
            joint_project=project, step_key=step["key"],
            step_outcome=outcome["key"] if outcome else None, decided_on=date.today(),
            user=current_user)
    except DomainError as error:
        return _render_project(project, errors=error.errors, status=422)
    flash(_("Décision soumise à l'instance « %(instance)s » : recueillez la position de chaque "
            "membre ; le consensus enregistrera l'étape.", instance=instance.name), "success")
    return redirect(url_for("decisions.decision", decision_id=decision.id))


@bp.route("/projects/<int:joint_project_id>/step-decision/link", methods=["POST"])
@login_required
@needs("decide")
def link_step_decision(joint_project_id: int):
    project = load_project(joint_project_id)
    charter, step, instance = _step(project)
    decision_id = request.form.get("decision_id", "")
    decision = queries.decision_of_territory(
        project.territory_id, int(decision_id) if decision_id.isdigit() else 0)
    try:
        if decision is None:
            raise DomainError({"decision_id": _("Choisissez la décision prise.")})
        operations.link_step_decision(project, decision, request.form.get("step_outcome") or None,
                                      current_user)
    except DomainError as error:
        return _render_project(project, errors=error.errors, status=422)
    flash(_("Étape « %(step)s » enregistrée avec la décision de l'instance « %(instance)s ».",
            step=step["title"], instance=instance.name), "success")
    return redirect(url_for("joint_projects.project", joint_project_id=project.id) + "#etape")

