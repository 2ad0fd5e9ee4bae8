"""The whole build over the real sources: counts, geometry, hand-checked figures, and clean failure."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import geopandas as gpd
import polars as pl
import pytest

from observatory_data.build.cli import main
from observatory_data.build.pipeline import build
from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import TABLES
from observatory_data.serving.tables import read_boundaries, read_table

ACE = "ace/Libraries Activity Data 2023-24 FINAL.xlsx"
PRINTED: list[str] = []  # what the build below prints as it goes


@pytest.fixture(scope="module")
def prepared(sources_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("build") / "prepared"
    build(target, sources_dir, echo=PRINTED.append)
    return target


def test_the_step_counter_counts_up_to_the_number_of_steps(prepared: Path) -> None:
    counters = [line[1 : line.index("]")] for line in PRINTED if line.startswith("[")]
    assert len(counters) > 1
    assert counters == [f"{done}/{len(counters)}" for done in range(1, len(counters) + 1)]


def _table(prepared: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(prepared / f"{name}.parquet")


def test_services_per_nation_and_unique_codes(prepared: Path) -> None:
    services = _table(prepared, "services")
    assert services.height == 179
    assert services["service_code"].n_unique() == 179
    counts = dict(services.group_by("nation").len().iter_rows())
    assert counts == {"England": 153, "Wales": 22, "Northern Ireland": 1, "Crown Dependency": 3}


def test_population_of_three_services(prepared: Path) -> None:
    # Read by hand from ons/mye24tablesew.csv, column "All ages".
    services = _table(prepared, "services")
    population = dict(services.select("service_name", "population").iter_rows())
    assert population["Rutland"] == 41_443
    assert population["Hartlepool"] == 98_180
    assert population["Cardiff"] == 383_919
    assert population["Libraries NI"] is None  # not in the England and Wales file: null, never zero


def test_every_service_has_one_valid_geometry_and_the_file_is_small(prepared: Path) -> None:
    path = prepared / "boundaries.parquet"
    boundaries = gpd.read_parquet(path)
    assert len(boundaries) == 179 and boundaries["service_code"].is_unique
    assert boundaries.geometry.is_valid.all() and not boundaries.geometry.is_empty.any()
    assert boundaries.crs.to_epsg() == 4326
    assert path.stat().st_size < 1_500_000


def _annual(prepared: Path, code: str, metric: str) -> dict:
    annual = _table(prepared, "annual")
    return annual.filter(
        (pl.col("service_code") == code) & (pl.col("metric") == metric) & (pl.col("year") == 2023)
    ).row(0, named=True)


def test_annual_figures_read_by_hand_from_the_workbook(prepared: Path) -> None:
    # Barnsley (row 3): active users C3 = 13,835. Visits: 12 library-only months (columns PZ:QK) sum to 358,826
    # and 12 co-located months (QL:QW) to 218,337: 577,163 to library buildings; with 1,171 home deliveries (no
    # mobile library), visits are 578,334. Loans: physical books, audiobooks, eBooks, eAudio monthly columns
    # summed: 379,787.
    assert _annual(prepared, "E08000016", "active_users")["value"] == 13_835
    assert _annual(prepared, "E08000016", "building_visits")["value"] == 577_163
    assert _annual(prepared, "E08000016", "visits")["value"] == 578_334
    assert _annual(prepared, "E08000016", "loans")["value"] == 379_787
    # Bath and North East Somerset (row 4), quarterly returns: active users 23,250; visits to library buildings
    # 391,362, with 5,541 mobile library interactions 396,903.
    assert _annual(prepared, "E06000022", "active_users")["value"] == 23_250
    assert _annual(prepared, "E06000022", "building_visits")["value"] == 391_362
    assert _annual(prepared, "E06000022", "visits")["value"] == 396_903
    # Its eBooks and eAudio are not collected (column LG = "No"): loans is partial, not a full total.
    loans = _annual(prepared, "E06000022", "loans")
    assert loans["value"] == 497_435 and loans["status"] == "partial"
    # Bracknell Forest: 259,229 active users against ~130,806 residents is flagged, and kept as returned.
    bracknell = _annual(prepared, "E06000036", "active_users")
    assert bracknell["value"] == 259_229 and bracknell["status"] == "flagged"


def test_services_without_a_return_are_null_not_zero(prepared: Path) -> None:
    annual = _table(prepared, "annual").filter(pl.col("year") == 2023)
    not_returned = annual.filter(pl.col("status").is_in(["no_return", "not_collected"]))
    assert not_returned["value"].null_count() == not_returned.height
    wales = annual.filter(pl.col("service_code").str.starts_with("W"))
    assert set(wales["status"]) == {"not_collected"}


def test_corrupted_source_stops_the_build_and_leaves_tables_byte_identical(
    prepared: Path, sources_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = tmp_path / "mirror"
    shutil.copytree(sources_dir, mirror)
    (mirror / ACE).chmod(0o644)
    with (mirror / ACE).open("ab") as handle:
        handle.write(b"one stray byte")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(prepared.iterdir())}

    with pytest.raises(BuildError, match="checksum mismatch for source ace/Libraries Activity Data"):
        build(prepared, mirror, echo=lambda _: None)
    assert main(["build", "--sources", str(mirror), "--output", str(prepared)]) == 1
    assert "checksum mismatch" in capsys.readouterr().err

    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(prepared.iterdir())}
    assert after == before
    assert sorted(p.name for p in prepared.parent.iterdir()) == ["prepared"]


def test_every_table_matches_its_schema_when_the_app_loads_it(prepared: Path) -> None:
    for name in TABLES:
        if name == "boundaries":
            assert len(read_boundaries(prepared)) == 179
        else:
            assert read_table(name, folder=prepared).height > 0
