"""A room at once: each session's live revision (what the polls read), and the phone an
attendee joined from (one attendee per phone and session)

Revision ID: 0014_room_live
Revises: 0013_documents_territory_logo
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_room_live"
down_revision = "0013_documents_territory_logo"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "session_revision",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"],
                                name=op.f("fk_session_revision_session_id_session"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_revision")),
    )
    with op.batch_alter_table("session_attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_session_attendee_device",
                                          ["session_id", "device_key"])


def downgrade():
    with op.batch_alter_table("session_attendee", schema=None) as batch_op:
        batch_op.drop_constraint("uq_session_attendee_device", type_="unique")
        batch_op.drop_column("device_key")
    op.drop_table("session_revision")
