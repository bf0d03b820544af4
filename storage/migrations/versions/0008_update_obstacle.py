"""progress_updates.obstacle: a difficulty stated beside a completion or a figure
("Đã hoàn thành, tuy nhiên còn vướng kinh phí"), quoted by the roll-up (issue 14)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch (SQLite would copy the table and drop its append-only
    # triggers).
    op.add_column(
        'progress_updates',
        sa.Column('obstacle', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    # Rows are append-only (never updated): older blocked reports keep obstacle false and are
    # read as difficulties by their kind (storage/repositories/summary.py).


def downgrade() -> None:
    op.drop_column('progress_updates', 'obstacle')
