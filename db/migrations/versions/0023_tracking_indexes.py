"""findings register and rectification tracking at city scale: reopens by status and
finding, each finding's reports by time (BENCHMARKS.md, "Findings register and
rectification tracking at city scale")

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-26
"""
from alembic import op


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_finding_status_change_to_finding', 'finding_status_change',
                    ['to_status', 'finding_id', 'at'], unique=False)
    op.create_index('ix_rectification_finding_submitted', 'rectification',
                    ['finding_id', 'submitted_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_rectification_finding_submitted', table_name='rectification')
    op.drop_index('ix_finding_status_change_to_finding', table_name='finding_status_change')
