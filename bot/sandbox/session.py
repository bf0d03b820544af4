"""The sandbox's world: the real bot against the embedded Bot API, and the people in it.

Everything the user sees went through python-telegram-bot's HTTP requests to the emulator,
the real handlers and a real SQLite file: the sandbox only plays the people (the office and
each agency's focal point) and moves the clock. Time travel runs the scheduler's jobs at the
moments they would have fired, in order.
"""

from __future__ import annotations

import asyncio
import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from telegram import Update
from telegram.ext import Application, Job

from bot.clock import ManualClock
from bot.config import Settings
from bot.sandbox.emulator import BotApiEmulator, SentRecord, plain_text
from bot.sandbox.faults import arm_faults
from bot.sandbox.texts import HELP
from bot.sandbox.time_travel import WEEKDAY_VI, fire_times, parse_time
from bot.services.agencies import list_agencies

SANDBOX_TOKEN = "424242:SANDBOX-not-a-real-token-xxxxxxxxxxxx"
ADMIN_ID = 1001
OFFICE_CHAT = -1000001
AGENCY_USER_BASE = 500_000
AGENCY_CHAT_BASE = -1_005_000_000
SEED_NAME = "22-TB-BCD.txt"
START = (2019, 12, 27, 8, 0)
LINE_WIDTH = 72

SETTLE = timedelta(minutes=1)  # outbox retries within this are waited out after each update
MEDIA = ("/photo", "/file", "/send", "/voice", "/sticker")


@dataclass
class Persona:
    label: str
    user_id: int
    chat_id: int


@dataclass
class Transcript:
    """Numbers every bot message the user sees, for /reply and /press."""

    numbers: dict[tuple[int, int], int] = field(default_factory=dict)
    by_number: dict[int, tuple[int, int]] = field(default_factory=dict)
    last_with_buttons: dict[int, int] = field(default_factory=dict)

    def number(self, chat_id: int, message_id: int) -> int:
        key = (chat_id, message_id)
        if key not in self.numbers:
            n = len(self.numbers) + 1
            self.numbers[key] = n
            self.by_number[n] = key
        return self.numbers[key]


class Sandbox:
    """The bot, the emulator and a manual clock; each sandbox command is a `cmd_*` method."""

    def __init__(self, settings: Settings, *, workdir: Path, out: TextIO) -> None:
        self.workdir = workdir
        self.out = out
        tz = settings.timezone
        self.clock = ManualClock(datetime(*START, tzinfo=tz))
        self.emulator = BotApiEmulator(SANDBOX_TOKEN, clock=self.clock.now)
        self.settings = Settings(
            **{
                **{f: getattr(settings, f) for f in settings.__dataclass_fields__},
                "telegram_bot_token": SANDBOX_TOKEN,
                "database_url": f"sqlite+aiosqlite:///{workdir / 'sandbox.sqlite3'}",
                "admin_ids": frozenset({ADMIN_ID}),
            }
        )
        self.app: Application | None = None
        self.transcript = Transcript()
        self.seen = 0
        self.agencies: list[tuple[int, str]] = []
        self.persona = Persona("Quản trị (tin riêng)", ADMIN_ID, ADMIN_ID)
        self.errors = 0
        self.verbose = False
        self.files_dir = workdir / "files"
        self.block: list[str] | None = None  # lines of a multi-line message being typed
        self.block_reply_to: int | None = None

    # --- set-up ------------------------------------------------------------------------

    async def start(self, seed: tuple[str, bytes] | None) -> None:
        from bot.app import build_application, outbox_of
        from handlers.menu import menus_ready
        from storage import migrate

        await asyncio.to_thread(migrate.upgrade, self.settings.database_url)
        self.emulator.add_user(ADMIN_ID, "Văn phòng Điều phối")
        self.emulator.add_chat(ADMIN_ID, "private")
        self.emulator.add_chat(OFFICE_CHAT, "supergroup", "Văn phòng Điều phối NTM")
        self.emulator.add_member(OFFICE_CHAT, ADMIN_ID)
        self.app = build_application(
            self.settings,
            request=self.emulator.make_request(),
            get_updates_request=self.emulator.make_get_updates_request(),
            clock=self.clock,
            rate_limiter=None,
        )
        self.outbox = outbox_of(self.app)  # drained after each update and job
        await self.app.initialize()
        await menus_ready(self.app)
        await self.say(ADMIN_ID, OFFICE_CHAT, "/vanphong", quiet=True)
        if seed is not None:
            await self.load_seed(*seed)
        self.seen = len(self.emulator.sent)

    async def load_seed(self, name: str, data: bytes) -> None:
        """Import the seed through the bot (file → preview → Lưu), then bind every agency.
        The office is Hà Tĩnh's: its group of districts (the shipped example) is defined
        first, so "Các huyện, thành phố, thị xã" goes to the 13 districts."""
        assert self.app is not None
        await self.app.bot_data["services"].directory.load_example("Hà Tĩnh")
        self.emulator.user_sends_document(ADMIN_ID, ADMIN_ID, name, data)
        await self.flush()
        preview = self.emulator.last_message(ADMIN_ID)
        if preview is None:
            return
        save = next((d for t, d in self.emulator.buttons(preview) if t.startswith("💾")), None)
        if save is None:
            return
        self.emulator.user_presses(ADMIN_ID, ADMIN_ID, preview["message_id"], save)
        await self.flush()
        assert self.app is not None
        services = self.app.bot_data["services"]
        async with services.ctx.uow() as session:  # read-only: who to cast as focal points
            agencies = await list_agencies(session)
        for agency in agencies:
            await self.bind_agency(agency.id, agency.name)
        self.agencies = [(agency.id, agency.name) for agency in agencies]

    def ensure_cast(self, agency_id: int, name: str) -> tuple[int, int]:
        """The agency's focal point and group exist in the emulator (not yet bound)."""
        user_id, chat_id = AGENCY_USER_BASE + agency_id, AGENCY_CHAT_BASE - agency_id
        if user_id not in self.emulator.users:
            self.emulator.add_user(user_id, f"Đầu mối {name}"[:64])
            self.emulator.add_chat(user_id, "private")
            self.emulator.add_chat(chat_id, "supergroup", name[:128])
            for member in (user_id, ADMIN_ID):
                self.emulator.add_member(chat_id, member)
        return user_id, chat_id

    async def bind_agency(self, agency_id: int, name: str) -> None:
        user_id, chat_id = self.ensure_cast(agency_id, name)
        await self.say(ADMIN_ID, ADMIN_ID, f"/moi {name}", quiet=True)
        text = (self.emulator.last_message(ADMIN_ID) or {}).get("text", "")
        match = re.search(r"/dangky (\w+)", text)
        if match:
            await self.say(user_id, chat_id, f"/dangky {match[1]}", quiet=True)

    # --- talking -------------------------------------------------------------------------

    async def flush(self) -> None:
        assert self.app is not None
        for raw in self.emulator.take_updates():
            await self.app.process_update(Update.de_json(raw, self.app.bot))
        await self.settle()

    async def settle(self) -> None:
        """Send what the outbox holds. Its retries due within `SETTLE` (Telegram's brief
        failures, /faults) are waited out by moving the clock to each: what a phone shows a
        moment later. Longer outages wait for /time."""
        from bot.messaging.delivery import pending_hand_overs

        assert self.app is not None
        await pending_hand_overs()
        await self.outbox.drain()
        outbox = self.app.bot_data["services"].outbox
        until = self.clock.now() + SETTLE
        for _ in range(50):
            due = await outbox.next_due(skip_chats=set())
            if due is None or due > until:
                return
            if due > self.clock.now():
                self.clock.set(due)
            await self.outbox.drain()

    async def say(
        self,
        user_id: int,
        chat_id: int,
        text: str,
        *,
        quiet: bool = False,
        reply_to: int | None = None,
    ) -> None:
        self.emulator.user_sends(user_id, chat_id, text, reply_to_message_id=reply_to)
        await self.flush()
        if quiet:
            self.seen = len(self.emulator.sent)

    def show_new(self) -> None:
        """Print what the bot sent since the last prompt, as a phone would show it."""
        records = self.emulator.sent[self.seen :]
        self.seen = len(self.emulator.sent)
        for record in records:
            self.print_record(record)

    def print_record(self, record: SentRecord) -> None:
        if record.message_id is None:
            return
        number = self.transcript.number(record.chat_id, record.message_id)
        where = self.chat_label(record.chat_id)
        if record.method == "editMessageReplyMarkup" and not record.buttons:
            self.write(f"   ✎ #{number}: đã bỏ các nút (đã xử lý)")
            return
        if not self.verbose and record.chat_id not in (self.persona.chat_id, OFFICE_CHAT):
            first = (record.plain or plain_text(record.text or record.caption or "")).strip()
            first = first.splitlines()[0] if first else record.filename or ""
            self.write(f"   📨 #{number} → {where}: {first[:LINE_WIDTH]}")
            return
        edited = " (đã sửa)" if record.method.startswith("edit") else ""
        stamp = self.clock.now().astimezone(self.settings.timezone).strftime("%d/%m/%Y %H:%M")
        self.write(f"── #{number} 🤖 → {where}{edited} · {stamp}")
        body = record.plain if record.plain else plain_text(record.text or record.caption or "")
        for line in (body or "").splitlines():
            self.write(f"   {line}")
        if record.data is not None:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / f"{number}-{record.filename or 'file'}"
            path.write_bytes(record.data)
            self.write(f"   📎 {path}")
        buttons = record.buttons
        if buttons:
            self.transcript.last_with_buttons[record.chat_id] = number
            labels = "  ".join(f"[{i}] {text}" for i, (text, _) in enumerate(buttons, start=1))
            self.write(f"   {labels}")

    def chat_label(self, chat_id: int) -> str:
        if chat_id == ADMIN_ID:
            return "Quản trị (tin riêng)"
        if chat_id == OFFICE_CHAT:
            return "Nhóm Văn phòng Điều phối"
        for agency_id, name in self.agencies:
            if chat_id == AGENCY_CHAT_BASE - agency_id:
                return f"Nhóm {name}"
            if chat_id == AGENCY_USER_BASE + agency_id:
                return f"Tin riêng đầu mối {name}"
        return str(chat_id)

    def write(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # --- sandbox commands ----------------------------------------------------------------

    async def handle(self, line: str) -> bool:
        """One line of input; returns False to quit. Between `<<<` and `>>>` lines are kept,
        as typed, and sent as one message (a pasted notice, a multi-line answer)."""
        if self.block is not None:
            if line.strip() != ">>>":
                self.block.append(line.rstrip("\n"))
                return True
            text, reply_to = "\n".join(self.block).strip("\n"), self.block_reply_to
            self.block, self.block_reply_to = None, None
            if text:
                await self.say(self.persona.user_id, self.persona.chat_id, text, reply_to=reply_to)
            self.show_new()
            return True
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line == "<<<":
            self.block = []
            return True
        head, _, rest = line.partition(" ")
        if line.isdigit():
            head, rest = "/press", line
        if head in ("/quit", "/exit", "/thoat"):
            return False
        if head in MEDIA:
            await self.send_media(head, rest.strip())
            self.show_new()
            return True
        handler = {
            "/as": self.cmd_as,
            "/press": self.cmd_press,
            "/reply": self.cmd_reply,
            "/time": self.cmd_time,
            "/menu": self.cmd_menu,
            "/agencies": self.cmd_agencies,
            "/bind": self.cmd_bind,
            "/verbose": self.cmd_verbose,
            "/faults": self.cmd_faults,
            "/help": self.cmd_help,
        }.get(head)
        if handler is not None:
            await handler(rest.strip())
        else:
            await self.say(self.persona.user_id, self.persona.chat_id, line)
        self.show_new()
        return True

    async def cmd_help(self, _: str) -> None:
        self.write(HELP)
        await self.say(self.persona.user_id, self.persona.chat_id, "/trogiup")

    async def cmd_verbose(self, arg: str) -> None:
        self.verbose = arg.strip().lower() not in ("off", "tat", "tắt", "0")
        state = (
            "đầy đủ" if self.verbose else "rút gọn (chỉ hiện đủ tin của nhóm bạn và nhóm Văn phòng)"
        )
        self.write(f"Hiển thị tin của các nhóm khác: {state}")

    async def cmd_faults(self, arg: str) -> None:
        """/faults <kind> <n>: one call in n to the Bot API fails (issue 22's hiccups)."""
        self.write(arm_faults(self.emulator, arg))

    async def cmd_agencies(self, _: str) -> None:
        for agency_id, name in self.agencies:
            self.write(f"  {agency_id:>3}  {name}")

    async def cmd_as(self, who: str) -> None:
        await self.refresh_agencies()
        folded = who.lower()
        if folded in ("office", "vanphong", "văn phòng"):
            self.persona = Persona("Nhóm Văn phòng Điều phối", ADMIN_ID, OFFICE_CHAT)
        elif folded in ("admin", "", "quantri"):
            self.persona = Persona("Quản trị (tin riêng)", ADMIN_ID, ADMIN_ID)
        else:
            match = self.find_agency(who)
            if match is None:
                self.write(f"Không tìm thấy đơn vị «{who}». Gõ /agencies để xem danh sách.")
                return
            agency_id, name = match
            self.persona = Persona(
                f"Đầu mối {name}", AGENCY_USER_BASE + agency_id, AGENCY_CHAT_BASE - agency_id
            )
        self.write(f"Bạn đang là: {self.persona.label}")

    def find_agency(self, query: str) -> tuple[int, str] | None:
        from bot.domain.text import fold

        if query.isdigit():
            return next((a for a in self.agencies if a[0] == int(query)), None)
        words = fold(query).split()
        found = [a for a in self.agencies if all(w in fold(a[1]) for w in words)]
        exact = [a for a in found if fold(a[1]) == fold(query)]
        candidates = exact or found
        return candidates[0] if candidates else None

    async def cmd_press(self, arg: str) -> None:
        if arg and not re.fullmatch(r"\d+(\.\d+)?", arg):
            await self.press_label(arg)
            return
        message_number, _, button = arg.partition(".")
        if not button:
            button, message_number = (
                message_number,
                str(self.transcript.last_with_buttons.get(self.persona.chat_id, "")),
            )
        if not (message_number.isdigit() and button.isdigit()):
            self.write("Dùng: /press <n> hoặc /press <tin>.<n>")
            return
        key = self.transcript.by_number.get(int(message_number))
        message = self.emulator.message(*key) if key else None
        buttons = self.emulator.buttons(message) if message else []
        if not 1 <= int(button) <= len(buttons):
            self.write("Không có nút đó.")
            return
        assert key is not None
        self.emulator.user_presses(
            self.persona.user_id, key[0], key[1], buttons[int(button) - 1][1] or ""
        )
        await self.flush()
        self.show_answer()

    def last_number_in(self, chat_id: int) -> int | None:
        numbers = [n for n, (c, _) in self.transcript.by_number.items() if c == chat_id]
        return max(numbers) if numbers else None

    async def press_label(self, label: str) -> None:
        """Press the button whose label starts with `label` on the latest message that has it."""
        for number in sorted(self.transcript.by_number, reverse=True):
            chat_id, message_id = self.transcript.by_number[number]
            if chat_id != self.persona.chat_id:
                continue
            message = self.emulator.message(chat_id, message_id)
            for text, data in self.emulator.buttons(message) if message else []:
                if text.lower().startswith(label.lower()) or label.lower() in text.lower():
                    self.emulator.user_presses(
                        self.persona.user_id, chat_id, message_id, data or ""
                    )
                    await self.flush()
                    self.show_answer()
                    return
        self.write(f"Không có nút «{label}» trong các tin ở đây.")

    def show_answer(self) -> None:
        for answer in self.emulator.callback_answers[-1:]:
            if answer.get("text") and answer.get("_shown") is None:
                answer["_shown"] = True
                self.write(f"   ⓘ {answer['text']}")

    async def cmd_bind(self, query: str) -> None:
        """Bind an agency's simulated group through the bot itself (/moi, then /dangky)."""
        await self.refresh_agencies()
        match = self.find_agency(query)
        if match is None:
            self.write(f"Không tìm thấy đơn vị «{query}». Gõ /agencies để xem danh sách.")
            return
        await self.bind_agency(*match)
        self.seen = len(self.emulator.sent)
        self.write(f"Đã gắn nhóm mô phỏng «{match[1]}» (mã mời dùng một lần, qua /moi và /dangky).")

    async def refresh_agencies(self) -> None:
        assert self.app is not None
        services = self.app.bot_data["services"]
        async with services.ctx.uow() as session:
            self.agencies = [(a.id, a.name) for a in await list_agencies(session)]

    async def cmd_reply(self, arg: str) -> None:
        number, _, text = arg.partition(" ")
        if number == "last":
            number = str(self.last_number_in(self.persona.chat_id) or "")
        key = self.transcript.by_number.get(int(number)) if number.isdigit() else None
        if key is None or not text:
            self.write("Dùng: /reply <số tin> <nội dung>")
            return
        if key[0] != self.persona.chat_id:
            self.write(f"Tin #{number} ở {self.chat_label(key[0])}; hãy /as đúng người trước.")
            return
        head, _, rest = text.partition(" ")
        if head in MEDIA:
            await self.send_media(head, rest.strip(), reply_to=key[1])
        elif text.strip() == "<<<":
            self.block, self.block_reply_to = [], key[1]
        else:
            await self.say(self.persona.user_id, self.persona.chat_id, text, reply_to=key[1])

    async def send_media(self, kind: str, arg: str, *, reply_to: int | None = None) -> None:
        """/photo [caption], /file PATH [caption], /voice, /sticker [emoji]: what a phone
        sends besides text, optionally as a reply."""
        user, chat, emulator = self.persona.user_id, self.persona.chat_id, self.emulator
        if kind == "/photo":
            emulator.user_sends_photo(user, chat, caption=arg or None, reply_to_message_id=reply_to)
        elif kind == "/voice":
            emulator.user_sends_voice(user, chat, reply_to_message_id=reply_to)
        elif kind == "/sticker":
            emulator.user_sends_sticker(user, chat, emoji=arg or "👍", reply_to_message_id=reply_to)
        else:
            words = shlex.split(arg) if arg else []
            path = Path(words[0]) if words else None
            if path is None or not path.is_file():
                self.write("Dùng: /file <đường dẫn tệp> [chú thích]")
                return
            caption = " ".join(words[1:]) or None
            emulator.user_sends_document(
                user, chat, path.name, path.read_bytes(), caption=caption,
                reply_to_message_id=reply_to,
            )  # fmt: skip
        await self.flush()

    async def cmd_menu(self, _: str) -> None:
        """The command menu Telegram would show the current persona in this chat."""
        names = self.emulator.menu_for(self.persona.chat_id, self.persona.user_id)
        self.write("Menu lệnh ở đây: " + (" ".join(f"/{n}" for n in names) or "(trống)"))

    async def cmd_time(self, arg: str) -> None:
        target = parse_time(arg, self.clock.now(), self.settings)
        if target is None:
            self.write("Dùng: /time +3d | +2h | +30m | 2020-01-14 08:00")
            return
        if target <= self.clock.now():
            self.write("Chỉ dời đồng hồ về phía trước.")
            return
        assert self.app is not None and self.app.job_queue is not None
        jobs = self.app.job_queue.jobs()
        for moment, job in fire_times(jobs, self.clock.now(), target, self.settings):
            self.clock.set(moment)
            await self.run_job(job)
            self.show_new()
        self.clock.set(target)
        local = target.astimezone(self.settings.timezone)
        self.write(f"🕗 Bây giờ là {local:%d/%m/%Y %H:%M} ({WEEKDAY_VI[local.weekday()]})")

    async def run_job(self, job: Job) -> None:
        """PTB's own Job.run: the callback with its context; errors go to the error handler."""
        assert self.app is not None
        await job.run(self.app)
        await self.outbox.drain()

    async def close(self) -> None:
        if self.app is not None:
            await self.app.shutdown()
