"""The build: public sources in, prepared tables out, with a report of what is missing or doubtful."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import polars as pl

from observatory_data.build import report as build_report
from observatory_data.build.activity import read_workbook, workbook_source, year_of_workbook
from observatory_data.build.annual import build_annual, combine_annual
from observatory_data.build.audit import AUDIT_SOURCE, compare_with_audit, read_audit
from observatory_data.build.boundaries import build_boundaries
from observatory_data.build.branches import build_branches
from observatory_data.build.codes import read_code_changes
from observatory_data.build.csvfile import read_text_csv
from observatory_data.build.deprivation import read_deprivation
from observatory_data.build.local_series import read_local_series
from observatory_data.build.local_sources import local_dir, read_local_manifest
from observatory_data.build.metrics import build_metrics
from observatory_data.build.monthly import build_monthly
from observatory_data.build.national import national_estimates
from observatory_data.build.network_table import build_network
from observatory_data.build.peers import read_peers
from observatory_data.build.places import read_places, service_place_flags
from observatory_data.build.plausibility import Checked, apply_plausibility
from observatory_data.build.population import read_population
from observatory_data.build.rates import apply_rate_rules
from observatory_data.build.register import read_register
from observatory_data.build.release import annual_from_release
from observatory_data.build.release_audit import apply_audit, audit_marks
from observatory_data.build.services import build_services
from observatory_data.build.sources import read_manifest, resolve_sources
from observatory_data.serving.catalogue import years_with_data
from observatory_data.serving.schema import check_schema, polars_schema, validate
from observatory_data.serving.store import staged_output

T = TypeVar("T")

ACE_WORKBOOK = "ace/Libraries Activity Data 2023-24 FINAL.xlsx"


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
        self.echo(f"[{self.done}/{self.total}] {label:<42} {seconds:6.1f} s")
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
    progress = Progress(total=11, echo=echo)
    manifest = read_manifest()
    paths = progress.step("verify sources (sha256)", lambda: resolve_sources(manifest, mirror=mirror))
    register = read_register()
    changes = read_code_changes(paths["ons/changes.csv"])
    lookup = _district_lookup(paths["ons/lower_upper_lookup.csv"])

    population = progress.step(
        "population (ONS mid-2024)", lambda: read_population(paths["ons/mye24tablesew.csv"], register)
    )
    deprivation = progress.step(
        "deprivation (IMD 2019 on 2023 codes, WIMD)",
        lambda: read_deprivation(
            paths["mhclg/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"],
            paths["mhclg/File_6_-_IoD2019_Population_Denominators.csv.gz"],
            paths["welsh-government/lsoa_wimd.csv"],
            paths["ons/lsoa11_to_lsoa21_to_lad.csv"],
            paths["ons/lower_upper_lookup.csv"],
            changes,
            register,
        ),
    )
    peers = progress.step(
        "peers (ONS nearest neighbours)",
        lambda: read_peers(paths["ons/localauthoritynearestneighboursengland.xlsx"], register, changes),
    )
    boundaries = progress.step(
        "boundaries (decode, coverage-simplify)",
        lambda: build_boundaries(
            paths["ons/topo.json"],
            paths["natural-earth/countries-10m.json"],
            register,
            changes,
            paths["ons/lower_upper_lookup.csv"],
        ),
    )
    branches = progress.step(
        "branches (service points, postcode match)",
        lambda: build_branches(
            paths["librarieshacked/libraries.csv"],
            paths["librarieshacked/england-2016/libraries.csv"],
            paths["ace/libraries_england_2023.csv"],
            paths["librarieshacked/uk_local_authorities.csv"],
            register,
        ),
    )
    added = read_local_manifest(local_dir())
    # Newest first: a file added with add-year takes precedence over the main sources for its years.
    network = progress.step(
        "network (libraries open, statutory, models, hours)",
        lambda: build_network(
            branches.table,
            paths["ace/libraries_england_2023.csv"],
            paths["librarieshacked/england-2016/libraries.csv"],
            paths["librarieshacked/england-2016/authorities.csv"],
            register,
        ),
    )
    workbook_paths = [item.path for item in reversed(added) if item.kind == "workbook"] + [paths[ACE_WORKBOOK]]
    workbooks = progress.step(
        "activity (ACE workbooks, monthly) and line rules", lambda: _workbooks(workbook_paths, register)
    )
    main_year = year_of_workbook(paths[ACE_WORKBOOK])
    local = progress.step("local long-run series", lambda: read_local_series(paths, register))
    release = read_audit(paths[AUDIT_SOURCE], register, changes)
    releases = [read_audit(item.path, register, changes) for item in reversed(added) if item.kind == "annual_csv"]
    workbook_years = {book.year for book in workbooks}
    composed = progress.step(
        "annual table",
        lambda: combine_annual(
            [build_annual(book.checked.activity, book.checked.point_in_time, register, book.year) for book in workbooks]
            + [
                annual_from_release(frame, register, sorted(set(frame["year"].to_list()) - workbook_years))
                for frame in [*releases, release]
            ]
            + [local.annual]
        ),
    )
    audited, audit_outcomes = apply_audit(composed, audit_marks([*releases, release]), workbook_years)
    annual, rate_outcomes = progress.step("rules on rates", lambda: apply_rate_rules(audited, population))
    outcomes = pl.concat(
        [*(book.checked.outcomes for book in workbooks), audit_outcomes, rate_outcomes], how="diagonal"
    ).select(
        list(polars_schema("flags"))
    )
    metrics = build_metrics(paths[ACE_WORKBOOK], workbook_source(main_year))
    places = read_places()
    services = build_services(
        register,
        population,
        pl.from_pandas(boundaries[["service_code", "area_km2"]]),
        deprivation,
        service_place_flags(places, lookup, register),
    )
    ace_activity = pl.concat([book.checked.activity for book in workbooks])
    activity = pl.concat([ace_activity, local.activity], how="diagonal_relaxed")
    tables = {
        "services": services,
        "branches": branches.table,
        "activity": activity,
        "annual": annual,
        "monthly": build_monthly(ace_activity, annual),
        "metrics": metrics,
        "peers": peers,
    }
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    # What the build found, as tables the app reads like any other (it never opens the report).
    tables |= {
        "places": places,
        "flags": outcomes.cast(polars_schema("flags")),
        "quarterly_totals": build_report.quarterly_totals(activity),
        "sources": pl.DataFrame(
            [{"path": s.path, "publisher": s.publisher, "licence": s.licence, "url": s.url} for s in manifest],
            schema=polars_schema("sources"),
        ),
        "build_info": pl.DataFrame({"build_id": [uuid.uuid4().hex], "built_at": [built_at]}),
        "national": national_estimates(annual, services, years_with_data(annual)),
        "network": network.table,
    }
    audit_comparison = compare_with_audit(annual, release, main_year, activity=activity)
    summary = build_report.summarise(
        tables=tables,
        outcomes=outcomes,
        network=network,
        audit_comparison=audit_comparison,
        branches=branches,
        sources=manifest,
        built_at=built_at,
    )

    def write_all() -> None:
        with staged_output(target) as staging:
            for name, frame in tables.items():
                _write_parquet(frame, staging, name)
            _write_geoparquet(boundaries.drop(columns=["area_km2"]), staging, "boundaries")
            build_report.write(summary, staging)

    progress.step("write tables (atomic swap)", write_all)
    summary["timings_s"] = progress.timings
    summary["build_seconds"] = round(time.perf_counter() - started, 1)
    return summary


@dataclass(frozen=True)
class _Workbook:
    path: Path
    year: int
    checked: Checked


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
