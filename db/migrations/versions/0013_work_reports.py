"""work reports: special (专题) and annual (年度) reports of units, with attachments

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

ATTACHED = ('document', 'photo')


def upgrade() -> None:
    op.create_table('work_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
    sa.Column('explanation', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('measures', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('special', 'annual')", name=op.f('ck_work_report_kind_valid')),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f('ck_work_report_status_valid')),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['submitted_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'year', 'unit_id', name='uq_work_report_unit_year')
    )
    with op.batch_alter_table('work_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_report_unit_id'), ['unit_id'], unique=False)

    for table in ATTACHED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('work_report_id', sa.Integer(), nullable=True))
            batch_op.create_index(f'ix_{table}_work_report_id', ['work_report_id'],
                                  unique=False)
            batch_op.create_foreign_key(f'fk_{table}_work_report_id', 'work_report',
                                        ['work_report_id'], ['id'])



def downgrade() -> None:
    for table in ATTACHED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_work_report_id', type_='foreignkey')
            batch_op.drop_index(f'ix_{table}_work_report_id')
            batch_op.drop_column('work_report_id')
    with op.batch_alter_table('work_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_report_unit_id'))
    op.drop_table('work_report')
