"""follow-up satisfaction counted from the follow-up calls (by their time), not from the
complaints they closed: index complaint_follow_up.at; the closed-complaints index goes

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaint_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_follow_up_at'), ['at'], unique=False)
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_closed_counts')


def downgrade() -> None:
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_closed_counts', [
            'closed_at', 'satisfaction', 'district_id', 'unit_id', 'duplicate_of_id'],
            unique=False)
    with op.batch_alter_table('complaint_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_follow_up_at'))
