"""The pickers' search on PostgreSQL reads the territory's names alone: the trigram indexes
of 0021 become indexes on (territory_id, search_name) through btree_gin. With a trigram
index on the names alone, a common word (« comm ») was looked up among every territory's
names, then crossed with the territory's: the search grew with the whole directory
(1.4 ms at 200,000 organisations against 0.1 ms now, the same at every scale).

Nothing changes on SQLite, nor where pg_trgm or btree_gin cannot be created (the indexes
of 0021 are kept, the search stays correct).

Revision ID: 0023e_territory_search_trigrams
Revises: 0023c_territory_sort_name
"""
import sqlalchemy as sa
from alembic import op

revision = "0023e_territory_search_trigrams"
down_revision = "0023c_territory_sort_name"
branch_labels = None
depends_on = None

TABLES = ("organisation", "person")


def _has_extension(bind, name: str) -> bool:
    return bind.scalar(sa.text("SELECT count(*) FROM pg_extension WHERE extname = :name"),
                       {"name": name}) > 0


def _created_btree_gin(bind) -> bool:
    """btree_gin (trusted: the database's owner may create it since PostgreSQL 13)."""
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS btree_gin"))
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _has_extension(bind, "pg_trgm") \
            or not _created_btree_gin(bind):
        return
    for table_name in TABLES:
        op.execute(f"CREATE INDEX ix_{table_name}_territory_search_name_trgm ON {table_name} "
                   "USING gin (territory_id, search_name gin_trgm_ops)")
        op.execute(f"DROP INDEX IF EXISTS ix_{table_name}_search_name_trgm")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _has_extension(bind, "btree_gin"):
        return
    for table_name in TABLES:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table_name}_search_name_trgm ON {table_name} "
                   "USING gin (search_name gin_trgm_ops)")
        op.execute(f"DROP INDEX IF EXISTS ix_{table_name}_territory_search_name_trgm")
