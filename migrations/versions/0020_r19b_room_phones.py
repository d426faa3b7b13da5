"""Phones that show the work: who joined from which network and whether the facilitator
admitted them, an optional e-mail address for the minutes, the phase of the session
(silent writing, discussion, vote) and what phones see of the board, cards sealed while
written in silence.

Revision ID: 0020_r19b_room_phones
Revises: 0019_i17a_raci_thresholds
"""
import sqlalchemy as sa
from alembic import op

revision = "0020_r19b_room_phones"
down_revision = "0019_i17a_raci_thresholds"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("session_attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("origin_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("admission", sa.String(length=10), nullable=False,
                                      server_default="admis"))
        batch_op.create_check_constraint("admission", "admission IN ('admis', 'attente')")
        batch_op.create_index("ix_session_attendee_session_origin",
                              ["session_id", "origin_key"])
    with op.batch_alter_table("session_live", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase", sa.String(length=20), nullable=False,
                                      server_default="discussion"))
        batch_op.add_column(sa.Column("phone_view", sa.String(length=20), nullable=False,
                                      server_default="tout"))
        batch_op.create_check_constraint("phase", "phase IN ('ecriture', 'discussion', 'vote')")
        batch_op.create_check_constraint("phone_view",
                                         "phone_view IN ('tout', 'en_avant', 'rien')")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_column("sealed")
    with op.batch_alter_table("session_live", schema=None) as batch_op:
        batch_op.drop_constraint("ck_session_live_phone_view", type_="check")
        batch_op.drop_constraint("ck_session_live_phase", type_="check")
        batch_op.drop_column("phone_view")
        batch_op.drop_column("phase")
    with op.batch_alter_table("session_attendee", schema=None) as batch_op:
        batch_op.drop_index("ix_session_attendee_session_origin")
        batch_op.drop_constraint("ck_session_attendee_admission", type_="check")
        batch_op.drop_column("admission")
        batch_op.drop_column("origin_key")
        batch_op.drop_column("email")
