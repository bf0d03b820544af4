"""applied_updates: the ledger of Telegram updates whose effect is stored

Each update is claimed, (bot_id, update_id), in the same transaction as its effect
(storage/ledger.py), so a webhook redelivery, two pollers or two instances never apply a
report twice. Rows older than a week are pruned by the reminder sweep.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('applied_updates',
    sa.Column('bot_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('applied_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('bot_id', 'update_id')
    )
    with op.batch_alter_table('applied_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applied_updates_applied_at'), ['applied_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('applied_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applied_updates_applied_at'))
    op.drop_table('applied_updates')
