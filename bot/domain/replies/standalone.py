"""When a message that replies to nothing is a report (issue 14, item 4).

An agency's group is also where its members talk to each other; the bot must not answer
their chatter. A message that is not a reply is read as a report only when it names a task
code ("#31 đã xong"), or when it says what only a report says: a completion, an extension
request, a refusal of the task, or a figure of progress ("đạt 70%"). A difficulty or "đang
làm" alone ("em vướng họp", "đang làm đây") is chatter until it names a task. Voice notes,
stickers and replies to a list have no text: the caller answers them with one hint.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.replies.model import Intent, ReplyItem

_REPORTS = frozenset({Intent.DONE, Intent.EXTENSION, Intent.REASSIGN})
# Under one of the bot's messages about no task (a confirmation, a help text), the words are
# addressed to the bot: any intent that would move a task reads as a report ("xong", "đang
# làm", "vướng kinh phí"); receipt, filler and notes ("ok", "cảm ơn") stay chatter.
_REPORTING_TO_BOT = frozenset(
    {Intent.DONE, Intent.PROGRESS, Intent.BLOCKED, Intent.EXTENSION, Intent.REASSIGN}
)


def reports_to_bot(items: Sequence[ReplyItem]) -> bool:
    """Whether a reply to a bot message about no task should be handled as a report."""
    return any(item.intent in _REPORTING_TO_BOT for item in items)


def reads_as_report(items: Sequence[ReplyItem]) -> bool:
    """Whether a message that is not a reply should be handled as a report."""
    return any(
        item.task is not None
        or item.intent in _REPORTS
        or (item.intent in (Intent.PROGRESS, Intent.BLOCKED) and item.percent is not None)
        for item in items
    )
