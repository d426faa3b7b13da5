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
