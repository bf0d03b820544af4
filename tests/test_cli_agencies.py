"""`dondoc agencies`: the directory from the command line — a CSV loaded in one go (groups
included), listed, exported and read back the same; rename, alias and merge; a bad row
changes nothing."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

CSV = """type,name,short,kind,aliases,members,province
agency,Sở Tài nguyên và Môi trường,Sở TN&MT,so,STNMT,,
agency,Huyện Kỳ Anh,,huyen,UBND huyện Kỳ Anh,,
agency,Huyện Can Lộc,,huyen,,,
group,"Các huyện, thị xã, thành phố",,,,Huyện Kỳ Anh; UBND huyện Can Lộc; Thị xã Hồng Lĩnh,Hà Tĩnh
"""


def _run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{database}",
        "DONDOC_ENV_FILE": str(database.parent / "absent.env"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "agencies", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_import_list_export_edit(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    source = tmp_path / "in.csv"
    source.write_text(CSV, encoding="utf-8")
    loaded = _run("import", str(source), database=db)
    assert loaded.returncode == 0, loaded.stderr
    groups = json.loads(_run("groups", "--json", database=db).stdout)
    assert groups[0]["name"] == "Các huyện, thị xã, thành phố"
    assert groups[0]["members"] == ["Huyện Kỳ Anh", "Huyện Can Lộc", "Thị xã Hồng Lĩnh"]
    assert groups[0]["province"] == "Hà Tĩnh"
    names = [a["name"] for a in json.loads(_run("list", "--json", database=db).stdout)]
    assert "Thị xã Hồng Lĩnh" in names and not [n for n in names if n.startswith("Các")]
    assert _run("alias", "Huyện Can Lộc", "UBND huyện Can Lộc", database=db).returncode == 0
    renamed = _run("rename", "Sở TN&MT", "Sở Nông nghiệp và Môi trường", database=db)
    assert renamed.returncode == 0, renamed.stderr
    merged = _run("merge", "Thị xã Hồng Lĩnh", "Huyện Can Lộc", database=db)
    assert merged.returncode == 0, merged.stderr
    out = tmp_path / "out.csv"
    assert _run("export", str(out), database=db).returncode == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    by_name = {r["name"]: r for r in rows}
    assert "Sở Tài nguyên và Môi trường" in by_name["Sở Nông nghiệp và Môi trường"]["aliases"]
    assert by_name["Các huyện, thị xã, thành phố"]["members"] == "Huyện Kỳ Anh; Huyện Can Lộc"
    # Exported, then loaded again: nothing new.
    again = _run("import", str(out), database=db)
    assert "Đơn vị mới / new: 0" in again.stdout, again.stdout + again.stderr


def test_a_bad_row_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    source = tmp_path / "bad.csv"
    source.write_text(CSV + "agency,Công ty X,,cong_ty,,,\n", encoding="utf-8")
    result = _run("import", str(source), database=db)
    assert result.returncode == 1 and "csv_kind" in result.stderr
    assert json.loads(_run("list", "--json", database=db).stdout) == []
