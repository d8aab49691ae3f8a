"""hall plans: units' plans for moving into the government service hall, with their log

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hall_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('approval_items', sa.JSON(), nullable=True),
    sa.Column('rules', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('staffing', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('office_comment', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('required', 'draft', 'submitted', 'approved', 'returned')", name=op.f('ck_hall_plan_status_valid')),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id')
    )
    with op.batch_alter_table('hall_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hall_plan_status'), ['status'], unique=False)

    op.create_table('hall_plan_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_plan_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.CheckConstraint("from_status IS NULL OR from_status IN ('required', 'draft', 'submitted', 'approved', 'returned')", name=op.f('ck_hall_plan_status_change_from_status_valid')),
    sa.CheckConstraint("to_status IN ('required', 'draft', 'submitted', 'approved', 'returned')", name=op.f('ck_hall_plan_status_change_to_status_valid')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['hall_plan_id'], ['hall_plan.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hall_plan_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hall_plan_status_change_hall_plan_id'), ['hall_plan_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('hall_plan_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hall_plan_status_change_hall_plan_id'))

    op.drop_table('hall_plan_status_change')
    with op.batch_alter_table('hall_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hall_plan_status'))

    op.drop_table('hall_plan')
