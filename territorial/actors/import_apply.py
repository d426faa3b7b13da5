"""An import's plan written, once the user confirmed it and it has no problem: in the
request's one transaction, all or nothing."""
from flask_babel import gettext as _

from extensions import db
from territorial.actors.import_plan import ORGANISATION_ATTRIBUTES, PERSON_ATTRIBUTES, Plan
from territorial.actors.models import Organisation, Person
from territorial.common.errors import DomainError


def apply_plan(plan: Plan, territory_id: int) -> dict[str, int]:
    """Write what the plan says; returns the counts for the message. Raises when the plan
    has problems: the request then writes nothing."""
    if not plan.ready:
        raise DomainError(_("L'import a des erreurs : rien n'a été enregistré."))
    counts = {"created": 0, "updated": 0, "people": 0}
    created: list[Person] = []
    for org_plan in plan.organisations:
        organisation = org_plan.existing
        if organisation is None or org_plan.choice == "create":
            organisation = Organisation(territory_id=territory_id, name=org_plan.name,
                                        kind="autre")
            db.session.add(organisation)
            counts["created"] += 1
        if org_plan.existing is None or org_plan.choice in ("create", "update"):
            for key, value in org_plan.values.items():
                setattr(organisation, ORGANISATION_ATTRIBUTES[key], value)
            if org_plan.existing is not None and org_plan.choice == "update" \
                    and org_plan.changes:
                counts["updated"] += 1
        db.session.flush()
        created += _add_people(org_plan.people, territory_id, organisation.id)
    created += _add_people(plan.people, territory_id, None)
    for update in plan.updates:
        if update.choice == "update":
            person = db.session.get(Person, update.known.id)
            for name, value in update.values.items():
                setattr(person, name, value)
    db.session.flush()
    counts["people"] = len(created)
    counts["person_ids"] = [person.id for person in created] + [p.id for _l, p in plan.found]
    return counts


def _add_people(people: list[dict], territory_id: int, organisation_id: int | None
                ) -> list[Person]:
    added = [Person(territory_id=territory_id, organisation_id=organisation_id,
                    **{key: person[key] for key in PERSON_ATTRIBUTES}) for person in people]
    db.session.add_all(added)
    return added
