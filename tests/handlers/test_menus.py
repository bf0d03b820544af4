"""Menus and help per chat and role: what Telegram would show each person in each chat
(the emulator resolves setMyCommands scopes as Telegram does), /start and /help answering
for the chat they are in, and the menus following the bindings."""

from __future__ import annotations

import pytest

from bot.domain.permissions import ADMIN_ONLY, Action, Actor, ChatScope, decide, offered
from handlers.menu import MENU, menu_names
from tests.harness import (
    ADMIN,
    FOCAL_A,
    FOCAL_B,
    GROUP_A,
    OFFICE_GROUP,
    STRANGER,
    UNKNOWN_GROUP,
    Harness,
)

OFFICE_ONLY = {e.name for e in MENU if set(e.actions) <= ADMIN_ONLY}
AGENCY_MENU = ["nhiemvu", "capnhat", "tonghop", "tamdung", "tieptuc", "trogiup"]
# A private chat adds /web (the web app's sign-in link is given only there).
PRIVATE_AGENCY_MENU = ["nhiemvu", "capnhat", "tonghop", "tamdung", "tieptuc", "web", "trogiup"]


async def _bind(bot: Harness, agency: str, user: int, chat: int) -> None:
    await bot.send(ADMIN, ADMIN, f"/moi {agency}")
    code = bot.last_text(ADMIN).split("/dangky ")[1].strip()
    await bot.send(user, chat, f"/dangky {code}")


@pytest.fixture
async def bound(seeded: Harness) -> Harness:
    await _bind(seeded, "Sở Tài chính", FOCAL_A, GROUP_A)
    await seeded.send(ADMIN, OFFICE_GROUP, "/vanphong")
    await _bind(seeded, "Sở Công Thương", FOCAL_B, FOCAL_B)  # by the link, in private
    return seeded


async def test_each_chat_shows_what_its_person_may_do_there(bound: Harness) -> None:
    menu = bound.emulator.menu_for
    assert menu(GROUP_A, FOCAL_A) == AGENCY_MENU
    assert menu(GROUP_A, ADMIN) == AGENCY_MENU  # an agency group never shows the office's
    office = menu(OFFICE_GROUP, ADMIN)
    assert {"nhapvanban", "moi", "giaoviec", "xuatbaocao", "nhiemvu", "tonghop"} <= set(office)
    assert not {"capnhat", "tamdung", "dangky", "web"} & set(office)
    # /vanphong is a group command; /web a private one.
    assert menu(ADMIN, ADMIN) == [n for n in office if n not in ("vanphong", "trogiup")] + [
        "web",
        "trogiup",
    ]
    assert menu(FOCAL_B, FOCAL_B) == PRIVATE_AGENCY_MENU
    assert menu(STRANGER, STRANGER) == ["dangky", "trogiup"]
    assert menu(UNKNOWN_GROUP, STRANGER) == ["dangky", "trogiup"]
    # Every scope the bot set is recorded, with the commands it got.
    scopes = {
        (scope.get("type"), scope.get("chat_id")) for scope, _, _ in bound.emulator.command_scopes()
    }
    assert {("default", None), ("chat", GROUP_A), ("chat", OFFICE_GROUP), ("chat", ADMIN)} <= scopes


async def test_menus_follow_the_bindings(bound: Harness) -> None:
    menu = bound.emulator.menu_for
    await bound.send(ADMIN, ADMIN, f"/themadmin {FOCAL_B}")
    assert "nhapvanban" in menu(FOCAL_B, FOCAL_B) and "capnhat" in menu(FOCAL_B, FOCAL_B)
    await bound.send(ADMIN, ADMIN, f"/boadmin {FOCAL_B}")
    assert menu(FOCAL_B, FOCAL_B) == PRIVATE_AGENCY_MENU
    await bound.send(ADMIN, OFFICE_GROUP, "/ganket")
    overview = bound.last(OFFICE_GROUP)  # who is on board; the bound groups behind 📋
    await bound.press(ADMIN, OFFICE_GROUP, overview["message_id"], bound.button(overview, "📋"))
    listing = bound.last(OFFICE_GROUP)
    group_a = next(
        data
        for line, (_, data) in zip(
            [ln for ln in listing["text"].splitlines()[1:] if ln[:1].isdigit()],
            bound.emulator.buttons(listing),
            strict=False,
        )
        if "Sở Tài chính" in line
    )
    await bound.press(ADMIN, OFFICE_GROUP, listing["message_id"], group_a)
    assert menu(GROUP_A, FOCAL_A) == ["dangky", "trogiup"]  # back to the default menu


async def test_start_and_help_answer_for_the_chat(bound: Harness) -> None:
    await bound.send(ADMIN, GROUP_A, "/start")
    start = bound.last_text(GROUP_A)
    assert "Sở Tài chính" in start and "/nhapvanban" not in start and "/moi" not in start
    await bound.send(ADMIN, GROUP_A, "/trogiup")
    help_a = bound.last_text(GROUP_A)
    assert "/nhiemvu" in help_a and "/capnhat #15" in help_a
    assert not any(f"/{name}" in help_a for name in OFFICE_ONLY)
    await bound.send(ADMIN, OFFICE_GROUP, "/trogiup")
    help_office = bound.last_text(OFFICE_GROUP)
    assert "/nhapvanban" in help_office and "/capnhat" not in help_office
    await bound.send(STRANGER, STRANGER, "/trogiup")
    assert "/dangky K7M2Q9XW3P" in bound.last_text(STRANGER)
    assert "/nhiemvu" not in bound.last_text(STRANGER)


async def test_help_that_takes_two_screens_has_pages(bound: Harness) -> None:
    await bound.send(ADMIN, OFFICE_GROUP, "/trogiup")
    first = bound.last(OFFICE_GROUP)
    pages = [first["text"]]
    message = first
    while any(label.startswith("Xem thêm") for label, _ in bound.emulator.buttons(message)):
        more = bound.button(message, "Xem thêm")
        await bound.press(ADMIN, OFFICE_GROUP, first["message_id"], more)
        message = bound.emulator.message(OFFICE_GROUP, first["message_id"])
        assert message is not None and message["text"] not in pages
        pages.append(message["text"])
    total = len(pages)
    assert total > 1 and f"({total}/{total})" in pages[-1]
    # Together the pages name every command of the office's menu.
    shown = "".join(pages)
    assert all(f"/{name}" in shown for name in bound.emulator.menu_for(OFFICE_GROUP, ADMIN))


def test_every_command_offered_is_one_the_rule_allows() -> None:
    """The menus are derived from the permission rule: nothing offered is ever refused."""
    actors = [
        Actor(1),
        Actor(2, agencies={7: "focal_point"}),
        Actor(3, is_admin=True),
        Actor(4, is_admin=True, agencies={7: "focal_point"}),
    ]
    scopes = [
        ChatScope(1, "private"),
        ChatScope(-1, "supergroup", agency_id=7, agency_name="Sở Tài chính"),
        ChatScope(-2, "supergroup", is_office=True),
        ChatScope(-3, "group"),
    ]
    for actor in actors:
        for scope in scopes:
            for entry in MENU:
                if entry.name in menu_names(actor, scope):
                    assert any(decide(actor, a, scope).allowed for a in entry.actions)
            if scope.agency_id is not None:
                assert not set(menu_names(actor, scope)) & OFFICE_ONLY
    assert offered(Actor(1), Action.REGISTER, ChatScope(1, "private"))
    assert not offered(Actor(3, is_admin=True), Action.BIND_OFFICE, ChatScope(3, "private"))
    # The web app's sign-in link: admins and members, in their private chat only.
    for actor in actors:
        for scope in scopes:
            expected = scope.is_private and not actor.is_stranger
            assert offered(actor, Action.WEB_SIGN_IN, scope) is expected, (actor, scope)
