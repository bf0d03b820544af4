"""The office's re-import, step by step, shared by the re-import tests: send a version of the
notice, save its preview, find an agency's assignment of a task."""

from __future__ import annotations

from storage.models import Agency, Assignment, Task
from tests.harness import ADMIN, SEED, Harness


async def send_version(bot: Harness, text: str) -> dict:
    """The office sends `text` as the notice's file; the preview it gets back."""
    bot.emulator.user_sends_document(ADMIN, ADMIN, SEED.name, text.encode())
    await bot.flush()
    return bot.last(ADMIN)


async def save(bot: Harness, preview: dict) -> str:
    """💾 under the preview; the answer's text."""
    await bot.press(ADMIN, ADMIN, preview["message_id"], bot.button(preview, "💾"))
    return bot.last_text(ADMIN)


async def assignment(bot: Harness, code: str, agency: str) -> Assignment:
    """The assignment of task `code` to the agency named `agency`."""
    (task,) = await bot.rows(Task, Task.code == code)
    (owner,) = await bot.rows(Agency, Agency.name == agency)
    (found,) = await bot.rows(
        Assignment, Assignment.task_id == task.id, Assignment.agency_id == owner.id
    )
    return found
