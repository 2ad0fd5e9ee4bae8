"""The hex cartogram: one hexagon per service, no two in a cell, the same layout every time, London together."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from components.classes import classify
from components.hexmap import hex_figure, hex_layout

HOSTILE = "<img src=x onerror=alert(1)>"


def _synthetic_centroids() -> pl.DataFrame:
    """A 10 x 8 grid of county-sized services with a city of 20 small ones packed into one corner cell."""
    rng = np.random.default_rng(3)
    county = [(f"E1000{i:04d}", -5 + (i % 10) * 0.6, 50 + (i // 10) * 0.5) for i in range(80)]
    city = [(f"E0900{i:04d}", -0.1 + x, 51.5 + y) for i, (x, y) in enumerate(rng.normal(0, 0.05, (20, 2)))]
    return pl.DataFrame(county + city, schema=["service_code", "lon", "lat"], orient="row")


def _check_layout(centroids: pl.DataFrame, city_prefix: str, city_radius: float) -> pl.DataFrame:
    layout = hex_layout(centroids)
    assert sorted(layout["service_code"].to_list()) == sorted(centroids["service_code"].to_list())
    assert layout.select("column", "row").n_unique() == layout.height  # no two services share a cell
    assert layout.equals(hex_layout(centroids.sample(fraction=1.0, shuffle=True, seed=11)))  # order-free
    city = layout.filter(pl.col("service_code").str.starts_with(city_prefix))
    centre_x, centre_y = city["x"].mean(), city["y"].mean()
    spread = ((city["x"] - centre_x) ** 2 + (city["y"] - centre_y) ** 2).sqrt()
    assert spread.max() < city_radius, f"the city's hexagons spread {spread.max():.1f} hexagons from its centre"
    return layout


def test_synthetic_layout_keeps_the_city_together() -> None:
    # 20 hexagons fill a disc of radius about 2.5 hexagon sizes; allow a loose 4.5.
    _check_layout(_synthetic_centroids(), "E09", 4.5)


def test_real_layout_places_the_london_boroughs_together() -> None:
    from observatory_data.boundaries import service_centroids
    from observatory_data.tables import PreparedTablesMissing, read_boundaries

    try:
        centroids = service_centroids(read_boundaries())
    except PreparedTablesMissing as exc:
        pytest.skip(str(exc))
    layout = _check_layout(centroids, "E09", 6)
    assert layout.height == 179
    # ... on a map over 30 hexagons across: London is a compact block, not scattered.
    others = layout.filter(~pl.col("service_code").str.starts_with("E09"))
    assert math.dist((others["x"].min(), others["y"].min()), (others["x"].max(), others["y"].max())) > 30


def test_hex_figure_draws_every_class_and_escapes_names() -> None:
    centroids = _synthetic_centroids().head(10)
    codes = centroids["service_code"].to_list()
    rates = pl.DataFrame(
        {
            "service_code": codes,
            "service_name": [HOSTILE, *codes[1:]],
            "nation": ["England"] * 10,
            "value": [float(i) for i in range(9)] + [None],
            "status": ["reported"] * 9 + ["no_return"],
            "rate": [float(i) for i in range(9)] + [None],
        }
    )
    classes = classify(rates, "higher_is_better")
    figure = hex_figure(
        hex_layout(centroids), classes, title="t", subtitle="s", unit="per 1,000", source="src", note="n"
    )
    legend = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert legend == [label for _, label in classes.legend("per 1,000")]
    hover = figure.data[-1].customdata
    assert len(hover) == 10
    names = [row[0] for row in hover]
    assert HOSTILE not in names and "&lt;img src=x onerror=alert(1)&gt;" in names
