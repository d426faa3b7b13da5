"""Territory rules."""
from sqlalchemy import func, select

from extensions import db
from territorial.accounts.models import Membership, User
from territorial.common.collation import french
from territorial.common.models import utcnow
from territorial.common.text import slugify
from territorial.territories.models import Territory


def territories_of(user: User, *, archived: bool = False) -> list[Territory]:
    """The territories a user may open, by name (all of them for an admin); archived
    ones only when asked for."""
    state = Territory.archived_at.is_not(None) if archived else Territory.archived_at.is_(None)
    statement = select(Territory).where(state).order_by(Territory.sort_name,
                                                        french(Territory.name))
    if not user.is_admin:
        statement = statement.join(Membership).where(Membership.user_id == user.id)
    return list(db.session.scalars(statement))


def unique_slug(name: str, wanted: str | None = None, exclude_id: int | None = None) -> str:
    base = wanted or slugify(name)
    slug, counter = base, 2
    while _slug_taken(slug, exclude_id):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _slug_taken(slug: str, exclude_id: int | None) -> bool:
    statement = select(func.count()).where(Territory.slug == slug)
    if exclude_id:
        statement = statement.where(Territory.id != exclude_id)
    return db.session.scalar(statement) > 0


def slug_available(slug: str, exclude_id: int | None = None) -> bool:
    return not _slug_taken(slug, exclude_id)


def create_territory(data: dict, creator: User) -> Territory:
    territory = Territory(
        name=data["name"],
        slug=unique_slug(data["name"], data.get("slug")),
        level=data["level"],
        parent_id=data.get("parent_id") or None,
        description=data.get("description") or "",
    )
    db.session.add(territory)
    db.session.flush()
    db.session.add(Membership(user_id=creator.id, territory_id=territory.id, role="coordinator"))
    db.session.flush()
    return territory


def update_territory(territory: Territory, data: dict) -> None:
    territory.name = data["name"]
    if data.get("slug"):
        territory.slug = data["slug"]
    territory.level = data["level"]
    territory.parent_id = data.get("parent_id") or None
    territory.description = data.get("description") or ""
    db.session.flush()


def makes_a_loop(territory: Territory, parent_id: int | None) -> bool:
    """Would ``parent_id`` as the parent of ``territory`` make the hierarchy loop (the
    parent is the territory itself or one of the territories under it)?"""
    seen: set[int] = set()
    current = parent_id
    while current is not None and current not in seen:
        if current == territory.id:
            return True
        seen.add(current)
        current = db.session.scalar(select(Territory.parent_id).where(Territory.id == current))
    return False


def set_archived(territory: Territory, archived: bool) -> None:
    """An archived territory leaves the lists; nothing in it is deleted."""
    territory.archived_at = utcnow() if archived else None
    db.session.flush()
