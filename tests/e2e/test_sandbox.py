"""The sandbox runs the real bot on the seed notice from a script, and exits 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_script(tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.txt"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "sandbox",
            "--script",
            str(script),
            "--workdir",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DONDOC_ENV_FILE": str(tmp_path / "absent.env"),
            "PYTHONPATH": str(ROOT),
        },
        timeout=300,
    )


def test_sandbox_script_session(tmp_path: Path) -> None:
    result = run_script(
        tmp_path,
        [
            "/as Sở Tài chính",
            "/nhiemvu",
            "1",
            "/reply 2 đạt 70%",
            "/as office",
            "/nhiemvu quahan",
        ],
    )
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert "Sandbox" in out and "TELEGRAM_BOT_TOKEN" in out
    assert "27/12/2019 08:00" in out
    assert "Bạn đang là: Đầu mối Sở Tài chính" in out
    assert "Nhiệm vụ của Sở Tài chính" in out
    assert "Đã ghi nhận" in out and "đạt 70%" in out
    assert "123456" not in out  # no token-looking text anywhere
