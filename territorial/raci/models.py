"""The RACI grid and its rows (activities), columns (actors) and cells."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from territorial.common.models import TerritoryOwned
from territorial.common.owners import raci_owners
from territorial.common.versions import Versioned

LETTERS = {
    "R": _l("Réalise : fait le travail"),
    "A": _l("Approuve : rend des comptes, un seul par activité"),
    "A/R": _l("Approuve et réalise : rend des comptes et fait le travail"),
    "C": _l("Consulté : donne son avis avant"),
    "I": _l("Informé : tenu au courant après"),
}
LETTER_NAMES = {
    "R": _l("Réalise"),
    "A": _l("Approuve"),
    "A/R": _l("Approuve et réalise"),
    "C": _l("Consulté"),
    "I": _l("Informé"),
}


class RaciGrid(TerritoryOwned, db.Model):
    """A grid belongs to one owner, named by its type and id (no foreign key: any owner)."""
    __audit_name__ = _l("Grille RACI")
    __audit_link__ = ("raci.grid", {"grid_id": "id"})

    __table_args__ = (Index("ix_raci_grid_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Titre")})
    owner_type: Mapped[str] = mapped_column(
        String(40), info={"label": _l("Rattaché à (type)"), "hidden": True})
    owner_id: Mapped[int] = mapped_column(info={"label": _l("Rattaché à"), "owners": raci_owners})
    # When an actor is overloaded (territorial.raci.rules.Thresholds): None = the default.
    max_accountable: Mapped[int | None] = mapped_column(
        info={"label": _l("Seuil de surcharge (A)")})
    max_load: Mapped[int | None] = mapped_column(info={"label": _l("Seuil de surcharge (R et A)")})

    activities: Mapped[list["RaciActivity"]] = relationship(
        lazy="raise", order_by="(RaciActivity.position, RaciActivity.id)",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    actors: Mapped[list["RaciActor"]] = relationship(
        lazy="raise", order_by="(RaciActor.position, RaciActor.id)",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    cells: Mapped[list["RaciCell"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True,
    )


class RaciActivity(TerritoryOwned, db.Model):
    """A row. ``source_key`` lets an owner sync its rows (a method task key, "action:42")."""
    __audit_name__ = _l("Activité de la grille RACI")
    __audit_link__ = ("raci.grid", {"grid_id": "grid_id"})

    __table_args__ = (
        UniqueConstraint("grid_id", "source_key"),
        Index("ix_raci_activity_grid_position", "grid_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(
        ForeignKey("raci_grid.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Grille RACI")}
    )
    label: Mapped[str] = mapped_column(String(300), info={"label": _l("Libellé")})
    position: Mapped[int] = mapped_column(default=0)
    source_key: Mapped[str | None] = mapped_column(String(120), info={"hidden": True})

    def audit_label(self) -> str:
        return self.label


class RaciActor(TerritoryOwned, db.Model):
    """A column: an organisation or a person of the territory (or a free label)."""
    __audit_name__ = _l("Acteur de la grille RACI")
    __audit_link__ = ("raci.grid", {"grid_id": "grid_id"})

    __table_args__ = (
        UniqueConstraint("grid_id", "organisation_id", name="uq_raci_actor_grid_organisation"),
        UniqueConstraint("grid_id", "person_id", name="uq_raci_actor_grid_person"),
        CheckConstraint(
            "organisation_id IS NULL OR person_id IS NULL", name="one_kind_of_actor"
        ),
        Index("ix_raci_actor_grid_position", "grid_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(
        ForeignKey("raci_grid.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Grille RACI")}
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True,
        info={"label": _l("Organisation")}
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, info={"label": _l("Personne")}
    )
    label: Mapped[str] = mapped_column(String(250), info={"label": _l("Libellé")})
    position: Mapped[int] = mapped_column(default=0)

    def audit_label(self) -> str:
        return self.label


class RaciCell(Versioned, TerritoryOwned, db.Model):
    """A letter of the grid. Emptying a cell keeps its row with no letter, so that who emptied
    it, and when, is known to a colleague whose page still showed the letter."""
    __audit_name__ = _l("Case de la grille RACI")
    __audit_title__ = ("activity_id", "actor_id", "letter")
    __audit_link__ = ("raci.grid", {"grid_id": "grid_id"})

    __versioned__ = ("letter",)
    __table_args__ = (
        UniqueConstraint("activity_id", "actor_id"),
        CheckConstraint("letter IN ('R', 'A', 'A/R', 'C', 'I')", name="letter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(
        ForeignKey("raci_grid.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Grille RACI")}
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("raci_activity.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Activité")}
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("raci_actor.id", ondelete="CASCADE"), index=True, info={"label": _l("Acteur")}
    )
    letter: Mapped[str | None] = mapped_column(String(3), info={"label": _l("Lettre")})

    def audit_label(self) -> str:
        return self.letter or "—"
