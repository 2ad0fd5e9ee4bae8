"""Reading the prepared tables: the app's only door to the data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import polars as pl

from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import GEO_TABLE, TABLE_NAMES, check_types, validate
from observatory_data.serving.store import prepared_dir

BUILD_INFO = "build_info"


class PreparedTablesMissing(RuntimeError):
    """The prepared tables have not been built yet."""


class PreparedTableInvalid(RuntimeError):
    """A prepared table does not match observatory_data/serving/schema.py: stale, or written by something else."""


def table_path(name: str, folder: Path | None = None) -> Path:
    path = (folder or prepared_dir()) / f"{name}.parquet"
    if not path.exists():
        raise PreparedTablesMissing(
            f"The prepared table {path.name} is missing from {path.parent}. Run `make build` "
            "(python -m observatory_data build) to build the tables from the public sources."
        )
    return path


def read_table(name: str, folder: Path | None = None) -> pl.DataFrame:
    """One prepared table as a Polars frame, refused unless it matches the schema: a stale table would mislead."""
    path = table_path(name, folder)
    with _refused_if_invalid(path):
        frame = pl.read_parquet(path)
        validate(name, frame)
    return frame


def check_prepared(folder: Path | None = None) -> None:
    """Every prepared table present, readable and of the documented columns and types (file footers only, so
    cheap): a page can then say what is wrong and the command that fixes it, instead of failing half-drawn."""
    for name in (*TABLE_NAMES, GEO_TABLE):
        path = table_path(name, folder)
        with _refused_if_invalid(path):
            schema = pl.read_parquet_schema(path)
            if name != GEO_TABLE:
                check_types(name, schema)


def read_boundaries(folder: Path | None = None) -> gpd.GeoDataFrame:
    """The service boundaries (GeoParquet, EPSG:4326), refused unless the file's columns match the schema."""
    path = table_path(GEO_TABLE, folder)
    with _refused_if_invalid(path):
        check_types(GEO_TABLE, pl.read_parquet_schema(path))
    return gpd.read_parquet(path)


@contextmanager
def _refused_if_invalid(path: Path) -> Iterator[None]:
    """A schema mismatch becomes PreparedTableInvalid naming the file and how to replace it."""
    try:
        yield
    except (BuildError, pl.exceptions.PolarsError, OSError) as exc:
        raise PreparedTableInvalid(
            f"The prepared table {path} cannot be used: {exc}\nRun `make build` (python -m observatory_data build) "
            "to rebuild the tables from the public sources."
        ) from exc


def build_id(folder: Path | None = None) -> str:
    """Which build the prepared folder holds: changes whenever a build replaces the tables (a new file each time).

    Cheap enough to ask on every page run, so caches keyed on it serve a new build without a restart.
    """
    stat = table_path(BUILD_INFO, folder).stat()
    return f"{stat.st_ino}-{stat.st_mtime_ns}"
