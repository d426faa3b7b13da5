"""For the route-authorisation test: how to make, in a given territory, an object for
each kind of id that URLs take. A route whose id argument is missing here makes
``test_access_routes`` fail, so that no new route escapes the check: add a line.

Each maker is ``maker(factory, territory, user) -> int`` (``user`` is a coordinator
of that territory, for objects that belong to someone).
"""
import re

from territorial.actors.models import ImportBatch

ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # <int:id>, <any(docx, pdf):fmt>


def territory_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "territory" in rule.arguments]


def route_url(rule, territory_slug, ids):
    """The address of ``rule`` in the territory, with the ids of ``ids`` (name → id)."""
    def replace(match):
        name = match.group(2)
        return territory_slug if name == "territory" else str(ids[name])

    return ARGUMENT.sub(replace, rule.rule)


def _import_batch(factory, territory, user) -> int:
    batch = ImportBatch(territory_id=territory.id, user_id=user.id, filename="x.csv", rows=[])
    return factory._add(batch).id


ID_MAKERS = {
    "organisation_id": lambda f, t, u: f.organisation(t).id,
    "person_id": lambda f, t, u: f.person(t).id,
    "membership_id": lambda f, t, u: f.membership(t).id,
    "batch_id": _import_batch,
    # Issue 6 (projects, frise, RACI, reviews): linked objects, see Factory.issue6_objects.
    "grid_id": lambda f, t, u: f.issue6_objects(t)["grid"].id,
    "raci_activity_id": lambda f, t, u: f.issue6_objects(t)["activity"].id,
    "raci_actor_id": lambda f, t, u: f.issue6_objects(t)["actor"].id,
    "project_id": lambda f, t, u: f.issue6_objects(t)["project"].id,
    "timeline_id": lambda f, t, u: f.issue6_objects(t)["entry"].timeline_id,
    "frise_entry_id": lambda f, t, u: f.issue6_objects(t)["entry"].id,
    "frise_contact_id": lambda f, t, u: f.issue6_objects(t)["contact"].id,
    "frise_level_id": lambda f, t, u: f.issue6_objects(t)["entry"].level_id,
    "step_aside_note_id": lambda f, t, u: f.issue6_objects(t)["note"].id,
    "project_review_id": lambda f, t, u: f.issue6_objects(t)["review"].id,
    "review_photo_id": lambda f, t, u: f.issue6_objects(t)["photo"].id,
    "review_guest_id": lambda f, t, u: f.issue6_objects(t)["guest"].id,
}



def _action_plan(factory, territory, user) -> int:
    return factory.action_plan(territory).id


def _axis(factory, territory, user) -> int:
    from sqlalchemy import select

    from facilitation.action_plans.models import ActionPlanAxis

    plan = factory.action_plan(territory, axes=("Axe",))
    return factory.session.scalar(select(ActionPlanAxis.id).where(ActionPlanAxis.plan_id == plan.id))


def _action(factory, territory, user) -> int:
    return factory.action(factory.action_plan(territory)).id


def _indicator(factory, territory, user) -> int:
    plan = factory.action_plan(territory)
    return factory.indicator(territory, owner_type="action_plan", owner_id=plan.id).id


def _indicator_target(factory, territory, user) -> int:
    from territorial.indicators.models import IndicatorTarget

    indicator_id = _indicator(factory, territory, user)
    return factory._add(IndicatorTarget(indicator_id=indicator_id, territory_id=territory.id,
                                        year=2025, value=10)).id


def _indicator_value(factory, territory, user) -> int:
    from territorial.indicators.models import IndicatorValue

    indicator_id = _indicator(factory, territory, user)
    return factory._add(IndicatorValue(indicator_id=indicator_id, territory_id=territory.id,
                                       year=2025, value=8)).id


ID_MAKERS |= {
    # Documents (issue 15): every document route takes its format; the access test asks
    # for the PDF, the renderer that lays out pages itself.
    "fmt": lambda f, t, u: "pdf",
    "plan_id": _action_plan,
    "axis_id": _axis,
    "action_id": _action,
    "indicator_id": _indicator,
    "target_id": _indicator_target,
    "value_id": _indicator_value,
}

# Routes outside /t/<territory>/ that take an argument, with why they are safe.
UNSCOPED_ROUTES = {
    "/invitations/<token>": "signed, single-use token",
    "/password/reset/<token>": "signed token tied to the current password",
    "/static/<path:filename>": "public files",
    # Open-data API (issue 9): token-authenticated, territory checked by
    # territorial.api.operations.readable_territories (tests/test_api.py).
    "/api/v1/<path:rest>": "JSON 404 for unknown API addresses",
    "/api/v1/territories/<slug>": "API: territories of the token's user only",
    "/api/v1/territories/<slug>/<resource>": "API: territories of the token's user only",
    "/api/v1/territories/<slug>/<resource>/<int:object_id>": "API: territory-filtered",
    "/account/api-tokens/<int:token_id>/revoke": "only the current user's own tokens",
}


# Issue 3: experiments, working groups, sessions. Every maker reuses the territory's first
# experiment (created with one theme and its group) so that child ids belong to the parent
# ids of the same URL.
def _shared_experiment(factory, territory):
    from sqlalchemy import select

    from facilitation.experiments.models import Experiment

    experiment = factory.session.scalar(
        select(Experiment).where(Experiment.territory_id == territory.id).order_by(Experiment.id))
    return experiment or factory.experiment(territory, themes=["Emploi"])


def _experiment_child(model, *where):
    def maker(factory, territory, user):
        from sqlalchemy import select

        experiment = _shared_experiment(factory, territory)
        return factory.session.scalar(
            select(model.id).where(model.experiment_id == experiment.id, *where)
            .order_by(model.id))
    return maker


def _deliverable(factory, territory, user) -> int:
    from sqlalchemy import select

    from facilitation.experiments.models import Deliverable, Part

    experiment = _shared_experiment(factory, territory)
    return factory.session.scalar(
        select(Deliverable.id).join(Part).where(Part.experiment_id == experiment.id)
        .order_by(Deliverable.id))


def _stakeholder(factory, territory, user) -> int:
    from sqlalchemy import select

    from facilitation.experiments.models import Stakeholder

    experiment = _shared_experiment(factory, territory)
    existing = factory.session.scalar(
        select(Stakeholder.id).where(Stakeholder.experiment_id == experiment.id))
    if existing:
        return existing
    return factory._add(Stakeholder(
        territory_id=territory.id, experiment_id=experiment.id,
        organisation_id=factory.organisation(territory).id, role="pilote")).id


def _interview(factory, territory, user) -> int:
    from sqlalchemy import select

    from facilitation.experiments.models import Interview

    experiment = _shared_experiment(factory, territory)
    existing = factory.session.scalar(
        select(Interview.id).where(Interview.experiment_id == experiment.id))
    if existing:
        return existing
    return factory._add(Interview(territory_id=territory.id, experiment_id=experiment.id,
                                  person_id=factory.person(territory).id)).id


def _shared_group(factory, territory):
    from sqlalchemy import select

    from facilitation.working_groups.models import WorkingGroup

    experiment = _shared_experiment(factory, territory)
    return factory.session.scalar(
        select(WorkingGroup).where(WorkingGroup.experiment_id == experiment.id)
        .order_by(WorkingGroup.id))


def _group_member(factory, territory, user) -> int:
    from sqlalchemy import select

    from facilitation.working_groups.models import WorkingGroupMember

    group = _shared_group(factory, territory)
    existing = factory.session.scalar(
        select(WorkingGroupMember.id).where(WorkingGroupMember.working_group_id == group.id))
    if existing:
        return existing
    return factory._add(WorkingGroupMember(territory_id=territory.id, working_group_id=group.id,
                                           person_id=factory.person(territory).id)).id


def _shared_session_id(factory, territory) -> int:
    from sqlalchemy import select

    from facilitation.sessions.models import Meeting

    experiment = _shared_experiment(factory, territory)
    return factory.session.scalar(
        select(Meeting.id).where(Meeting.experiment_id == experiment.id,
                                        Meeting.kind == "gt1"))


def _agenda_item(factory, territory, user) -> int:
    from sqlalchemy import select

    from facilitation.sessions.models import AgendaItem

    return factory.session.scalar(
        select(AgendaItem.id).where(AgendaItem.session_id == _shared_session_id(factory, territory))
        .order_by(AgendaItem.position))


def _experiment_models():
    from facilitation.experiments import models

    return models


ID_MAKERS |= {
    "experiment_id": lambda f, t, u: _shared_experiment(f, t).id,
    "cadre_section_id": lambda f, t, u: _experiment_child(_experiment_models().CadreSection)(f, t, u),
    "part_id": lambda f, t, u: _experiment_child(_experiment_models().Part)(f, t, u),
    "theme_id": lambda f, t, u: _experiment_child(_experiment_models().Theme)(f, t, u),
    "deliverable_id": _deliverable,
    "stakeholder_id": _stakeholder,
    "interview_id": _interview,
    "working_group_id": lambda f, t, u: _shared_group(f, t).id,
    "working_group_member_id": _group_member,
    "session_id": lambda f, t, u: _shared_session_id(f, t),
    "agenda_item_id": _agenda_item,
}


# Issue 4: live sessions. Cards, clusters and votes sit in the shared GT1 session above.
def _live_session(factory, territory):
    from facilitation.sessions.models import Meeting

    return factory.session.get(Meeting, _shared_session_id(factory, territory))


def _card(factory, territory, user) -> int:
    return factory.card(_live_session(factory, territory), "Carte de test").id


def _card_cluster(factory, territory, user) -> int:
    return factory.card_cluster(_live_session(factory, territory)).id


def _dot_vote(factory, territory, user) -> int:
    session = _live_session(factory, territory)
    cards = [factory.card(session, "Piste A"), factory.card(session, "Piste B")]
    return factory.dot_vote(session, cards, status="clos").id


ID_MAKERS |= {
    "card_id": _card,
    "card_cluster_id": _card_cluster,
    "dot_vote_id": _dot_vote,
}

JOIN_CODE_REASON = ("the join code of a session (6 characters, rate-limited guesses); it opens "
                    "only that session, only while it is open, through a signed cookie entry")
UNSCOPED_ROUTES |= {
    "/j/<code>": JOIN_CODE_REASON,
    "/j/<code>/fragment": JOIN_CODE_REASON,
    "/j/<code>/contributions": JOIN_CODE_REASON,
    "/j/<code>/dots": JOIN_CODE_REASON,
    "/j/<code>/leave": "forgets this browser's participation; changes nothing else",
    "/j/<code>/cards/<int:card_id>/edit": JOIN_CODE_REASON + "; only a card this phone wrote",
    "/j/<code>/cards/<int:card_id>/withdraw": JOIN_CODE_REASON + "; only a card this phone wrote",
}


# Issue 8: conventions. Each URL carries one id; the child's convention is loaded from it.
ID_MAKERS |= {
    "convention_id": lambda f, t, u: f.convention(t).id,
    "convention_funder_id": lambda f, t, u: f.convention_funder(t).id,
    "convention_amount_id": lambda f, t, u: f.convention_amount(t).id,
    "convention_document_id": lambda f, t, u: f.convention_document(t).id,
    "convention_member_id": lambda f, t, u: f.convention_member(t).id,
    "convention_priority_id": lambda f, t, u: f.convention_priority(t).id,
    "convention_objective_id": lambda f, t, u: f.convention_objective(t).id,
    "convention_indicator_id": lambda f, t, u: f.convention_indicator(t, targets={2025: 10}).id,
    "convention_value_id": lambda f, t, u: f.convention_value(t).id,
    "dialogue_note_id": lambda f, t, u: f.dialogue_note(t).id,
}


# Issue 7: charter governance. Objects of one charter per territory (see Factory.charter_objects).
ID_MAKERS |= {
    "charter_id": lambda f, t, u: f.charter_objects(t)["charter"].id,
    "version_number": lambda f, t, u: 1,
    "charter_section": lambda f, t, u: "preamble",
    "charter_member_id": lambda f, t, u: f.charter_objects(t)["member"].id,
    "charter_instance_id": lambda f, t, u: f.charter_objects(t)["instance"].id,
    "instance_member_id": lambda f, t, u: f.charter_objects(t)["seat"].id,
    "delegation_id": lambda f, t, u: f.charter_objects(t)["delegation"].id,
    "joint_project_id": lambda f, t, u: f.charter_objects(t)["project"].id,
    "project_transition_id": lambda f, t, u: f.charter_objects(t)["transition"].id,
    "project_objective_id": lambda f, t, u: f.charter_objects(t)["objective"].id,
    "project_means_id": lambda f, t, u: f.charter_objects(t)["means"].id,
    "project_budget_line_id": lambda f, t, u: f.charter_objects(t)["budget_line"].id,
    "decision_id": lambda f, t, u: f.charter_objects(t)["decision"].id,
    "information_note_id": lambda f, t, u: f.charter_objects(t)["note"].id,
}
