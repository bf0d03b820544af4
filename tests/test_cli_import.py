"""`dondoc import`: the JSON shape our checks read, storing, and re-importing in place."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.harness import SEED


def _run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{database}",
        "DONDOC_ENV_FILE": str(database.parent / "absent.env"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "import", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_json_shape(tmp_path: Path) -> None:
    result = _run(str(SEED), "--json", "--dry-run", database=tmp_path / "db.sqlite3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # The exchange format, plus what a script needs to tell "no tasks" from "not understood"
    # (issue 15, item 6): problems, unclassified and unused lines, agencies and the plan.
    assert {"document", "tasks", "problems", "unclassified", "unused", "agencies", "plan"} <= set(
        data
    )
    assert set(data["document"]) == {"number", "date", "issuer", "signer", "title"}
    assert all(isinstance(u["line"], int) for u in data["unused"])
    written = {a["written"]: a for a in data["agencies"]}
    assert written["Các huyện, thành phố, thị xã"]["kind"] == "group"
    assert written["Sở Lao động, Thương binh và Xã hội"]["canonical"] == (
        "Sở Lao động - Thương binh và Xã hội"
    )
    assert data["plan"]["notice"]["number"] == "22-TB/BCĐ"
    assert data["document"]["number"] == "22-TB/BCĐ"
    assert data["document"]["date"] == "2019-12-27"
    task = data["tasks"][0]
    assert {"code", "lead", "coordinating", "text", "deadline"} <= set(task)
    assert {"kind", "start", "end", "source_phrase"} <= set(task["deadline"])
    assert 28 <= len(data["tasks"]) <= 36
    assert not (tmp_path / "db.sqlite3").exists()  # --dry-run stores nothing


def test_store_twice_updates_in_place(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    first = _run(str(SEED), database=database)
    assert first.returncode == 0, first.stderr
    second = _run(str(SEED), database=database)
    assert second.returncode == 0, second.stderr
    assert "không có thay đổi" in second.stdout
    with sqlite3.connect(database) as connection:
        (notices,) = connection.execute("select count(*) from notices").fetchone()
        (tasks,) = connection.execute("select count(*) from tasks").fetchone()
    assert notices == 1
    assert tasks >= 28


def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "notice.xlsx"
    bad.write_bytes(b"PK\x03\x04junk")
    result = _run(str(bad), database=tmp_path / "db.sqlite3")
    assert result.returncode == 1
    assert "unsupported_type" in result.stderr
    assert "Traceback" not in result.stderr
