"""The emulator's own rules, without python-telegram-bot: parsing, limits, faults, state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.sandbox.emulator import (
    ApiError,
    BotApiEmulator,
    EntityParseError,
    FloodLimits,
    detect_entities,
    iter_entities,
    parse_body,
    parse_html,
    plain_text,
    tiny_png,
)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def emulator() -> BotApiEmulator:
    emulator = BotApiEmulator()
    emulator.add_user(1, "An", username="an_vp")
    emulator.add_user(2, "Bình")
    emulator.add_chat(1, "private")
    emulator.add_chat(-100, "group", "Văn phòng")
    emulator.add_member(-100, 1)
    return emulator


# --- HTML like Telegram ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<b>Đậm</b> thường", "Đậm thường", [("bold", "Đậm")]),
        ("<strong>a</strong><em>b</em><ins>c</ins><del>d</del>", "abcd", None),
        ('<a href="https://x.vn/?a=1&amp;b=2">link</a>', "link", [("text_link", "link")]),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;ok&quot;", '1 < 2 && 3 > 2 "ok"', []),
        ("AT&T &copy; &#65;&#x42;", "AT&T &copy; AB", []),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st", None),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", [("pre", "x = 1")]),
        ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", "q")]),
        ("<b>😀 <i>x</i></b>", "😀 x", [("bold", "😀 x"), ("italic", "x")]),
        ("<B>upper</B>", "upper", [("bold", "upper")]),
    ],
)
def test_html_is_parsed_into_text_and_entities(source, text, entities) -> None:
    parsed = parse_html(source)

    assert parsed.text == text
    if entities is not None:
        assert iter_entities(parsed.text, parsed.entities) == entities


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a<br>b", 'Unsupported start tag "br" at byte offset 1'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("2 < 3", 'Unsupported start tag "" at byte offset 2'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x>y</a>', "Unclosed end of attribute value"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("Việt <p>", 'Unsupported start tag "p" at byte offset 7'),
    ],
)
def test_invalid_html_is_refused_with_telegrams_words(source, message) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)

    assert message in str(caught.value)


def test_plain_text_renders_what_a_phone_shows() -> None:
    assert plain_text("  <b>Hạn:</b> 15/3 &amp; 20/3\n") == "Hạn: 15/3 & 20/3"
    assert plain_text("broken <b>html") == "broken html"


@pytest.mark.parametrize("mode", ["MarkdownV2", "Markdown", "markdownv2"])
async def test_markdown_is_refused_like_text_telegram_cannot_parse(emulator, mode) -> None:
    with pytest.raises(ApiError) as caught:
        await emulator.call("sendMessage", chat_id=1, text="*Hạn* 15\\.3", parse_mode=mode)

    assert caught.value.code == 400
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
    assert emulator.sent == []
    assert emulator.messages_in(1) == []


def test_user_text_gets_command_mention_and_url_entities() -> None:
    text = "😀 /giao@dondoc_bot nhờ @an_vp xem https://x.vn"

    found = iter_entities(text, detect_entities(text))

    assert found == [
        ("bot_command", "/giao@dondoc_bot"),
        ("mention", "@an_vp"),
        ("url", "https://x.vn"),
    ]


# --- wire format -----------------------------------------------------------------------------


def test_form_values_are_json_decoded_except_text_fields() -> None:
    body = b"chat_id=-100&text=123&reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D&x=abc"

    params, files = parse_body("application/x-www-form-urlencoded", body)

    assert params == {
        "chat_id": -100,
        "text": "123",
        "reply_markup": {"inline_keyboard": []},
        "x": "abc",
    }
    assert files == {}


def test_multipart_keeps_file_bytes_exact_and_unicode_names() -> None:
    data = b"\r\n--b\r\n\x00\xff binary"
    body = (
        b'--b0\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n42\r\n'
        b'--b0\r\nContent-Disposition: form-data; name="document"; filename="B\xc3\xa1o c\xc3\xa1o %22x%22.docx"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--b0--\r\n"
    )

    params, files = parse_body("multipart/form-data; boundary=b0", body)

    assert params == {"chat_id": 42}
    assert files["document"].filename == 'Báo cáo "x".docx'
    assert files["document"].data == data


def test_json_bodies_are_accepted_too() -> None:
    params, _ = parse_body("application/json", b'{"chat_id": 5, "text": "hi"}')

    assert params == {"chat_id": 5, "text": "hi"}


# --- state through direct calls --------------------------------------------------------------


async def test_unknown_chat_and_empty_text_are_bad_requests(emulator) -> None:
    with pytest.raises(ApiError, match="Bad Request: chat not found"):
        await emulator.call("sendMessage", chat_id=999, text="x")
    with pytest.raises(ApiError, match="Bad Request: message text is empty"):
        await emulator.call("sendMessage", chat_id=1, text="  <b> </b> ", parse_mode="HTML")


async def test_method_names_are_case_insensitive_and_unknown_ones_are_404(emulator) -> None:
    assert (await emulator.call("GETME"))["username"] == "dondoc_bot"
    with pytest.raises(ApiError) as caught:
        await emulator.call("sendTelepathy")

    assert caught.value.code == 404


async def test_blocked_private_chat_and_kicked_group_answer_403(emulator) -> None:
    emulator.block_chat(1)
    emulator.bot_removed_from_group(-100, by_user_id=1)

    with pytest.raises(ApiError, match="Forbidden: bot was blocked by the user"):
        await emulator.call("sendMessage", chat_id=1, text="x")
    with pytest.raises(ApiError, match="Forbidden: bot was kicked from the group chat"):
        await emulator.call("sendMessage", chat_id=-100, text="x")


async def test_get_updates_confirms_by_offset_and_respects_limit(emulator) -> None:
    for text in ("a", "b", "c"):
        emulator.user_sends(1, 1, text)

    first = await emulator.call("getUpdates", limit=2)
    again = await emulator.call("getUpdates", offset=first[-1]["update_id"] + 1)

    assert [u["message"]["text"] for u in first] == ["a", "b"]
    assert [u["message"]["text"] for u in again] == ["c"]


async def test_long_poll_returns_as_soon_as_an_update_arrives(emulator) -> None:
    import asyncio

    poll = asyncio.create_task(emulator.call("getUpdates", timeout=5))
    await asyncio.sleep(0.02)
    assert not poll.done()
    emulator.user_sends(2, -100, "chào")

    updates = await asyncio.wait_for(poll, 1)

    assert updates[0]["message"]["from"]["first_name"] == "Bình"


async def test_long_poll_times_out_empty(emulator) -> None:
    assert await emulator.call("getUpdates", timeout=0.05) == []


async def test_a_second_poller_terminates_the_first_with_409(emulator) -> None:
    import asyncio

    first = asyncio.create_task(emulator.call("getUpdates", timeout=5))
    await asyncio.sleep(0.01)
    second = asyncio.create_task(emulator.call("getUpdates", timeout=0.05))

    with pytest.raises(ApiError, match="Conflict: terminated by other getUpdates"):
        await asyncio.wait_for(first, 1)
    assert await second == []


async def test_allowed_updates_filters_and_is_remembered(emulator) -> None:
    emulator.user_sends(1, 1, "hello")
    emulator.bot_added_to_group(-200, by_user_id=1)

    updates = await emulator.call("getUpdates", allowed_updates=["my_chat_member"])

    assert [next(k for k in u if k != "update_id") for u in updates] == ["my_chat_member"]


async def test_commands_are_stored_per_scope_and_language(emulator) -> None:
    group_scope = {"type": "all_group_chats"}
    await emulator.call("setMyCommands", commands=[{"command": "start", "description": "Bắt đầu"}])
    await emulator.call(
        "setMyCommands",
        commands=[{"command": "tong_hop", "description": "Tổng hợp"}],
        scope=group_scope,
        language_code="vi",
    )

    assert emulator.get_commands()[0]["command"] == "start"
    assert emulator.get_commands(group_scope, "vi")[0]["command"] == "tong_hop"
    assert await emulator.call("getMyCommands", scope=group_scope) == []
    with pytest.raises(ApiError, match="BOT_COMMAND_INVALID"):
        await emulator.call("setMyCommands", commands=[{"command": "Bad-Name", "description": "x"}])


async def test_forum_messages_reply_to_the_topic_root(emulator) -> None:
    emulator.add_chat(-300, "supergroup", "Diễn đàn", is_forum=True)
    thread = emulator.create_topic(-300, "Sở Tài chính", by_user_id=1)

    sent = await emulator.call("sendMessage", chat_id=-300, text="Nhắc", message_thread_id=thread)
    incoming = emulator.user_sends(1, -300, "đã xong", message_thread_id=thread)

    assert sent["message_thread_id"] == thread
    assert sent["reply_to_message"]["forum_topic_created"]["name"] == "Sở Tài chính"
    assert incoming["reply_to_message"]["message_id"] == thread
    with pytest.raises(ApiError, match="message thread not found"):
        await emulator.call("sendMessage", chat_id=-300, text="x", message_thread_id=999)


async def test_privacy_mode_hides_chatter_but_not_commands_or_replies(emulator) -> None:
    emulator.privacy_mode = True
    card = await emulator.call("sendMessage", chat_id=-100, text="Thẻ nhiệm vụ")
    emulator.take_updates()

    emulator.user_sends(1, -100, "chuyện phiếm")
    emulator.user_sends(1, -100, "/tien_do@dondoc_bot")
    emulator.user_sends(1, -100, "/other@another_bot")
    emulator.user_sends(1, -100, "50%", reply_to_message_id=card["message_id"])

    texts = [u["message"]["text"] for u in emulator.take_updates()]
    assert texts == ["/tien_do@dondoc_bot", "50%"]


async def test_photo_upload_must_be_an_image(emulator) -> None:
    from bot.sandbox.emulator import UploadedFile

    png = UploadedFile("photo", "chart.png", "image/png", tiny_png(30, 20))
    junk = UploadedFile("photo", "x.png", "image/png", b"not an image")

    message = await emulator.call("sendPhoto", files={"photo": png}, chat_id=1)

    assert message["photo"][-1]["width"] == 30
    with pytest.raises(ApiError, match="IMAGE_PROCESS_FAILED"):
        await emulator.call("sendPhoto", files={"photo": junk}, chat_id=1)


# --- flood limits and faults -----------------------------------------------------------------


def test_flood_limits_slide_with_the_clock() -> None:
    clock = FakeClock()
    limits = FloodLimits(
        lambda: clock().timestamp(),
        per_bot_per_second=30,
        per_chat_per_minute=20,
        private_per_second=1,
    )

    assert limits.check(1, "private") is None
    assert limits.check(1, "private") == 1
    clock.advance(1)
    assert limits.check(1, "private") is None
    assert all(limits.check(-100, "group") is None for _ in range(20))
    assert limits.check(-100, "group") == 60
    clock.advance(30)
    assert limits.check(-100, "group") == 30


async def test_enforced_limits_answer_429_and_are_counted() -> None:
    clock = FakeClock()
    emulator = BotApiEmulator(clock=clock)
    emulator.add_user(1, "An")
    emulator.add_chat(1, "private")
    emulator.enforce_limits()

    await emulator.call("sendMessage", chat_id=1, text="1")
    with pytest.raises(ApiError) as caught:
        await emulator.call("sendMessage", chat_id=1, text="2")
    clock.advance(1)
    await emulator.call("sendMessage", chat_id=1, text="3")

    assert caught.value.code == 429
    assert caught.value.parameters == {"retry_after": 1}
    assert caught.value.description == "Too Many Requests: retry after 1"
    assert emulator.stats["rate_limited"] == 1
    assert [r.text for r in emulator.sent] == ["1", "3"]


async def test_faults_fire_the_requested_number_of_times(emulator) -> None:
    emulator.faults.server_error("sendMessage", times=2)

    outcomes = []
    for _ in range(3):
        try:
            await emulator.call("sendMessage", chat_id=1, text="x")
            outcomes.append("ok")
        except ApiError as exc:
            outcomes.append(exc.code)

    assert outcomes == [500, 500, "ok"]
    assert emulator.faults.pending == 0
    assert emulator.stats["faults"] == 2


async def test_fault_after_the_call_still_changes_state(emulator) -> None:
    emulator.faults.server_error("sendMessage", after=True)

    with pytest.raises(ApiError):
        await emulator.call("sendMessage", chat_id=1, text="sent but unanswered")

    assert emulator.last_message(1)["text"] == "sent but unanswered"


async def _outcomes(emulator, calls: int) -> list[object]:
    outcomes: list[object] = []
    for n in range(calls):
        try:
            await emulator.call("sendMessage", chat_id=1, text=f"m{n}")
            outcomes.append("ok")
        except ApiError as exc:
            outcomes.append(exc.code)
    return outcomes


async def test_a_fault_every_nth_call_fires_on_those_calls_only(emulator) -> None:
    emulator.faults.server_error("sendMessage", every=3, times=2)
    emulator.faults.flood("sendMessage", every=4, times=1, retry_after=2)

    # 3rd and 6th: 500; the 4th: 429 (each armed fault counts every call it matches).
    assert await _outcomes(emulator, 9) == ["ok", "ok", 500, 429, "ok", 500, "ok", "ok", "ok"]
    assert emulator.faults.pending == 0
    assert [r.text for r in emulator.sent] == ["m0", "m1", "m4", "m6", "m7", "m8"]


async def test_a_script_gives_each_call_its_step_before_armed_faults(emulator) -> None:
    emulator.faults.bad_gateway("sendMessage")
    emulator.faults.script("sendMessage", [None, "server_error", "server_error_after", None])

    assert await _outcomes(emulator, 5) == ["ok", 500, 500, "ok", 502]
    # The "_after" step let its call take effect: m2 reached the chat, m1 and m4 did not.
    assert [r.text for r in emulator.sent] == ["m0", "m2", "m3"]
    assert emulator.faults.pending == 0


async def test_scripts_with_opposite_filters_share_the_calls_out(emulator) -> None:
    # chat_id comes as the request carried it (a string over HTTP): compare as text.
    emulator.faults.script("sendMessage", ["server_error"] * 3, when=lambda m, c: str(c) == "1")
    emulator.faults.script("sendMessage", [None] * 3, when=lambda m, c: str(c) != "1")
    outcomes = []
    for chat in (-100, 1, -100, 1):
        try:
            await emulator.call("sendMessage", chat_id=chat, text="x")
            outcomes.append("ok")
        except ApiError as exc:
            outcomes.append(exc.code)
    assert outcomes == ["ok", 500, "ok", 500]
    assert emulator.faults.pending == 2  # one step left in each


def test_a_script_refuses_steps_it_cannot_replay(emulator) -> None:
    with pytest.raises(ValueError):
        emulator.faults.script("sendMessage", ["forbidden"])
    with pytest.raises(ValueError):
        emulator.faults.script("sendMessage", ["flood_after"])


async def test_wait_idle_without_poller_waits_only_for_quiet(emulator) -> None:
    emulator.user_sends(1, 1, "x")

    await emulator.wait_idle(timeout=1)

    assert emulator.pending_updates == 1


async def test_malformed_parameters_are_400_not_crashes(emulator) -> None:
    with pytest.raises(ApiError) as caught:
        await emulator.call(
            "sendMessage", chat_id=1, text="x", reply_parameters={"message_id": "abc"}
        )

    assert caught.value.code == 400
    assert emulator.stats["malformed"] == 1


async def test_reply_keyboards_are_recorded_but_not_on_the_message(emulator) -> None:
    keyboard = {"keyboard": [[{"text": "Hoàn thành"}]], "resize_keyboard": True}

    message = await emulator.call("sendMessage", chat_id=1, text="Chọn", reply_markup=keyboard)

    assert "reply_markup" not in message
    assert emulator.sent[-1].reply_markup == keyboard
