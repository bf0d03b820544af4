"""invite_codes.revoked_at: re-issuing an agency's code revokes the one before it (issue 21);
invite_codes indexed by agency, for /ganket's "invited, not bound" and the bulk invites

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invite_codes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('revoked_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f('ix_invite_codes_agency_id'), ['agency_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('invite_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_codes_agency_id'))
        batch_op.drop_column('revoked_at')
