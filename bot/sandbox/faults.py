"""/faults in the sandbox: Telegram's hiccups (issue 22) on demand, to see what a person sees.

`/faults 500 4` answers one Bot API call in four with a 500 (also 502, 429 with a retry
after 1 s, a timeout, a dropped connection), on top of what is armed already; `/faults off`
disarms; `/faults` says how many have fired.
"""

from __future__ import annotations

from bot.sandbox.emulator import BotApiEmulator, FaultKind

# The emulator's fault kinds, by what a person would call them.
FAULT_KINDS = {
    "500": FaultKind.SERVER_ERROR,
    "502": FaultKind.BAD_GATEWAY,
    "429": FaultKind.FLOOD,
    "timeout": FaultKind.TIMEOUT,
    "drop": FaultKind.DROP,
}
FAULTS_USAGE = "Dùng: /faults 500 4 (hoặc 502, 429, timeout, drop và một số n ≥ 1) | /faults off"


def arm_faults(emulator: BotApiEmulator, arg: str) -> str:
    """Do what `/faults <arg>` asks; returns the line to show."""
    words = arg.lower().split()
    if not words:
        return f"Lỗi giả lập đã xảy ra: {emulator.stats.get('faults', 0)}. {FAULTS_USAGE}"
    if words in (["off"], ["tat"], ["tắt"]):
        emulator.faults.clear()
        return "Telegram hết chập chờn: không còn lỗi giả lập."
    kind = FAULT_KINDS.get(words[0])
    every = words[1] if len(words) == 2 else ""
    if kind is None or not every.isdigit() or int(every) < 1:
        return FAULTS_USAGE
    emulator.faults.inject("*", kind, every=int(every), times=1_000_000, retry_after=1)
    return f"Từ giờ, cứ {every} lệnh gửi tới Telegram thì 1 lệnh gặp lỗi {words[0]}."
