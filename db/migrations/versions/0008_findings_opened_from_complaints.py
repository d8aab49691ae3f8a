"""findings opened from complaints: a finding without a visit, one per complaint

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

WITHOUT_VISIT = sa.text('inspection_id IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.alter_column('inspection_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index('uq_finding_from_complaint', ['complaint_id'], unique=True,
                              sqlite_where=WITHOUT_VISIT, postgresql_where=WITHOUT_VISIT)


def downgrade() -> None:
    # The older schema needs a visit for every finding: refuse rather than delete findings
    # (and their rectifications) that the office opened from complaints.
    found = op.get_bind().execute(
        sa.text('SELECT count(*) FROM finding WHERE inspection_id IS NULL')).scalar()
    if found:
        raise RuntimeError(f'{found} findings were opened from complaints without a visit; '
                           'the schema before 0008 cannot hold them')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('uq_finding_from_complaint')
        batch_op.alter_column('inspection_id', existing_type=sa.Integer(), nullable=False)
