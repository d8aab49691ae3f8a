"""notice parts: attachments, optional photos, per-unit extracts, a situation report's
period and frozen figures, a commendation's reason per unit

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('with_photos', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('send_extracts', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('period_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('figures', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False, server_default=''))
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        for name in ('figures', 'period_to', 'period_from', 'send_extracts', 'with_photos',
                     'attachments'):
            batch_op.drop_column(name)
