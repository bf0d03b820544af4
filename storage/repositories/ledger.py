"""The applied-updates ledger's upkeep (the claim itself is storage/ledger.py's, inside the
unit of work's commit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from storage.models import AppliedUpdate
from storage.unit_of_work import UnitOfWork


async def prune(uow: UnitOfWork, *, before: datetime) -> int:
    """Forget claims older than `before`: Telegram gives up redelivering an update after 24
    hours, so a week's rows are more than any repeat can need."""
    result = await uow.execute(delete(AppliedUpdate).where(AppliedUpdate.applied_at < before))
    return int(result.rowcount or 0)
