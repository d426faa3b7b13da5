"""Imports into a working group: an import batch knows what it fills beyond its kind
(``owner_id``: the working group whose members the file's people become).

Revision ID: 0022_directory_import_owner
Revises: 0021_picker_search_names
"""
import sqlalchemy as sa
from alembic import op

revision = "0022_directory_import_owner"
down_revision = "0021_picker_search_names"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("owner_id")
