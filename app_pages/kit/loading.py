"""Cached loading at the data boundary: every cache is keyed by the build, so nothing outlives the build it was
made from, and a new build is served without restarting the server."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import geopandas as gpd
import polars as pl
import streamlit as st

from observatory_data.serving import tables
from observatory_data.serving.catalogue import years_with_data

Result = TypeVar("Result")


def current_build() -> str:
    """The identity of the build being served (per_build adds it to every cache key)."""
    return tables.build_id()


# A page's script runs again on every rerun, and so does its decorator: the Streamlit cache made the first time is
# kept here and reused (making one reads the function's source, a few milliseconds each rerun).
_CACHES: dict[tuple, Callable[..., Any]] = {}


def per_build(*, resource: bool = False, **options: Any) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """A page's cache, once per build: `st.cache_data` (or `st.cache_resource` with `resource`, for objects shared
    unchanged across sessions) keyed by the current build as well as the arguments. `options` go to Streamlit
    (show_spinner defaults to False)."""
    options.setdefault("show_spinner", False)

    def decorate(func: Callable[..., Result]) -> Callable[..., Result]:
        key = (func.__module__, func.__qualname__, resource, repr(sorted(options.items())))
        if (cached := _CACHES.get(key)) is None:

            def keyed(build: str, _func: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
                return _func(*args, **kwargs)  # `_func` (this rerun's function) is left out of the cache key

            # Streamlit keys a cache by the function's module and name: the wrapped function's, not this one's.
            keyed.__module__, keyed.__name__, keyed.__qualname__ = func.__module__, func.__name__, func.__qualname__
            cached = _CACHES.setdefault(key, (st.cache_resource if resource else st.cache_data)(**options)(keyed))

        def call(*args: Any, **kwargs: Any) -> Result:
            return cached(current_build(), func, *args, **kwargs)

        return functools.wraps(func)(call)

    return decorate


@per_build(resource=True, max_entries=2 * len(tables.TABLE_NAMES))
def load(name: str) -> pl.DataFrame:
    """A prepared table of the current build, read once and shared across sessions (Polars frames are not changed
    in place)."""
    return tables.read_table(name)


@per_build(resource=True, max_entries=2)
def load_boundaries() -> gpd.GeoDataFrame:
    """The boundaries of the current build."""
    return tables.read_boundaries()


def build_info() -> dict:
    """The build's identity and its sources' vintages (one row)."""
    return load(tables.BUILD_INFO).row(0, named=True)


@per_build(max_entries=4)
def check_tables() -> bool:
    """Every table checked once per build (an exception is not cached, so a fixed build is checked again)."""
    tables.check_prepared()
    return True


def metric_label(metric: str | None) -> str:
    """A metric's label in the catalogue table, or its key if it has none."""
    return _metric_labels().get(metric, str(metric))


@per_build(resource=True, max_entries=2)
def _metric_labels() -> dict[str, str]:
    """Each metric listed once in the catalogue -> its label."""
    metrics = load("metrics").filter(pl.col("metric").is_unique())
    return dict(metrics.select("metric", "label").iter_rows())


def ace_years(annual: pl.DataFrame, metric: str | None = None) -> list[int]:
    """catalogue.years_with_data, worked out once per build for the build's annual table (any other frame: each
    time)."""
    return list(_ace_years(metric)) if annual is load("annual") else years_with_data(annual, metric)


@per_build(resource=True, max_entries=256)
def _ace_years(metric: str | None) -> tuple[int, ...]:
    return tuple(years_with_data(load("annual"), metric))
