"""Joint projects on the « partnerships » blueprint: what the other views share, the
partnerships index and the charter's action plan, and the panels.

Routes are added to the « partnerships » blueprint of ``territorial.charters.views``; a
project's lifecycle is in ``project_views``, its conduct in ``conduct_views``.
"""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.action_plans import operations as plans
from facilitation.action_plans.owners import register_plan_owner
from facilitation.decisions.models import Decision
from facilitation.joint_projects import operations
from facilitation.joint_projects import queries  # noqa: F401  (the standings the policy asks)
from facilitation.joint_projects.models import STATUSES, JointProject, ProjectPorteur
from territorial.access import get_or_404, needs
from territorial.charters import operations as charters
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance, InstanceMember
from territorial.charters.views import bp
from territorial.common.forms import ConfirmForm
from territorial.common.panels import Panel, home_panels, organisation_panels, person_panels
from territorial.indicators.owners import register_owner
from territorial.raci.owners import register_owner as register_raci_owner

OWNER_TYPE = "joint_project"

register_owner(OWNER_TYPE, _l("Projet commun"),
               lambda project_id: url_for("partnerships.conduct", joint_project_id=project_id),
               model=JointProject, permission="contribute")
register_plan_owner(OWNER_TYPE, _l("Projet commun"), model=JointProject,
                    url_fn=lambda project_id: url_for("partnerships.project",
                                                      joint_project_id=project_id))
register_plan_owner(
    "partnership", _l("Partenariat"),
    exists_fn=lambda owner_id: owner_id == g.territory.id,
    name_fn=lambda owner_id: g.territory.name,
    url_fn=lambda owner_id: url_for("partnerships.index"),
)
register_raci_owner(OWNER_TYPE, _l("Projet commun"),
                    lambda grid: url_for("partnerships.project", joint_project_id=grid.owner_id))


def load_project(project_id: int, need: str | None = None) -> JointProject:
    return get_or_404(JointProject, project_id, selectinload(JointProject.porteurs), need=need)


def _charter(project: JointProject) -> Charter:
    return db.session.get(Charter, project.charter_id)


# Index ---------------------------------------------------------------------------------------

@bp.route("")
@login_required
@needs("view")
def index():
    charters_ = charters.charters_of(g.territory.id)
    charter_ids = [c.id for c in charters_]
    instances = db.session.scalars(
        select(CharterInstance).where(CharterInstance.charter_id.in_(charter_ids or [0]),
                                      CharterInstance.retired.is_(False))
        .order_by(CharterInstance.charter_id, CharterInstance.position)).all()
    standing = [i for i in instances if not i.per_project]
    members = charters.instance_members([i.id for i in standing])
    by_charter = {c.id: c for c in charters_}
    structures = {c.id: {m.organisation_id: m.organisation.name for m in c.members} for c in charters_}
    problems = {
        i.id: rules.composition_problems(by_charter[i.charter_id].governing, i.key,
                                         charters.seats(members[i.id]), structures[i.charter_id])
        for i in standing
    }
    counts = dict(db.session.execute(
        select(JointProject.status, func.count()).where(JointProject.territory_id == g.territory.id)
        .group_by(JointProject.status)).all())
    projects = db.session.scalars(
        operations.projects_query(g.territory.id).where(JointProject.status.in_(("en_cours", "lance")))
        .limit(12)).all()
    porteurs = operations.porteur_names([p.id for p in projects])
    decisions = db.session.scalars(
        select(Decision).where(Decision.territory_id == g.territory.id)
        .options(selectinload(Decision.instance), selectinload(Decision.joint_project))
        .order_by(Decision.decided_on.desc().nulls_first(), Decision.id.desc()).limit(6)).all()
    plan = plans.plan_for("partnership", g.territory.id, g.territory.id)
    return render_template(
        "partnerships/index.html", charters=charters_, instances=instances, members=members,
        problems=problems, counts=counts, projects=projects, porteurs=porteurs,
        decisions=decisions, plan=plan, statuses=STATUSES, by_charter=by_charter, rules=rules,
        confirm_form=ConfirmForm(),
    )


@bp.route("/charters/<int:charter_id>/action-plan", methods=["POST"])
@login_required
@needs("edit")
def action_plan(charter_id: int):
    """The partnership's plan on the charter's axes (found when it exists, created otherwise)."""
    charter = get_or_404(Charter, charter_id)
    existing = plans.plan_for("partnership", g.territory.id, g.territory.id)
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


# Panels -----------------------------------------------------------------------------------------

@home_panels.register
def _projects_waiting(territory) -> Panel | None:
    rows = db.session.execute(
        select(JointProject.id, JointProject.title, JointProject.step_key,
               func.coalesce(Charter.adopted_content, Charter.content))
        .join(Charter, Charter.id == JointProject.charter_id)
        .where(JointProject.territory_id == territory.id, JointProject.status == "en_cours")
        .order_by(JointProject.updated_at.desc()).limit(5)).all()
    if not rows:
        return None
    items = []
    for project_id, title, step_key, content in rows:
        step = rules.step_def(content, step_key)
        who = rules.step_actor_label(content, step) if step else ""
        items.append((_("%(title)s – %(step)s (%(who)s)", title=title,
                        step=step["title"] if step else "", who=who),
                      url_for("partnerships.project", territory=territory.slug,
                              joint_project_id=project_id)))
    return Panel(_("Projets communs en attente d'une étape"), items,
                 more_url=url_for("partnerships.projects", territory=territory.slug,
                                  status="en_cours"), order=40)


@organisation_panels.register
def _organisation_projects(organisation) -> Panel | None:
    rows = db.session.execute(
        select(JointProject.id, JointProject.title)
        .join(ProjectPorteur, ProjectPorteur.project_id == JointProject.id)
        .where(ProjectPorteur.organisation_id == organisation.id).order_by(JointProject.title)
        .limit(20)).all()
    seats = db.session.execute(
        select(CharterInstance.id, CharterInstance.name, func.count(InstanceMember.id))
        .join(InstanceMember, InstanceMember.instance_id == CharterInstance.id)
        .where(InstanceMember.organisation_id == organisation.id,
               InstanceMember.joint_project_id.is_(None))
        .group_by(CharterInstance.id, CharterInstance.name).order_by(CharterInstance.name)).all()
    if not rows and not seats:
        return None
    slug = g.territory.slug
    items = [(_("Porteur du projet commun « %(title)s »", title=title),
              url_for("partnerships.project", territory=slug, joint_project_id=pid))
             for pid, title in rows]
    items += [(_("Siège à l'instance « %(name)s » (%(count)d personne(s))", name=name, count=count),
               url_for("partnerships.instance", territory=slug, charter_instance_id=iid))
              for iid, name, count in seats]
    return Panel(_("Partenariat régi par une charte"), items, order=45)


@person_panels.register
def _person_seats(person) -> Panel | None:
    """Where a person sits: standing instances, a project's working group or lead, porteur."""
    rows = db.session.execute(
        select(CharterInstance.id, CharterInstance.name, CharterInstance.charter_id,
               InstanceMember.function, InstanceMember.joint_project_id, JointProject.title)
        .join(InstanceMember, InstanceMember.instance_id == CharterInstance.id)
        .outerjoin(JointProject, JointProject.id == InstanceMember.joint_project_id)
        .where(InstanceMember.person_id == person.id)
        .order_by(CharterInstance.position, JointProject.title).limit(50)).all()
    carried = db.session.execute(
        select(JointProject.id, JointProject.title)
        .join(ProjectPorteur, ProjectPorteur.project_id == JointProject.id)
        .where(ProjectPorteur.person_id == person.id).order_by(JointProject.title)).all()
    if not rows and not carried:
        return None
    charters_ = {c.id: c for c in db.session.scalars(select(Charter).where(
        Charter.id.in_({row.charter_id for row in rows} or {0})))}
    slug = g.territory.slug
    items = []
    for row in rows:
        function = rules.function_labels(charters_[row.charter_id].governing).get(
            row.function, row.function)
        if row.joint_project_id:
            items.append((_("%(instance)s du projet commun « %(project)s » — %(function)s",
                            instance=row.name, project=row.title, function=function),
                          url_for("partnerships.project", territory=slug,
                                  joint_project_id=row.joint_project_id)))
        else:
            items.append((_("%(instance)s — %(function)s", instance=row.name, function=function),
                          url_for("partnerships.instance", territory=slug,
                                  charter_instance_id=row.id)))
    items += [(_("Porteur du projet commun « %(title)s »", title=title),
               url_for("partnerships.project", territory=slug, joint_project_id=pid))
              for pid, title in carried]
    return Panel(_("Partenariat régi par une charte"), items, order=45)
