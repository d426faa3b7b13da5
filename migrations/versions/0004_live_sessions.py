"""Live sessions: attendance, contributions (cards), clusters, dot votes, running state.

Revision ID: 0004_live_sessions
Revises: 0003_experiments
Create Date: 2026-11-22 07:51:48.785730

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0004_live_sessions'
down_revision = '0003_experiments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contribution_cluster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_contribution_cluster_session_id_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_contribution_cluster_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_cluster'))
    )
    with op.batch_alter_table('contribution_cluster', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_cluster_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_contribution_cluster_session_position', ['session_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_cluster_territory_id'), ['territory_id'], unique=False)

    op.create_table('dot_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('dots_per_participant', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('ouvert', 'clos')", name=op.f('ck_dot_vote_status')),
    sa.CheckConstraint('dots_per_participant >= 1 AND dots_per_participant <= 20', name=op.f('ck_dot_vote_dots')),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_dot_vote_session_id_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_dot_vote_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dot_vote')),
    sa.UniqueConstraint('id', 'dots_per_participant', name='uq_dot_vote_id_dots')
    )
    with op.batch_alter_table('dot_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dot_vote_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dot_vote_territory_id'), ['territory_id'], unique=False)
        batch_op.create_index('uq_dot_vote_one_open', ['session_id'], unique=True, postgresql_where=sa.text("status = 'ouvert'"), sqlite_where=sa.text("status = 'ouvert'"))

    op.create_table('session_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_guest', sa.Boolean(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("person_id IS NOT NULL OR name <> ''", name=op.f('ck_session_attendee_named')),
    sa.CheckConstraint("status IN ('present', 'excuse', 'absent')", name=op.f('ck_session_attendee_status')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_session_attendee_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_session_attendee_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_session_attendee_session_id_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_session_attendee_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_attendee')),
    sa.UniqueConstraint('session_id', 'person_id', name='uq_session_attendee_person')
    )
    with op.batch_alter_table('session_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_attendee_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_attendee_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_attendee_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_session_attendee_session_status', ['session_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_attendee_territory_id'), ['territory_id'], unique=False)

    op.create_table('contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_attendee_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('highlighted', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(text) >= 1 AND length(text) <= 2000', name=op.f('ck_contribution_text_length')),
    sa.CheckConstraint('merged_into_id IS NULL OR merged_into_id <> id', name=op.f('ck_contribution_not_self_merged')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_contribution_agenda_item_id_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_attendee_id'], ['session_attendee.id'], name=op.f('fk_contribution_author_attendee_id_session_attendee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cluster_id'], ['contribution_cluster.id'], name=op.f('fk_contribution_cluster_id_contribution_cluster'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['contribution.id'], name=op.f('fk_contribution_merged_into_id_contribution'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_contribution_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_contribution_session_id_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_contribution_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution')),
    sa.UniqueConstraint('session_id', 'submission_key', name='uq_contribution_submission')
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index('ix_contribution_author_created', ['author_attendee_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_contribution_session_kind_position', ['session_id', 'kind', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_territory_id'), ['territory_id'], unique=False)

    op.create_table('session_live',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('current_agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('step_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anonymous_allowed', sa.Boolean(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['current_agenda_item_id'], ['agenda_item.id'], name=op.f('fk_session_live_current_agenda_item_id_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_session_live_session_id_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_session_live_territory_id_territory'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_live')),
    sa.UniqueConstraint('session_id', name=op.f('uq_session_live_session_id'))
    )
    with op.batch_alter_table('session_live', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_live_current_agenda_item_id'), ['current_agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_live_territory_id'), ['territory_id'], unique=False)

    op.create_table('dot_vote_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'], name=op.f('fk_dot_vote_option_contribution_id_contribution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_dot_vote_option_territory_id_territory'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['dot_vote.id'], name=op.f('fk_dot_vote_option_vote_id_dot_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dot_vote_option')),
    sa.UniqueConstraint('vote_id', 'contribution_id', name='uq_dot_vote_option_card')
    )
    with op.batch_alter_table('dot_vote_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dot_vote_option_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dot_vote_option_territory_id'), ['territory_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dot_vote_option_vote_id'), ['vote_id'], unique=False)

    op.create_table('dot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('attendee_id', sa.Integer(), nullable=False),
    sa.Column('dot_number', sa.Integer(), nullable=False),
    sa.Column('dots_allowed', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('dot_number >= 1 AND dot_number <= dots_allowed', name=op.f('ck_dot_within_allowance')),
    sa.ForeignKeyConstraint(['attendee_id'], ['session_attendee.id'], name=op.f('fk_dot_attendee_id_session_attendee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_dot_territory_id_territory'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id', 'contribution_id'], ['dot_vote_option.vote_id', 'dot_vote_option.contribution_id'], name='fk_dot_vote_option_card', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id', 'dots_allowed'], ['dot_vote.id', 'dot_vote.dots_per_participant'], name='fk_dot_vote_allowance', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dot')),
    sa.UniqueConstraint('vote_id', 'attendee_id', 'dot_number', name='uq_dot_number')
    )
    with op.batch_alter_table('dot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dot_attendee_id'), ['attendee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dot_territory_id'), ['territory_id'], unique=False)
        batch_op.create_index('ix_dot_vote_contribution', ['vote_id', 'contribution_id'], unique=False)


def downgrade():
    for table in ("dot", "dot_vote_option", "session_live", "contribution", "session_attendee",
                  "dot_vote", "contribution_cluster"):
        op.drop_table(table)
