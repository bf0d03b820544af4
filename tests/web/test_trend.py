"""The overview's trend, week by week: reports received (an undone one left out), tasks
completed, and tasks overdue at each week's end, on a world whose every figure is known."""

from __future__ import annotations

from datetime import date, datetime

from tests.harness import ADMIN, FOCAL_A, FOCAL_B, GROUP_A, GROUP_B, OFFICE_GROUP, TZ
from tests.web.support import WebWorld


async def test_week_by_week(web: WebWorld) -> None:
    harness, world = web.harness, web.world
    a, b = world.open_task["A"], world.open_task["B"]  # both due 31/03/2020

    async def at(day: date, user: int, chat: int, text: str) -> None:
        harness.clock.set(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ))
        await harness.send(user, chat, text)

    await at(date(2020, 3, 16), FOCAL_A, GROUP_A, f"/capnhat #{a} đạt 30%")  # week ending 20/03
    await at(date(2020, 3, 17), FOCAL_B, GROUP_B, f"/capnhat #{b} đạt 10%")  # same week
    await at(date(2020, 3, 24), FOCAL_A, GROUP_A, f"/capnhat #{a} đạt 60%")  # week ending 27/03
    undone = harness.last(GROUP_A)
    await harness.press(FOCAL_A, GROUP_A, undone["message_id"], harness.button(undone, "↩️"))
    await at(date(2020, 4, 1), FOCAL_A, GROUP_A, f"/capnhat #{a} đã hoàn thành")  # ends 03/04
    office = harness.last(OFFICE_GROUP)
    await harness.press(ADMIN, OFFICE_GROUP, office["message_id"], harness.button(office, "✅"))

    admin = await harness.services.access.resolve(
        user_id=ADMIN, display_name="", chat_id=ADMIN, chat_type="private"
    )
    weeks = await harness.services.dashboard.trend(admin, last_day=date(2020, 4, 10), weeks=4)
    assert weeks is not None
    table = {(w.first, w.last): (w.reports, w.completed, w.overdue) for w in weeks}
    assert table == {
        # The awaiting tasks (A.2, B.2) were reported done on 27/12/2019: no completion date
        # here, so they count as open; their deadline 31/03 is before the last two weeks' end.
        (date(2020, 3, 14), date(2020, 3, 20)): (2, 0, 0),
        (date(2020, 3, 21), date(2020, 3, 27)): (0, 0, 0),  # the 60% was undone
        (date(2020, 3, 28), date(2020, 4, 3)): (1, 1, 3),  # A.1 done on 01/04, late
        (date(2020, 4, 4), date(2020, 4, 10)): (0, 0, 3),
    }
    # The last week's reports are the roll-up's count for the same week.
    rollup = await harness.services.summary.rollup(at=date(2020, 4, 3))
    assert rollup.changes.updates == 1
    focal = await harness.services.access.resolve(
        user_id=FOCAL_A, display_name="", chat_id=FOCAL_A, chat_type="private"
    )
    assert await harness.services.dashboard.trend(focal, last_day=date(2020, 4, 10)) is None
    [mine] = await harness.services.dashboard.trend(
        focal, last_day=date(2020, 4, 10), weeks=1, agency_id=world.agency["A"]
    ) or [None]
    assert mine is not None and (mine.reports, mine.completed, mine.overdue) == (0, 0, 1)
