"""The meetings of a territory's charter instances are found from an index that holds the
kind of body: the home page's « note d'information à rédiger » panel crossed the
territory's meetings with every territory's instance meetings (13,800 at 100 × the demo's
data on PostgreSQL, 0.8 ms and growing with the platform).

Revision ID: 0024_session_territory_body
Revises: 0023e_territory_search_trigrams
"""
from alembic import op

revision = "0024_session_territory_body"
down_revision = "0023e_territory_search_trigrams"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.create_index("ix_session_territory_body_starts_at",
                              ["territory_id", "body_type", "starts_at"])


def downgrade():
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index("ix_session_territory_body_starts_at")
