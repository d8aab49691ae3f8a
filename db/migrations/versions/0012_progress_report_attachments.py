"""monthly progress reports carry attachments (photos and PDF scans)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TABLES = ('document', 'photo')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('progress_report_id', sa.Integer(), nullable=True))
            batch_op.create_index(f'ix_{table}_progress_report_id', ['progress_report_id'],
                                  unique=False)
            batch_op.create_foreign_key(f'fk_{table}_progress_report_id', 'progress_report',
                                        ['progress_report_id'], ['id'])


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_progress_report_id', type_='foreignkey')
            batch_op.drop_index(f'ix_{table}_progress_report_id')
            batch_op.drop_column('progress_report_id')
