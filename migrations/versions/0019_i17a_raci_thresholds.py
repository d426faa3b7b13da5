"""RACI: the « A/R » value (accountable and doing it) and each grid's overload thresholds

Revision ID: 0019_i17a_raci_thresholds
Revises: 0018_gov_charter_agreements
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_i17a_raci_thresholds"
down_revision = "0018_gov_charter_agreements"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("raci_grid") as batch:
        batch.add_column(sa.Column("max_accountable", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("max_load", sa.Integer(), nullable=True))
    with op.batch_alter_table("raci_cell") as batch:
        batch.drop_constraint(op.f("ck_raci_cell_letter"), type_="check")
        batch.alter_column("letter", existing_type=sa.String(length=1),
                           type_=sa.String(length=3), existing_nullable=True)
        batch.create_check_constraint("letter", "letter IN ('R', 'A', 'A/R', 'C', 'I')")


def downgrade():
    op.execute("UPDATE raci_cell SET letter = 'A' WHERE letter = 'A/R'")
    with op.batch_alter_table("raci_cell") as batch:
        batch.drop_constraint(op.f("ck_raci_cell_letter"), type_="check")
        batch.alter_column("letter", existing_type=sa.String(length=3),
                           type_=sa.String(length=1), existing_nullable=True)
        batch.create_check_constraint("letter", "letter IN ('R', 'A', 'C', 'I')")
    with op.batch_alter_table("raci_grid") as batch:
        batch.drop_column("max_load")
        batch.drop_column("max_accountable")
