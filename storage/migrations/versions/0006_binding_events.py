"""binding_events: the append-only history of chat bindings

Every binding, refusal (the office's chat offered an agency's code), re-binding request and
the office's decision on it, a move to a supergroup's new chat id, and an end (removed under
/ganket, the bot kicked, the chat deleted). The database refuses UPDATE and DELETE on it, as
on progress_updates.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('binding_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('thread_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('previous_agency_id', sa.Integer(), nullable=True),
    sa.Column('new_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_user_id', sa.BigInteger(), nullable=True),
    sa.Column('decides_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.ForeignKeyConstraint(['previous_agency_id'], ['agencies.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('decides_id')
    )
    with op.batch_alter_table('binding_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_binding_events_chat_id'), ['chat_id'], unique=False)
    _append_only()


def downgrade() -> None:
    _drop_append_only()
    with op.batch_alter_table('binding_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_binding_events_chat_id'))
    op.drop_table('binding_events')


def _append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER binding_events_no_{verb.lower()} BEFORE {verb} ON binding_events "
                "BEGIN SELECT RAISE(ABORT, 'binding_events is append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION binding_events_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'binding_events is append-only'; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER binding_events_append_only BEFORE UPDATE OR DELETE ON binding_events "
        "FOR EACH ROW EXECUTE FUNCTION binding_events_append_only()"
    )


def _drop_append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS binding_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS binding_events_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS binding_events_append_only ON binding_events")
    op.execute("DROP FUNCTION IF EXISTS binding_events_append_only()")
