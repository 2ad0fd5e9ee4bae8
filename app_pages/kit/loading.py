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

Result = TypeVar("Result")


def current_build() -> str:
    """The identity of the build being served (per_build adds it to every cache key)."""
    return tables.build_id()


def per_build(
    *, resource: bool = False, **options: Any
) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """A page's cache, once per build: `st.cache_data` (or `st.cache_resource` with `resource`, for objects shared
    unchanged across sessions) keyed by the current build as well as the arguments. `options` go to Streamlit
    (show_spinner defaults to False)."""
    options.setdefault("show_spinner", False)

    def decorate(func: Callable[..., Result]) -> Callable[..., Result]:
        def keyed(build: str, *args: Any, **kwargs: Any) -> Result:
            return func(*args, **kwargs)

        # Streamlit keys a cache by the function's module and name: the wrapped function's, not this one's.
        keyed.__module__, keyed.__name__, keyed.__qualname__ = func.__module__, func.__name__, func.__qualname__
        cached = (st.cache_resource if resource else st.cache_data)(**options)(keyed)

        def call(*args: Any, **kwargs: Any) -> Result:
            return cached(current_build(), *args, **kwargs)

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
    labels = load("metrics").filter(pl.col("metric") == metric)["label"]
    return labels.item() if labels.len() == 1 else str(metric)
