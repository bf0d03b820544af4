"""The office's daily line about agencies not on board (issue 21).

Agencies still without a bound group `ONBOARDING_NUDGE_DAYS` working days after their first
task are named once a working day: at the end of the office's daily digest when one goes out
in the same sweep, else alone. Once a day across restarts and instances: the line is claimed
in the dispatch log (kind `onboarding_nudge`, the day), then written to the outbox and the
claim settled in one transaction (the outbox's sender delivers it, retries it, and shows the
office a final failure); a process that died between the claim and that transaction leaves
the claim to `release_stale`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.messaging.format import fmt_date, shorten
from bot.messaging.outbox_presenter import outgoing
from bot.messaging.texts import Texts
from bot.services import Services
from bot.services.onboarding import AgencyBoarding

KIND = "onboarding_nudge"
TARGET = "office"
NAMES_CHARS = 160  # the agencies named on the line; the rest are counted
NAME_CHARS = 40


@dataclass(frozen=True, slots=True)
class Nudge:
    claim_id: int
    line: str
    day: date


def nudge_line(t: Texts, late: list[AgencyBoarding], *, days: int) -> str:
    names: list[str] = []
    for line in late:
        name = shorten(line.agency.name, NAME_CHARS)
        if names and len(", ".join([*names, name])) > NAMES_CHARS:
            break
        names.append(name)
    joined = ", ".join(names)
    if len(names) < len(late):
        joined = t.t("onboard.nudge_more", names=joined, n=len(late) - len(names))
    return t.t("onboard.nudge_line", days=days, n=len(late), names=joined)


async def claim_nudge(services: Services, t: Texts) -> Nudge | None:
    """Today's line, claimed by this instance; None when it went out already today, another
    instance holds it, or every agency is on board (then nothing is asked again today)."""
    day = services.ctx.today()
    period = day.isoformat()
    dispatch = services.dispatch
    await dispatch.release_stale(kind=KIND)
    if await dispatch.is_done(kind=KIND, target=TARGET, period=period):
        return None
    late = await services.onboarding.overdue_unbound()
    if not late:
        await dispatch.mark_done(kind=KIND, target=TARGET, period=period)
        return None
    claim = await dispatch.claim(kind=KIND, target=TARGET, period=period)
    if claim is None:
        return None
    days = services.ctx.settings.onboarding_nudge_days
    return Nudge(claim, nudge_line(t, late, days=days), day)


async def settle(services: Services, nudge: Nudge, *, delivered: bool, error: str = "") -> None:
    if delivered:
        await services.dispatch.sent(nudge.claim_id, message_id=None)
    else:
        await services.dispatch.failed(nudge.claim_id, error=error or "not delivered")


async def send_alone(services: Services, t: Texts, nudge: Nudge) -> bool:
    """No office digest carried it today: the line on its own, to the office's chats, written
    to the outbox with its claim settled in one transaction (the sender delivers it). With no
    office chat at all the claim is released and the next sweep tries again."""
    text = "\n\n".join([t.t("onboard.nudge_title", date=fmt_date(nudge.day)), nudge.line])
    async with services.ctx.uow():
        written = await services.outbox.post(outgoing(text, to_office=True, purpose="nudge"))
        await settle(services, nudge, delivered=written > 0, error="no office chat")
    return written > 0
