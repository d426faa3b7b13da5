"""Partner role: members who only reach the objects they were given (conventions)

Revision ID: 0002_partner_role
Revises: 0001
"""
from alembic import op

revision = "0002_partner_role"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD = "role IN ('coordinator', 'facilitator', 'participant', 'observer')"
NEW = "role IN ('coordinator', 'facilitator', 'participant', 'observer', 'partner')"


def _replace_check(condition: str) -> None:
    with op.batch_alter_table("membership") as batch:
        batch.drop_constraint(op.f("ck_membership_role"), type_="check")
        batch.create_check_constraint("role", condition)


def upgrade():
    _replace_check(NEW)


def downgrade():
    op.execute("DELETE FROM membership WHERE role = 'partner'")
    _replace_check(OLD)
