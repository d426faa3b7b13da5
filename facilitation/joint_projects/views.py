"""Joint projects (blueprint ``joint_projects``, under ``/partnerships`` like the charters
and the decisions of the partnership): what their views share, and their panels. A
project's lifecycle is in ``project_views``, its conduct in ``conduct_views``.
"""
from __future__ import annotations

from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from facilitation.decisions import queries as decision_queries
from facilitation.joint_projects import queries
from facilitation.joint_projects.models import JointProject
from territorial.access import get_or_404
from territorial.charters import rules
from territorial.charters.models import Charter
from territorial.common.blueprints import territory_blueprint
from territorial.common.owners import indicator_owners, plan_owners, raci_owners
from territorial.common.panels import (SUBJECT_ID, Panel, home_panels, organisation_panels,
                                       person_panels)

bp = territory_blueprint("joint_projects", __name__, url_prefix="/partnerships")

OWNER_TYPE = "joint_project"


def _projects_trail(_project_id: int) -> list[tuple[str, str]]:
    """The list of the joint projects, between « Partenariats » and one of them."""
    return [(_("Projets communs"), url_for("joint_projects.projects"))]


indicator_owners.register(
    OWNER_TYPE, _l("Projet commun"),
    lambda project_id: url_for("joint_projects.conduct", joint_project_id=project_id),
    model=JointProject, permission="contribute", section="partnerships.index",
    trail=_projects_trail)
plan_owners.register(
    OWNER_TYPE, _l("Projet commun"),
    lambda project_id: url_for("joint_projects.project", joint_project_id=project_id),
    model=JointProject)
raci_owners.register(
    OWNER_TYPE, _l("Projet commun"),
    lambda project_id: url_for("joint_projects.project", joint_project_id=project_id),
    model=JointProject, section="partnerships.index", trail=_projects_trail)


def load_project(project_id: int, need: str | None = None) -> JointProject:
    """The project with its charter (``_charter`` then finds it in the session) and its
    porteurs."""
    return get_or_404(JointProject, project_id, joinedload(JointProject.charter),
                      selectinload(JointProject.porteurs), need=need)


def _charter(project: JointProject) -> Charter:
    return db.session.get(Charter, project.charter_id)


# Panels -----------------------------------------------------------------------------------------

@home_panels.register(shown_if=lambda: queries.any_in_progress(SUBJECT_ID))
def _projects_waiting(territory) -> Panel | None:
    rows = queries.projects_in_progress(territory.id)
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
    rows = queries.projects_carried_by_organisation(organisation)
    seats = queries.standing_seats_of_organisation(organisation)
    if not rows and not seats:
        return None
    slug = g.territory.slug
    items = [(_("Porteur du projet commun « %(title)s »", title=title),
              url_for("joint_projects.project", territory=slug, joint_project_id=pid))
             for pid, title in rows]
    items += [(ngettext("Siège à l'instance « %(name)s » (%(num)d personne)",
                        "Siège à l'instance « %(name)s » (%(num)d personnes)", count, name=name),
               url_for("decisions.instance", territory=slug, charter_instance_id=iid))
              for iid, name, count in seats]
    return Panel(_("Partenariat régi par une charte"), items, order=45)


@person_panels.register
def _person_seats(person) -> Panel | None:
    """Where a person sits: standing instances, a project's working group or lead, porteur."""
    rows = queries.seats_of_person(person)
    carried = queries.projects_carried_by_person(person)
    if not rows and not carried:
        return None
    charters_ = queries.charters_by_id({row.charter_id for row in rows})
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
