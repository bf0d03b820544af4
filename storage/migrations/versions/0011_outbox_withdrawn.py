"""the outbox remembers a reminder withdrawn before it went out

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

`withdrawn_at`: a reminder (a digest to an agency, an escalation to the office) whose tasks
were all closed, reassigned or cancelled while it waited (a Telegram outage, the morning's
queue) is not sent; it is kept, settled, with this time and the reason in `error`, and pruned
like a sent message.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('withdrawn_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
