"""reminder_log.delivered_to: which of the audience's chats already have the reminder

A reminder goes to every chat bound to its agency (a group and a forum topic, say). Until now
it counted as delivered once one chat had it, so a brief failure on the other chat was never
retried. The row now stays unsent until every chat has it, and a retry sends only to the
chats missing from this list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_to', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.drop_column('delivered_to')
