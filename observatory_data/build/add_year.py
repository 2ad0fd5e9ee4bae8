"""`add-year`: take a new year's file, check it completely, keep it beside the sources and rebuild atomically.

Two kinds of file are accepted: an ACE workbook in the 2023/24 layout (sheets 'Introduction', 'Field
definitions and notes' and 'Activity Data YYYY', the same headers for the new months) or an annual CSV in
the layout of Libraries Hacked's `services.csv`. The file is read with the build's own readers before
anything is written, so any fault is refused with the file (and sheet, row and column) named and the
prepared tables untouched; the copy and the local manifest are written by temp-file-and-rename and rolled
back if the rebuild fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from observatory_data.build.activity import open_workbook, read_workbook, year_of_workbook
from observatory_data.build.audit_file import AUDIT_SOURCE, read_audit
from observatory_data.build.local_sources import AddedFile, local_dir, read_local_manifest, write_local_manifest
from observatory_data.build.metrics import DEFINITIONS_SHEET
from observatory_data.build.pipeline import ACE_WORKBOOK, build
from observatory_data.build.register import read_register
from observatory_data.build.sources import read_manifest, resolve_sources, sha256_of
from observatory_data.serving.catalogue import COUNTABLE, HEADLINE_METRICS, Status
from observatory_data.serving.errors import BuildError
from observatory_data.serving.periods import financial_year, year_of_expr

WORKBOOK_SHEETS = ("Introduction", DEFINITIONS_SHEET)
KIND_BY_SUFFIX = {".xlsx": "workbook", ".csv": "annual_csv"}


@dataclass(frozen=True)
class Checked:
    """What a new file holds, read completely by the build's readers."""

    kind: str
    years: tuple[int, ...]


def check_file(path: Path) -> Checked:
    """Read the whole file with the build's readers; any fault is a BuildError naming the file and place."""
    if not path.is_file():
        raise BuildError(f"{path}: no such file")
    kind = KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise BuildError(f"{path.name}: expected an ACE workbook (.xlsx) or an annual CSV (.csv)")
    register = read_register()
    if kind == "annual_csv":
        years = read_audit(path, register)["year"].unique().sort().to_list()
        return Checked(kind, tuple(years))
    book = open_workbook(path)
    try:
        missing = [name for name in WORKBOOK_SHEETS if name not in book.sheetnames]
        if missing:
            raise BuildError(f"{path.name}: missing sheet(s) {missing} (sheets: {book.sheetnames})")
    finally:
        book.close()
    return Checked(kind, (read_workbook(path, register).year,))


def years_present(mirror: Path | None, added: list[AddedFile]) -> tuple[set[int], set[int]]:
    """(years from monthly workbooks, years from annual files) that the build holds now."""
    pinned = [source for source in read_manifest() if source.path in (ACE_WORKBOOK, AUDIT_SOURCE)]
    paths = resolve_sources(pinned, mirror=mirror)
    workbook_years = {year_of_workbook(paths[ACE_WORKBOOK])}
    annual_years = set(read_audit(paths[AUDIT_SOURCE], read_register())["year"].to_list())
    for item in added:
        (workbook_years if item.kind == "workbook" else annual_years).update(item.years)
    return workbook_years, annual_years


def add_year(
    path: Path, *, replace: bool, target: Path, mirror: Path | None, echo: Callable[[str], None] = print
) -> dict:
    """Check, keep and build; returns what the new year(s) added, from the rebuilt tables."""
    checked = check_file(path)
    folder = local_dir()
    added = read_local_manifest(folder)
    workbook_years, annual_years = years_present(mirror, added)
    if checked.kind == "annual_csv" and workbook_years & set(checked.years):
        held = ", ".join(financial_year(year) for year in sorted(workbook_years & set(checked.years)))
        raise BuildError(f"{path.name}: {held} comes from a monthly ACE workbook; add a workbook to replace it")
    present = (workbook_years | annual_years) & set(checked.years)
    if present and not replace:
        held = ", ".join(financial_year(year) for year in sorted(present))
        raise BuildError(f"{path.name}: {held} is already present; add it with --replace to replace it")
    digest = sha256_of(path)
    kept = folder / f"{digest[:12]}-{path.name}"
    new = AddedFile(kept, digest, checked.kind, checked.years, datetime.now(UTC).isoformat(timespec="seconds"))
    replaced = [item for item in added if item.kind == checked.kind and set(item.years) <= set(checked.years)]
    remaining = [item for item in added if item not in replaced and item.path != kept]
    _copy(path, kept)
    try:
        write_local_manifest(folder, [*remaining, new])
        build(target, mirror, echo=echo)
    except BaseException:
        write_local_manifest(folder, added)
        if all(item.path != kept for item in added):
            kept.unlink(missing_ok=True)
        raise
    for item in replaced:
        if item.path != kept:
            item.path.unlink(missing_ok=True)
    return added_summary(target, checked.years)


def _copy(source: Path, kept: Path) -> None:
    kept.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=kept.parent, suffix=".part")
    os.close(handle)
    shutil.copyfile(source, temporary)
    os.replace(temporary, kept)


def added_summary(target: Path, years: tuple[int, ...]) -> dict:
    """Per added year: services with a figure, coverage per headline metric, values flagged or corrected."""
    annual = pl.read_parquet(target / "annual.parquet").filter(pl.col("year").is_in(years))
    outcomes = pl.read_parquet(target / "flags.parquet")
    english = annual.filter(pl.col("status") != Status.NOT_COLLECTED)
    result = {}
    for year in years:
        rows = english.filter(pl.col("year") == year)
        in_year = outcomes.filter((pl.col("year") == year) | (year_of_expr(pl.col("period")) == year))
        result[financial_year(year)] = {
            "services": rows.filter(pl.col("status").is_in(COUNTABLE))["service_code"].n_unique(),
            "metrics": sorted(rows.filter(pl.col("value_as_returned").is_not_null())["metric"].unique().to_list()),
            "coverage": {
                metric: f"{rows.filter(pl.col('metric') == metric, pl.col('status').is_in(COUNTABLE)).height} of "
                f"{rows.filter(pl.col('metric') == metric).height}"
                for metric in HEADLINE_METRICS
                if rows.filter(pl.col("metric") == metric).height
            },
            "outcomes": dict(in_year.group_by("outcome").len().sort("outcome").iter_rows()),
        }
    return result
