"""leader instructions (领导批示) on a complaint, a finding or a task, open until handled

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('instruction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('target_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('given_by', sa.Integer(), nullable=False),
    sa.Column('given_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.Column('handled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('handled_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'handled')", name=op.f('ck_instruction_status_valid')),
    sa.CheckConstraint("target_kind IN ('complaint', 'finding', 'task')", name=op.f('ck_instruction_target_kind_valid')),
    sa.ForeignKeyConstraint(['given_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['handled_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('given_by', 'client_key', name='uq_instruction_client_key')
    )
    with op.batch_alter_table('instruction', schema=None) as batch_op:
        batch_op.create_index('ix_instruction_status_given', ['status', 'given_at'], unique=False)
        batch_op.create_index('ix_instruction_target', ['target_kind', 'target_id'], unique=False)
        batch_op.create_index('ix_instruction_unit_status', ['unit_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('instruction', schema=None) as batch_op:
        batch_op.drop_index('ix_instruction_unit_status')
        batch_op.drop_index('ix_instruction_target')
        batch_op.drop_index('ix_instruction_status_given')

    op.drop_table('instruction')
