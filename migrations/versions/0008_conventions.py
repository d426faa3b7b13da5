"""conventions: funders, amounts, documents, members, priorities, objectives, dialogue notes

Revision ID: 0008_conventions
Revises: 0007_charters
Create Date: 2026-11-22 07:49:41.080914

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008_conventions'
down_revision = "0007_charters"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('convention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=False),
    sa.Column('charter_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('preparation', 'signee', 'en_cours', 'echue', 'renouvelee')", name=op.f('ck_convention_status')),
    sa.CheckConstraint('end_year >= start_year', name=op.f('ck_convention_period_in_order')),
    sa.CheckConstraint('start_year BETWEEN 1900 AND 2200', name=op.f('ck_convention_start_year_range')),
    sa.ForeignKeyConstraint(['association_id'], ['organisation.id'], name=op.f('fk_convention_association_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['authority_id'], ['organisation.id'], name=op.f('fk_convention_authority_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['charter_id'], ['charter.id'], name=op.f('fk_convention_charter_id_charter'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_convention_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention')),
    sa.UniqueConstraint('territory_id', 'reference', name='uq_convention_reference')
    )
    with op.batch_alter_table('convention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_charter_id'), ['charter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_territory_id'), ['territory_id'], unique=False)
        batch_op.create_index('ix_convention_territory_status', ['territory_id', 'status'], unique=False)

    op.create_table('priority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['organisation.id'], name=op.f('fk_priority_authority_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_priority_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority'))
    )
    with op.batch_alter_table('priority', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index('ix_priority_authority_position', ['authority_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_priority_territory_id'), ['territory_id'], unique=False)

    op.create_table('convention_amount',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('funder_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_convention_amount_amount_positive')),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_amount_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['funder_id'], ['organisation.id'], name=op.f('fk_convention_amount_funder_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_convention_amount_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_amount')),
    sa.UniqueConstraint('convention_id', 'year', 'funder_id', name='uq_convention_amount')
    )
    with op.batch_alter_table('convention_amount', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_amount_convention_id'), ['convention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_amount_funder_id'), ['funder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_amount_territory_id'), ['territory_id'], unique=False)

    op.create_table('convention_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('convention', 'avenant', 'bilan', 'compte_rendu', 'annexe', 'autre')", name=op.f('ck_convention_document_kind')),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_document_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_convention_document_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_document'))
    )
    with op.batch_alter_table('convention_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_document_convention_id'), ['convention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_document_territory_id'), ['territory_id'], unique=False)

    op.create_table('convention_funder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_funder_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_convention_funder_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_convention_funder_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_funder')),
    sa.UniqueConstraint('convention_id', 'organisation_id', name='uq_convention_funder')
    )
    with op.batch_alter_table('convention_funder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_funder_convention_id'), ['convention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_funder_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_funder_territory_id'), ['territory_id'], unique=False)

    op.create_table('convention_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_member_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_convention_member_territory_id_territory'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_convention_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_member')),
    sa.UniqueConstraint('convention_id', 'user_id', name='uq_convention_member')
    )
    with op.batch_alter_table('convention_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_member_convention_id'), ['convention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_member_territory_id'), ['territory_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_member_user_id'), ['user_id'], unique=False)

    op.create_table('convention_objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('priority_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_objective_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['priority_id'], ['priority.id'], name=op.f('fk_convention_objective_priority_id_priority'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_convention_objective_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_objective'))
    )
    with op.batch_alter_table('convention_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_objective_convention_id'), ['convention_id'], unique=False)
        batch_op.create_index('ix_convention_objective_position', ['convention_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_objective_priority_id'), ['priority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_objective_territory_id'), ['territory_id'], unique=False)

    op.create_table('dialogue_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("party IN ('authority', 'association')", name=op.f('ck_dialogue_note_party')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_dialogue_note_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_dialogue_note_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_dialogue_note_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_dialogue_note_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_note'))
    )
    with op.batch_alter_table('dialogue_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_note_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_note_convention_id'), ['convention_id'], unique=False)
        batch_op.create_index('ix_dialogue_note_convention_year', ['convention_id', 'year'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_note_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index('ix_dialogue_note_indicator_year', ['indicator_id', 'year'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_note_territory_id'), ['territory_id'], unique=False)


def downgrade():
    with op.batch_alter_table('dialogue_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogue_note_territory_id'))
        batch_op.drop_index('ix_dialogue_note_indicator_year')
        batch_op.drop_index(batch_op.f('ix_dialogue_note_indicator_id'))
        batch_op.drop_index('ix_dialogue_note_convention_year')
        batch_op.drop_index(batch_op.f('ix_dialogue_note_convention_id'))
        batch_op.drop_index(batch_op.f('ix_dialogue_note_author_id'))

    op.drop_table('dialogue_note')
    with op.batch_alter_table('convention_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_objective_territory_id'))
        batch_op.drop_index(batch_op.f('ix_convention_objective_priority_id'))
        batch_op.drop_index('ix_convention_objective_position')
        batch_op.drop_index(batch_op.f('ix_convention_objective_convention_id'))

    op.drop_table('convention_objective')
    with op.batch_alter_table('convention_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_convention_member_territory_id'))
        batch_op.drop_index(batch_op.f('ix_convention_member_convention_id'))

    op.drop_table('convention_member')
    with op.batch_alter_table('convention_funder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_funder_territory_id'))
        batch_op.drop_index(batch_op.f('ix_convention_funder_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_convention_funder_convention_id'))

    op.drop_table('convention_funder')
    with op.batch_alter_table('convention_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_document_territory_id'))
        batch_op.drop_index(batch_op.f('ix_convention_document_convention_id'))

    op.drop_table('convention_document')
    with op.batch_alter_table('convention_amount', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_amount_territory_id'))
        batch_op.drop_index(batch_op.f('ix_convention_amount_funder_id'))
        batch_op.drop_index(batch_op.f('ix_convention_amount_convention_id'))

    op.drop_table('convention_amount')
    with op.batch_alter_table('priority', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_territory_id'))
        batch_op.drop_index('ix_priority_authority_position')
        batch_op.drop_index(batch_op.f('ix_priority_authority_id'))

    op.drop_table('priority')
    with op.batch_alter_table('convention', schema=None) as batch_op:
        batch_op.drop_index('ix_convention_territory_status')
        batch_op.drop_index(batch_op.f('ix_convention_territory_id'))
        batch_op.drop_index(batch_op.f('ix_convention_charter_id'))
        batch_op.drop_index(batch_op.f('ix_convention_authority_id'))
        batch_op.drop_index(batch_op.f('ix_convention_association_id'))

    op.drop_table('convention')
