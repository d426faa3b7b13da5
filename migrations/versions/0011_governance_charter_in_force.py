"""Governance: the charter version in force, invited people, step decisions, reopened lapses

The adopted version's text in force and who adopted it, invitations that link an account to a
person, decisions that settle a lifecycle step, lapses reopened by the competent instance.

Revision ID: 0011_governance_charter_in_force
Revises: 0010_audit_object_index
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_governance_charter_in_force"
down_revision = "0010_audit_object_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("charter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("adopted_content", sa.JSON(), nullable=True))
    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("adopting_instance", sa.String(length=200), nullable=False,
                                      server_default=""))
    # The version in force of the charters already adopted is their adopted version's text.
    charter = sa.table("charter", sa.column("id", sa.Integer), sa.column("adopted_version", sa.Integer),
                       sa.column("adopted_content", sa.JSON))
    version = sa.table("charter_version", sa.column("charter_id", sa.Integer),
                       sa.column("number", sa.Integer), sa.column("content", sa.JSON))
    op.execute(charter.update().where(charter.c.adopted_version.is_not(None)).values(
        adopted_content=sa.select(version.c.content).where(
            version.c.charter_id == charter.c.id, version.c.number == charter.c.adopted_version)
        .scalar_subquery()))

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_invitation_person_id"), ["person_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_invitation_person_id_person"), "person",
                                    ["person_id"], ["id"], ondelete="SET NULL")

    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step_key", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("step_outcome", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("reopened_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reopened_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reopen_reason", sa.Text(), nullable=False,
                                      server_default=""))
        batch_op.create_index(batch_op.f("ix_decision_reopened_by_id"), ["reopened_by_id"],
                              unique=False)
        batch_op.create_index("ix_decision_project_step", ["joint_project_id", "step_key"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_decision_reopened_by_id_user"), "user",
                                    ["reopened_by_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_decision_reopened_by_id_user"), type_="foreignkey")
        batch_op.drop_index("ix_decision_project_step")
        batch_op.drop_index(batch_op.f("ix_decision_reopened_by_id"))
        for name in ("reopen_reason", "reopened_by_id", "reopened_on", "step_outcome", "step_key"):
            batch_op.drop_column(name)
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_invitation_person_id_person"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_invitation_person_id"))
        batch_op.drop_column("person_id")
    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        batch_op.drop_column("adopting_instance")
    with op.batch_alter_table("charter", schema=None) as batch_op:
        batch_op.drop_column("adopted_content")
