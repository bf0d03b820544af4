"""`dondoc invites`: codes for a notice's agencies, the kit written to files, JSON, re-issue."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.harness import SEED


def _run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{database}",
        "DONDOC_ENV_FILE": str(database.parent / "absent.env"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def test_invites_for_a_notice_write_the_kit_and_revoke_on_reissue(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    assert _run("import", str(SEED), database=database).returncode == 0
    pdf, xlsx = tmp_path / "kit.pdf", tmp_path / "kit.xlsx"
    first = _run(
        "invites", "--notice", "22-TB/BCĐ", "--bot", "@dondoc_bot", "--pdf", str(pdf),
        "--xlsx", str(xlsx), "--json", database=database,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["notice"] == "22-TB/BCĐ" and data["already_bound"] == 0
    invites = data["invites"]
    assert len(invites) >= 10
    one = next(i for i in invites if i["agency"] == "Sở Tài chính")
    assert one["code"] in one["link"] and one["link"].startswith("https://t.me/dondoc_bot?")
    assert one["expires_at"].startswith("20") and one["tasks"] >= 1
    assert pdf.read_bytes().startswith(b"%PDF")
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None and sheet.max_row == len(invites) + 1

    again = _run("invites", "--all", "--bot", "dondoc_bot", database=database)
    assert again.returncode == 0, again.stderr
    assert f"Đã cấp {len(invites)} mã mời" in again.stdout
    with sqlite3.connect(database) as connection:
        (revoked,) = connection.execute(
            "select count(*) from invite_codes where revoked_at is not null"
        ).fetchone()
        (open_codes,) = connection.execute(
            "select count(*) from invite_codes where revoked_at is null"
        ).fetchone()
    assert revoked == len(invites) and open_codes == len(invites)


def test_usage_and_unknown_notice(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    assert _run("import", str(SEED), database=database).returncode == 0
    neither = _run("invites", "--bot", "x_bot", database=database)
    assert neither.returncode == 2 and "--notice" in neither.stderr
    no_bot = _run("invites", "--all", database=database)
    assert no_bot.returncode == 2 and "--bot" in no_bot.stderr
    unknown = _run("invites", "--notice", "9-TB/X", "--bot", "x_bot", database=database)
    assert unknown.returncode == 1 and "22-TB/BCĐ" in unknown.stderr
