"""A real telegram.Bot against the emulator, in-process and over loopback HTTP.

Every test runs on both wirings, so PTB's own request and error handling is what is tested.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.http_server import EmulatorServer

PRIVATE, GROUP = 111, -1001


@pytest.fixture
def emulator() -> BotApiEmulator:
    emulator = BotApiEmulator()
    emulator.add_user(PRIVATE, "An", username="an_vp")
    emulator.add_user(222, "Bình")
    emulator.add_chat(PRIVATE, "private")
    emulator.add_chat(GROUP, "supergroup", "Văn phòng UBND")
    emulator.add_member(GROUP, PRIVATE, status="administrator")
    emulator.add_member(GROUP, 222)
    return emulator


@pytest.fixture(params=["in-process", "loopback"])
async def bot(request, emulator) -> AsyncIterator[Bot]:
    if request.param == "in-process":
        async with emulator.make_bot(request=emulator.make_request(read_timeout=1)) as bot:
            yield bot
        return
    async with (
        EmulatorServer(emulator) as server,
        server.make_bot(request=server.make_request(read_timeout=1)) as bot,
    ):
        yield bot


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"Nút {d}", callback_data=d) for d in data]])


async def test_get_me_identifies_the_bot(bot, emulator) -> None:
    me = await bot.get_me()

    assert (me.id, me.username, me.is_bot) == (emulator.bot_id, "dondoc_bot", True)


async def test_send_message_with_buttons_is_recorded(bot, emulator) -> None:
    message = await bot.send_message(
        GROUP,
        "<b>Nhiệm vụ 1</b>: báo cáo",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard("done:1", "late:1"),
    )

    record = emulator.sent[-1]
    assert message.text == "Nhiệm vụ 1: báo cáo"
    assert message.entities[0].type == "bold"
    assert (record.method, record.chat_id, record.message_id) == (
        "sendMessage",
        GROUP,
        message.message_id,
    )
    assert record.text == "<b>Nhiệm vụ 1</b>: báo cáo"
    assert record.plain == "Nhiệm vụ 1: báo cáo"
    assert record.buttons == [("Nút done:1", "done:1"), ("Nút late:1", "late:1")]
    assert emulator.buttons(emulator.last_message(GROUP)) == record.buttons


async def test_invalid_html_surfaces_as_bad_request(bot, emulator) -> None:
    with pytest.raises(BadRequest, match=r'(?i)can\'t parse entities: unsupported start tag "br"'):
        await bot.send_message(PRIVATE, "Dòng 1<br>Dòng 2", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await bot.send_message(PRIVATE, "<b>chưa đóng", parse_mode=ParseMode.HTML)

    assert emulator.sent == []


async def test_the_4096_limit_counts_text_after_entity_parsing(bot) -> None:
    await bot.send_message(PRIVATE, "<b>" + "ă" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(PRIVATE, "&lt;" * 4096, parse_mode=ParseMode.HTML)

    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(PRIVATE, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(PRIVATE, " \n ")


async def test_callback_data_is_limited_to_64_bytes(bot) -> None:
    await bot.send_message(PRIVATE, "ok", reply_markup=keyboard("x" * 64))

    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(PRIVATE, "too long", reply_markup=keyboard("x" * 65))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):  # 33 chars, 66 bytes
        await bot.send_message(PRIVATE, "bytes, not chars", reply_markup=keyboard("đ" * 33))


async def test_reply_parameters_and_missing_reply_target(bot, emulator) -> None:
    incoming = emulator.user_sends(PRIVATE, PRIVATE, "báo cáo tiến độ")

    reply = await bot.send_message(
        PRIVATE, "Đã ghi nhận", reply_parameters=ReplyParameters(incoming["message_id"])
    )

    assert reply.reply_to_message.text == "báo cáo tiến độ"
    assert emulator.sent[-1].reply_to_message_id == incoming["message_id"]
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(PRIVATE, "x", reply_parameters=ReplyParameters(9999))


async def test_edit_and_delete_messages(bot, emulator) -> None:
    card = await bot.send_message(GROUP, "Chờ", reply_markup=keyboard("a"))

    edited = await bot.edit_message_text("Xong", chat_id=GROUP, message_id=card.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Xong", chat_id=GROUP, message_id=card.message_id)
    await bot.edit_message_reply_markup(GROUP, card.message_id, reply_markup=keyboard("b"))
    assert await bot.delete_message(GROUP, card.message_id)

    assert edited.text == "Xong" and edited.edit_date is not None
    assert [r.method for r in emulator.sent] == [
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
    ]
    assert emulator.sent[2].buttons == [("Nút b", "b")]
    assert emulator.messages_in(GROUP) == []
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=GROUP, message_id=card.message_id)


async def test_user_messages_cannot_be_edited_by_the_bot(bot, emulator) -> None:
    mine = emulator.user_sends(PRIVATE, PRIVATE, "của tôi")

    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("x", chat_id=PRIVATE, message_id=mine["message_id"])


async def test_send_document_upload_is_recorded_with_bytes(bot, emulator) -> None:
    payload = bytes(range(256)) * 40 + b"\r\n--boundary--\r\n"

    message = await bot.send_document(
        GROUP,
        payload,
        filename="Báo cáo tuần 10.xlsx",
        caption="<i>Tổng hợp</i>",
        parse_mode="HTML",
    )

    record = emulator.sent[-1]
    assert record.method == "sendDocument"
    assert record.filename == "Báo cáo tuần 10.xlsx"
    assert record.data == payload
    assert record.caption == "<i>Tổng hợp</i>"
    assert message.caption == "Tổng hợp"
    assert message.document.file_size == len(payload)
    assert message.document.file_name == "Báo cáo tuần 10.xlsx"
    file = await bot.get_file(message.document.file_id)
    assert await file.download_as_bytearray() == payload


async def test_send_photo_records_the_image(bot, emulator) -> None:
    from bot.sandbox.emulator import tiny_png

    png = tiny_png(40, 30)
    message = await bot.send_photo(PRIVATE, png, caption="Biểu đồ")

    assert (message.photo[-1].width, message.photo[-1].height) == (40, 30)
    assert emulator.sent[-1].data == png


async def test_bot_downloads_a_document_the_user_sent(bot, emulator) -> None:
    docx = b"PK\x03\x04" + b"\x00word/document.xml" * 100
    incoming = emulator.user_sends_document(
        PRIVATE, PRIVATE, "Thông báo 123-TB.docx", docx, caption="TB kết luận"
    )

    update = (await bot.get_updates())[-1]
    file = await bot.get_file(update.message.document.file_id)

    assert update.message.document.file_name == "Thông báo 123-TB.docx"
    assert update.message.document.mime_type.endswith("wordprocessingml.document")
    assert update.message.caption == incoming["caption"]
    assert await file.download_as_bytearray() == docx


async def test_unknown_chat_is_bad_request(bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "x")


async def test_flood_fault_raises_retry_after(bot, emulator, monkeypatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 deprecates the int form
    emulator.faults.flood("sendMessage", retry_after=3)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(PRIVATE, "x")
    await bot.send_message(PRIVATE, "sau khi chờ")

    assert caught.value.retry_after == timedelta(seconds=3)
    assert emulator.stats["rate_limited"] == 1


async def test_a_fractional_retry_after_and_the_measured_wait(bot, emulator) -> None:
    """Tests arm a short flood so a client really waits it out; the emulator measures the
    wait between the 429 and the retry to the same chat (other chats do not count)."""
    emulator.faults.flood("sendMessage", retry_after=0.25, chat_id=PRIVATE)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(PRIVATE, "x")
    await bot.send_message(GROUP, "một nhóm khác: không phải lần thử lại")
    await asyncio.sleep(caught.value.retry_after.total_seconds())
    await bot.send_message(PRIVATE, "sau khi chờ")

    assert caught.value.retry_after == timedelta(seconds=0.25)
    [refused] = [c for c in emulator.calls if c.status == 429]
    assert refused.description == "Too Many Requests: retry after 0.25"
    [wait] = emulator.retry_waits("sendMessage")
    assert wait >= 0.25
    assert emulator.retry_waits("getMe") == []


async def test_enforced_limits_reach_ptb_as_retry_after(bot, emulator, monkeypatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    emulator.enforce_limits(private_per_second=1)

    await bot.send_message(PRIVATE, "1")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(PRIVATE, "2")

    assert caught.value.retry_after == timedelta(seconds=1)


async def test_forbidden_fault_and_blocked_user(bot, emulator) -> None:
    emulator.faults.forbidden(
        "sendMessage",
        chat_id=GROUP,
        description="Forbidden: bot was kicked from the supergroup chat",
    )

    with pytest.raises(Forbidden, match="kicked from the supergroup"):
        await bot.send_message(GROUP, "x")
    emulator.user_blocks_bot(PRIVATE)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(PRIVATE, "x")


@pytest.mark.parametrize("fault", ["bad_gateway", "server_error"])
async def test_server_errors_raise_network_error(bot, emulator, fault) -> None:
    emulator.faults.inject("sendMessage", fault)

    with pytest.raises(NetworkError) as caught:
        await bot.send_message(PRIVATE, "x")

    assert not isinstance(caught.value, (BadRequest, TimedOut))
    assert "502" in str(caught.value) or "Internal Server Error" in str(caught.value)


async def test_dropped_connection_raises_network_error(bot, emulator) -> None:
    emulator.faults.drop("sendMessage")

    with pytest.raises(NetworkError):
        await bot.send_message(PRIVATE, "x")
    await bot.send_message(PRIVATE, "the next call works")


async def test_timeout_fault_raises_timed_out(bot, emulator) -> None:
    emulator.faults.timeout("sendMessage")

    with pytest.raises(TimedOut):
        await bot.send_message(PRIVATE, "x", read_timeout=0.2)


async def test_lost_answer_after_the_message_was_sent(bot, emulator) -> None:
    emulator.faults.timeout("sendMessage", after=True)

    with pytest.raises(TimedOut):
        await bot.send_message(PRIVATE, "gửi hai lần?", read_timeout=0.2)

    assert [r.text for r in emulator.sent] == ["gửi hai lần?"]


async def test_slow_answer_beyond_read_timeout_times_out(bot, emulator) -> None:
    emulator.faults.slow("getMe", delay=0.5)

    with pytest.raises(TimedOut):
        await bot.get_me(read_timeout=0.1)


async def test_wrong_token_and_unknown_method(emulator, bot) -> None:
    stranger = Bot(
        "999:WRONG", base_url=bot.base_url.replace(emulator.token, "{token}"), request=bot.request
    )

    with pytest.raises(InvalidToken):
        await stranger.get_me()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": PRIVATE})


async def test_commands_round_trip(bot, emulator) -> None:
    scope = BotCommandScopeAllGroupChats()
    await bot.set_my_commands(
        [BotCommand("giao", "Giao nhiệm vụ")], scope=scope, language_code="vi"
    )

    commands = await bot.get_my_commands(scope=scope, language_code="vi")
    await bot.delete_my_commands(scope=scope, language_code="vi")

    assert [c.command for c in commands] == ["giao"]
    assert await bot.get_my_commands(scope=scope, language_code="vi") == ()


async def test_chat_and_members_parse_as_ptb_objects(bot, emulator) -> None:
    chat = await bot.get_chat(GROUP)
    member = await bot.get_chat_member(GROUP, 222)
    admins = await bot.get_chat_administrators(GROUP)

    assert (chat.title, chat.type) == ("Văn phòng UBND", "supergroup")
    assert member.status == ChatMemberStatus.MEMBER
    assert [a.user.first_name for a in admins] == ["An"]
    assert await bot.send_chat_action(GROUP, "typing")
    assert emulator.chat_actions[-1]["action"] == "typing"


async def test_webhook_is_recorded_and_blocks_polling(bot, emulator) -> None:
    await bot.set_webhook("https://example.org/hook", secret_token="s3cret")

    info = await bot.get_webhook_info()
    with pytest.raises(Exception, match=r"(?i)webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()

    assert info.url == "https://example.org/hook"
    assert emulator.webhook["url"] == ""


async def test_leave_chat_then_sends_are_forbidden(bot, emulator) -> None:
    assert await bot.leave_chat(GROUP)

    with pytest.raises(Forbidden, match="not a member of the supergroup chat"):
        await bot.send_message(GROUP, "x")


async def test_callback_query_answer_is_recorded_once(bot, emulator) -> None:
    card = await bot.send_message(PRIVATE, "Thẻ", reply_markup=keyboard("done:7"))
    query_id = emulator.user_presses(PRIVATE, PRIVATE, card.message_id, "done:7")

    update = (await bot.get_updates())[-1]
    await bot.answer_callback_query(update.callback_query.id, text="Đã cập nhật", show_alert=True)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)

    assert update.callback_query.data == "done:7"
    assert update.callback_query.message.message_id == card.message_id
    assert emulator.callback_answers == [
        {
            "callback_query_id": query_id,
            "text": "Đã cập nhật",
            "show_alert": True,
            "url": None,
            "cache_time": None,
            "user_id": PRIVATE,
            "data": "done:7",
        }
    ]


async def test_calls_are_counted(bot, emulator) -> None:
    await bot.send_message(PRIVATE, "1")
    await bot.send_message(PRIVATE, "2")

    assert emulator.count("sendMessage") == 2
    assert emulator.count("getMe") == 1  # from bot.initialize()


async def test_users_who_never_started_the_bot_cannot_be_messaged(bot, emulator) -> None:
    with pytest.raises(Forbidden, match=r"(?i)can.t initiate conversation"):
        await bot.send_message(222, "Nhắc việc")


async def test_migrated_group_raises_chat_migrated(bot, emulator) -> None:
    emulator.add_chat(-5, "group", "Tổ cũ")
    emulator.add_member(-5, PRIVATE, status="creator")
    new = emulator.migrate_group(-5, -1005)

    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-5, "x")
    await bot.send_message(new["id"], "đến nhóm mới")

    assert caught.value.new_chat_id == -1005
    assert emulator.last_message(-1005)["text"] == "đến nhóm mới"
