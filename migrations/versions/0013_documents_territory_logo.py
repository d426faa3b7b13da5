"""The territory's logo, printed in the header of its documents

Revision ID: 0013_documents_territory_logo
Revises: 0012_versions_edit_versions
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_documents_territory_logo"
down_revision = "0012_versions_edit_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "territory_logo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"],
                                name=op.f("fk_territory_logo_territory_id_territory"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory_logo")),
        sa.UniqueConstraint("territory_id", name=op.f("uq_territory_logo_territory_id")),
    )


def downgrade():
    op.drop_table("territory_logo")
