"""client keys unique per owner (inspector, visit, liaison) instead of table-wide;
the clients each user has signed in from

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# table -> the owner column the key becomes unique within
OWNERS = {
    'inspection': 'inspector_id',
    'finding': 'inspection_id',
    'rectification': 'submitted_by',
}
# 0002 left these constraints unnamed; batch mode names them by this convention on SQLite
# (where the table is rebuilt), PostgreSQL named them <table>_client_key_key itself.
OLD_NAMING = {'uq': 'uq_%(table_name)s_%(column_0_name)s'}


def _old_name(table: str) -> str:
    if op.get_bind().dialect.name == 'postgresql':
        return f'{table}_client_key_key'
    return f'uq_{table}_client_key'


def upgrade() -> None:
    for table, owner in OWNERS.items():
        with op.batch_alter_table(table, naming_convention=OLD_NAMING) as batch_op:
            batch_op.drop_constraint(_old_name(table), type_='unique')
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_unique_constraint(f'uq_{table}_client_key', [owner, 'client_key'])
    op.create_table(
        'signin_known_client',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('last_signin_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'client', name='uq_signin_known_client'),
    )
    op.create_index(op.f('ix_signin_known_client_last_signin_at'), 'signin_known_client',
                    ['last_signin_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_signin_known_client_last_signin_at'),
                  table_name='signin_known_client')
    op.drop_table('signin_known_client')
    for table in OWNERS:
        # Two owners may have used one key since the upgrade; table-wide uniqueness needs
        # them apart again: every copy after the first gets its id appended.
        op.execute(
            f"UPDATE {table} SET client_key = substr(client_key, 1, 40) || '-' || "
            f"CAST(id AS VARCHAR) WHERE id NOT IN "
            f"(SELECT MIN(id) FROM {table} GROUP BY client_key)"
        )
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_client_key', type_='unique')
            batch_op.create_unique_constraint(_old_name(table), ['client_key'])
