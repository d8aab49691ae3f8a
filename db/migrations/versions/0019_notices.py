"""notices (通报): drafts, sign-off, numbers per kind and year, recipients, findings, log;
findings remember when a notice first circulated them

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice_counter',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('criticism', 'commendation', 'situation')", name=op.f('ck_notice_counter_kind_valid')),
    sa.PrimaryKeyConstraint('kind', 'year')
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('opening', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('requirements', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('rectification_deadline', sa.Date(), nullable=True),
    sa.Column('cc', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('printing_office', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('printing_date', sa.Date(), nullable=True),
    sa.Column('issuing_office', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('signed_by', sa.Integer(), nullable=True),
    sa.Column('signed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('number_year', sa.Integer(), nullable=True),
    sa.Column('number_seq', sa.Integer(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('published_to_media', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('criticism', 'commendation', 'situation')", name=op.f('ck_notice_kind_valid')),
    sa.CheckConstraint("status IN ('draft', 'awaiting', 'signed', 'issued')", name=op.f('ck_notice_status_valid')),
    sa.ForeignKeyConstraint(['corrects_id'], ['notice.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['signed_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('created_by', 'client_key', name='uq_notice_client_key'),
    sa.UniqueConstraint('kind', 'number_year', 'number_seq', name='uq_notice_number')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_corrects_id'), ['corrects_id'], unique=False)
        batch_op.create_index('ix_notice_status_created', ['status', 'created_at'], unique=False)

    op.create_table('notice_recipient',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('notice_id', 'unit_id')
    )
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_recipient_unit_id'), ['unit_id'], unique=False)

    op.create_table('notice_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.CheckConstraint("from_status IS NULL OR from_status IN ('draft', 'awaiting', 'signed', 'issued')", name=op.f('ck_notice_status_change_from_status_valid')),
    sa.CheckConstraint("to_status IN ('draft', 'awaiting', 'signed', 'issued')", name=op.f('ck_notice_status_change_to_status_valid')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_status_change_notice_id'), ['notice_id'], unique=False)

    op.create_table('notice_finding',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('selected_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], ),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('notice_id', 'finding_id')
    )
    with op.batch_alter_table('notice_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_finding_finding_id'), ['finding_id'], unique=False)

    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circulated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_column('circulated_at')

    with op.batch_alter_table('notice_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_finding_finding_id'))

    op.drop_table('notice_finding')
    with op.batch_alter_table('notice_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_status_change_notice_id'))

    op.drop_table('notice_status_change')
    with op.batch_alter_table('notice_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_recipient_unit_id'))

    op.drop_table('notice_recipient')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_status_created')
        batch_op.drop_index(batch_op.f('ix_notice_corrects_id'))

    op.drop_table('notice')
    op.drop_table('notice_counter')
