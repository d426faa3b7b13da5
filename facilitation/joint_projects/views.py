"""Joint projects (blueprint ``joint_projects``, under ``/partnerships`` like the charters
and the decisions of the partnership): what their views share, and their panels. A
project's lifecycle is in ``project_views``, its conduct in ``conduct_views``.
"""
from __future__ import annotations

from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from facilitation.decisions import queries as decision_queries
from facilitation.joint_projects import queries  # noqa: F401  (the standings the policy asks)
from facilitation.joint_projects.models import JointProject, ProjectPorteur
from territorial.access import get_or_404
from territorial.charters import rules
from territorial.charters.models import Charter, CharterInstance, InstanceMember
from territorial.common.blueprints import territory_blueprint
from territorial.common.collation import french
from territorial.common.owners import indicator_owners, plan_owners, raci_owners
from territorial.common.panels import Panel, home_panels, organisation_panels, person_panels

bp = territory_blueprint("joint_projects", __name__, url_prefix="/partnerships")

OWNER_TYPE = "joint_project"

indicator_owners.register(
    OWNER_TYPE, _l("Projet commun"),
    lambda project_id: url_for("joint_projects.conduct", joint_project_id=project_id),
    model=JointProject, permission="contribute")
plan_owners.register(
    OWNER_TYPE, _l("Projet commun"),
    lambda project_id: url_for("joint_projects.project", joint_project_id=project_id),
    model=JointProject)
raci_owners.register(
    OWNER_TYPE, _l("Projet commun"),
    lambda project_id: url_for("joint_projects.project", joint_project_id=project_id))


def load_project(project_id: int, need: str | None = None) -> JointProject:
    return get_or_404(JointProject, project_id, selectinload(JointProject.porteurs), need=need)


def _charter(project: JointProject) -> Charter:
    return db.session.get(Charter, project.charter_id)


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
    deciding = decision_queries.deciding_now([row[0] for row in rows])
    for project_id, title, step_key, content in rows:
        step = rules.step_def(content, step_key)
        who = deciding.get(project_id) or (rules.step_actor_label(content, step) if step else "")
        items.append((_("%(title)s – %(step)s (%(who)s)", title=title,
                        step=step["title"] if step else "", who=who),
                      url_for("joint_projects.project", territory=territory.slug,
                              joint_project_id=project_id)))
    return Panel(_("Projets communs en attente d'une étape"), items,
                 more_url=url_for("joint_projects.projects", territory=territory.slug,
                                  status="en_cours"), order=40)


@organisation_panels.register
def _organisation_projects(organisation) -> Panel | None:
    rows = db.session.execute(
        select(JointProject.id, JointProject.title)
        .join(ProjectPorteur, ProjectPorteur.project_id == JointProject.id)
        .where(ProjectPorteur.organisation_id == organisation.id)
        .order_by(french(JointProject.title))
        .limit(20)).all()
    seats = db.session.execute(
        select(CharterInstance.id, CharterInstance.name, func.count(InstanceMember.id))
        .join(InstanceMember, InstanceMember.instance_id == CharterInstance.id)
        .where(InstanceMember.organisation_id == organisation.id,
               InstanceMember.joint_project_id.is_(None))
        .group_by(CharterInstance.id, CharterInstance.name)
        .order_by(french(CharterInstance.name))).all()
    if not rows and not seats:
        return None
    slug = g.territory.slug
    items = [(_("Porteur du projet commun « %(title)s »", title=title),
              url_for("joint_projects.project", territory=slug, joint_project_id=pid))
             for pid, title in rows]
    items += [(_("Siège à l'instance « %(name)s » (%(count)d personne(s))", name=name, count=count),
               url_for("decisions.instance", territory=slug, charter_instance_id=iid))
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
        .order_by(CharterInstance.position, french(JointProject.title)).limit(50)).all()
    carried = db.session.execute(
        select(JointProject.id, JointProject.title)
        .join(ProjectPorteur, ProjectPorteur.project_id == JointProject.id)
        .where(ProjectPorteur.person_id == person.id).order_by(french(JointProject.title))).all()
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
                          url_for("joint_projects.project", territory=slug,
                                  joint_project_id=row.joint_project_id)))
        else:
            items.append((_("%(instance)s — %(function)s", instance=row.name, function=function),
                          url_for("decisions.instance", territory=slug,
                                  charter_instance_id=row.id)))
    items += [(_("Porteur du projet commun « %(title)s »", title=title),
               url_for("joint_projects.project", territory=slug, joint_project_id=pid))
              for pid, title in carried]
    return Panel(_("Partenariat régi par une charte"), items, order=45)


# The blueprint's routes written in the other view modules of the capability.
from facilitation.joint_projects import conduct_views, project_views  # noqa: E402,F401
