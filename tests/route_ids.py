"""For the route-authorisation test: how to make, in a given territory, an object for
each kind of id that URLs take. A route whose id argument is missing here makes
``test_access_routes`` fail, so that no new route escapes the check: add a line.

Each maker is ``maker(factory, territory, user) -> int`` (``user`` is a coordinator
of that territory, for objects that belong to someone).
"""
from territorial.actors.models import ImportBatch


def _import_batch(factory, territory, user) -> int:
    batch = ImportBatch(territory_id=territory.id, user_id=user.id, filename="x.csv", rows=[])
    return factory._add(batch).id


ID_MAKERS = {
    "organisation_id": lambda f, t, u: f.organisation(t).id,
    "person_id": lambda f, t, u: f.person(t).id,
    "membership_id": lambda f, t, u: f.membership(t).id,
    "batch_id": _import_batch,
}

# Routes outside /t/<territory>/ that take an argument, with why they are safe.
UNSCOPED_ROUTES = {
    "/invitations/<token>": "signed, single-use token",
    "/password/reset/<token>": "signed token tied to the current password",
    "/static/<path:filename>": "public files",
}
