"""Every message type the bot sends, as one row each: how to make the bot send it.

`MESSAGES` is the registry the layout budget (test_budget.py) walks at the seed's size and
at 60 agencies. Adding a message type is one row: a name, what a person does to get it (say
a command, press a button, let the clock run the reminders), and who owns its layout. Rows
owned by issue 16 (the roll-up: /tonghop, the weekly message, /xuatbaocao) are held to it
too (the office's weekly digest aims at about 20 lines: tests/handlers/test_summary_presenter.py).
Rows owned by issue
19 (the web app) run with the web app on (`web=True`: WEB_BASE_URL set), where cards and
digests carry one more button, 📱 Mở biểu mẫu, and `/web` answers with a sign-in link.
Issue 22's rows are the answers to a person's repeat and to a reply that names no task;
issue 21's, going live: codes for many agencies with the kit, /ganket's onboarding view.
Issue 14's are the answers to replies in words: one per intent, a digest answered line by
line, a report replying to nothing, a voice note.
Issue 20's: /hopthu (the outbox's coalesced messages are held to the budget where they are
made, bot/messaging/outbox_presenter.py's `coalesce`, tested in tests/outbox/).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.harness import (
    ADMIN,
    OFFICE_GROUP,
    STRANGER,
    TZ,
    UNKNOWN_GROUP,
    sweep_and_send,
    weekly_and_send,
)
from tests.layout.world import LayoutWorld

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
Act = Callable[[LayoutWorld], Awaitable[None]]
ASSERTED = frozenset({"23", "19", "22", "21", "17", "14", "15", "16", "20"})  # owners asserted
WEB_BASE_URL = "https://dondoc.test"  # a row with `web=True` runs with the web app on


@dataclass(frozen=True, slots=True)
class Message:
    name: str
    act: Act
    owner: str = "23"  # the issue that owns this message's layout
    web: bool = False  # run with WEB_BASE_URL set: 📱 Mở biểu mẫu on cards and digests


# --- what a person does ------------------------------------------------------------------------


def _who(world: LayoutWorld, who: str) -> int:
    return {"admin": ADMIN, "focal": world.focal_point(), "stranger": STRANGER}[who]


def _where(world: LayoutWorld, who: str, where: str) -> int:
    places = {"office": OFFICE_GROUP, "group": world.group(), "unknown": UNKNOWN_GROUP}
    return places.get(where, _who(world, who))  # "private": the person's own chat


def say(who: str, where: str, text: str) -> Act:
    async def act(world: LayoutWorld) -> None:
        await world.bot.send(_who(world, who), _where(world, who, where), text)

    return act


def press(who: str, where: str, label: str) -> Act:
    """Press the button starting with `label` on the latest message in that chat with one."""

    async def act(world: LayoutWorld) -> None:
        chat = _where(world, who, where)
        for message in reversed(world.bot.bot_messages(chat)):
            for text, data in world.bot.emulator.buttons(message):
                if text.startswith(label) and data:
                    await world.bot.press(_who(world, who), chat, message["message_id"], data)
                    return
        raise AssertionError(f"no button {label!r} in {chat}")

    return act


def press_if_any(who: str, where: str, label: str) -> Act:
    """Press the button starting with `label` on the latest message in that chat, if it has
    one (what does not fit a screen at 60 agencies may fit at the seed's size)."""

    async def act(world: LayoutWorld) -> None:
        chat = _where(world, who, where)
        last = next(iter(reversed(world.bot.bot_messages(chat))), None)
        for text, data in world.bot.emulator.buttons(last) if last else []:
            if text.startswith(label) and data:
                await world.bot.press(_who(world, who), chat, last["message_id"], data)
                return

    return act


def every_page(who: str, where: str) -> Act:
    """Press "Sau ▶️" (or ▶️) on the latest message in that chat until its last page."""

    async def act(world: LayoutWorld) -> None:
        chat = _where(world, who, where)
        for _ in range(20):
            last = next(m for m in reversed(world.bot.bot_messages(chat)))
            data = next(
                (d for t, d in world.bot.emulator.buttons(last) if t.startswith("Sau") or t == "▶️"),
                None,
            )
            if data is None:
                return
            await world.bot.press(_who(world, who), chat, last["message_id"], data)
        raise AssertionError(f"more than 20 pages in {chat}")

    return act


def reply_to_list(who: str, where: str, text: str) -> Act:
    """Reply to the latest task list in that chat (the bot's message with a task's button)."""

    async def act(world: LayoutWorld) -> None:
        chat = _where(world, who, where)
        for message in reversed(world.bot.bot_messages(chat)):
            if any(
                (data or "").startswith("card:") for _, data in world.bot.emulator.buttons(message)
            ):
                await world.bot.send(_who(world, who), chat, text, reply_to=message["message_id"])
                return
        raise AssertionError(f"no task list in {chat}")

    return act


def reply_to_card(who: str, where: str, text: str) -> Act:
    """Reply to the latest task card in that chat (the bot's message with ✅ under it)."""

    async def act(world: LayoutWorld) -> None:
        chat = _where(world, who, where)
        for message in reversed(world.bot.bot_messages(chat)):
            if any(
                (data or "").startswith("done:") for _, data in world.bot.emulator.buttons(message)
            ):
                await world.bot.send(_who(world, who), chat, text, reply_to=message["message_id"])
                return
        raise AssertionError(f"no task card in {chat}")

    return act


def register(who: str, where: str, agency: str) -> Act:
    """The office invites `agency`; `who` sends its code with /dangky in `where`."""

    async def act(world: LayoutWorld) -> None:
        await world.bot.send(ADMIN, ADMIN, f"/moi {agency}")
        code = world.bot.last_text(ADMIN).split("/dangky ")[1].strip()
        await world.bot.send(_who(world, who), _where(world, who, where), f"/dangky {code}")

    return act


def voice(who: str, where: str) -> Act:
    async def act(world: LayoutWorld) -> None:
        world.bot.emulator.user_sends_voice(_who(world, who), _where(world, who, where))
        await world.bot.flush()

    return act


def sticker_to_card(who: str, where: str) -> Act:
    """A sticker replying to the latest task card in that chat."""

    async def act(world: LayoutWorld) -> None:
        chat = _where(world, who, where)
        card = next(
            m
            for m in reversed(world.bot.bot_messages(chat))
            if any((d or "").startswith("done:") for _, d in world.bot.emulator.buttons(m))
        )
        world.bot.emulator.user_sends_sticker(
            _who(world, who), chat, reply_to_message_id=card["message_id"]
        )
        await world.bot.flush()

    return act


def upgraded(where: str, new_chat_id: int) -> Act:
    """Telegram turns a basic group into a supergroup: the service messages arrive."""

    async def act(world: LayoutWorld) -> None:
        world.bot.emulator.migrate_group(_where(world, "admin", where), new_chat_id)
        await world.bot.flush()

    return act


def card_reply(text: str) -> Act:
    """Open task #16's card in the agency's group and reply to it."""
    return steps(say("focal", "group", "/nhiemvu #16"), reply_to_card("focal", "group", text))


def steps(*acts: Act) -> Act:
    async def act(world: LayoutWorld) -> None:
        for step in acts:
            await step(world)

    return act


def at(day: int, month: int, year: int = 2020, hour: int = 8, minute: int = 0) -> Act:
    """Move the clock and run the reminder sweep, as the scheduler would."""

    async def act(world: LayoutWorld) -> None:
        world.bot.clock.set(datetime(year, month, day, hour, minute, tzinfo=TZ))
        await sweep_and_send(world.bot.app)

    return act


def clock_to(day: int, month: int, year: int = 2020, hour: int = 8) -> Act:
    """Move the clock only (no sweep): what an admin's command then sees."""

    async def act(world: LayoutWorld) -> None:
        world.bot.clock.set(datetime(year, month, day, hour, 0, tzinfo=TZ))

    return act


async def weekly(world: LayoutWorld) -> None:
    world.bot.clock.set(datetime(2020, 1, 3, 16, 0, tzinfo=TZ))
    await weekly_and_send(world.bot.app)


async def weekly_later(world: LayoutWorld) -> None:
    """The weekly summary three weeks on, past every agency's grace to report."""
    world.bot.clock.set(datetime(2020, 1, 17, 16, 0, tzinfo=TZ))
    await weekly_and_send(world.bot.app)


async def unbind_every_group(world: LayoutWorld) -> None:
    """Each agency's focal point removes the bot from the agency's group: nobody is on board."""
    for name, chat in world.groups.items():
        world.bot.emulator.bot_removed_from_group(chat, world.focal[name])
    await world.bot.flush()


async def remove_focal_point(world: LayoutWorld) -> None:
    """The office removes Sở Tài chính's focal point (/xoadaumoi with their Telegram id)."""
    await world.bot.send(ADMIN, ADMIN, f"/xoadaumoi {world.focal_point()} Sở Tài chính")


async def send_corrected_seed(world: LayoutWorld) -> None:
    """The seed notice sent again with one deadline corrected: the preview lists the changes."""
    text = (EXAMPLES / "22-TB-BCD.txt").read_text(encoding="utf-8")
    corrected = text.replace("hoàn thành trước 31/03/2020", "hoàn thành trước 30/04/2020", 1)
    world.bot.emulator.user_sends_document(ADMIN, ADMIN, "22-TB-BCD.txt", corrected.encode())
    await world.bot.flush()


async def outbox_in_trouble(world: LayoutWorld) -> None:
    """A bad morning for the outbox: the daily digests go out while half the agencies' groups
    answer with a server error (still waiting, retried later) and the other half have removed
    the bot (failed at once, the office told of each); then the office opens /hopthu.
    (What lies beyond the rows /hopthu lists, "+N", is tested in tests/outbox/.)"""
    faults = world.bot.emulator.faults
    for n, chat in enumerate(world.groups.values()):
        if n % 2:
            faults.forbidden("sendMessage", chat_id=chat, times=1000)
        else:
            faults.inject("sendMessage", "server_error", chat_id=chat, times=1000)
    await at(31, 12, 2019)(world)


async def send_seed_dropping_finished_work(world: LayoutWorld) -> None:
    """The seed sent again without I.6.1 (Sở Tài chính's, done) and with I.3 given to another
    agency (Sở Công Thương's, awaiting confirmation): the preview keeps what was finished."""
    text = (EXAMPLES / "22-TB-BCD.txt").read_text(encoding="utf-8")
    dropped = "- Đôn đốc, đẩy nhanh tiến độ giải ngân vốn nông thôn mới năm 2019"
    corrected = "\n".join(line for line in text.split("\n") if not line.startswith(dropped))
    corrected = corrected.replace("3. Sở Công Thương", "3. Sở Kế hoạch và Đầu tư", 1)
    world.bot.emulator.user_sends_document(ADMIN, ADMIN, "22-TB-BCD.txt", corrected.encode())
    await world.bot.flush()


def send_file(name: str) -> Act:
    async def act(world: LayoutWorld) -> None:
        data = (EXAMPLES / name).read_bytes()
        world.bot.emulator.user_sends_document(ADMIN, ADMIN, name, data)
        await world.bot.flush()

    return act


# --- the registry -------------------------------------------------------------------------------

MESSAGES: tuple[Message, ...] = (
    Message("/start · office group", say("admin", "office", "/start")),
    Message("/start · admin's private chat", say("admin", "private", "/start")),
    Message("/start · agency group", say("focal", "group", "/start")),
    Message("/start · focal point's private chat", say("focal", "private", "/start")),
    Message("/start · stranger", say("stranger", "private", "/start")),
    Message("/trogiup · office group, both pages", steps(say("admin", "office", "/trogiup"), press("admin", "office", "Xem thêm"))),
    Message("/trogiup · admin's private chat", say("admin", "private", "/trogiup")),
    Message("/trogiup · agency group", say("focal", "group", "/trogiup")),
    Message("/trogiup · stranger", say("stranger", "private", "/trogiup")),
    Message("/nhiemvu · agency group", say("focal", "group", "/nhiemvu")),
    Message("/nhiemvu · office, all agencies, page 2", steps(say("admin", "office", "/nhiemvu"), press("admin", "office", "Sau"))),
    Message("/nhiemvu quahan", steps(at(2, 1), say("admin", "office", "/nhiemvu quahan"))),
    Message("/nhiemvu <name matching many>", say("admin", "office", "/nhiemvu huyện")),
    Message("/nhiemvu #N · card", say("focal", "group", "/nhiemvu #16")),
    Message("card · Xem thêm", steps(say("focal", "group", "/nhiemvu #16"), say("focal", "group", "/capnhat #16 đạt 10%"), say("focal", "group", "/capnhat #16 đạt 20%"), say("focal", "group", "/capnhat #16 đạt 30%"), say("focal", "group", "/capnhat #16 đạt 40%"), say("focal", "group", "/nhiemvu #16"), press("focal", "group", "📄"))),
    Message("daily digest · agency", at(31, 12, 2019)),
    Message("escalations · office", steps(at(31, 12, 2019), at(2, 1))),
    Message("escalations, more than a screen holds · office, 📋 Xem thêm → the overdue list, every page", steps(at(31, 12, 2019), at(2, 1), press_if_any("admin", "office", "📋 Xem thêm"), every_page("admin", "office"))),
    Message("import preview, saved, announcements", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "💾"))),
    Message("import preview · tasks page", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "📋"))),
    Message("import preview · every tasks page, the lines not used", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "📋"), every_page("admin", "private"))),
    Message("import preview · agencies page", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "🏢")), owner="15"),
    Message("import preview · the seed corrected, what changes, saved", steps(send_corrected_seed, press("admin", "private", "💾"))),
    Message("import preview · the seed corrected, finished work dropped or moved: kept, the tasks page, saved", steps(say("focal", "group", "/capnhat #15 đã hoàn thành"), press("admin", "office", "✅"), say("admin", "private", "/capnhat #12 đã hoàn thành"), send_seed_dropping_finished_work, press("admin", "private", "📋"), press("admin", "private", "💾"))),
    Message("import preview · the seed again, no change", steps(send_file("22-TB-BCD.txt"), press("admin", "private", "💾")), owner="15"),
    Message("import preview · ❓ 👥 a group asked, defined, previewed again", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "❓"), press("admin", "private", "👥"), say("admin", "private", "Huyện Kỳ Anh\nHuyện Can Lộc\nThị xã Hồng Lĩnh")), owner="15"),
    Message("import preview · ❓ ☑️ agencies picked for this notice, page 2, previewed again", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "❓"), press("admin", "private", "☑️"), press("admin", "private", "Huyện"), press("admin", "private", "▶️"), press("admin", "private", "✅ Xong")), owner="15"),
    Message("import preview · ❓ ⏭ a group skipped, the preview says so", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "❓"), press("admin", "private", "⏭")), owner="15"),
    Message("/donvi · the directory", say("admin", "private", "/donvi"), owner="15"),
    Message("/donvi nhom · groups", steps(say("admin", "private", "/donvi nhom Các huyện, thị xã, thành phố: Huyện Kỳ Anh; Huyện Hương Khê; Huyện Thạch Hà; Huyện Nghi Xuân"), say("admin", "private", "/donvi nhom")), owner="15"),
    Message("/donvi doiten · gop · bidanh", steps(say("admin", "private", "/donvi bidanh Sở Tài chính | STC"), say("admin", "private", "/donvi doiten Báo Hà Tĩnh | Báo Hà Tĩnh điện tử"), say("admin", "private", "/donvi gop Sở Kế hoạch và Đầu tư | Sở Tài chính")), owner="15"),
    Message("confirmation + Undo · /capnhat", say("focal", "group", "/capnhat #16 đạt 70%")),
    Message("done → office asks to confirm → confirmed", steps(say("focal", "group", "/capnhat #15 đã hoàn thành"), press("admin", "office", "✅"))),
    Message("🔄 → choose a percentage", steps(say("focal", "group", "/nhiemvu #16"), press("focal", "group", "🔄"))),
    Message("📅 → extension asked, sent, approved", steps(say("focal", "group", "/nhiemvu #16"), press("focal", "group", "📅"), say("focal", "group", "30/04/2020 chờ ý kiến của Bộ Tài chính"), press("admin", "office", "✅ Đồng ý gia hạn"))),
    Message("/moi <name matching many>", say("admin", "private", "/moi Sở")),
    Message("/moi <agency> · invite", say("admin", "private", "/moi Sở Tài chính")),
    Message("/moi tatca · codes for every agency, the kit", say("admin", "private", "/moi tatca"), owner="21"),
    Message("/moi <số văn bản> · the notice's agencies", say("admin", "private", "/moi 22-TB/BCĐ"), owner="21"),
    Message("/moi <unknown notice>", say("admin", "private", "/moi 99-TB/XYZ"), owner="21"),
    Message("saved notice → 🎫 codes and the kit", steps(send_file("45-TB-UBND.txt"), press("admin", "private", "💾"), press("admin", "private", "🎫")), owner="21"),
    Message("/ganket · bindings, page 2", steps(say("admin", "office", "/ganket"), press("admin", "office", "📋"), press("admin", "office", "Sau"))),
    Message("/ganket · who is on board, page 2", steps(unbind_every_group, say("admin", "private", "/moi Sở Tài chính"), say("admin", "private", "/moi Sở Xây dựng"), say("admin", "office", "/ganket"), press("admin", "office", "Sau")), owner="21"),
    Message("escalations + agencies not on board · office", steps(unbind_every_group, at(31, 12, 2019), at(2, 1), at(3, 1)), owner="21"),
    Message("/ganket · 🎫 one agency picked", steps(unbind_every_group, say("admin", "office", "/ganket"), press("admin", "office", "🎫 Cấp mã cho một"), press("admin", "office", "🎫 ")), owner="21"),
    Message("/ganket · every agency invited, not bound", steps(unbind_every_group, say("admin", "private", "/moi tatca"), say("admin", "office", "/ganket"), press("admin", "office", "Sau")), owner="21"),
    Message("/start · group bound to nothing", say("stranger", "unknown", "/start")),
    Message("/start <code> · a focal point registers alone", register("stranger", "private", "Sở Công Thương")),
    Message("👍 digest acknowledged", steps(at(31, 12, 2019), press("focal", "group", "👍"))),
    Message("↩️ Hoàn tác · undone", steps(say("focal", "group", "/capnhat #16 đạt 70%"), press("focal", "group", "↩️"))),
    Message("⚠️ → blocker asked, sent, office told", steps(say("focal", "group", "/nhiemvu #16"), press("focal", "group", "⚠️"), say("focal", "group", "vướng kinh phí đối ứng"))),
    Message("done → office returns it with a reason", steps(say("focal", "group", "/capnhat #15 đã hoàn thành"), press("admin", "office", "↩️"), say("admin", "office", "Thiếu biên bản nghiệm thu"), say("focal", "group", "/nhiemvu #15"), say("admin", "office", "/tonghop"))),
    Message("a task without a deadline · a date proposed, agreed, the card", steps(say("focal", "group", "/nhiemvu #15"), reply_to_card("focal", "group", "xin gia hạn đến 30/04/2020"), press("focal", "group", "📅 Đề xuất"), press("admin", "office", "✅ Đồng ý thời hạn đề xuất"), say("focal", "group", "/nhiemvu #15"))),
    Message("a task without a deadline · a date proposed, refused", steps(say("focal", "group", "/nhiemvu #15"), reply_to_card("focal", "group", "xin gia hạn đến 30/04/2020"), press("focal", "group", "📅 Đề xuất"), press("admin", "office", "❌"))),
    Message("more time asked again while the first request waits · /capnhat, a reply to the card", steps(say("focal", "group", "/capnhat #16 xin gia hạn đến 30/04/2020"), say("focal", "group", "/capnhat #16 xin gia hạn đến 31/05/2020"), card_reply("đạt 60%, xin gia hạn đến 31/05/2020"))),
    Message("a deadline proposed again while the first proposal waits", steps(say("focal", "group", "/capnhat #15 xin gia hạn đến 30/04/2020"), press("focal", "group", "📅 Đề xuất"), say("focal", "group", "/capnhat #15 xin gia hạn đến 31/05/2020"), press("focal", "group", "📅 Đề xuất"))),
    Message("a digest answered twice, more time asked again on line 2 · one message", steps(at(31, 12, 2019), reply_to_list("focal", "group", "1. đạt 10%\n2. xin gia hạn đến 30/04/2020"), reply_to_list("focal", "group", "1. đạt 20%\n2. xin gia hạn đến 31/05/2020")), owner="14"),
    Message("📅 → extension refused", steps(say("focal", "group", "/nhiemvu #16"), press("focal", "group", "📅"), say("focal", "group", "30/04/2020 chờ ý kiến của Bộ Tài chính"), press("admin", "office", "❌"))),
    Message("/doihan · changed for the task's three agencies, each told", say("admin", "private", "/doihan #16 30/04/2020")),
    Message("/doihan · a task one agency holds", say("admin", "private", "/doihan #2 30/04/2020")),
    Message("/doihan · the same date again, one agency named (refused)", steps(*(say("admin", "private", c) for c in ("/doihan #16 30/04/2020", "/doihan #16 30/04/2020", "/doihan #16 Sở Tài chính 15/05/2020")))),
    Message("/giaolai · reassigned, the new agency's card, the old agency's note", say("admin", "private", "/giaolai #16 Sở Kế hoạch và Đầu tư")),
    Message("/giaolai · again (nothing changes), then elsewhere (code no longer in use)", steps(*(say("admin", "private", f"/giaolai #16 {a}") for a in ("Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư", "Sở Xây dựng")))),
    Message("/huynv → cancelled", steps(say("admin", "private", "/huynv #16"), press("admin", "private", "🚫"))),
    Message("/mat → restricted in the digest and the list", steps(say("admin", "private", "/mat #16"), at(31, 12, 2019), say("focal", "group", "/nhiemvu"), say("focal", "group", "/nhiemvu #16"))),
    Message("/themadmin · /boadmin", steps(say("admin", "private", "/themadmin 123456789"), say("admin", "private", "/boadmin 123456789"))),
    Message("/xoadaumoi · removed", remove_focal_point),
    Message("/nhapvanban → the notice pasted → preview", steps(say("admin", "private", "/nhapvanban"), say("admin", "private", (EXAMPLES / "45-TB-UBND.txt").read_text(encoding="utf-8")))),
    Message("/tamdung → /tieptuc", steps(say("focal", "group", "/tamdung 7"), say("focal", "group", "/tieptuc"))),
    Message("/nhiemvu · an agency, a notice, overdue in the group", steps(say("admin", "office", "/nhiemvu Sở Tài chính"), say("admin", "office", "/nhiemvu 22-TB/BCĐ"), at(2, 1), say("focal", "group", "/nhiemvu quahan"))),
    Message("/nhiemvu · nothing found", steps(say("admin", "office", "/nhiemvu xyz"), say("admin", "office", "/nhiemvu #999"))),
    Message("an unknown command, a message not understood, a stranger", steps(say("admin", "private", "/foo"), say("admin", "private", "xin chào"), say("stranger", "private", "xin chào"))),
    Message("/nhacngay · agencies nobody receives for", steps(unbind_every_group, at(31, 12, 2019, 7), say("admin", "office", "/nhacngay"))),
    Message("weekly summary · not on board, silent, a difficulty", steps(say("focal", "group", "/capnhat #16 vướng kinh phí đối ứng của huyện chưa bố trí"), unbind_every_group, weekly_later), owner="16"),
    Message("/ganket · 📋 → 🗑 a group removed", steps(say("admin", "office", "/ganket"), press("admin", "office", "📋"), press("admin", "office", "🗑"))),
    Message("/donvi in an agency group · refused", say("focal", "group", "/donvi")),
    Message("/chuatiepnhan · every page", steps(say("admin", "office", "/chuatiepnhan"), every_page("admin", "office"))),
    Message("/hopthu · the outbox", say("admin", "office", "/hopthu"), owner="20"),
    Message("/hopthu · waiting and failed, every page", steps(outbox_in_trouble, say("admin", "office", "/hopthu"), every_page("admin", "office")), owner="20"),
    Message("/nhacngay", steps(at(31, 12, 2019, 7), say("admin", "office", "/nhacngay"))),
    Message("/huynv · asks first", say("admin", "private", "/huynv #16")),
    Message("usage lines", steps(*(say("admin", "private", c) for c in ("/capnhat", "/doihan", "/giaolai", "/giaoviec", "/moi", "/themadmin", "/xoadaumoi", "/dangky")))),
    Message("refusals and usage answers · agency group", steps(*(say("focal", "group", c) for c in ("/capnhat #16 đạt 150%", "/capnhat #999 đạt 10%", "/capnhat #16", "/tieptuc", "/dangky ABCDEFGHJK", "/tamdung 99/99/2020", "/giaoviec Sở Tài chính | Báo cáo | 15/01/2020")))),
    Message("refusals and usage answers · the office", steps(*(say("admin", "private", c) for c in ("/doihan #16 abc", "/doihan #16 01/01/2019", "/giaolai #16 Sở Tài chính", "/huynv #999", "/mat", "/vanphong", "/moi 15", "/moi Sở XYZ", "/donvi doiten", "/donvi gop Sở Tài chính | Sở Tài chính", "/donvi doiten Sở | Sở mới", "/giaoviec Sở Tài chính |  | 15/01/2020", "/xoadaumoi 123456789 Sở Tài chính")))),
    Message("/tamdung · usage and paused", steps(say("focal", "group", "/tamdung"), say("focal", "group", "/tamdung 7"))),
    Message("the same report again · already recorded", steps(say("focal", "group", "/capnhat #16 đạt 70%"), say("focal", "group", "/capnhat #16 đạt 70%")), owner="22"),
    Message("a reply to the task list · how to report", steps(say("focal", "group", "/nhiemvu"), reply_to_list("focal", "group", "đã xong")), owner="22"),
    Message("a reply · receipt, status unchanged", card_reply("Dạ em đã nhận được nv ạ"), owner="14"),
    Message("a reply · đang làm, no percent", card_reply("đang triển khai ạ"), owner="14"),
    Message("a reply · done with a difficulty → office", card_reply("Đã hoàn thành. Tuy nhiên còn vướng kinh phí đối ứng của huyện, đề nghị Văn phòng báo cáo Thường trực Ban Chỉ đạo xem xét bố trí"), owner="14"),
    Message("a reply · extension in words → ✏️ Sửa ngày → asked", steps(card_reply("Đề nghị cho lùi thời hạn đến hết tháng 4 do chờ ý kiến thẩm định của Sở Kế hoạch và Đầu tư và hướng dẫn của Bộ Tài chính"), press("focal", "group", "✏️"), say("focal", "group", "15/04/2020")), owner="14"),
    Message("a reply · extension without a date → asked", card_reply("xin gia hạn do chờ ý kiến UBND tỉnh"), owner="14"),
    Message("a reply · a figure and an extension → both, one message", card_reply("Đạt 70%, xin gia hạn đến 30/4 do chờ ý kiến thẩm định của Sở Kế hoạch và Đầu tư và hướng dẫn của Bộ Tài chính về nguồn vốn đối ứng"), owner="14"),
    Message("a reply · a difficulty and an extension without a date → asked", card_reply("Đạt 40%, vướng mặt bằng chưa giải phóng xong, đề nghị cho thêm thời gian"), owner="14"),
    Message("a reply · extension not after the deadline → asked", card_reply("xin lùi hạn đến hết quý I"), owner="14"),
    Message("a reply · not our task → office decides → kept", steps(card_reply("Không thuộc chức năng của Sở, đề nghị chuyển Sở Kế hoạch và Đầu tư chủ trì tham mưu"), press("admin", "office", "Giữ nguyên")), owner="14"),
    Message("a reply · a cited document → done?", card_reply("Đã tham mưu UBND tỉnh ban hành Quyết định số 45/QĐ-UBND ngày 10/01/2020 phê duyệt kế hoạch vốn"), owner="14"),
    Message("a reply · unclear → the choices", card_reply("50"), owner="14"),
    Message("a reply · numbered items under one task → asked", card_reply("1 đạt 50%\n2 đã hoàn thành\n3 vướng kinh phí\n4 xin gia hạn đến 30/6"), owner="14"),
    Message("a digest answered line by line · one message", steps(at(31, 12, 2019), reply_to_list("focal", "group", "1. Đã hoàn thành, đã báo cáo UBND tỉnh tại Báo cáo số 12/BC-STC\n2. đạt 50%, còn vướng kinh phí đối ứng")), owner="14"),
    Message("a digest answered, a figure with an extension · ↩️ Hoàn tác tất cả", steps(at(31, 12, 2019), reply_to_list("focal", "group", "1. đạt 40%\n2. đạt 50%, xin gia hạn đến 30/4 do chờ ý kiến UBND tỉnh"), press("focal", "group", "↩️ Hoàn tác tất cả")), owner="14"),
    Message("receipt typed under a digest · every task", steps(at(31, 12, 2019), reply_to_list("focal", "group", "Dạ, đã tiếp nhận ạ")), owner="14"),
    Message("a report replying to nothing · which task?", say("focal", "group", "đã hoàn thành rồi ạ"), owner="14"),
    Message("a voice note in the group · hint", voice("focal", "group"), owner="14"),
    Message("a sticker replying to a card · hint", steps(say("focal", "group", "/nhiemvu #16"), sticker_to_card("focal", "group")), owner="14"),
    Message("/tonghop nam · the league at mid-year", steps(clock_to(30, 6, 2020), say("admin", "office", "/tonghop nam")), owner="16"),
    Message("/tonghop · agency group, an agency, bad arguments", steps(say("focal", "group", "/tonghop"), say("admin", "office", "/tonghop Sở Tài chính"), say("admin", "office", "/tonghop xyz"), say("admin", "office", "/tonghop #15"), say("admin", "office", "/tonghop 31/12/2019-01/12/2019")), owner="16"),
    Message("/tonghop <đơn vị> → ⚠️ its overdue tasks", steps(at(2, 1), say("admin", "office", "/tonghop Văn phòng Điều phối nông thôn mới tỉnh"), press("admin", "office", "⚠️")), owner="16"),
    Message("/tonghop", say("admin", "office", "/tonghop"), owner="16"),
    Message("weekly summary", weekly, owner="16"),
    Message("/xuatbaocao", say("admin", "office", "/xuatbaocao"), owner="16"),
    Message("/dangky in the office group · refused", register("stranger", "office", "Sở Công Thương"), owner="17"),
    Message("/vanphong in an agency group · refused", say("admin", "group", "/vanphong"), owner="17"),
    Message("another agency's code · office asked, agrees", steps(register("stranger", "group", "Sở Công Thương"), press("admin", "office", "✅")), owner="17"),
    Message("another agency's code · office keeps it", steps(register("stranger", "group", "Sở Công Thương"), press("admin", "office", "❌")), owner="17"),
    Message("a group upgraded to a supergroup · office told", steps(register("stranger", "unknown", "Sở Công Thương"), upgraded("unknown", -1004242)), owner="17"),
    Message("/nhacngay before the hour · sent early", steps(clock_to(31, 12, 2019, 7), say("admin", "office", "/nhacngay")), owner="17"),
    Message("/nhacngay on a day off · asks, then sends", steps(clock_to(29, 12, 2019, 9), say("admin", "office", "/nhacngay"), press("admin", "office", "✅")), owner="17"),
    Message("📱 card · agency group", say("focal", "group", "/nhiemvu #16"), owner="19", web=True),
    Message("📱 card · focal point's private chat", say("focal", "private", "/nhiemvu #16"), owner="19", web=True),
    Message("📱 card · Xem thêm", steps(*(say("focal", "group", f"/capnhat #16 đạt {p}%") for p in (10, 20, 30, 40)), say("focal", "group", "/nhiemvu #16"), press("focal", "group", "📄")), owner="19", web=True),
    Message("📱 daily digest · agency", at(31, 12, 2019), owner="19", web=True),
    Message("📱 /giaoviec · the agency's new task", say("admin", "private", "/giaoviec Sở Tài chính | Báo cáo tình hình giải ngân vốn đầu tư công | 15/01/2020"), owner="19", web=True),
    Message("📱 /web · sign-in link", steps(say("admin", "private", "/web"), say("focal", "private", "/web"), say("focal", "group", "/web")), owner="19", web=True),
    Message("📱 /trogiup · focal point's private chat", say("focal", "private", "/trogiup"), owner="19", web=True),
)  # fmt: skip
