"""No silent overwrite: a version, who and when on each object several people edit

Adds ``edit_version``, ``changed_at`` and ``changed_by_id`` (territorial.common.versions) and
lets an emptied RACI cell keep its row (letter NULL), so that who emptied it is known.

Revision ID: 0012_versions_edit_versions
Revises: 0011_governance_charter_in_force
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_versions_edit_versions"
down_revision = "0011_governance_charter_in_force"
branch_labels = None
depends_on = None

TABLES = ("raci_cell", "timeline_entry", "step_aside_note", "cadre_section", "action",
          "indicator", "indicator_target", "indicator_value", "session", "dialogue_note")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("edit_version", sa.Integer(), nullable=False,
                                          server_default="1"))
            batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True),
                                          nullable=True))
            batch_op.add_column(sa.Column("changed_by_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f"fk_{table}_changed_by_id_user", "user",
                                        ["changed_by_id"], ["id"], ondelete="SET NULL")
            batch_op.create_index(f"ix_{table}_changed_by_id", ["changed_by_id"])
            if table == "raci_cell":
                batch_op.alter_column("letter", existing_type=sa.String(length=1), nullable=True)


def downgrade():
    op.execute("DELETE FROM raci_cell WHERE letter IS NULL")
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            if table == "raci_cell":
                batch_op.alter_column("letter", existing_type=sa.String(length=1), nullable=False)
            batch_op.drop_index(f"ix_{table}_changed_by_id")
            batch_op.drop_constraint(f"fk_{table}_changed_by_id_user", type_="foreignkey")
            batch_op.drop_column("changed_by_id")
            batch_op.drop_column("changed_at")
            batch_op.drop_column("edit_version")
