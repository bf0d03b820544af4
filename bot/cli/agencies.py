"""`dondoc agencies …`: the office's agency directory from the command line.

`list` and `groups` print it (`--json` for scripts); `group NAME MEMBER…` defines a group;
`rename OLD NEW`, `merge SOURCE TARGET` (the target keeps its name and gets the source's
assignments, people and chats; the source stays, inactive, with its history), `alias AGENCY
OTHER-NAME`; `export FILE.csv` writes the directory and `import FILE.csv` loads one (the same
columns: type, name, short, kind, aliases, members, province; lists separated by ";"), in
one transaction: a wrong row changes nothing."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.services import Services, open_services
from bot.services.agencies import AgencyMatch
from bot.services.directory import GroupSaved, Loaded, Merged, Refused, Renamed
from storage import migrate

COLUMNS = ("type", "name", "short", "kind", "aliases", "members", "province")
ARITY = {"group": 2, "rename": 2, "merge": 2, "alias": 2, "import": 1, "export": 1}


def cmd_agencies(args: argparse.Namespace, settings: Settings) -> int:
    need = ARITY.get(args.action, 0)
    if len(args.args) < need or (
        args.action in ("rename", "merge", "alias", "import", "export") and len(args.args) != need
    ):
        print(f"dondoc agencies {args.action}: thiếu tham số / wrong arguments", file=sys.stderr)
        return 2
    migrate.upgrade(settings.database_url)
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    async with open_services(settings) as services:
        action = args.action
        if action == "list":
            rows = await services.directory.agencies()
            _print(
                [asdict(r) for r in rows],
                args.json,
                lambda r: f"{r['name']}\t{r['kind']}\t{r['tasks']}",
            )
            return 0
        if action == "groups":
            groups = await services.directory.groups()
            _print(
                [asdict(g) for g in groups],
                args.json,
                lambda g: f"{g['name']} ({len(g['members'])}): {'; '.join(g['members'])}",
            )
            return 0
        if action == "export":
            return await _export(services, Path(args.args[0]))
        if action == "import":
            return await _import(services, Path(args.args[0]))
        return _answer(await _edit(services, action, args.args))


async def _edit(services: Services, action: str, values: list[str]) -> Any:
    directory = services.directory
    if action == "group":
        return await directory.save_group(None, values[0], values[1:])
    if action == "rename":
        return await directory.rename(None, values[0], values[1])
    if action == "merge":
        return await directory.merge(None, values[0], values[1])
    return await directory.add_alias(None, values[0], values[1])


def _answer(outcome: Any) -> int:
    if isinstance(outcome, Refused):
        print(f"Không thay đổi / nothing changed: {outcome.key} {outcome.values}", file=sys.stderr)
        return 1
    if isinstance(outcome, AgencyMatch):
        names = ", ".join(c.name for c in outcome.candidates) or "—"
        print(f"Không xác định được đơn vị / no single agency (gợi ý: {names})", file=sys.stderr)
        return 1
    if isinstance(outcome, Merged):
        print(f"Đã gộp {outcome.source} → {outcome.target}: {outcome.moved} lượt giao")
    elif isinstance(outcome, GroupSaved):
        print(f"Đã lưu nhóm {outcome.name}: {'; '.join(outcome.members)}")
        for name in outcome.created:
            print(f"  + đơn vị mới / new agency: {name}")
    elif isinstance(outcome, Renamed):
        print(f"{outcome.old} → {outcome.new}")
    return 0


async def _export(services: Services, path: Path) -> int:
    rows = await services.directory.export_rows()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"Đã ghi {len(rows)} dòng / wrote {len(rows)} rows: {path}")
    return 0


async def _import(services: Services, path: Path) -> int:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [dict(r) for r in csv.DictReader(handle)]
    except OSError as error:
        print(f"Không đọc được tệp / cannot read {path}: {error.strerror}", file=sys.stderr)
        return 2
    outcome = await services.directory.import_rows(rows)
    if isinstance(outcome, Refused):
        return _answer(outcome)
    assert isinstance(outcome, Loaded)
    print(
        f"Đơn vị mới / new: {len(outcome.agencies_created)}, cập nhật / updated: "
        f"{len(outcome.agencies_updated)}, nhóm / groups: {len(outcome.groups)}"
    )
    return 0


def _print(rows: list[dict[str, Any]], as_json: bool, line: Any) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        print(line(row))
