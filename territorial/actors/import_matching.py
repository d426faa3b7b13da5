"""What an import finds already in the territory: its organisations by name (accents and
case ignored), its people by email, else by name within an organisation, else by a name
nobody else bears."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from extensions import db
from territorial.actors.models import Organisation, Person
from territorial.common.text import fold


def existing_organisations(territory_id: int) -> dict[str, Organisation]:
    found = db.session.scalars(
        select(Organisation).where(Organisation.territory_id == territory_id)
        .order_by(Organisation.archived_at.is_not(None), Organisation.id))
    existing: dict[str, Organisation] = {}
    for organisation in found:
        existing.setdefault(fold(organisation.name), organisation)
    return existing


ANYWHERE = "*"  # a person's name in any organisation


@dataclass(frozen=True)
class Known:
    """A person of the directory, as much of them as an import says and needs."""
    id: int
    first_name: str
    last_name: str
    function: str
    email: str
    organisation_id: int | None
    archived_at: datetime | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Directory:
    """The territory's people, found by email, else by name within an organisation, else by
    a name nobody else bears (read in one query, their columns only)."""

    def __init__(self, territory_id: int) -> None:
        self.by_email: dict[str, Known] = {}
        self.by_name: dict[tuple, list[Known]] = {}
        rows = db.session.execute(
            select(*(getattr(Person, name) for name in Known.__dataclass_fields__))
            .where(Person.territory_id == territory_id)
            .order_by(Person.archived_at.is_not(None), Person.id))
        for person in (Known(*row) for row in rows):
            if person.email:
                self.by_email.setdefault(person.email.lower(), person)
            names = (fold(person.first_name), fold(person.last_name))
            self.by_name.setdefault((person.organisation_id, *names), []).append(person)
            self.by_name.setdefault((ANYWHERE, *names), []).append(person)

    def find(self, person: dict, organisation_id) -> Known | None:
        """``organisation_id``: the existing organisation of the row, ``None`` for none,
        ``False`` for an organisation about to be created (nobody is in it yet)."""
        if person["email"] and (found := self.by_email.get(person["email"].lower())):
            return found
        names = (fold(person["first_name"]), fold(person["last_name"]))
        if organisation_id is False:
            return None
        same = self.by_name.get((organisation_id or ANYWHERE, *names), [])
        return same[0] if len(same) == 1 or (same and organisation_id) else None
