"""A partnership governed by a charter, for the tests of charters, joint projects and decisions."""
from extensions import db
from facilitation.joint_projects import lifecycle
from facilitation.joint_projects.acting import Acting
from territorial.charters import operations as charters
from territorial.charters import queries as charter_queries
from territorial.charters import rules

FUNCTIONS = ["directeur", "president", "administrateur", "salarie"]
IDEA = {"space": "informel", "source": "besoin"}
RECORDS = {
    "constat": "Les familles partent peu.", "analyse": "Demande relevée aux accueils.",
    "propositions": "Un voyage par mois.", "mission": "Coordonner le groupe.",
    "temps_imparti": "4 h par semaine.",
}


# Who sits where (standing instances), by template.
SEATS = {
    "quartier_libre": {"copil": FUNCTIONS, "codir": ["directeur"],
                       "copredir": ["directeur", "president"]},
    "collectif_solidaire_val": {"assemblee": ["president", "administrateur"],
                                "bureau": ["president"]},
}


class Partnership:
    """Three houses, four people each, seated in the copil, the Codir and the Coprédir."""

    def __init__(self, factory, template_key="quartier_libre"):
        self.factory = factory
        self.territory = factory.territory()
        template = charter_queries.templates()[template_key]
        self.houses = [factory.organisation(self.territory, name=s["name"])
                       for s in template["signatories"]]
        self.charter = factory.charter(self.territory, template_key, structures=self.houses)
        self.people = {h.id: {f: factory.person(self.territory, h, function=f) for f in FUNCTIONS}
                       for h in self.houses}
        self.coordinator = factory.user(self.territory, role="coordinator")
        for key, functions in SEATS[template_key].items():
            instance = charter_queries.instance_row(self.charter, key)
            if instance is None:
                continue
            for house in self.houses:
                for function in functions:
                    charters.add_instance_member(self.charter, instance,
                                                 self.people[house.id][function].id, function)
        db.session.commit()

    def user_for(self, person, role="participant"):
        user = self.factory.user(self.territory, role=role)
        person.user_id = user.id
        db.session.commit()
        return user

    def on_behalf(self, kind="instance", **values):
        return Acting(kind, self.coordinator, may_record_on_behalf=True, **values)

    def new_project(self, acting=None, porteurs=None):
        first = rules.lifecycle(self.charter.governing)[0]
        return lifecycle.create_project(
            self.charter, title="Voyages culturels",
            porteur_organisation_ids=porteurs or [self.houses[1].id],
            acting=acting or self.on_behalf("porteurs"),
            options={name: IDEA.get(name, choices[0]["key"])
                     for name, choices in first.get("options", {}).items()},
            records={r["key"]: RECORDS.get(r["key"], "x") for r in first.get("records", [])})

    def decide_step(self, project, step_key, outcome=None, objections=()):
        """Put the step's decision to its instance; every member agrees but ``objections``
        (people); returns the decision, concluded."""
        from facilitation.decisions import operations as decisions

        step = rules.step_def(self.charter.governing, step_key)
        outcome = outcome or next(o["key"] for o in step["outcomes"] if not o["ends_project"])
        decision = decisions.create_decision(
            self.charter, charter_queries.instance_row(self.charter, step["instance"]),
            level=step["decision"]["level"], statement=f"{step['title']} : {project.title}",
            joint_project=project, step_key=step_key, step_outcome=outcome, user=self.coordinator)
        positions = {m.person_id: ("accord", "") for m in decisions.body_members(decision)}
        positions.update({person.id: ("objection", "Non") for person in objections})
        decisions.record_positions(decision, positions)
        decisions.conclude(decision, user=self.coordinator)
        return decision

    def act(self, project, step_key, **extra):
        step = rules.step_def(self.charter.governing, step_key)
        if step.get("decision") and project.step_key == step_key:
            self.decide_step(project, step_key, extra.get("outcome"))
            return lifecycle.transitions(project)[-1]
        if step.get("actor") == "each_structure":
            for house in self.houses:
                lifecycle.advance(project, step_key, self.on_behalf(
                    "structure", organisation_id=house.id),
                    appointee_id=self.people[house.id]["salarie"].id)
            return
        acting = (self.on_behalf("instance", instance_key=step["instance"]) if "instance" in step
                  else self.on_behalf("porteurs"))
        outcome = next((o["key"] for o in step.get("outcomes", []) if not o["ends_project"]), None)
        values = {"outcome": outcome,
                  "records": {r["key"]: RECORDS.get(r["key"], "x") for r in step.get("records", [])},
                  "options": {n: c[0]["key"] for n, c in step.get("options", {}).items()}}
        if step.get("appoints"):
            values["appointee_id"] = self.people[self.houses[1].id]["salarie"].id
        values.update(extra)
        return lifecycle.advance(project, step_key, acting, **values)

    def walk_to(self, project, step_key):
        for step in rules.lifecycle(self.charter.governing)[1:]:
            if step["key"] == step_key:
                return
            self.act(project, step["key"])
