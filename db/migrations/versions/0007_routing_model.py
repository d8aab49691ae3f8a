"""routing model: the complaint routing suggestion's trained parameters

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('routing_model',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('n_samples', sa.Integer(), nullable=False),
    sa.Column('n_units', sa.Integer(), nullable=False),
    sa.Column('n_categories', sa.Integer(), nullable=False),
    sa.Column('classifier', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('model_bytes', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('routing_model', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_model_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('routing_model', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routing_model_created_at'))
    op.drop_table('routing_model')
