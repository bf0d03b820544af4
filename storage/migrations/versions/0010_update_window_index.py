"""the reports-in-a-window index covers what the roll-up reads of a report

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

`ix_update_created_kind (created_at, kind)` becomes `ix_update_window (kind, created_at,
assignment_id, obstacle)` (PostgreSQL: INCLUDE (id); SQLite: the rowid is in every index): the
roll-up's count of a week's reports per agency, its difficulties and the web app's trend read
one range of the index per report kind instead of one table row per report (issue 19, item 6).
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index(
            'ix_update_window',
            ['kind', 'created_at', 'assignment_id', 'obstacle'],
            unique=False,
            postgresql_include=['id'],
        )
        batch_op.drop_index('ix_update_created_kind')


def downgrade() -> None:
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index('ix_update_created_kind', ['created_at', 'kind'], unique=False)
        batch_op.drop_index('ix_update_window')
