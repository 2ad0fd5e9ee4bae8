"""Command line: `observatory build` (or `python -m observatory_data build`) builds the prepared tables from
the public sources; `observatory add-year PATH [--replace]` adds a new year's ACE workbook or annual CSV and
rebuilds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from observatory_data.build.sources import MIRROR_VARIABLE, mirror_from_environment
from observatory_data.serving.errors import BuildError
from observatory_data.serving.store import prepared_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="observatory", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the prepared tables")
    add_parser = commands.add_parser("add-year", help="add a year's ACE workbook or annual CSV, then rebuild")
    add_parser.add_argument("path", type=Path, help="an ACE workbook (.xlsx, 2023/24 layout) or an annual CSV")
    add_parser.add_argument("--replace", action="store_true", help="replace a year that is already present")
    for command in (build_parser, add_parser):
        command.add_argument(
            "--sources", type=Path, default=None, help=f"local mirror of the sources (default: ${MIRROR_VARIABLE})"
        )
        command.add_argument("--output", type=Path, default=None, help="folder for the prepared tables")
    args = parser.parse_args(argv)

    from observatory_data.build.pipeline import build
    from observatory_data.build.report import print_summary

    mirror = args.sources.resolve() if args.sources else mirror_from_environment()
    target = (args.output or prepared_dir()).resolve()
    print(f"Building prepared tables into {target}")
    print(f"Sources: {mirror or 'download from pinned URLs (cache .cache/sources)'}")
    try:
        if args.command == "add-year":
            from observatory_data.build.add_year import add_year

            added = add_year(args.path, replace=args.replace, target=target, mirror=mirror)
            print(f"Added {args.path.name}:\n{json.dumps(added, indent=1)}")
            return 0
        summary = build(target, mirror)
    except BuildError as exc:
        print(f"\n{args.command} failed; the previous tables are unchanged.\n{exc}", file=sys.stderr)
        return 1
    print_summary(summary)
    return 0


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
