"""The composition: in webhook mode the web app's server takes Telegram's webhook for the
Application (tested through the ASGI app with the emulator); with WEB_BASE_URL the bot sets
its menu button to the form and puts "📱 Mở biểu mẫu" on task cards (a Mini App button in
private, a t.me link in groups, where Telegram refuses web_app buttons) and digests."""

from __future__ import annotations

import json

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.error import BadRequest

from bot.serve import web_app_for
from tests.harness import FOCAL_A, GROUP_A, STRANGER, running_bot, sweep_and_send
from tests.reliability.world import FANOUT_DAY, NOW, TOPICS, seed
from tests.web.support import BASE

SECRET = "webhook-secret-123"


async def test_the_webhook_on_the_web_apps_port(sqlite_url: str) -> None:
    async with running_bot(
        sqlite_url,
        now=NOW,
        webhook_url=f"{BASE}/telegram",
        webhook_secret=SECRET,
        web_base_url=BASE,
    ) as harness:
        app = web_app_for(harness.app)
        emulator = harness.emulator
        emulator.user_sends(STRANGER, STRANGER, "/start")
        [update] = emulator.take_updates()
        await harness.app.start()
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url=BASE
            ) as client:
                for headers, body, status in [
                    ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, json.dumps(update), 403),
                    ({}, json.dumps(update), 403),
                    ({"X-Telegram-Bot-Api-Secret-Token": SECRET}, "{not json", 400),
                    ({"X-Telegram-Bot-Api-Secret-Token": SECRET}, '{"no": "update_id"}', 400),
                ]:
                    response = await client.post("/telegram", content=body, headers=headers)
                    assert response.status_code == status
                assert harness.bot_messages(STRANGER) == []  # nothing was answered
                accepted = await client.post(
                    "/telegram",
                    content=json.dumps(update),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                assert accepted.status_code == 200
                await emulator.wait_for(lambda: harness.bot_messages(STRANGER), timeout=10)
                # The same server answers the pages (and wants a session for them).
                assert (await client.get("/")).status_code == 401
                assert (await client.get("/telegram")).status_code == 405
        finally:
            await harness.app.stop()
        assert "chưa được gắn với đơn vị" in harness.last_text(STRANGER)


async def test_the_menu_button_is_the_form_only_with_web_base_url(sqlite_url: str) -> None:
    async with running_bot(sqlite_url, now=NOW, web_base_url=BASE) as harness:
        button = harness.emulator.menu_buttons["default"]
        assert button == {"type": "web_app", "text": "Biểu mẫu", "web_app": {"url": f"{BASE}/app"}}
    async with running_bot(sqlite_url, now=NOW) as harness:
        assert harness.emulator.menu_buttons == {}


@pytest.mark.parametrize("web_base_url", [BASE, None])
async def test_task_cards_carry_the_form_button(sqlite_url: str, web_base_url: str | None) -> None:
    async with running_bot(
        sqlite_url, now=NOW, topics=TOPICS, web_base_url=web_base_url
    ) as harness:
        world = await seed(harness)
        task = world.open_task["A"]
        wanted = {
            FOCAL_A: (f"{BASE}/app/tasks/{task}", "web_app"),  # private: a Mini App button
            GROUP_A: (f"https://t.me/dondoc_bot?startapp=t{task}", "url"),  # group: a link
        }
        for chat, (target, kind) in wanted.items():
            await harness.send(FOCAL_A, chat, "/nhiemvu")
            listing = harness.last(chat)
            await harness.press(FOCAL_A, chat, listing["message_id"], f"card:{task}")
            card = harness.last(chat)
            rows = card["reply_markup"]["inline_keyboard"]
            form = [b for row in rows for b in row if b["text"] == "📱 Mở biểu mẫu"]
            if web_base_url is None:
                assert form == []
                continue
            assert len(form) == 1 and form[0] == {
                "text": "📱 Mở biểu mẫu",
                kind: ({"url": target} if kind == "web_app" else target),
            }


async def test_digests_carry_the_form_link(sqlite_url: str) -> None:
    async with running_bot(sqlite_url, now=NOW, topics=TOPICS, web_base_url=BASE) as harness:
        await seed(harness)
        harness.clock.set(FANOUT_DAY)
        await sweep_and_send(harness.app)
        digest = next(m for m in harness.bot_messages(GROUP_A) if "Nhắc việc" in m.get("text", ""))
        assert ("📱 Mở biểu mẫu", "https://t.me/dondoc_bot?startapp=form") in (
            harness.emulator.buttons(digest)
        )


async def test_the_emulator_refuses_a_mini_app_button_in_a_group(sqlite_url: str) -> None:
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("📱", web_app=WebAppInfo(url=f"{BASE}/app"))]]
    )
    async with running_bot(sqlite_url, now=NOW) as harness:
        with pytest.raises(BadRequest, match=r"(?i)button_type_invalid"):
            await harness.app.bot.send_message(GROUP_A, "x", reply_markup=markup)
        sent = await harness.app.bot.send_message(FOCAL_A, "x", reply_markup=markup)
        assert harness.emulator.buttons(sent.to_dict()) == [("📱", f"{BASE}/app")]
