"""`observatory briefing ...` makes briefings (observatory_cli.briefing); every other command is the build side's
(observatory_data.build.cli: build, add-year, export)."""

from __future__ import annotations

import sys

from observatory_data.build import cli as build_cli


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["briefing"]:
        from observatory_cli.briefing import main as briefing_main

        return briefing_main(argv[1:])
    return build_cli.main(argv)


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
