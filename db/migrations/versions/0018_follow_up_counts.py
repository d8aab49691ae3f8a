"""follow-up satisfaction counted from the follow-up calls (by their time), not from the
complaints they closed: a covering index on complaint_follow_up (at, complaint_id,
satisfaction); the closed-complaints index goes; findings and inspections by unit and day,
for the dashboard filtered to a district

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
        batch_op.create_index('ix_complaint_follow_up_counts', ['at', 'complaint_id', 'satisfaction'],
                              unique=False)
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_closed_counts')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index('ix_finding_unit_created', ['unit_id', 'created_at'], unique=False)
        batch_op.create_index('ix_finding_unit_deadline', ['unit_id', 'deadline'], unique=False)
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_unit_visited', ['unit_id', 'visited_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_unit_visited')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_unit_deadline')
        batch_op.drop_index('ix_finding_unit_created')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_closed_counts', [
            'closed_at', 'satisfaction', 'district_id', 'unit_id', 'duplicate_of_id'],
            unique=False)
    with op.batch_alter_table('complaint_follow_up', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_follow_up_counts')
