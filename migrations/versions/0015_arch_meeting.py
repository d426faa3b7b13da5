"""The meeting model is named Meeting (SQLAlchemy's Session is the database session): the
journal's entries about meetings say so too. The table keeps its name, ``session``, like the
``session_id`` columns of the tables that point to it: only the name of the Python class,
which the journal records, changes.

Revision ID: 0015_arch_meeting
Revises: 0014_room_live
"""
from alembic import op

revision = "0015_arch_meeting"
down_revision = "0014_room_live"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE audit_entry SET object_type = 'Meeting' WHERE object_type = 'Session'")


def downgrade():
    op.execute("UPDATE audit_entry SET object_type = 'Session' WHERE object_type = 'Meeting'")
