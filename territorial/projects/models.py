"""A partnership project of a territory."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from territorial.common.models import TerritoryOwned

OWNER_TYPE = "project"  # the owner_type of the project's frise and RACI grid


class Project(TerritoryOwned, db.Model):
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
                        name="span"),
        Index("ix_project_territory_title", "territory_id", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")  # le « pourquoi » agreed with partners
    objectives: Mapped[str] = mapped_column(Text, default="")  # one per line
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def objective_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.objectives.splitlines() if line.strip(" -•\t")]
