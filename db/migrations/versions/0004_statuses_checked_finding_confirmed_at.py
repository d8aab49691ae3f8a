"""statuses and kinds checked against their enums; finding.confirmed_at; list indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FINDING = ('draft', 'open', 'rejected', 'rectifying', 'reported', 'verified', 'reopened')
# table -> [(column, allowed values, nullable)]; the values are the enums' in db/models.py
# as they are today (a migration keeps its own copy: later enum changes get new migrations).
CHECKS = {
    'district': [('kind', ('district', 'town', 'community'), False)],
    'user': [('role', ('admin', 'office', 'leader', 'inspector', 'unit'), False)],
    'checklist_item': [('answer_type', ('yes_no', 'number', 'text'), False)],
    'visit_plan': [
        ('kind', ('open', 'unannounced', 'spot_check', 'focused'), False),
        ('status', ('planned', 'done', 'cancelled'), False),
    ],
    'inspection': [
        ('kind', ('open', 'unannounced', 'spot_check', 'focused'), False),
        ('status', ('draft', 'submitted', 'reviewed'), False),
    ],
    'finding': [
        ('severity', ('general', 'serious', 'severe'), False),
        ('status', FINDING, False),
    ],
    'finding_status_change': [
        ('from_status', FINDING, True),
        ('to_status', FINDING, False),
    ],
    'rectification': [('outcome', ('verified', 'reopened'), True)],
}


def _condition(column: str, values: tuple[str, ...], nullable: bool) -> str:
    test = f"{column} IN ({', '.join(repr(v) for v in values)})"
    return f"{column} IS NULL OR {test}" if nullable else test


def upgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_finding_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index('ix_finding_unit_status', ['unit_id', 'status'], unique=False)
    # The confirmation time so far lived only in the status log.
    op.execute(
        "UPDATE finding SET confirmed_at = (SELECT MIN(c.at) FROM finding_status_change c "
        "WHERE c.finding_id = finding.id AND c.from_status = 'open' "
        "AND c.to_status = 'rectifying')"
    )
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values, nullable in checks:
                batch_op.create_check_constraint(
                    op.f(f'ck_{table}_{column}_valid'), _condition(column, values, nullable)
                )


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _values, _nullable in checks:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}_valid'), type_='check')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_unit_status')
        batch_op.drop_index('ix_finding_status_deadline')
        batch_op.drop_column('confirmed_at')
