"""`observatory briefing CODE --out FILE.pdf` writes one briefing (a service code, an English region or 'england');
`observatory briefing --all --out DIR` writes every service's, region's and England's, and prints how long it took.

The briefings read the served prepared tables, as the pages do, so a briefing's numbers are the pages'."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from components.briefings.files import UnknownBriefing, briefing_for, every_briefing, write_atomically, write_briefings
from components.briefings.inputs import BriefingTables, briefing_tables
from components.briefings.parts import DEFAULT_BASE_URL
from components.briefings.pdf import render_pdf
from observatory_data.serving import tables
from observatory_data.serving.tables import PreparedTableInvalid, PreparedTablesMissing

BASE_URL_VARIABLE = "OBSERVATORY_PUBLIC_URL"
_WORKER_TABLES: BriefingTables | None = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="observatory briefing", description=__doc__)
    parser.add_argument("name", nargs="?", help="a service code (E10000016), an English region or 'england'")
    parser.add_argument("--all", action="store_true", help="every service, region and England into --out DIR")
    parser.add_argument("--out", type=Path, required=True, help="the PDF file (or, with --all, the folder)")
    parser.add_argument("--year", type=int, default=None, help="financial year by its start (2025 = 2025/26)")
    parser.add_argument(
        "--base-url",
        default=os.environ.get(BASE_URL_VARIABLE, DEFAULT_BASE_URL),
        help=f"the app's address, for the live link (default: ${BASE_URL_VARIABLE} or {DEFAULT_BASE_URL})",
    )
    args = parser.parse_args(argv)
    if args.all == bool(args.name):
        parser.error("give a service code, region or 'england', or --all (not both)")
    if args.out.exists() and (args.out.is_dir() != args.all):
        parser.error(f"--out {args.out} is {'a folder' if args.out.is_dir() else 'a file'}")
    try:
        read = briefing_tables(tables.read_table)
        if args.all:
            return _write_all(read, args.out, args.base_url)
        write_atomically(args.out, render_pdf(briefing_for(read, args.name, args.base_url, args.year)))
    except (UnknownBriefing, PreparedTablesMissing, PreparedTableInvalid, OSError) as exc:
        print(f"observatory briefing: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out}")
    return 0


def _write_all(read: BriefingTables, folder: Path, base_url: str) -> int:
    """Every briefing, split between two processes (one per core of a small server)."""
    started = time.perf_counter()
    names = every_briefing(read)
    halves = [names[index::2] for index in range(2)]
    # Spawned, not forked: a fork copies Polars' thread pool mid-use and can hang.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker) as pool:
        written = [path for paths in pool.map(_write_share, halves, [folder] * 2, [base_url] * 2) for path in paths]
    seconds = time.perf_counter() - started
    kinds = Counter(path.relative_to(folder).parts[0].removesuffix(".pdf") for path in written)
    print(
        f"Wrote {len(written)} briefings to {folder} in {seconds:.1f} s ({seconds / len(written):.2f} s each): "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    )
    return 0


def _start_worker() -> None:
    global _WORKER_TABLES
    _WORKER_TABLES = briefing_tables(tables.read_table)


def _write_share(names: list[tuple[str, str]], folder: Path, base_url: str) -> list[Path]:
    assert _WORKER_TABLES is not None
    return list(write_briefings(_WORKER_TABLES, folder, base_url, names))
