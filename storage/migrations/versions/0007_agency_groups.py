"""agency_groups and their members: collective addressees ("Các huyện, thị xã, thành phố")
are the office's named sets of agencies, not agencies (issue 15)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agency_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('province', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('agency_group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.ForeignKeyConstraint(['group_id'], ['agency_groups.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'agency_id', name='uq_group_member')
    )
    with op.batch_alter_table('agency_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_group_members_group_id'), ['group_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agency_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_group_members_group_id'))
    op.drop_table('agency_group_members')
    op.drop_table('agency_groups')
