"""Command line: `observatory build` (or `python -m observatory_data build`) builds the prepared tables from
the public sources; `observatory add-year PATH [--replace]` adds a new year's ACE workbook or annual CSV and
rebuilds; `observatory export --out DIR` writes the served tables as an open data package (CSV + datapackage.json)."""

from __future__ import annotations

import argparse
import json
import sys
import time
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
    export_parser = commands.add_parser(
        "export", help="write the prepared tables as an open data package: CSVs and a Frictionless datapackage.json"
    )
    export_parser.add_argument(
        "--out", type=Path, required=True, help="folder to write: new, empty, or the folder of an earlier export"
    )
    args = parser.parse_args(argv)
    if args.command == "export":
        return export(args.out)

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


def export(out: Path) -> int:
    """Write the package of the served tables (OBSERVATORY_PREPARED or prepared/) into `out`, and say what it wrote;
    a fault is one message and exit status 1, with `out` as it was."""
    from observatory_data.serving.open_data import ExportError, export_package
    from observatory_data.serving.tables import PreparedTableInvalid, PreparedTablesMissing

    target = out.expanduser().resolve()
    print(f"Exporting the prepared tables in {prepared_dir()} to {target}")
    started = time.perf_counter()
    try:
        written = export_package(target)
    except (ExportError, PreparedTablesMissing, PreparedTableInvalid, OSError) as exc:
        print(f"\nexport failed; {target} is as it was.\n{exc}", file=sys.stderr)
        return 1
    sizes = {path.name: path.stat().st_size for path in written}
    for name, size in sizes.items():
        print(f"  {name:<24} {size / 1e6:8.2f} MB")
    print(f"Wrote {len(sizes)} files, {sum(sizes.values()) / 1e6:.1f} MB, in {time.perf_counter() - started:.1f} s")
    return 0


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
