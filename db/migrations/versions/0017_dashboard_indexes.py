"""dashboard indexes: complaints counted by day received, by answer deadline and by
follow-up from covering indexes; findings by the day they were found

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26
"""
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_received_at')
        batch_op.create_index('ix_complaint_received_counts', [
            'received_at', 'channel', 'unit_id', 'category_id', 'district_id', 'escalated',
            'duplicate_of_id'], unique=False)
        batch_op.create_index('ix_complaint_deadline_counts', [
            'deadline', 'assigned_at', 'replied_at', 'status', 'district_id', 'unit_id',
            'duplicate_of_id'], unique=False)
        batch_op.create_index('ix_complaint_closed_counts', [
            'closed_at', 'satisfaction', 'district_id', 'unit_id', 'duplicate_of_id'],
            unique=False)
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_created_at'))
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_closed_counts')
        batch_op.drop_index('ix_complaint_deadline_counts')
        batch_op.drop_index('ix_complaint_received_counts')
        batch_op.create_index('ix_complaint_received_at', ['received_at'], unique=False)
