"""A real telegram.ext.Application polling the emulator, as the bot runs in production."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer

USER, OTHER, GROUP = 501, 502, -100777


@pytest.fixture
def emulator() -> BotApiEmulator:
    emulator = BotApiEmulator()
    emulator.add_user(USER, "Chi", username="chi_vp")
    emulator.add_user(OTHER, "Dũng")
    emulator.add_chat(GROUP, "group", "Tổ công tác")
    return emulator


@pytest.fixture(params=["in-process", "loopback"])
async def builder(request, emulator) -> AsyncIterator[ApplicationBuilder]:
    if request.param == "in-process":
        yield emulator.application_builder()
        return
    async with EmulatorServer(emulator) as server:
        yield server.application_builder()


@contextlib.asynccontextmanager
async def polling(app: Application, emulator: BotApiEmulator) -> AsyncIterator[Application]:
    """Run the app the way tests should: no run_polling (it closes the loop). Yields once the
    first getUpdates has reached the emulator: before it, wait_idle sees no poller and waits
    only for a quiet moment, which a loaded machine can give before the first poll (seen
    under a parallel run: no echo at all)."""
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await emulator.wait_for(lambda: emulator.count("getUpdates") >= 1, timeout=30)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(
        f"echo: {update.effective_message.text}", do_quote=True
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_html(f"<b>Chào</b> {update.effective_user.first_name}")


async def test_polling_delivers_user_messages_in_order(builder, emulator) -> None:
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))

    async with polling(app, emulator):
        sent = [emulator.user_sends(USER, USER, f"tin {i}") for i in range(5)]
        await emulator.wait_idle()

    replies = emulator.messages_in(USER)
    assert [m["text"] for m in replies] == [f"echo: tin {i}" for i in range(5)]
    assert [m["reply_to_message"]["message_id"] for m in replies] == [m["message_id"] for m in sent]
    assert emulator.pending_updates == 0


async def test_commands_with_bot_suffix_reach_command_handlers(builder, emulator) -> None:
    app = builder.build()
    app.add_handler(CommandHandler("start", start))

    async with polling(app, emulator):
        emulator.user_sends(USER, GROUP, "/start@dondoc_bot")
        emulator.user_sends(USER, GROUP, "/start@someone_else_bot")
        await emulator.wait_idle()

    assert [m["text"] for m in emulator.messages_in(GROUP)] == ["Chào Chi"]
    assert emulator.sent[-1].parse_mode == "HTML"


async def test_edited_messages_arrive_as_edited_updates(builder, emulator) -> None:
    seen: list[tuple[str, str]] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        kind = "edited" if update.edited_message else "new"
        seen.append((kind, update.effective_message.text))

    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, record))

    async with polling(app, emulator):
        original = emulator.user_sends(USER, USER, "xong 50%")
        emulator.user_edits(USER, USER, original["message_id"], "xong 80%")
        await emulator.wait_idle()

    assert seen == [("new", "xong 50%"), ("edited", "xong 80%")]


async def test_callback_query_is_answered_and_card_edited(builder, emulator) -> None:
    async def send_card(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Hoàn thành", callback_data="done:42")]]
        )
        await update.effective_message.reply_text("Nhiệm vụ 42", reply_markup=markup)

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("Đã ghi nhận")
        await query.edit_message_text(f"Nhiệm vụ 42 — hoàn thành ({query.from_user.first_name})")

    app = builder.build()
    app.add_handler(CommandHandler("card", send_card))
    app.add_handler(CallbackQueryHandler(on_press, pattern=r"^done:"))

    async with polling(app, emulator):
        emulator.user_sends(USER, GROUP, "/card")
        card = await emulator.wait_for(lambda: emulator.last_message(GROUP))
        emulator.user_presses(OTHER, GROUP, card["message_id"], "done:42")
        await emulator.wait_idle()

    assert emulator.callback_answers[-1]["text"] == "Đã ghi nhận"
    assert emulator.last_message(GROUP)["text"] == "Nhiệm vụ 42 — hoàn thành (Dũng)"
    assert "reply_markup" not in emulator.last_message(GROUP)


async def test_handler_downloads_an_uploaded_docx(builder, emulator) -> None:
    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        file = await update.message.document.get_file()
        data = await file.download_as_bytearray()
        await update.message.reply_text(f"{update.message.document.file_name}: {len(data)} bytes")

    app = builder.build()
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    docx = b"PK\x03\x04" + bytes(5000)

    async with polling(app, emulator):
        emulator.user_sends_document(USER, USER, "TB-45.docx", docx)
        # The answer comes after getFile and a download: wait for it, not for a quiet moment.
        await emulator.wait_for(lambda: emulator.last_message(USER))

    assert emulator.last_message(USER)["text"] == "TB-45.docx: 5004 bytes"


async def test_bot_added_to_group_sees_my_chat_member(builder, emulator) -> None:
    async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change.new_chat_member.status == "member":
            await context.bot.send_message(change.chat.id, f"Cảm ơn {change.from_user.first_name}")

    app = builder.build()
    app.add_handler(ChatMemberHandler(greet, ChatMemberHandler.MY_CHAT_MEMBER))

    async with polling(app, emulator):
        emulator.bot_added_to_group(-100888, by_user_id=USER, title="Nhóm mới")
        await emulator.wait_idle()

    assert [m["text"] for m in emulator.messages_in(-100888)] == ["Cảm ơn Chi"]


async def test_errors_in_handlers_reach_the_error_handler(builder, emulator) -> None:
    errors: list[Exception] = []

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_error_handler(on_error)
    emulator.faults.forbidden("sendMessage")

    async with polling(app, emulator):
        emulator.user_sends(USER, USER, "x")
        # The error handler runs after the refused call has finished: on a loaded machine that
        # can be later than wait_idle's quiet period, so wait for what the test is about.
        await emulator.wait_for(lambda: errors)
        await emulator.wait_idle()

    assert [type(e).__name__ for e in errors] == ["Forbidden"]


async def test_process_update_without_polling(emulator) -> None:
    app = emulator.application_builder().build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    emulator.user_sends(USER, USER, "trực tiếp")

    async with app:
        for data in emulator.take_updates():
            await app.process_update(Update.de_json(data, app.bot))

    assert emulator.last_message(USER)["text"] == "echo: trực tiếp"


async def test_wait_idle_waits_for_a_handler_that_starts_late(builder, emulator) -> None:
    """Handing out updates counts as activity: a handler that is slow to make its first call
    (here 20 ms, less than the quiet period) is still awaited, however long the bot was idle."""

    async def slow_echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.sleep(0.02)
        await update.effective_message.reply_text("xong")

    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, slow_echo))

    async with polling(app, emulator):
        await asyncio.sleep(0.2)  # the last Bot API call (start-up) is now long past
        emulator.user_sends(USER, USER, "báo cáo")
        await emulator.wait_idle(quiet=0.1)

        assert emulator.last_message(USER)["text"] == "xong"
