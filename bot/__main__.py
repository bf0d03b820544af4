"""`dondoc` / `python -m bot`: load .env, parse the command line, run."""

from __future__ import annotations

import sys

from bot.cli import main as cli_main


def main(argv: list[str] | None = None) -> int:
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
