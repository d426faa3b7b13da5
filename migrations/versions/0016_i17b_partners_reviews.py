"""Partners onboarded and reviews that know their year: the conventions an invitation
carries (``invitation_convention``), and the year a meeting reviews (``session.body_year``,
a convention's yearly review).

Revision ID: 0016_i17b_partners_reviews
Revises: 0015_arch_meeting
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_i17b_partners_reviews"
down_revision = "0015_arch_meeting"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitation_convention",
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitation.id"],
                                name=op.f("fk_invitation_convention_invitation_id_invitation"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"],
                                name=op.f("fk_invitation_convention_convention_id_convention"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("invitation_id", "convention_id",
                                name=op.f("pk_invitation_convention")),
    )
    with op.batch_alter_table("invitation_convention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_convention_convention_id"),
                              ["convention_id"], unique=False)
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_year", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_column("body_year")
    op.drop_table("invitation_convention")
