"""A card remembers that the facilitator changed its text or kind, so that its author's
phone says so (and stops offering « Corriger ») only when it really happened — not as soon
as a vote is opened on it.

Revision ID: 0025_card_facilitator_edit
Revises: 0024_session_territory_body
"""
import sqlalchemy as sa
from alembic import op

revision = "0025_card_facilitator_edit"
down_revision = "0024_session_territory_body"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_by_facilitator", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_column("edited_by_facilitator")
