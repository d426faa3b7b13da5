"""French order on PostgreSQL (the ICU collation ``fr_natural``: accents and case ignored at
first, numbers in numeric order; SQLite gets a function of the same name on each
connection). Organisations as a directory holds them (address, postal code, the commune's
INSEE code) and imports with a mapping step: a batch keeps its header, its rows and the
user's choices, and the confirmed choices are remembered for the next file with the same headers.

Revision ID: 0017_imp20_directory_imports
Revises: 0016_i17b_partners_reviews
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_imp20_directory_imports"
down_revision = "0016_i17b_partners_reviews"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE COLLATION IF NOT EXISTS fr_natural "
                   "(provider = icu, locale = 'fr-u-kn-true')")
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("address", sa.String(length=300), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("postal_code", sa.String(length=10), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("insee_code", sa.String(length=5), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("target", sa.String(length=20), nullable=False,
                                   server_default="organisations"))
        batch.add_column(sa.Column("header", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("choices", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("headers_key", sa.String(length=64), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"],
                                name=op.f("fk_import_mapping_territory_id_territory"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint("territory_id", "target", "headers_key",
                            name=op.f("uq_import_mapping_territory_id")),
    )
    op.create_index(op.f("ix_import_mapping_territory_id"), "import_mapping", ["territory_id"])


def downgrade():
    op.drop_index(op.f("ix_import_mapping_territory_id"), table_name="import_mapping")
    op.drop_table("import_mapping")
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_column("choices")
        batch.drop_column("header")
        batch.drop_column("target")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("insee_code")
        batch.drop_column("postal_code")
        batch.drop_column("address")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP COLLATION IF EXISTS fr_natural")
