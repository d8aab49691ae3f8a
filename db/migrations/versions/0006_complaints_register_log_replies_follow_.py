"""complaints register, log, replies, follow-ups, extensions, categories, import mappings, documents

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('deadline_days', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('complainant_name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('complainant_phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('phone_digits', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('complainant_address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('sent_to_unit_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('content', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('escalation_level', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('signed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('replied_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('satisfaction', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("channel IN ('phone', 'letter', 'visit', 'online', 'hotline', 'provincial', 'other')", name=op.f('ck_complaint_channel_valid')),
    sa.CheckConstraint("escalation_level IN ('none', 'city', 'province', 'national')", name=op.f('ck_complaint_escalation_level_valid')),
    sa.CheckConstraint("satisfaction IS NULL OR satisfaction IN ('satisfied', 'basically', 'unsatisfied')", name=op.f('ck_complaint_satisfaction_valid')),
    sa.CheckConstraint("status IN ('received', 'assigned', 'signed', 'replied', 'reopened', 'returned', 'closed')", name=op.f('ck_complaint_status_valid')),
    sa.ForeignKeyConstraint(['category_id'], ['complaint_category.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], ),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['complaint.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['sent_to_unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'external_id', name='uq_complaint_external_id'),
    sa.UniqueConstraint('created_by', 'client_key', name='uq_complaint_client_key'),
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_complaint_district_received', ['district_id', 'received_at'], unique=False)
        # Partial: every list asks for duplicate_of_id IS NULL (nearly all rows), which a full
        # index would answer by reading it all; only "the copies of this one" need it.
        batch_op.create_index('ix_complaint_duplicate_link', ['duplicate_of_id'], unique=False,
                              sqlite_where=sa.text('duplicate_of_id IS NOT NULL'),
                              postgresql_where=sa.text('duplicate_of_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_complaint_escalated'), ['escalated'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_phone_digits'), ['phone_digits'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_sent_to_unit_id'), ['sent_to_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_status'), ['status'], unique=False)
        batch_op.create_index('ix_complaint_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index('ix_complaint_unit_status', ['unit_id', 'status'], unique=False)

    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('complaint_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('new_deadline', sa.Date(), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decision_note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.CheckConstraint("decision IS NULL OR decision IN ('granted', 'refused', 'withdrawn')", name=op.f('ck_complaint_extension_decision_valid')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['requested_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_extension_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('by', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('satisfaction', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.CheckConstraint("method IN ('phone', 'visit', 'sms', 'letter', 'other')", name=op.f('ck_complaint_follow_up_method_valid')),
    sa.CheckConstraint("satisfaction IN ('satisfied', 'basically', 'unsatisfied')", name=op.f('ck_complaint_follow_up_satisfaction_valid')),
    sa.ForeignKeyConstraint(['by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_follow_up_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('by', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('action_taken', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_reply_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.CheckConstraint("from_status IS NULL OR from_status IN ('received', 'assigned', 'signed', 'replied', 'reopened', 'returned', 'closed')", name=op.f('ck_complaint_status_change_from_status_valid')),
    sa.CheckConstraint("to_status IN ('received', 'assigned', 'signed', 'replied', 'reopened', 'returned', 'closed')", name=op.f('ck_complaint_status_change_to_status_valid')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_status_change_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('mime', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('complaint_reply_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], ),
    sa.ForeignKeyConstraint(['complaint_reply_id'], ['complaint_reply.id'], ),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_complaint_reply_id'), ['complaint_reply_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('complaint_reply_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_photo_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_complaint_reply_id'), ['complaint_reply_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_photo_complaint_reply_id', 'complaint_reply', ['complaint_reply_id'], ['id'])
        batch_op.create_foreign_key('fk_photo_complaint_id', 'complaint', ['complaint_id'], ['id'])

    for table in ('visit_plan', 'finding'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
            batch_op.create_index(f'ix_{table}_complaint_id', ['complaint_id'], unique=False)
            batch_op.create_foreign_key(
                f'fk_{table}_complaint_id', 'complaint', ['complaint_id'], ['id'])

    # The seed's categories, editable afterwards; the days a unit has to answer.
    categories = sa.table(
        'complaint_category', sa.column('name', sa.String), sa.column('deadline_days', sa.Integer),
        sa.column('position', sa.Integer), sa.column('active', sa.Boolean),
        sa.column('version', sa.Integer),
    )
    op.bulk_insert(categories, [
        {'name': name, 'deadline_days': days, 'position': n, 'active': True, 'version': 1}
        for n, (name, days) in enumerate([
            ('工作不到位', 15), ('服务态度差', 10), ('工作方式不当', 15), ('办事拖拉', 10),
            ('乱收费', 15), ('其他', 15),
        ])
    ])


def downgrade() -> None:
    for table in ('visit_plan', 'finding'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_complaint_id', type_='foreignkey')
            batch_op.drop_index(f'ix_{table}_complaint_id')
            batch_op.drop_column('complaint_id')
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_constraint('fk_photo_complaint_id', type_='foreignkey')
        batch_op.drop_constraint('fk_photo_complaint_reply_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_photo_complaint_reply_id'))
        batch_op.drop_index(batch_op.f('ix_photo_complaint_id'))
        batch_op.drop_column('complaint_reply_id')
        batch_op.drop_column('complaint_id')

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_sha256'))
        batch_op.drop_index(batch_op.f('ix_document_complaint_reply_id'))
        batch_op.drop_index(batch_op.f('ix_document_complaint_id'))

    op.drop_table('document')
    with op.batch_alter_table('complaint_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_status_change_complaint_id'))

    op.drop_table('complaint_status_change')
    with op.batch_alter_table('complaint_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_reply_complaint_id'))

    op.drop_table('complaint_reply')
    with op.batch_alter_table('complaint_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_follow_up_complaint_id'))

    op.drop_table('complaint_follow_up')
    with op.batch_alter_table('complaint_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_extension_complaint_id'))

    op.drop_table('complaint_extension')
    op.drop_table('import_mapping')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_unit_status')
        batch_op.drop_index('ix_complaint_status_deadline')
        batch_op.drop_index(batch_op.f('ix_complaint_status'))
        batch_op.drop_index(batch_op.f('ix_complaint_received_at'))
        batch_op.drop_index(batch_op.f('ix_complaint_phone_digits'))
        batch_op.drop_index(batch_op.f('ix_complaint_sent_to_unit_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_escalated'))
        batch_op.drop_index('ix_complaint_duplicate_link')
        batch_op.drop_index('ix_complaint_district_received')
        batch_op.drop_index(batch_op.f('ix_complaint_category_id'))

    op.drop_table('complaint')
    op.drop_table('complaint_category')
