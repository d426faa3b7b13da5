"""Factories of test objects: ``factory.organisation(territory, name="…")``."""
import itertools

from territorial.accounts.models import Membership, User
from territorial.actors.models import Organisation, Person
from territorial.territories.models import Territory

TEST_PASSWORD = "Un-mot-de-passe-solide-42"
_sequence = itertools.count(1)


class Factory:
    def __init__(self, session):
        self.session = session

    def _add(self, obj):
        """Write the object in the test's transaction (a commit here only releases a
        SAVEPOINT: the test's outer transaction still rolls everything back)."""
        self.session.add(obj)
        self.session.commit()
        return obj

    def territory(self, **overrides) -> Territory:
        n = next(_sequence)
        values = {"name": f"Territoire {n}", "slug": f"territoire-{n}", "level": "commune"}
        return self._add(Territory(**(values | overrides)))

    def user(self, territory=None, role="coordinator", **overrides) -> User:
        n = next(_sequence)
        values = {"email": f"personne{n}@exemple.fr", "display_name": f"Personne {n}"}
        user = User(**(values | overrides))
        user.set_password(TEST_PASSWORD)
        self._add(user)
        if territory is not None:
            self._add(Membership(user_id=user.id, territory_id=territory.id, role=role))
        return user

    def membership(self, territory, role="participant") -> Membership:
        user = self.user()
        return self._add(Membership(user_id=user.id, territory_id=territory.id, role=role))

    def organisation(self, territory, **overrides) -> Organisation:
        n = next(_sequence)
        values = {"name": f"Organisation {n}", "kind": "association", "territory_id": territory.id}
        return self._add(Organisation(**(values | overrides)))

    def person(self, territory, organisation=None, **overrides) -> Person:
        n = next(_sequence)
        values = {
            "last_name": f"Nom{n}",
            "first_name": "Camille",
            "territory_id": territory.id,
            "organisation_id": organisation.id if organisation else None,
        }
        return self._add(Person(**(values | overrides)))

    # RACI grids (issue 6) -----------------------------------------------------
    def raci_grid(self, territory, owner_type="project", owner_id=1, title="Grille", *,
                  activities=(), actors=()):
        """A grid with activities (labels) and actors (organisations of the territory
        are created for the given names)."""
        from territorial.raci.models import RaciActivity, RaciActor, RaciGrid

        grid = self._add(RaciGrid(territory_id=territory.id, owner_type=owner_type,
                                  owner_id=owner_id, title=title))
        for position, label in enumerate(activities, start=1):
            self._add(RaciActivity(territory_id=territory.id, grid_id=grid.id, label=label,
                                   position=position))
        for position, name in enumerate(actors, start=1):
            organisation = self.organisation(territory, name=name)
            self._add(RaciActor(territory_id=territory.id, grid_id=grid.id,
                                organisation_id=organisation.id, label=name,
                                position=position))
        return grid

    def raci_activity(self, territory):
        from territorial.raci.models import RaciActivity

        grid = self.raci_grid(territory)
        return self._add(RaciActivity(territory_id=territory.id, grid_id=grid.id,
                                      label="Activité", position=1))

    def raci_actor(self, territory):
        from territorial.raci.models import RaciActor

        grid = self.raci_grid(territory)
        return self._add(RaciActor(territory_id=territory.id, grid_id=grid.id,
                                   label="Acteur", position=1))

    # Action plans and indicators ------------------------------------------------------

    def action_plan(self, territory, owner_type="partnership", owner_id=None,
                    axes=("Communication",), **overrides):
        from facilitation.action_plans.models import ActionPlan, ActionPlanAxis

        n = next(_sequence)
        values = {"title": f"Plan d'action {n}", "territory_id": territory.id,
                  "owner_type": owner_type,
                  "owner_id": territory.id if owner_id is None else owner_id}
        plan = self._add(ActionPlan(**(values | overrides)))
        for position, title in enumerate(axes, start=1):
            self._add(ActionPlanAxis(plan_id=plan.id, territory_id=territory.id,
                                     key=f"axe_{position}", title=title, position=position))
        return plan

    def action(self, plan, **overrides):
        from facilitation.action_plans.models import Action

        n = next(_sequence)
        values = {"title": f"Action {n}", "plan_id": plan.id, "territory_id": plan.territory_id,
                  "position": n}
        return self._add(Action(**(values | overrides)))

    def indicator(self, territory, owner_type="action_plan", owner_id=0, **overrides):
        from territorial.indicators.models import Indicator

        n = next(_sequence)
        values = {"title": f"Indicateur {n}", "territory_id": territory.id,
                  "owner_type": owner_type, "owner_id": owner_id, "kind": "quantitative",
                  "unit": "personnes"}
        return self._add(Indicator(**(values | overrides)))

    # Issue 3: experiments, working groups, sessions ------------------------------------
    def experiment(self, territory, themes=(), **overrides):
        """An experiment created from the « Agir ensemble » method (sections, parts,
        deliverables, sessions; one group per theme)."""
        from datetime import date

        from facilitation.experiments.methods import get_method
        from facilitation.experiments.operations import create_experiment

        n = next(_sequence)
        values = {"title": f"Expérimentation {n}", "perimeter": "Territoire d'essai",
                  "start_date": date(2026, 1, 5)}
        return create_experiment(territory.id, get_method("agir_ensemble"),
                                 themes=themes, **(values | overrides))

    def working_group(self, territory, experiment=None, members=(), **overrides):
        from facilitation.working_groups.models import WorkingGroup, WorkingGroupMember

        n = next(_sequence)
        values = {"title": f"Groupe {n}", "territory_id": territory.id,
                  "experiment_id": experiment.id if experiment else None}
        group = self._add(WorkingGroup(**(values | overrides)))
        for person in members:
            self._add(WorkingGroupMember(territory_id=territory.id, working_group_id=group.id,
                                         person_id=person.id))
        return group

    def meeting_session(self, territory, agenda=("Accueil",), **overrides):
        """A session (« séance ») with an agenda; ``Session`` is SQLAlchemy's name too."""
        from datetime import UTC, datetime, timedelta

        from facilitation.sessions.operations import create_session

        starts_at = overrides.pop("starts_at", datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        values = {"kind": "autre", "title": f"Séance {next(_sequence)}", "starts_at": starts_at,
                  "ends_at": starts_at + timedelta(hours=2)}
        return create_session(territory.id, agenda=list(agenda), **(values | overrides))

    # Projects, frise, pas de côté, reviews (issue 6) ----------------------------------
    def project(self, territory, **overrides):
        from datetime import date

        from territorial.projects.operations import create_project

        values = {"title": f"Projet {next(_sequence)}", "starts_on": date(2026, 1, 1),
                  "ends_on": date(2027, 12, 31)}
        return create_project(territory.id, values | overrides)

    def frise(self, project):
        from territorial.projects.operations import frise_of
        from territorial.timelines.queries import load_timeline

        return load_timeline(frise_of(project))

    def frise_entry(self, territory, project=None, level=0, term="court", **partner):
        """An entry for a new organisation (or the ``organisation=`` / ``person=`` given)."""
        from territorial.timelines.operations import add_entry

        timeline = self.frise(project or self.project(territory))
        if not partner:
            partner = {"organisation": self.organisation(territory)}
        return add_entry(timeline, level_id=timeline.levels[level].id, term=term, **partner)

    def frise_contact(self, territory):
        from datetime import date

        from territorial.timelines.operations import add_contact

        return add_contact(self.frise_entry(territory), "met", date(2026, 3, 1))

    def frise_level(self, territory):
        return self.frise(self.project(territory)).levels[0]

    def step_aside_note(self, territory, entry=None, kind="frein", answer=""):
        from territorial.timelines.operations import add_note

        return add_note(entry or self.frise_entry(territory), kind=kind, category="financier",
                        text="Un frein", answer=answer)

    def project_review(self, territory, project=None, **overrides):
        from datetime import date

        from territorial.reviews.models import Review

        project = project or self.project(territory)
        values = {"title": "Bilan", "held_on": date(2026, 6, 1), "project_id": project.id,
                  "territory_id": territory.id, "figures": []}
        return self._add(Review(**(values | overrides)))

    def review_photo(self, territory, review=None):
        from territorial.reviews.operations import add_photo

        review = review or self.project_review(territory)
        return add_photo(review, TINY_PNG, "Une halte du camion")

    def review_guest(self, territory, review=None):
        from territorial.reviews.models import ReviewGuest

        review = review or self.project_review(territory)
        return self._add(ReviewGuest(territory_id=territory.id, review_id=review.id,
                                     kind="field_visit",
                                     organisation_id=self.organisation(territory).id))

    def issue6_objects(self, territory) -> dict:
        """One project of the territory with a frise entry, contact, note, review, photo,
        guest and a RACI grid with a row and a column, all linked, so that nested URLs
        (/frises/<timeline_id>/entries/<frise_entry_id>…) get ids that belong together.
        Made once per territory and test (for tests/route_ids.py)."""
        cache = self.__dict__.setdefault("_issue6", {})
        if territory.id not in cache:
            from datetime import date

            from territorial.projects.operations import grid_of
            from territorial.raci.operations import add_activity, add_actor
            from territorial.timelines.operations import add_contact

            project = self.project(territory)
            entry = self.frise_entry(territory, project)
            review = self.project_review(territory, project)
            grid = grid_of(project)
            cache[territory.id] = {
                "project": project, "entry": entry,
                "contact": add_contact(entry, "met", date(2026, 3, 1)),
                "note": self.step_aside_note(territory, entry),
                "review": review, "photo": self.review_photo(territory, review),
                "guest": self.review_guest(territory, review), "grid": grid,
                "activity": add_activity(grid, "Repérer les lieux"),
                "actor": add_actor(grid, organisation=self.organisation(territory)),
            }
        return cache[territory.id]

    # Issue 4: live sessions (attendance, cards, clusters, dot votes) -----------------------
    def attendee(self, session, person=None, **overrides):
        from facilitation.sessions.live.models import Attendee

        n = next(_sequence)
        values = {"territory_id": session.territory_id, "session_id": session.id,
                  "person_id": person.id if person else None,
                  "name": person.full_name if person else f"Invité {n}",
                  "is_guest": person is None, "status": "present"}
        return self._add(Attendee(**(values | overrides)))

    def card(self, session, text="Une contribution", kind=None, **overrides):
        """A contribution card on the board of ``session`` (first kind of the session)."""
        from facilitation.sessions.live.models import Contribution
        from facilitation.sessions.live.rules import kinds_for

        if kind is None:
            kind = kinds_for(session)[0]["key"] if session.experiment_id is None else {
                "gt1": "constat", "gt2": "piste", "gt3": "action"}.get(session.kind, "idee")
        values = {"territory_id": session.territory_id, "session_id": session.id,
                  "kind": kind, "text": text, "author_name": "Camille Test",
                  "position": next(_sequence)}
        return self._add(Contribution(**(values | overrides)))

    def card_cluster(self, session, title="Regroupement"):
        from facilitation.sessions.live.models import Cluster

        return self._add(Cluster(territory_id=session.territory_id, session_id=session.id,
                                 title=title, position=next(_sequence)))

    def dot_vote(self, session, cards, dots=3, **overrides):
        from facilitation.sessions.live.models import DotVote, DotVoteOption

        values = {"territory_id": session.territory_id, "session_id": session.id,
                  "title": "Quelles pistes retenir ?", "dots_per_participant": dots,
                  "status": "ouvert"}
        vote = self._add(DotVote(**(values | overrides)))
        for card in cards:
            self._add(DotVoteOption(territory_id=session.territory_id, vote_id=vote.id,
                                    contribution_id=card.id))
        return vote


    # Issue 8: conventions with associations -------------------------------------------
    def convention(self, territory, *, start_year=2024, end_year=2026, authority=None,
                   association=None, **overrides):
        """A convention between a new collectivité and a new association."""
        from territorial.conventions.models import Convention

        n = next(_sequence)
        authority = authority or self.organisation(territory, kind="collectivite",
                                                   name=f"Région {n}")
        association = association or self.organisation(territory, name=f"Association {n}")
        values = {"territory_id": territory.id, "reference": f"CONV-{n}",
                  "title": f"Convention {n}", "authority_id": authority.id,
                  "association_id": association.id, "start_year": start_year,
                  "end_year": end_year, "status": "en_cours"}
        return self._add(Convention(**(values | overrides)))

    def convention_priority(self, territory, authority=None, **overrides):
        from territorial.conventions.models import Priority

        n = next(_sequence)
        if authority is None:
            authority = self.organisation(territory, kind="collectivite")
        values = {"territory_id": territory.id, "authority_id": authority.id,
                  "title": f"Priorité {n}", "position": n}
        return self._add(Priority(**(values | overrides)))

    def convention_objective(self, territory, convention=None, priority=None, **overrides):
        from territorial.conventions.models import ConventionObjective

        convention = convention or self.convention(territory)
        if priority is None:
            from territorial.actors.models import Organisation

            priority = self.convention_priority(
                territory, authority=self.session.get(Organisation, convention.authority_id))
        n = next(_sequence)
        values = {"territory_id": territory.id, "convention_id": convention.id,
                  "priority_id": priority.id, "title": f"Objectif {n}", "position": n}
        return self._add(ConventionObjective(**(values | overrides)))

    def convention_indicator(self, territory, objective=None, *, targets=None, values=None,
                             **overrides):
        """An indicator of a convention objective; ``targets`` / ``values`` map a year to
        a number (values are validated)."""
        from datetime import UTC, datetime
        from decimal import Decimal

        from territorial.indicators.models import IndicatorTarget, IndicatorValue

        objective = objective or self.convention_objective(territory)
        indicator = self.indicator(territory, owner_type="convention_objective",
                                   owner_id=objective.id, **overrides)
        for year, value in (targets or {}).items():
            self._add(IndicatorTarget(territory_id=territory.id, indicator_id=indicator.id,
                                      year=year, value=Decimal(str(value))))
        for year, value in (values or {}).items():
            self._add(IndicatorValue(territory_id=territory.id, indicator_id=indicator.id,
                                     year=year, value=Decimal(str(value)),
                                     validated_at=datetime.now(UTC)))
        return indicator

    def convention_value(self, territory, indicator=None, year=2025, value=10, **overrides):
        """A value waiting for validation."""
        from decimal import Decimal

        from territorial.indicators.models import IndicatorValue

        indicator = indicator or self.convention_indicator(territory, targets={year: 12})
        values = {"territory_id": territory.id, "indicator_id": indicator.id, "year": year,
                  "value": Decimal(str(value))}
        return self._add(IndicatorValue(**(values | overrides)))

    def convention_funder(self, territory, convention=None):
        from territorial.conventions.models import ConventionFunder

        convention = convention or self.convention(territory)
        funder = self.organisation(territory, kind="collectivite")
        return self._add(ConventionFunder(territory_id=territory.id, convention_id=convention.id,
                                          organisation_id=funder.id))

    def convention_amount(self, territory, convention=None, year=2024, amount=1000):
        from decimal import Decimal

        from territorial.conventions.models import ConventionAmount

        convention = convention or self.convention(territory)
        return self._add(ConventionAmount(territory_id=territory.id, convention_id=convention.id,
                                          year=year, amount=Decimal(amount),
                                          funder_id=convention.authority_id))

    def convention_document(self, territory, convention=None):
        from territorial.conventions.models import ConventionDocument

        convention = convention or self.convention(territory)
        return self._add(ConventionDocument(territory_id=territory.id, convention_id=convention.id,
                                            title="Convention signée", kind="convention"))

    def convention_member(self, territory, convention=None, user=None):
        """An association account (role « partner ») given access to a convention."""
        from territorial.conventions.models import ConventionMember

        convention = convention or self.convention(territory)
        user = user or self.user(territory, role="partner")
        return self._add(ConventionMember(territory_id=territory.id, convention_id=convention.id,
                                          user_id=user.id))

    def dialogue_note(self, territory, indicator=None, year=2025, party="authority", **overrides):
        from sqlalchemy import select

        from territorial.conventions.models import ConventionObjective, DialogueNote

        indicator = indicator or self.convention_indicator(territory)
        convention_id = self.session.scalar(select(ConventionObjective.convention_id).where(
            ConventionObjective.id == indicator.owner_id))
        values = {"territory_id": territory.id, "convention_id": convention_id,
                  "indicator_id": indicator.id, "year": year, "party": party,
                  "text": "Une note du dialogue."}
        return self._add(DialogueNote(**(values | overrides)))

    # Charter governance (issue 7) -------------------------------------------------------
    def charter(self, territory, template_key="quartier_libre", structures=None, **options):
        """A charter instantiated from a template, its signatories created as organisations of
        the territory unless ``structures`` (organisations) are given; adopted (so that it is in
        force) unless ``adopted_on=None`` is given."""
        from datetime import date

        from territorial.charters import operations

        from territorial.charters import queries as charter_queries

        options.setdefault("adopted_on", date(2013, 6, 24))
        if structures is None:
            template = charter_queries.templates()[template_key]
            structures = [self.organisation(territory, name=s["name"]) for s in template["signatories"]]
        charter = operations.create_charter(
            territory.id, template_key, organisation_ids=[o.id for o in structures], **options)
        self.session.commit()
        return charter

    def charter_objects(self, territory) -> dict:
        """One charter of the territory and one object of each kind hanging from it
        (for the route tests: every object belongs to the same charter)."""
        cache = self.__dict__.setdefault("_charter_objects", {})
        if territory.id in cache:
            return cache[territory.id]
        from datetime import date

        from facilitation.decisions.models import Decision, InformationNote
        from facilitation.joint_projects.models import (
            BudgetLine,
            JointProject,
            ProjectMeans,
            ProjectObjective,
            ProjectTransition,
        )
        from territorial.charters.models import CharterInstance, CharterMember, InstanceMember
        from territorial.charters.record_models import Delegation
        from sqlalchemy import select

        charter = self.charter(territory)
        member = self.session.scalars(select(CharterMember).where(
            CharterMember.charter_id == charter.id)).first()
        instance = self.session.scalar(select(CharterInstance).where(
            CharterInstance.charter_id == charter.id, CharterInstance.per_project.is_(False)))
        person = self.person(territory, organisation_id=member.organisation_id)
        other = self.person(territory, organisation_id=member.organisation_id)
        seat = self._add(InstanceMember(territory_id=territory.id, instance_id=instance.id,
                                        person_id=person.id, organisation_id=member.organisation_id,
                                        function="directeur"))
        project = self._add(JointProject(territory_id=territory.id, charter_id=charter.id,
                                         title="Projet commun", status="en_cours",
                                         step_key="decision", finalites=["Ouverture"]))
        transition = self._add(ProjectTransition(
            territory_id=territory.id, project_id=project.id, step_key="chef_projet",
            step_title="Nomination du chef de projet", acting_kind="instance",
            acting_instance_key="codir", acting_label="Codir", appointee_id=person.id,
            data={"records": {"mission": "Coordonner"}, "options": {}}, on_behalf=True))
        session = self.meeting_session(territory, body_type="charter_instance",
                                       body_id=instance.id)
        decision = self._add(Decision(territory_id=territory.id, charter_id=charter.id,
                                      instance_id=instance.id, level="strategique",
                                      statement="Une décision", outcome="pending",
                                      joint_project_id=project.id, session_id=session.id))
        cache[territory.id] = {
            "charter": charter, "member": member, "instance": instance, "seat": seat,
            "project": project, "transition": transition, "decision": decision,
            "delegation": self._add(Delegation(
                territory_id=territory.id, charter_id=charter.id, delegator_id=person.id,
                delegate_id=other.id, subject="Animation", scope="partie",
                starts_on=date(2025, 1, 1))),
            "objective": self._add(ProjectObjective(territory_id=territory.id,
                                                    project_id=project.id, text="Un objectif")),
            "means": self._add(ProjectMeans(territory_id=territory.id, project_id=project.id,
                                            kind="salle", description="Une salle",
                                            organisation_id=member.organisation_id)),
            "budget_line": self._add(BudgetLine(territory_id=territory.id, project_id=project.id,
                                                category="charge_externe", label="Transport",
                                                planned=100)),
            "note": self._add(InformationNote(territory_id=territory.id, charter_id=charter.id,
                                              instance_id=instance.id, session_id=session.id,
                                              title="Note", body="Texte")),
        }
        return cache[territory.id]

# A valid 1×1 PNG, for photo tests.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e0b8c1"
    "6b0000000049454e44ae426082")
