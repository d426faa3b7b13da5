"""Territories carry their name as sorted (``sort_text``, like organisations and people),
filled for the existing rows and indexed: the territories' list and the « Territoire
parent » picker read their order from the index instead of comparing every name with the
French collation. The late actions of a territory are counted from an index that holds
their status.

Revision ID: 0023c_territory_sort_name
Revises: 0022_directory_import_owner
"""
import sqlalchemy as sa
from alembic import op

from territorial.common.collation import sort_text

revision = "0023c_territory_sort_name"
down_revision = "0022_directory_import_owner"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sort_name", sa.String(), nullable=False,
                                      server_default=""))
        batch_op.create_index("ix_territory_sort_name", ["sort_name"])
    bind = op.get_bind()
    table = sa.table("territory", sa.column("id"), sa.column("name"), sa.column("sort_name"))
    for row in bind.execute(sa.select(table.c.id, table.c.name)).all():
        bind.execute(table.update().where(table.c.id == row.id)
                     .values(sort_name=sort_text(row.name)))
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_territory_due")
        batch_op.create_index("ix_action_territory_due_status",
                              ["territory_id", "due_date", "status"])


def downgrade():
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_territory_due_status")
        batch_op.create_index("ix_action_territory_due", ["territory_id", "due_date"])
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.drop_index("ix_territory_sort_name")
        batch_op.drop_column("sort_name")
