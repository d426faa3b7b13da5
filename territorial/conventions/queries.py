"""Queries of conventions (what their pages load, in a fixed number of queries whatever
their size), and the standings the policy asks about them (``territorial.access``: who
follows a convention, who changes a note)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask import g
from flask_login import current_user
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from territorial.access import standing
from territorial.accounts.models import Membership, User
from territorial.actors.models import Organisation
from territorial.charters.models import Charter
from territorial.common.collation import french
from territorial.common.loading import grouped, rows, set_children
from territorial.conventions import rules
from territorial.conventions.models import (
    OWNER_TYPE,
    Convention,
    ConventionAmount,
    ConventionDocument,
    ConventionFunder,
    ConventionMember,
    ConventionObjective,
    ConventionTerms,
    DialogueNote,
    Priority,
)
from territorial.indicators import operations as indicator_operations
from territorial.indicators.models import Indicator, IndicatorTarget, IndicatorValue


def is_member(convention_id: int, user_id: int) -> bool:
    """Is this account one of the association's accounts of the convention?"""
    return db.session.scalar(select(ConventionMember.id).where(
        ConventionMember.convention_id == convention_id,
        ConventionMember.user_id == user_id)) is not None


@standing("follow", Convention)
@standing("enter_values", Convention)
@standing("note", Convention)
def follows(convention: Convention) -> bool:
    """The association's accounts follow their convention, enter its values, write notes."""
    known = g.setdefault("convention_members", {})
    if convention.id not in known:
        known[convention.id] = is_member(convention.id, current_user.id)
    return known[convention.id]


@standing("validate_value", Convention)
def validates(convention: Convention) -> bool:
    """Only the authority's coordination validates values: no one by standing."""
    return False


@standing("change_note", DialogueNote)
def wrote(note: DialogueNote) -> bool:
    return note.author_id == current_user.id


def partner_accounts(territory_id: int) -> list[User]:
    """Accounts of the territory with the « partner » role (an association's access)."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.territory_id == territory_id, Membership.role == "partner")
        .order_by(french(User.display_name), User.id)))


def priorities_for(convention: Convention) -> list[Priority]:
    """The priorities an objective of this convention may serve: the authority's and
    its co-funders'."""
    owners = {convention.authority_id} | set(db.session.scalars(select(
        ConventionFunder.organisation_id).where(ConventionFunder.convention_id == convention.id)))
    return list(db.session.scalars(
        select(Priority).where(Priority.territory_id == convention.territory_id,
                               Priority.authority_id.in_(owners))
        .options(joinedload(Priority.authority))
        .order_by(Priority.authority_id != convention.authority_id, Priority.position,
                  Priority.id)))


def current_targets(indicator: Indicator) -> list[IndicatorTarget]:
    return list(db.session.scalars(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator.id).order_by(IndicatorTarget.year)))


def pending_value(indicator: Indicator, year) -> IndicatorValue | None:
    return db.session.scalar(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id,
                                     IndicatorValue.year == int(year),
                                     IndicatorValue.validated_at.is_(None))
        .order_by(IndicatorValue.id.desc()).limit(1))


def load_convention(territory_id: int, convention_id: int, *, details: bool = True
                    ) -> Convention | None:
    """A convention with everything its pages show (a fixed number of queries); without
    ``details``, only its parties and objectives (what its dashboard shows), not its
    charter, funders, amounts, documents and members."""
    convention = db.session.scalar(_convention_statement(details), {
        "convention_id": convention_id, "territory_id": territory_id})
    if convention is not None:
        for collection, statement in _children(details):
            set_children([convention], collection, statement, "convention_id",
                         {"convention_id": convention.id})
    return convention


@cache
def _convention_statement(details: bool):
    """The convention (parameters ``convention_id``, ``territory_id``) with its parties,
    and its charter's title with ``details``: built once."""
    options = [joinedload(Convention.authority), joinedload(Convention.association)]
    if details:
        options.append(joinedload(Convention.charter).load_only(Charter.title))  # not its texts
    return (select(Convention)
            .where(Convention.id == bindparam("convention_id"),
                   Convention.territory_id == bindparam("territory_id"))
            .options(*options))


@cache
def _children(details: bool) -> tuple[tuple[str, object], ...]:
    """The collections of a convention its pages show, each a plain query in the
    relationship's order (``set_children``: half the cost of ``selectinload``), of the
    convention of the parameter ``convention_id``: built once."""
    convention_id = bindparam("convention_id")
    children = [("objectives", select(ConventionObjective)
                 .where(ConventionObjective.convention_id == convention_id)
                 .options(joinedload(ConventionObjective.priority))
                 .order_by(ConventionObjective.position, ConventionObjective.id))]
    if details:
        children += [
            ("funders", select(ConventionFunder)
             .where(ConventionFunder.convention_id == convention_id)
             .options(joinedload(ConventionFunder.organisation)).order_by(ConventionFunder.id)),
            ("amounts", select(ConventionAmount)
             .where(ConventionAmount.convention_id == convention_id)
             .options(joinedload(ConventionAmount.funder))
             .order_by(ConventionAmount.year, ConventionAmount.id)),
            ("documents", select(ConventionDocument)
             .where(ConventionDocument.convention_id == convention_id)
             .order_by(ConventionDocument.document_date, ConventionDocument.id)),
            ("members", select(ConventionMember)
             .where(ConventionMember.convention_id == convention_id)
             .options(joinedload(ConventionMember.user)).order_by(ConventionMember.id)),
        ]
    return tuple(children)


def indicators_of(objectives: Iterable[ConventionObjective], territory_id: int
                  ) -> dict[int, list[Indicator]]:
    return indicator_operations.indicators_for(OWNER_TYPE, [o.id for o in objectives],
                                               territory_id=territory_id)


def load_value_authors(values) -> dict[int, User]:
    """The users who entered these values, by id (one query; none without values)."""
    ids = {value.entered_by_id for value in values if value.entered_by_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def notes_of(convention_id: int, year: int | None = None) -> dict[tuple[int, int], list[DialogueNote]]:
    """Dialogue notes by (indicator id, year), oldest first, with their authors."""
    statement = (select(DialogueNote).where(DialogueNote.convention_id == convention_id)
                 .options(joinedload(DialogueNote.author))
                 .order_by(DialogueNote.year, DialogueNote.created_at, DialogueNote.id))
    if year is not None:
        statement = statement.where(DialogueNote.year == year)
    notes: dict[tuple[int, int], list[DialogueNote]] = defaultdict(list)
    for note in db.session.scalars(statement):
        notes[(note.indicator_id, note.year)].append(note)
    return notes


def indicator_context(territory_id: int, indicator_id: int):
    """(indicator, objective, convention) of a convention's indicator, or None."""
    indicator = db.session.scalar(
        select(Indicator).where(Indicator.id == indicator_id, Indicator.territory_id == territory_id,
                                Indicator.owner_type == OWNER_TYPE))
    if indicator is None:
        return None
    objective = db.session.scalar(
        select(ConventionObjective).where(ConventionObjective.id == indicator.owner_id,
                                          ConventionObjective.territory_id == territory_id)
        .options(joinedload(ConventionObjective.convention).joinedload(Convention.association)))
    if objective is None:
        return None
    indicator_operations.load_measures([indicator], [indicator.id])
    return indicator, objective, objective.convention


def conventions_of_member(territory_id: int, user_id: int) -> list[Convention]:
    return list(db.session.scalars(
        select(Convention).join(ConventionMember, ConventionMember.convention_id == Convention.id)
        .where(Convention.territory_id == territory_id, ConventionMember.user_id == user_id)
        .options(selectinload(Convention.authority), selectinload(Convention.association),
                 selectinload(Convention.objectives))
        .order_by(Convention.start_year.desc(), Convention.reference)))


@dataclass
class Portfolio:
    summaries: list[rules.Summary]
    dashboards: list[rules.Dashboard]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "conventions": len(self.summaries),
            "objectives": sum(s.objectives for s in self.summaries),
            "on_track": sum(s.on_track for s in self.summaries),
            "behind": sum(s.behind for s in self.summaries),
            "pending": sum(s.pending_values for s in self.summaries),
            "conversations": sum(1 for s in self.summaries if s.needs_conversation),
        }


def portfolio(territory_id: int, today_year: int, authority_id: int | None = None, *,
              with_dashboards: bool = True) -> Portfolio:
    """Every convention of the territory (or of one authority) with its summary and its
    dashboard. The number of queries does not depend on the number of conventions: their
    objectives and amounts come in one query each, grouped here (eager loading them onto
    hundreds of conventions, most without any, cost more than the rest of the page).
    Without the dashboards (the page, not the XLSX), the conventions are ``ListedConvention``
    rows rather than model objects."""
    chosen = [Convention.territory_id == territory_id]
    if authority_id:
        chosen.append(Convention.authority_id == authority_id)
    if with_dashboards:
        conventions = db.session.scalars(
            select(Convention).where(*chosen)
            .options(joinedload(Convention.authority), joinedload(Convention.association))
            .order_by(Convention.reference, Convention.id)).all()
    else:
        conventions = _listed_conventions(chosen)
    ids = select(Convention.id).where(*chosen)
    objectives = grouped(
        select(ConventionObjective).where(ConventionObjective.convention_id.in_(ids))
        .options(joinedload(ConventionObjective.priority))
        .order_by(ConventionObjective.position, ConventionObjective.id), "convention_id")
    amounts = grouped(
        select(ConventionAmount).where(ConventionAmount.convention_id.in_(ids))
        .order_by(ConventionAmount.year, ConventionAmount.id), "convention_id")
    indicators = indicators_of([o for items in objectives.values() for o in items], territory_id)
    summaries, dashboards = [], []
    for convention in conventions:
        own = objectives[convention.id]
        summaries.append(rules.summarise(convention, own, indicators, today_year,
                                         amounts=amounts[convention.id]))
        if with_dashboards:  # the XLSX needs them, the page does not
            dashboards.append(rules.build_dashboard(convention, own, indicators))
    return Portfolio(summaries, dashboards)


@dataclass(frozen=True)
class ListedConvention(ConventionTerms):
    """A convention as the portfolio page lists it, read as columns rather than as a model
    object: a territory has hundreds of conventions, and the page sums them all up."""

    id: int
    reference: str
    status: str
    start_year: int
    end_year: int
    association: Organisation


def _listed_conventions(chosen: list) -> list[ListedConvention]:
    associations = {organisation.id: organisation for organisation in db.session.scalars(
        select(Organisation).where(
            Organisation.id.in_(select(Convention.association_id).where(*chosen))))}
    listed = rows(
        select(Convention.id, Convention.reference, Convention.status, Convention.start_year,
               Convention.end_year, Convention.association_id)
        .where(*chosen).order_by(Convention.reference, Convention.id))
    return [ListedConvention(id_, reference, status, start, end, associations[association_id])
            for id_, reference, status, start, end, association_id in listed]


def authorities(territory_id: int) -> list[Organisation]:
    """Organisations that sign conventions or own priorities (for the filters)."""
    ids = select(Convention.authority_id).where(Convention.territory_id == territory_id).union(
        select(Priority.authority_id).where(Priority.territory_id == territory_id))
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(ids)).order_by(french(Organisation.name))))


def organisations(territory_id: int, kinds: tuple[str, ...] | None = None) -> list[Organisation]:
    statement = (select(Organisation).where(Organisation.territory_id == territory_id,
                                            Organisation.archived_at.is_(None))
                 .order_by(french(Organisation.name)))
    if kinds:
        statement = statement.where(Organisation.kind.in_(kinds))
    return list(db.session.scalars(statement))


def charters(territory_id: int) -> list[Charter]:
    return list(db.session.scalars(
        select(Charter).where(Charter.territory_id == territory_id)
        .order_by(french(Charter.title))))


def _values_waiting(territory_id, *columns):
    """The values entered by associations and not validated yet, on the territory's
    conventions: ``columns`` of their rows (convention, objective's indicator, value,
    association)."""
    return (select(*columns)
            .join(ConventionObjective, ConventionObjective.convention_id == Convention.id)
            .join(Indicator, (Indicator.owner_type == OWNER_TYPE)
                  & (Indicator.owner_id == ConventionObjective.id))
            .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
            .join(Organisation, Organisation.id == Convention.association_id)
            .where(Convention.territory_id == territory_id, IndicatorValue.validated_at.is_(None)))


def values_to_validate(territory_id: int, limit: int = 6) -> list[tuple[int, str, str, int]]:
    """(convention id, reference, association, number of values entered by the association
    and not validated yet), for the authority's home page."""
    return db.session.execute(
        _values_waiting(territory_id, Convention.id, Convention.reference, Organisation.name,
                        func.count(IndicatorValue.id))
        .group_by(Convention.id, Convention.reference, Organisation.name)
        .order_by(Convention.reference).limit(limit)).all()


def any_value_to_validate(territory_id):
    """SQL condition: a value of the territory's conventions waits for validation
    (``territory_id``: an id or a bound parameter)."""
    return _values_waiting(territory_id, Convention.id).exists()


def conventions_of_organisation(organisation, limit: int = 10) -> list[Convention]:
    """The conventions an organisation signed, as the authority or as the association."""
    return list(db.session.scalars(
        select(Convention).where(Convention.territory_id == organisation.territory_id,
                                 (Convention.association_id == organisation.id)
                                 | (Convention.authority_id == organisation.id))
        .order_by(Convention.start_year.desc(), Convention.reference).limit(limit)))


def conventions_statement(territory_id: int, status: str = "", authority_id: int | None = None):
    """The conventions' list, newest first, filtered by status and by authority."""
    statement = (select(Convention).where(Convention.territory_id == territory_id)
                 .options(selectinload(Convention.authority), selectinload(Convention.association))
                 .order_by(Convention.start_year.desc(), Convention.reference))
    if status:
        statement = statement.where(Convention.status == status)
    if authority_id:
        statement = statement.where(Convention.authority_id == authority_id)
    return statement


def convention_id_of_objective(objective_id: int) -> int | None:
    return db.session.scalar(
        select(ConventionObjective.convention_id).where(ConventionObjective.id == objective_id))


def convention_of_objective(objective_id: int) -> Convention | None:
    return db.session.scalar(
        select(Convention).join(ConventionObjective)
        .where(ConventionObjective.id == objective_id))


def priorities_of(territory_id: int) -> list[Priority]:
    """The territory's priorities with their authorities, by authority and in their order."""
    return db.session.scalars(
        select(Priority).where(Priority.territory_id == territory_id)
        .options(joinedload(Priority.authority))
        .order_by(Priority.authority_id, Priority.position, Priority.id)).all()


def priority_uses(territory_id: int) -> dict[int | None, int]:
    """Priority id → how many objectives of the territory's conventions answer it."""
    return dict(db.session.execute(
        select(ConventionObjective.priority_id, func.count())
        .where(ConventionObjective.territory_id == territory_id)
        .group_by(ConventionObjective.priority_id)).all())
