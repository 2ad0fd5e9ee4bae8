"""Reading the prepared tables: the app's only door to the data."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import polars as pl

from observatory_data.store import prepared_dir

TABLE_NAMES = ("services", "branches", "activity", "annual", "monthly", "metrics", "peers")


class PreparedTablesMissing(RuntimeError):
    """The prepared tables have not been built yet."""


def table_path(name: str, folder: Path | None = None) -> Path:
    path = (folder or prepared_dir()) / f"{name}.parquet"
    if not path.exists():
        raise PreparedTablesMissing(
            f"The prepared table {path.name} is missing from {path.parent}. Run `make build` "
            "(python -m observatory_data build) to build the tables from the public sources."
        )
    return path


def read_table(name: str, folder: Path | None = None) -> pl.DataFrame:
    """One prepared table as a Polars frame."""
    return pl.read_parquet(table_path(name, folder))


def read_boundaries(folder: Path | None = None) -> gpd.GeoDataFrame:
    """The service boundaries (GeoParquet, EPSG:4326)."""
    return gpd.read_parquet(table_path("boundaries", folder))


def read_build_report(folder: Path | None = None) -> dict:
    """The build's report (build date, coverage, flags), as written by the build."""
    return json.loads((table_path("services", folder).parent / "build_report.json").read_text())
