"""`dondoc parse-reply` (issue 14, item 5): the JSON Lines schema, the readable line, files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ITEM_KEYS = {"line", "task", "intent", "percent", "until", "obstacle"}


def _run(*args: str, tmp: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp / 'never-opened.sqlite3'}",
        "DONDOC_ENV_FILE": str(tmp / "absent.env"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "parse-reply", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )


def test_json_lines_in_order_with_the_issue_schema(tmp_path: Path) -> None:
    digest = "1. xong\n2. đạt 50%\n3. vướng kinh phí"
    source = tmp_path / "replies.jsonl"
    source.write_text(
        json.dumps(digest, ensure_ascii=False) + "\n\n" + json.dumps("#23 đã hoàn thành") + "\n",
        encoding="utf-8",
    )
    result = _run(
        "xin gia hạn đến hết tháng 4",
        "ok",
        "--file",
        str(source),
        "--today",
        "2020-01-06",
        "--deadline",
        "2020-01-31",
        "--digest-lines",
        "3",
        "--json",
        tmp=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [
        "xin gia hạn đến hết tháng 4", "ok", digest, "#23 đã hoàn thành",
    ]  # fmt: skip
    for record in records:
        assert set(record) == {"text", "items"}
        assert all(set(item) == ITEM_KEYS for item in record["items"])
    assert records[0]["items"] == [
        {"line": None, "task": None, "intent": "extension", "percent": None,
         "until": "2020-04-30", "obstacle": False},
    ]  # fmt: skip
    assert [i["intent"] for i in records[1]["items"]] == ["acknowledge"]
    assert [(i["line"], i["intent"], i["percent"], i["obstacle"]) for i in records[2]["items"]] == [
        (1, "done", 100, False), (2, "progress", 50, False), (3, "blocked", None, True),
    ]  # fmt: skip
    assert [(i["task"], i["intent"]) for i in records[3]["items"]] == [("23", "done")]


def test_readable_line_per_input_and_stdin(tmp_path: Path) -> None:
    result = _run(
        "--file", "-", "--today", "2020-01-06", tmp=tmp_path,
        stdin=json.dumps("Đã hoàn thành. Tuy nhiên còn vướng kinh phí đối ứng") + "\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert (
        line == "«Đã hoàn thành. Tuy nhiên còn vướng kinh phí đối ứng» → hoàn thành, có vướng mắc"
    )


def test_wrong_input_is_a_usage_error(tmp_path: Path) -> None:
    assert _run(tmp=tmp_path).returncode == 2
    assert _run("ok", "--today", "06/01/2020", tmp=tmp_path).returncode == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n', encoding="utf-8")
    result = _run("--file", str(bad), tmp=tmp_path)
    assert result.returncode == 2 and "chuỗi JSON" in result.stderr
