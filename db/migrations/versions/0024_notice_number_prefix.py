"""notices keep the prefix of their number as issued (嘉效办), so that a later change of the
NOTICE_PREFIX_* settings never renumbers an official document

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number_prefix', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('number_prefix')
