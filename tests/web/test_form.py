"""The focal point's form: each action recorded exactly as the chat's buttons record it (the
same history row, the same message to the office), its confirmation in the agency's group with
↩️ Hoàn tác in the same window; and every wrong input refused with nothing written or sent."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from storage.models import Assignment, ExtensionRequest, ProgressUpdate, Task
from storage.unit_of_work import UnitOfWork
from tests.harness import ADMIN, FOCAL_A, FOCAL_B, GROUP_A, GROUP_B, OFFICE_GROUP
from tests.web.support import WebWorld, sign_in_by_miniapp


@asynccontextmanager
async def focal_a(web: WebWorld) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A's focal point signed in through the Mini App, and the session's CSRF token."""
    async with web.client() as client:
        await sign_in_by_miniapp(web, client, FOCAL_A)
        page = await client.get("/app")
        yield client, re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)[1]  # type: ignore[index]


async def history(web: WebWorld, assignment_id: int) -> list[ProgressUpdate]:
    async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
        rows = await uow.session.execute(
            select(ProgressUpdate)
            .where(ProgressUpdate.assignment_id == assignment_id)
            .order_by(ProgressUpdate.id)
        )
        return list(rows.scalars())


async def written(web: WebWorld) -> tuple[int, int, int]:
    """What a refusal must leave alone: history rows, extension requests, messages sent."""
    async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
        updates = (await uow.session.execute(select(func.count(ProgressUpdate.id)))).scalar()
        requests = (await uow.session.execute(select(func.count(ExtensionRequest.id)))).scalar()
    return int(updates or 0), int(requests or 0), len(web.harness.emulator.sent)


def normalise(message: dict[str, Any], code: str) -> str:
    """A message with the agency and the task's code taken out, to compare two agencies'."""
    text: str = message["text"]
    return text.replace("Sở Tài chính", "X").replace("Sở Công Thương", "X").replace(code, "#N")


def same_report(a: ProgressUpdate, b: ProgressUpdate) -> tuple[Any, ...]:
    return (a.kind, a.status, a.percent, a.text) == (b.kind, b.status, b.percent, b.text)


@pytest.mark.parametrize(
    ("action", "form", "chat_button", "chat_answer"),
    [
        ("done", {}, "done:{id}", None),
        ("progress", {"percent": "50"}, "pct:{id}:50", None),
        (
            "blocked",
            {"text": "chưa được bố trí kinh phí"},
            "block:{id}",
            "chưa được bố trí kinh phí",
        ),
    ],
)
async def test_a_form_report_is_the_chats_report(
    web: WebWorld, action: str, form: dict[str, str], chat_button: str, chat_answer: str | None
) -> None:
    mine, theirs = web.world.open_task["A"], web.world.open_task["B"]
    harness = web.harness
    # B's focal point reports the same in the chat: a task card, its button (and answer).
    await harness.send(FOCAL_B, GROUP_B, f"/capnhat #{theirs} đã gửi báo cáo")  # a note
    card = harness.last(GROUP_B)
    await harness.press(
        FOCAL_B,
        GROUP_B,
        card["message_id"],
        f"undo:{(await history(web, theirs))[-1].id}",
        strict=False,
    )
    office_before = len(harness.bot_messages(OFFICE_GROUP))
    await harness.press(
        FOCAL_B, GROUP_B, card["message_id"], chat_button.format(id=theirs), strict=False
    )
    if chat_answer:
        asked = harness.last(GROUP_B)
        await harness.send(FOCAL_B, GROUP_B, chat_answer, reply_to=asked["message_id"])
    by_chat = (await history(web, theirs))[-1]
    office_chat = harness.bot_messages(OFFICE_GROUP)[office_before:]

    async with focal_a(web) as (client, csrf):
        office_before = len(harness.bot_messages(OFFICE_GROUP))
        response = await client.post(f"/app/tasks/{mine}/{action}", data={"csrf": csrf, **form})
        assert response.status_code == 303, response.text
        by_form = (await history(web, mine))[-1]
        assert response.headers["location"] == (
            f"/app?agency={web.world.agency['A']}&ok={by_form.id}&at={mine}#task-{mine}"
        )
        follow = await client.get(response.headers["location"])
        assert f'action="/app/undo/{by_form.id}"' in follow.text
    office_form = harness.bot_messages(OFFICE_GROUP)[office_before:]

    assert same_report(by_form, by_chat), (by_form, by_chat)
    assert by_form.author_user_id == FOCAL_A and by_form.author_name == "Cán bộ 2001"
    confirmation = harness.last(GROUP_A)
    assert confirmation["text"].startswith("📱 Cán bộ 2001 báo cáo qua biểu mẫu:")
    assert harness.button(confirmation, "↩️") == f"undo:{by_form.id}"
    chat_confirmation = [
        m for m in harness.bot_messages(GROUP_B) if "Đã ghi nhận" in m.get("text", "")
    ][-1]
    assert confirmation["text"].split("\n", 1)[1] == chat_confirmation["text"].replace(
        f"#{theirs}", f"#{mine}"
    )
    # The office reads the same message (agency and code aside), with the same buttons.
    assert len(office_form) == len(office_chat)
    for from_form, from_chat in zip(office_form, office_chat, strict=True):
        assert normalise(from_form, f"#{mine} (A.1)") == normalise(from_chat, f"#{theirs} (B.1)")
        assert [d.split(":")[0] for _, d in harness.emulator.buttons(from_form)] == [
            d.split(":")[0] for _, d in harness.emulator.buttons(from_chat)
        ]


async def test_extension_request_goes_to_the_office_with_its_buttons(web: WebWorld) -> None:
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        response = await client.post(
            f"/app/tasks/{mine}/extension",
            data={"csrf": csrf, "date": "2020-04-30", "text": "chờ vốn bổ sung"},
        )
        assert response.status_code == 303, response.text
    row = (await history(web, mine))[-1]
    assert (row.kind, row.text) == ("extension_request", "30/04/2020: chờ vốn bổ sung")
    office = web.harness.last(OFFICE_GROUP)
    assert "xin gia hạn nhiệm vụ" in office["text"] and "30/04/2020" in office["text"]
    assert [d.split(":")[0] for _, d in web.harness.emulator.buttons(office)] == ["xok", "xno"]
    assert "Đã gửi đề nghị gia hạn" in web.harness.last_text(GROUP_A)


async def test_a_second_extension_request_while_one_waits_is_refused(web: WebWorld) -> None:
    """The form says which request waits for the office, and sends and stores nothing."""
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        first = await client.post(
            f"/app/tasks/{mine}/extension",
            data={"csrf": csrf, "date": "2020-04-30", "text": "chờ vốn bổ sung"},
        )
        assert first.status_code == 303, first.text
        sent = len(web.harness.bot_messages(OFFICE_GROUP))
        rows = len(await history(web, mine))
        second = await client.post(
            f"/app/tasks/{mine}/extension",
            data={"csrf": csrf, "date": "2020-05-31", "text": "thêm một tháng"},
        )
    assert second.status_code == 409, second.text
    assert f"đã xin gia hạn nhiệm vụ #{mine} đến 30/04/2020" in second.text
    assert "đang chờ Văn phòng Điều phối quyết định" in second.text
    assert len(web.harness.bot_messages(OFFICE_GROUP)) == sent
    assert len(await history(web, mine)) == rows


async def test_evidence_file_is_posted_to_the_group_and_kept_in_the_history(
    web: WebWorld,
) -> None:
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        response = await client.post(
            f"/app/tasks/{mine}/evidence",
            data={"csrf": csrf, "text": "biên bản nghiệm thu"},
            files={"file": ("bien-ban.pdf", b"%PDF-1.4 minh chung", "application/pdf")},
        )
        assert response.status_code == 303, response.text
        row = (await history(web, mine))[-1]
        document = [m for m in web.harness.bot_messages(GROUP_A) if "document" in m][-1]
        assert row.evidence_file_ids == document["document"]["file_id"]
        assert document["caption"].endswith("biên bản nghiệm thu")
        assert "Kèm 1 tệp minh chứng" in web.harness.last_text(GROUP_A)
        # The task page offers it back, fetched from Telegram, as a download.
        page = await client.get(f"/app/tasks/{mine}")
        assert f'href="/files/{row.id}/0"' in page.text
        file = await client.get(f"/files/{row.id}/0")
        assert file.status_code == 200 and file.content == b"%PDF-1.4 minh chung"
        assert file.headers["content-type"] == "application/octet-stream"
        assert file.headers["content-disposition"].startswith("attachment;")


async def test_undo_from_the_form_within_the_window_only(web: WebWorld) -> None:
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        await client.post(f"/app/tasks/{mine}/progress", data={"csrf": csrf, "percent": "75"})
        first = (await history(web, mine))[-1]
        undone = await client.post(f"/app/undo/{first.id}", data={"csrf": csrf})
        assert undone.status_code == 303
        assert (await history(web, mine))[-1].reverts_id == first.id
        assert "Đã hoàn tác" in web.harness.last_text(GROUP_A)
        await client.post(f"/app/tasks/{mine}/progress", data={"csrf": csrf, "percent": "25"})
        second = (await history(web, mine))[-1]
        web.harness.clock.advance(timedelta(minutes=web.harness.settings.undo_minutes, seconds=1))
        before = await written(web)
        late = await client.post(f"/app/undo/{second.id}", data={"csrf": csrf})
        assert late.status_code == 409 and "quá thời gian hoàn tác" in late.text
        assert await written(web) == before


async def test_a_completion_the_office_confirmed_is_not_undone_from_the_form(
    web: WebWorld,
) -> None:
    """Within the window, but the office confirmed since: the form refuses as the chat does,
    saying the office has decided and how to correct; nothing appended, still done."""
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        await client.post(f"/app/tasks/{mine}/done", data={"csrf": csrf})
        report = (await history(web, mine))[-1]
        office = web.harness.last(OFFICE_GROUP)
        await web.harness.press(
            ADMIN, OFFICE_GROUP, office["message_id"], web.harness.button(office, "✅")
        )
        before = await written(web)
        refused = await client.post(f"/app/undo/{report.id}", data={"csrf": csrf})
        assert refused.status_code == 409
        assert "Văn phòng Điều phối đã quyết định" in refused.text
        assert await written(web) == before
    assert [(u.kind, u.status) for u in (await history(web, mine))[-2:]] == [
        ("done", "awaiting_confirmation"),
        ("confirmed", "done"),
    ]


async def test_the_groups_undo_button_undoes_a_form_report(web: WebWorld) -> None:
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        await client.post(f"/app/tasks/{mine}/done", data={"csrf": csrf})
    report = (await history(web, mine))[-1]
    confirmation = web.harness.last(GROUP_A)
    await web.harness.press(FOCAL_A, GROUP_A, confirmation["message_id"], f"undo:{report.id}")
    assert (await history(web, mine))[-1].reverts_id == report.id


@pytest.mark.parametrize(
    ("action", "form", "kind"),
    [
        ("progress", {"percent": "50"}, "in_progress"),
        ("extension", {"date": "2020-04-30", "text": "chờ vốn bổ sung"}, "extension_request"),
    ],
)
async def test_a_form_sent_twice_records_once_and_says_so(
    web: WebWorld, action: str, form: dict[str, str], kind: str
) -> None:
    """A double tap, or the form sent again on a weak connection (issue 22's repeat rule, as
    in chat): nothing is recorded or sent a second time, and the form says it was recorded
    already, with the first report's Undo."""
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        first = await client.post(f"/app/tasks/{mine}/{action}", data={"csrf": csrf, **form})
        assert first.status_code == 303, first.text
        before = await written(web)
        again = await client.post(f"/app/tasks/{mine}/{action}", data={"csrf": csrf, **form})
        assert again.status_code == 303, again.text
        assert await written(web) == before  # no row, no request, no message
        rows = [r for r in await history(web, mine) if r.kind == kind]
        assert len(rows) == 1
        assert again.headers["location"] == (
            f"/app?agency={web.world.agency['A']}&ok={rows[0].id}&repeat=1&at={mine}#task-{mine}"
        )
        page = await client.get(again.headers["location"])
        assert "đã được ghi nhận trước đó" in page.text
        assert f'action="/app/undo/{rows[0].id}"' in page.text
        fresh = await client.get(first.headers["location"])
        assert "đã được ghi nhận trước đó" not in fresh.text


def refused_cases(web: WebWorld) -> list[tuple[str, dict[str, Any], int]]:
    mine, theirs = web.world.open_task["A"], web.world.open_task["B"]
    return [
        (f"/app/tasks/{theirs}/done", {}, 404),  # another agency's task in the URL
        (f"/app/tasks/{theirs}/progress", {"percent": "50"}, 404),
        (f"/app/tasks/{theirs}/evidence", {"files": {"file": ("a.txt", b"x", "text/plain")}}, 404),
        (f"/app/tasks/{web.world.awaiting['B']}/blocked", {"text": "x"}, 404),
        ("/app/tasks/999999/done", {}, 404),
        (f"/app/tasks/{mine}/delete", {}, 404),
        (f"/app/tasks/{mine}/progress", {"percent": "abc"}, 400),
        (f"/app/tasks/{mine}/progress", {"percent": "150"}, 400),
        (f"/app/tasks/{mine}/progress", {"percent": "-5"}, 400),
        (f"/app/tasks/{mine}/blocked", {"text": "   "}, 400),
        (f"/app/tasks/{mine}/blocked", {"text": "x" * 4001}, 400),
        (f"/app/tasks/{mine}/extension", {"date": "2020-13-45"}, 400),
        (f"/app/tasks/{mine}/extension", {"date": "30/04/2020"}, 400),
        (f"/app/tasks/{mine}/extension", {"date": "2019-12-27"}, 400),  # today: not ahead
        (f"/app/tasks/{mine}/extension", {"date": "2021-06-30"}, 400),  # past the picker's year
        (f"/app/tasks/{mine}/extension", {"date": "2020-03-15"}, 400),  # before the deadline
        (f"/app/tasks/{mine}/evidence", {"text": "no file"}, 400),
        (f"/app/undo/{10**9}", {}, 404),
    ]


async def test_wrong_input_is_refused_with_nothing_written(web: WebWorld) -> None:
    async with focal_a(web) as (client, csrf):
        for path, form, status in refused_cases(web):
            before = await written(web)
            files = form.pop("files", None)
            response = await client.post(path, data={"csrf": csrf, **form}, files=files)
            assert response.status_code == status, (path, form, response.text[:300])
            assert await written(web) == before, (path, form)


async def test_forged_and_oversized_posts_are_refused(web: WebWorld) -> None:
    mine = web.world.open_task["A"]
    async with focal_a(web) as (client, csrf):
        for data, headers, status in [
            ({}, {}, 403),  # no CSRF token
            ({"csrf": "0" * 32}, {}, 403),  # another session's
            ({"csrf": csrf, "text": "x" * (70 * 1024)}, {}, 413),  # over the form's limit
        ]:
            before = await written(web)
            response = await client.post(f"/app/tasks/{mine}/blocked", data=data, headers=headers)
            assert response.status_code == status
            assert await written(web) == before
        before = await written(web)
        big = b"x" * (web.harness.settings.max_upload_mb * 1024 * 1024 + 1)
        response = await client.post(
            f"/app/tasks/{mine}/evidence",
            data={"csrf": csrf},
            files={"file": ("big.bin", big, "application/octet-stream")},
        )
        assert response.status_code == 413
        assert "Nội dung gửi lên quá lớn" in response.text  # the catalogue's words, both languages
        assert "too large" in response.text
        assert await written(web) == before
        malformed = await client.post(
            f"/app/tasks/{mine}/evidence",
            content=b"--x\r\nbroken",
            headers={"content-type": "multipart/form-data; boundary=x"},
        )
        assert malformed.status_code in (400, 403)
        assert await written(web) == before


async def test_another_agencys_pages_show_nothing_of_it(web: WebWorld) -> None:
    theirs = web.world.open_task["B"]
    async with focal_a(web) as (client, _csrf):
        for path in (
            f"/app/tasks/{theirs}",
            f"/tasks/{theirs}",
            f"/app?agency={web.world.agency['B']}",
            f"/agencies/{web.world.agency['B']}",
        ):
            response = await client.get(path)
            assert response.status_code == 404, path
            assert "BRAVOMARK" not in response.text and "Sở Công Thương" not in response.text
        mine = await client.get("/app")
        assert "ALPHAMARK1" in mine.text and "BRAVOMARK" not in mine.text


async def test_a_busy_agencys_form_comes_in_pages_and_an_action_returns_to_its_page(
    web: WebWorld,
) -> None:
    """60 more open tasks for A: the form shows 50 (overdue first, as /nhiemvu), the count,
    ◀ ▶ and the page numbers; after a report on page 2 the form opens on page 2 again."""
    agency = web.world.agency["A"]
    async with UnitOfWork(web.harness.services.ctx.session_factory) as uow:
        for n in range(60):
            task = Task(
                notice_id=web.world.notice_id,
                code=f"P.{n}",
                text=f"nhiệm vụ thứ {n}",
                deadline_kind="date",
                deadline_start=date(2020, 1, 1) + timedelta(days=n),
                deadline_end=date(2020, 1, 1) + timedelta(days=n),
            )
            uow.session.add(task)
            await uow.session.flush()
            uow.session.add(
                Assignment(task_id=task.id or 0, agency_id=agency, status="in_progress")
            )
    async with focal_a(web) as (client, csrf):
        first = (await client.get(f"/app?agency={agency}")).text
        assert "1–50 trong số 62 nhiệm vụ · trang 1/2" in first
        assert first.count("<article") == 50
        assert f'href="/app?agency={agency}&amp;page=2" aria-label="Trang sau"' in first
        second = (await client.get(f"/app?agency={agency}&page=2")).text
        assert second.count("<article") == 12 and 'aria-current="page">2<' in second
        late = re.findall(r'id="task-(\d+)"', second)[-1]
        sent = await client.post(
            f"/app/tasks/{late}/progress", data={"csrf": csrf, "percent": "50"}
        )
        assert f"&at={late}#task-{late}" in sent.headers["location"]
        back = (await client.get(sent.headers["location"])).text
        assert f'id="task-{late}"' in back and 'aria-current="page">2<' in back
        assert (await client.get(f"/app?agency={agency}&page=99")).text.count("<article") == 12
