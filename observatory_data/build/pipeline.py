"""The build: public sources in, prepared tables out, with a report of what is missing or doubtful."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import polars as pl

from observatory_data.build import report as build_report
from observatory_data.build.activity import read_workbook, workbook_source, year_of_workbook
from observatory_data.build.annual import build_annual, combine_annual
from observatory_data.build.audit_comparison import compare_with_audit
from observatory_data.build.audit_file import AUDIT_SOURCE, read_audit
from observatory_data.build.boundaries import build_boundaries
from observatory_data.build.branches import BranchesResult, build_branches
from observatory_data.build.codes import CodeChanges, read_code_changes
from observatory_data.build.csvfile import read_text_csv
from observatory_data.build.deprivation import read_deprivation
from observatory_data.build.local_series import LocalSeries, read_local_series
from observatory_data.build.local_sources import AddedFile, local_dir, read_local_manifest
from observatory_data.build.metrics import build_metrics
from observatory_data.build.monthly import build_monthly
from observatory_data.build.national import national_estimates
from observatory_data.build.network_table import NetworkResult, build_network
from observatory_data.build.peers import read_peers
from observatory_data.build.places import read_places, service_place_flags
from observatory_data.build.plausibility import Checked, apply_plausibility
from observatory_data.build.population import read_population
from observatory_data.build.rates import apply_rate_rules
from observatory_data.build.register import read_register
from observatory_data.build.release import annual_from_release
from observatory_data.build.release_audit import apply_audit, audit_marks
from observatory_data.build.services import build_services
from observatory_data.build.sources import Source, read_manifest, resolve_sources
from observatory_data.serving.catalogue import years_with_data
from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import TABLES, check_schema, polars_schema, validate
from observatory_data.serving.store import staged_output

T = TypeVar("T")

ACE_WORKBOOK = "ace/Libraries Activity Data 2023-24 FINAL.xlsx"
# The tables the schema documents: all written as Parquet, except the boundaries (GeoParquet).
GEO_TABLE = "boundaries"
PARQUET_TABLES = tuple(name for name in TABLES if name != GEO_TABLE)


@dataclass
class Progress:
    """Prints one line per step with its timing, so a slow step is visible."""

    total: int
    echo: Callable[[str], None] = print
    done: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def step(self, label: str, work: Callable[[], T]) -> T:
        self.done += 1
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        self.timings[label] = round(seconds, 2)
        self.echo(f"[{self.done}/{self.total}] {label:<50} {seconds:6.1f} s")
        return result


def _write_parquet(frame: pl.DataFrame, folder: Path, name: str) -> None:
    validate(name, frame)
    frame.write_parquet(folder / f"{name}.parquet", compression="zstd", statistics=True)


def _write_geoparquet(frame: gpd.GeoDataFrame, folder: Path, name: str) -> None:
    check_schema(name, list(frame.columns))
    frame.to_parquet(folder / f"{name}.parquet", compression="zstd")


def build(target: Path, mirror: Path | None, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Build every prepared table into `target`, replacing the old set only if all steps succeed."""
    started = time.perf_counter()
    run = _Build(target, mirror)
    progress = Progress(total=len(STEPS), echo=echo)
    for label, step in STEPS:
        progress.step(label, partial(step, run))
    summary = run.summary
    summary["timings_s"] = progress.timings
    summary["build_seconds"] = round(time.perf_counter() - started, 1)
    return summary


@dataclass(frozen=True)
class _Workbook:
    path: Path
    year: int
    checked: Checked


class _Build:
    """One build. Each step (STEPS, in order) is a method that reads what the earlier steps made."""

    manifest: list[Source]
    paths: dict[str, Path]
    added: list[AddedFile]
    register: pl.DataFrame
    changes: CodeChanges
    lookup: pl.DataFrame
    population: pl.DataFrame
    deprivation: pl.DataFrame
    peers: pl.DataFrame
    boundaries: gpd.GeoDataFrame
    branches: BranchesResult
    network: NetworkResult
    workbooks: list[_Workbook]
    main_year: int
    local: LocalSeries
    release: pl.DataFrame
    releases: list[pl.DataFrame]
    composed: pl.DataFrame
    annual: pl.DataFrame
    outcomes: pl.DataFrame
    places: pl.DataFrame
    services: pl.DataFrame
    national: pl.DataFrame
    tables: dict[str, pl.DataFrame]
    summary: dict[str, Any]

    def __init__(self, target: Path, mirror: Path | None) -> None:
        self.target = target
        self.mirror = mirror

    def sources(self) -> None:
        self.manifest = read_manifest()
        self.paths = resolve_sources(self.manifest, mirror=self.mirror)
        self.added = read_local_manifest(local_dir())
        self.register = read_register()
        self.changes = read_code_changes(self.paths["ons/changes.csv"])
        self.lookup = _district_lookup(self.paths["ons/lower_upper_lookup.csv"])

    def read_population(self) -> None:
        self.population = read_population(self.paths["ons/mye24tablesew.csv"], self.register)

    def read_deprivation(self) -> None:
        paths = self.paths
        self.deprivation = read_deprivation(
            paths["mhclg/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"],
            paths["mhclg/File_6_-_IoD2019_Population_Denominators.csv.gz"],
            paths["welsh-government/lsoa_wimd.csv"],
            paths["ons/lsoa11_to_lsoa21_to_lad.csv"],
            paths["ons/lower_upper_lookup.csv"],
            self.changes,
            self.register,
        )

    def read_peers(self) -> None:
        self.peers = read_peers(
            self.paths["ons/localauthoritynearestneighboursengland.xlsx"], self.register, self.changes
        )

    def build_boundaries(self) -> None:
        self.boundaries = build_boundaries(
            self.paths["ons/topo.json"],
            self.paths["natural-earth/countries-10m.json"],
            self.register,
            self.changes,
            self.paths["ons/lower_upper_lookup.csv"],
        )

    def build_branches(self) -> None:
        self.branches = build_branches(
            self.paths["librarieshacked/libraries.csv"],
            self.paths["librarieshacked/england-2016/libraries.csv"],
            self.paths["ace/libraries_england_2023.csv"],
            self.paths["librarieshacked/uk_local_authorities.csv"],
            self.register,
        )

    def build_network(self) -> None:
        self.network = build_network(
            self.branches.table,
            self.paths["ace/libraries_england_2023.csv"],
            self.paths["librarieshacked/england-2016/libraries.csv"],
            self.paths["librarieshacked/england-2016/authorities.csv"],
            self.register,
        )

    def read_workbooks(self) -> None:
        # Newest first: a file added with add-year takes precedence over the main sources for its years.
        added = [item.path for item in reversed(self.added) if item.kind == "workbook"]
        self.workbooks = _workbooks([*added, self.paths[ACE_WORKBOOK]], self.register)
        self.main_year = year_of_workbook(self.paths[ACE_WORKBOOK])

    def read_local_series(self) -> None:
        self.local = read_local_series(self.paths, self.register)

    def compose_annual(self) -> None:
        self.release = read_audit(self.paths[AUDIT_SOURCE], self.register, self.changes)
        self.releases = [
            read_audit(item.path, self.register, self.changes)
            for item in reversed(self.added)
            if item.kind == "annual_csv"
        ]
        workbook_years = {book.year for book in self.workbooks}
        self.composed = combine_annual(
            [
                build_annual(book.checked.activity, book.checked.point_in_time, self.register, book.year)
                for book in self.workbooks
            ]
            + [
                annual_from_release(frame, self.register, sorted(set(frame["year"].to_list()) - workbook_years))
                for frame in [*self.releases, self.release]
            ]
            + [self.local.annual]
        )

    def apply_whole_year_rules(self) -> None:
        workbook_years = {book.year for book in self.workbooks}
        audited, audit_outcomes = apply_audit(
            self.composed, audit_marks([*self.releases, self.release]), workbook_years
        )
        self.annual, rate_outcomes = apply_rate_rules(audited, self.population)
        self.outcomes = pl.concat(
            [*(book.checked.outcomes for book in self.workbooks), audit_outcomes, rate_outcomes], how="diagonal"
        ).select(list(polars_schema("flags")))

    def build_services(self) -> None:
        self.places = read_places()
        self.services = build_services(
            self.register,
            self.population,
            pl.from_pandas(self.boundaries[["service_code", "area_km2"]]),
            self.deprivation,
            service_place_flags(self.places, self.lookup, self.register),
        )

    def estimate_national(self) -> None:
        self.national = national_estimates(self.annual, self.services, years_with_data(self.annual))

    def compose_tables(self) -> None:
        metrics = build_metrics(self.paths[ACE_WORKBOOK], workbook_source(self.main_year))
        services = self.services
        ace_activity = pl.concat([book.checked.activity for book in self.workbooks])
        activity = pl.concat([ace_activity, self.local.activity], how="diagonal_relaxed")
        annual = self.annual
        tables = {
            "services": services,
            "branches": self.branches.table,
            "activity": activity,
            "annual": annual,
            "monthly": build_monthly(ace_activity, annual),
            "metrics": metrics,
            "peers": self.peers,
        }
        built_at = datetime.now(UTC).isoformat(timespec="seconds")
        # What the build found, as tables the app reads like any other (it never opens the report).
        tables |= {
            "places": self.places,
            "flags": self.outcomes.cast(polars_schema("flags")),
            "quarterly_totals": build_report.quarterly_totals(activity),
            "sources": pl.DataFrame(
                [{"path": s.path, "publisher": s.publisher, "licence": s.licence, "url": s.url} for s in self.manifest],
                schema=polars_schema("sources"),
            ),
            "build_info": pl.DataFrame({"build_id": [uuid.uuid4().hex], "built_at": [built_at]}),
            "national": self.national,
            "network": self.network.table,
        }
        if set(tables) != set(PARQUET_TABLES):
            raise BuildError(
                f"the build makes the tables {sorted(tables)}, but the schema documents {sorted(PARQUET_TABLES)} "
                "(observatory_data/serving/schema.py)"
            )
        self.tables = tables
        audit_comparison = compare_with_audit(
            annual, self.release, self.main_year, flags=tables["flags"], activity=activity
        )
        self.summary = build_report.summarise(
            tables=tables,
            outcomes=self.outcomes,
            network=self.network,
            audit_comparison=audit_comparison,
            branches=self.branches,
            sources=self.manifest,
            built_at=built_at,
        )

    def write(self) -> None:
        with staged_output(self.target) as staging:
            for name in PARQUET_TABLES:
                _write_parquet(self.tables[name], staging, name)
            _write_geoparquet(self.boundaries.drop(columns=["area_km2"]), staging, GEO_TABLE)
            build_report.write(self.summary, staging)


# The build's steps in order, with the label each prints.
STEPS: tuple[tuple[str, Callable[[_Build], None]], ...] = (
    ("verify sources (sha256)", _Build.sources),
    ("population (ONS mid-2024)", _Build.read_population),
    ("deprivation (IMD 2019 on 2023 codes, WIMD)", _Build.read_deprivation),
    ("peers (ONS nearest neighbours)", _Build.read_peers),
    ("boundaries (decode, coverage-simplify)", _Build.build_boundaries),
    ("branches (service points, postcode match)", _Build.build_branches),
    ("network (libraries open, statutory, models, hours)", _Build.build_network),
    ("activity (ACE workbooks, monthly) and line rules", _Build.read_workbooks),
    ("local long-run series", _Build.read_local_series),
    ("annual table", _Build.compose_annual),
    ("audit marks and rules on rates", _Build.apply_whole_year_rules),
    ("services (population, area, deprivation, places)", _Build.build_services),
    ("national estimates (bootstrap intervals)", _Build.estimate_national),
    ("tables, audit comparison and report", _Build.compose_tables),
    ("write tables (atomic swap)", _Build.write),
)


def _workbooks(paths_in_priority: list[Path], register: pl.DataFrame) -> list[_Workbook]:
    """Each workbook read and checked; of two for the same year, the first (the most recently added) is kept."""
    kept: dict[int, _Workbook] = {}
    for path in paths_in_priority:
        year = year_of_workbook(path)
        if year not in kept:
            book = read_workbook(path, register)
            kept[year] = _Workbook(path, year, apply_plausibility(book.activity, book.point_in_time))
    return list(kept.values())


def _district_lookup(path: Path) -> pl.DataFrame:
    return (
        read_text_csv(path).select(ltla23="LTLA23CD", utla23="UTLA23CD").filter(pl.col("ltla23").str.starts_with("E"))
    )
