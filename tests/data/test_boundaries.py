"""Boundaries: the real map's size, validity and areas."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import shapely

from observatory_data.build.boundaries import build_boundaries
from observatory_data.build.codes import read_code_changes
from observatory_data.build.register import read_register
from observatory_data.serving.geography import service_centroids


@pytest.fixture(scope="module")
def real_boundaries(real_source):
    return build_boundaries(
        real_source("ons/topo.json"),
        real_source("natural-earth/countries-10m.json"),
        read_register(),
        read_code_changes(real_source("ons/changes.csv")),
    )


def test_real_one_valid_geometry_per_service(real_boundaries) -> None:
    register = read_register()
    assert real_boundaries["service_code"].to_list() == register["service_code"].to_list()
    assert real_boundaries["service_code"].is_unique
    assert real_boundaries.crs.to_epsg() == 4326
    assert shapely.is_valid(real_boundaries.geometry.values).all()
    assert not real_boundaries.geometry.is_empty.any()
    assert set(real_boundaries.geom_type) <= {"Polygon", "MultiPolygon"}
    nations = dict(zip(register["service_code"], register["nation"], strict=True))
    counts = real_boundaries["service_code"].map(nations).value_counts().to_dict()
    assert counts == {"England": 153, "Wales": 22, "Northern Ireland": 1, "Crown Dependency": 3}


def test_real_parquet_is_small(real_boundaries, tmp_path: Path) -> None:
    path = tmp_path / "boundaries.parquet"
    real_boundaries.to_parquet(path)
    assert path.stat().st_size < 1.5e6


def test_real_neighbours_still_share_a_boundary(real_boundaries) -> None:
    by_code = real_boundaries.set_index("service_code").geometry
    for first, second in [("E06000001", "E06000047"), ("E09000007", "E09000033"), ("E06000002", "E06000003")]:
        shared = by_code[first].intersection(by_code[second])  # Hartlepool/Durham, Camden/Westminster, Teesside
        assert shared.length > 0.05, (first, second)
        assert shared.area == 0
    uk = real_boundaries[~real_boundaries["service_code"].isin(["JEY", "GGY", "IMN"])]
    assert shapely.coverage_is_valid(uk.geometry.values)


def test_real_areas_match_known_figures(real_boundaries) -> None:
    # Known areas from librarieshacked/uk_local_authorities.csv (mySociety), column `area` in km2:
    # Isle of Wight E06000046 380, Rutland E06000017 382, Hartlepool E06000001 94.
    area = dict(zip(real_boundaries["service_code"], real_boundaries["area_km2"], strict=True))
    assert area["E06000046"] == pytest.approx(380, rel=0.10)
    assert area["E06000017"] == pytest.approx(382, rel=0.10)
    assert area["E06000001"] == pytest.approx(94, rel=0.10)


def test_real_centroids_fall_inside_their_service(real_boundaries) -> None:
    centroids = service_centroids(real_boundaries)
    assert centroids.height == 179
    points = shapely.points(centroids["lon"].to_numpy(), centroids["lat"].to_numpy())
    assert shapely.contains(real_boundaries.geometry.values, points).all()
    jersey = centroids.filter(pl.col("service_code") == "JEY").row(0, named=True)
    assert -2.3 < jersey["lon"] < -2.0 and 49.1 < jersey["lat"] < 49.3
