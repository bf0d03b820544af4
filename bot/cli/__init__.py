"""The command line: one parser, one function per subcommand, bilingual help.

Start-up errors (a wrong setting, an out-of-date database) print one line and exit 2, never
a traceback: the person reading it is an office's IT officer, not a Python developer.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings, redact

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

Command = Callable[[argparse.Namespace, Settings], int]


def _load_dotenv() -> None:
    """Read ./.env (or DONDOC_ENV_FILE) into the environment; real variables win."""
    from dotenv import load_dotenv

    load_dotenv(os.environ.get("DONDOC_ENV_FILE", ".env"), override=False)


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.telegram_bot_token:
        from bot.cli.run import run_sandbox_or_explain

        return run_sandbox_or_explain(settings, [])
    from bot.cli.run import run_bot

    return run_bot(settings, auto_upgrade=args.auto_upgrade)


def _cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from storage import migrate

    if args.db_command == "copy":
        return _copy_database(args, settings)
    if args.db_command == "upgrade":
        migrate.upgrade(settings.database_url)
        print(
            f"Cơ sở dữ liệu đã ở phiên bản mới nhất / database at: {migrate.head_revision(settings.database_url)}"
        )
        return EXIT_OK
    current = migrate.current_revision(settings.database_url)
    head = migrate.head_revision(settings.database_url)
    state = (
        "mới nhất / up to date" if current == head else "cần nâng cấp / needs `dondoc db upgrade`"
    )
    print(f"{current or '(trống / empty)'} — {state} (head {head})")
    return EXIT_OK


def _copy_database(args: argparse.Namespace, settings: Settings) -> int:
    """`dondoc db copy --to postgresql://…`: SQLite's data into an empty, upgraded PostgreSQL."""
    from storage.copy import CopyRefused, copy_database
    from storage.instance_lock import DatabaseInUse

    source = args.source or settings.database_url
    try:
        copied = copy_database(
            source, args.target, progress=lambda table, rows: print(f"  {table}: {rows}")
        )
    except (CopyRefused, DatabaseInUse) as error:
        raise StartupError(f"Không sao chép / not copied: {error}") from None
    print(
        f"Đã sao chép {copied.rows} dòng, {len(copied.tables)} bảng (phiên bản {copied.revision}). "
        f"/ Copied {copied.rows} rows in {len(copied.tables)} tables (revision {copied.revision}). "
        "Đặt DATABASE_URL sang PostgreSQL rồi chạy `dondoc run`. / Point DATABASE_URL at "
        "PostgreSQL and run `dondoc run`."
    )
    return EXIT_OK


def _lazy(module: str, function: str) -> Command:
    """Subcommands import their module only when used, so `--help` stays fast."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), function)(args, settings))

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dondoc",
        description=(
            "dondoc — theo dõi, đôn đốc thực hiện Thông báo kết luận qua Telegram.\n"
            "dondoc — follow up the tasks of conclusion notices on Telegram."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH/COMMAND")

    run = sub.add_parser(
        "run",
        help="chạy bot (không có token: chạy sandbox) / run the bot (no token: the sandbox)",
    )
    run.add_argument(
        "--auto-upgrade",
        action="store_true",
        help="tự nâng cấp CSDL trước khi chạy / upgrade the database before running",
    )
    run.set_defaults(handler=_cmd_run)

    db = sub.add_parser("db", help="quản lý cơ sở dữ liệu / database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="upgrade|current|copy")
    db_sub.add_parser("upgrade", help="tạo hoặc nâng cấp lược đồ / create or upgrade the schema")
    db_sub.add_parser("current", help="phiên bản lược đồ hiện tại / current schema revision")
    copy = db_sub.add_parser(
        "copy",
        help="sao chép dữ liệu SQLite sang PostgreSQL / copy SQLite's data into PostgreSQL",
    )
    copy.add_argument(
        "--to", dest="target", required=True,
        help="PostgreSQL đích, đã `dondoc db upgrade`, còn trống / the empty, upgraded target",
    )  # fmt: skip
    copy.add_argument(
        "--from", dest="source", default=None,
        help="SQLite nguồn (mặc định DATABASE_URL) / the SQLite source (default DATABASE_URL)",
    )  # fmt: skip
    db.set_defaults(handler=_cmd_db)

    imp = sub.add_parser(
        "import", help="nhập Thông báo từ tệp .txt/.docx/.pdf / import a notice file"
    )
    imp.add_argument("file", type=Path, help="tệp văn bản / the notice file")
    imp.add_argument("--json", action="store_true", help="in kết quả dạng JSON / print JSON")
    imp.add_argument("--dry-run", action="store_true", help="chỉ phân tích, không lưu / parse only")
    imp.set_defaults(handler=_lazy("bot.cli.imports", "cmd_import"))

    agencies = sub.add_parser(
        "agencies", help="danh bạ đơn vị và nhóm / the agency directory and groups"
    )
    agencies.add_argument(
        "action",
        choices=("list", "groups", "group", "rename", "merge", "alias", "import", "export"),
        help=(
            "list | groups | group TÊN THÀNH-VIÊN… | rename CŨ MỚI | merge NGUỒN ĐÍCH | "
            "alias ĐƠN-VỊ TÊN-KHÁC | import FILE.csv | export FILE.csv"
        ),
    )
    agencies.add_argument("args", nargs="*", help="tên, tệp / names, the file")
    agencies.add_argument("--json", action="store_true", help="in dạng JSON / print JSON")
    agencies.set_defaults(handler=_lazy("bot.cli.agencies", "cmd_agencies"))

    summary = sub.add_parser("summary", help="báo cáo tổng hợp / the roll-up")
    summary.add_argument("--json", action="store_true", help="in dạng JSON / print JSON")
    summary.add_argument("--at", help="tính đến ngày (dd/mm/yyyy) / as of a date")
    summary.add_argument("--notice", help="số văn bản / notice number")
    summary.set_defaults(handler=_lazy("bot.cli.reports", "cmd_summary"))

    export = sub.add_parser("export", help="xuất Excel và Word / export xlsx and docx")
    export.add_argument("--xlsx", type=Path, help="tệp Excel / the .xlsx file")
    export.add_argument("--docx", type=Path, help="tệp Word / the .docx file")
    export.add_argument("--notice", help="số văn bản / notice number")
    export.add_argument("--at", help="tính đến ngày (dd/mm/yyyy) / as of a date")
    export.add_argument("--org", help="cơ quan ban hành (Word) / issuing body for the report")
    export.set_defaults(handler=_lazy("bot.cli.reports", "cmd_export"))

    remind = sub.add_parser(
        "remind", help="nhắc việc: xem trước hoặc gửi ngay / preview or send reminders now"
    )
    remind.add_argument("--dry-run", action="store_true", help="chỉ in, không gửi / print only")
    remind.add_argument(
        "--at", metavar='"YYYY-MM-DD HH:MM"', help="thời điểm giờ địa phương / local moment"
    )
    remind.set_defaults(handler=_lazy("bot.cli.remind", "cmd_remind"))

    outbox = sub.add_parser(
        "outbox",
        help="tin đang chờ gửi, tin không gửi được / messages waiting to be sent, or failed",
    )
    outbox.add_argument(
        "--failed", action="store_true", help="tin không gửi được / those that failed"
    )
    outbox.add_argument("--limit", type=int, default=20, help="số dòng / how many (20)")
    outbox.set_defaults(handler=_lazy("bot.cli.outbox", "cmd_outbox"))

    invites = sub.add_parser(
        "invites",
        help=(
            "cấp mã mời cho các đơn vị chưa gắn nhóm và in bộ tài liệu / "
            "invite codes for agencies without a group, and the printable kit"
        ),
    )
    invites.add_argument("--notice", help="các đơn vị của một văn bản / one notice's agencies")
    invites.add_argument(
        "--all", action="store_true", help="mọi đơn vị chưa gắn nhóm / every agency without one"
    )
    invites.add_argument("--pdf", type=Path, help="bộ tài liệu in (PDF) / the printable kit")
    invites.add_argument("--docx", type=Path, help="bản Word / the Word version")
    invites.add_argument("--xlsx", type=Path, help="danh sách để trộn thư / mail-merge rows")
    invites.add_argument("--json", action="store_true", help="in dạng JSON / print JSON")
    invites.add_argument("--bot", help="tên bot (@...), nếu không có token / the bot's username")
    invites.set_defaults(handler=_lazy("bot.cli.invites", "cmd_invites"))

    backup = sub.add_parser("backup", help="sao lưu CSDL SQLite / back up the SQLite database")
    backup.add_argument("file", type=Path, help="tệp sao lưu / the backup file")
    backup.add_argument("--force", action="store_true", help="ghi đè tệp đã có / overwrite FILE")
    backup.set_defaults(handler=_lazy("bot.cli.backup", "cmd_backup"))

    restore = sub.add_parser("restore", help="khôi phục CSDL từ bản sao lưu / restore a backup")
    restore.add_argument("file", type=Path, help="tệp sao lưu / the backup file")
    restore.set_defaults(handler=_lazy("bot.cli.backup", "cmd_restore"))

    web = sub.add_parser(
        "web",
        help=(
            "trang theo dõi và biểu mẫu báo cáo (Mini App) / the dashboard and the Mini App form"
        ),
    )
    web.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe / listen address")
    web.add_argument("--port", type=int, default=8080, help="cổng / port (8080)")
    web.add_argument(
        "--auto-upgrade",
        action="store_true",
        help="tự nâng cấp CSDL trước khi chạy / upgrade the database before running",
    )
    web.set_defaults(handler=_lazy("bot.cli.run", "cmd_web"))

    parse_reply = sub.add_parser(
        "parse-reply", help="xem bot hiểu câu trả lời thế nào / show how a reply is read"
    )
    parse_reply.add_argument("text", nargs="*", metavar="TEXT", help="câu trả lời / a reply")
    parse_reply.add_argument(
        "--file", help="JSON Lines, mỗi dòng một chuỗi JSON (-: stdin) / JSON Lines of strings"
    )
    parse_reply.add_argument("--today", help="hôm nay / the day it is read (YYYY-MM-DD)")
    parse_reply.add_argument(
        "--deadline", help="thời hạn hiện tại / the current deadline (YYYY-MM-DD)"
    )
    parse_reply.add_argument(
        "--digest-lines",
        type=int,
        default=0,
        metavar="N",
        help="trả lời tin tổng hợp N dòng / a reply to a digest of N numbered lines",
    )
    parse_reply.add_argument("--json", action="store_true", help="in JSON Lines / JSON Lines")
    parse_reply.set_defaults(handler=_lazy("bot.cli.replies", "cmd_parse_reply"))

    sandbox = sub.add_parser(
        "sandbox", help="chạy thử không cần Telegram / try the bot without Telegram"
    )
    sandbox.add_argument("--script", type=Path, help="tệp kịch bản / a script file")
    sandbox.add_argument(
        "--workdir", type=Path, help="thư mục dữ liệu sandbox / where the sandbox keeps its files"
    )
    sandbox.set_defaults(handler=_lazy("bot.cli.run", "cmd_sandbox"))
    return parser


def main(argv: list[str] | None = None) -> int:
    _load_dotenv()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"Lỗi cấu hình / configuration error — {error}", file=sys.stderr)
        return EXIT_USAGE
    from bot.cli.logging_setup import setup_logging

    setup_logging(settings.log_level, settings.telegram_bot_token)
    try:
        return args.handler(args, settings)
    except KeyboardInterrupt:
        return EXIT_OK
    except StartupError as error:
        print(redact(str(error), settings.telegram_bot_token), file=sys.stderr)
        return EXIT_USAGE


class StartupError(RuntimeError):
    """A condition that stops start-up with a one-line explanation (no traceback)."""
