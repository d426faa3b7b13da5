"""The facilitation resources of the open-data API (``territorial.api.registry``): one line
per resource, registered when this module is imported (by app.register_blueprints)."""
from flask_babel import lazy_gettext as _l

from facilitation.action_plans.models import Action, ActionPlan, ActionPlanAxis
from facilitation.decisions.models import Decision
from facilitation.experiments.models import Deliverable, Experiment, Part, Theme
from facilitation.joint_projects.models import JointProject
from facilitation.sessions.models import Meeting
from facilitation.working_groups.models import WorkingGroup
from territorial.api.registry import Resource, register

TAG = "animation"

register(Resource("experiments", Experiment, _l("Expérimentations « Agir ensemble »"), tag=TAG))
register(Resource("experiment-parts", Part, _l("Parties d'une expérimentation"), tag=TAG))
register(Resource("deliverables", Deliverable, _l("Livrables des parties"), tag=TAG))
register(Resource("themes", Theme, _l("Thèmes d'une expérimentation"), tag=TAG))
register(Resource("working-groups", WorkingGroup, _l("Groupes de travail"), tag=TAG))
register(Resource("sessions", Meeting, _l("Séances (GT, copil, restitution…)"), tag=TAG,
                  filters=("kind", "status", "body_type", "body_id")))
register(Resource("action-plans", ActionPlan, _l("Plans d'action"), tag=TAG,
                  filters=("owner_type", "owner_id")))
register(Resource("action-plan-axes", ActionPlanAxis, _l("Axes d'un plan d'action"), tag=TAG))
register(Resource("actions", Action, _l("Actions des plans d'action"), tag=TAG,
                  filters=("status", "horizon", "scope")))
register(Resource("decisions", Decision, _l("Décisions prises par consensus"), tag=TAG))
register(Resource("joint-projects", JointProject, _l("Projets communs d'une charte"), tag=TAG))
