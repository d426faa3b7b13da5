"""Index the audit trail by object, for the history of one object

Revision ID: 0010_audit_object_index
Revises: 0009_api_tokens
"""
from alembic import op

revision = "0010_audit_object_index"
down_revision = "0009_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_audit_entry_object", "audit_entry", ["territory_id", "object_type", "object_id"]
    )


def downgrade():
    op.drop_index("ix_audit_entry_object", table_name="audit_entry")
