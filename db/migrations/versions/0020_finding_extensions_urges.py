"""findings: deadline extensions with their reasons (a log per finding), reminders to the
units (催办) with how their e-mail went; users' e-mail addresses

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('finding_deadline_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('from_deadline', sa.Date(), nullable=True),
    sa.Column('to_deadline', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('actor_id', 'client_key', 'finding_id', name='uq_finding_deadline_change_client_key')
    )
    with op.batch_alter_table('finding_deadline_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_deadline_change_finding_id'), ['finding_id'], unique=False)

    op.create_table('finding_urge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('urged_by', sa.Integer(), nullable=False),
    sa.Column('urged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('urged_on', sa.Date(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('emailed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('email_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['urged_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('finding_id', 'urged_on', name='uq_finding_urge_day'),
    sa.UniqueConstraint('urged_by', 'client_key', 'finding_id', name='uq_finding_urge_client_key')
    )
    with op.batch_alter_table('finding_urge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_urge_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index('ix_finding_urge_unit_day', ['unit_id', 'urged_on'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('finding_urge', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_urge_unit_day')
        batch_op.drop_index(batch_op.f('ix_finding_urge_finding_id'))

    op.drop_table('finding_urge')
    with op.batch_alter_table('finding_deadline_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_deadline_change_finding_id'))

    op.drop_table('finding_deadline_change')