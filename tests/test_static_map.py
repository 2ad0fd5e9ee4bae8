"""The briefing PNG: wide enough, not blank, and every class colour and the no-return grey are on it."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import polars as pl
import pytest
from PIL import Image
from shapely.geometry import box

from components.classes import NO_DATA, Classes, classify
from components.static_map import map_png


def _check_png(png: bytes, classes: Classes) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 2000
    pixels = np.asarray(image).reshape(-1, 3).astype(np.int32)
    assert (pixels != 255).any(axis=1).mean() > 0.05, "the PNG is nearly blank"
    present = set(np.unique((pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]).tolist())
    assert len(present) > 50, "too few colours for a map"
    for colour in (*classes.colours, NO_DATA):
        assert int(colour[1:], 16) in present, f"class colour {colour} is missing from the PNG"


def test_png_of_a_synthetic_country_has_every_class_and_the_no_return_key() -> None:
    """Five classes across English squares, London boroughs, and grey islands, drawn without a browser."""
    codes = [f"E0600000{i}" for i in range(1, 6)] + ["E09000001", "E09000002", "JEY", "GGY", "IMN"]
    shapes = [box(-2 + i, 52, -1.2 + i, 53) for i in range(5)]
    shapes += [box(-0.2, 51.4, -0.1, 51.5), box(-0.1, 51.4, 0.0, 51.5)]
    shapes += [box(-2.2, 49.15, -2.0, 49.25), box(-2.65, 49.4, -2.5, 49.5), box(-4.8, 54.05, -4.3, 54.4)]
    boundaries = gpd.GeoDataFrame({"service_code": codes}, geometry=shapes, crs="EPSG:4326")
    rates = pl.DataFrame(
        {
            "service_code": codes,
            "service_name": codes,
            "nation": ["England"] * 7 + ["Crown Dependency"] * 3,
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, None, None, None],
            "status": ["reported"] * 7 + ["not_collected"] * 3,
            "rate": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, None, None, None],
        }
    )
    classes = classify(rates, "higher_is_better")
    assert len(classes.colours) == 5
    _check_png(map_png(boundaries, classes, title="Fixture", subtitle="s", unit="per 1,000", note="n"), classes)


def test_png_of_the_built_tables() -> None:
    from observatory_data.queries import service_rates
    from observatory_data.tables import PreparedTablesMissing, read_boundaries, read_table

    try:
        services, annual, metrics = (read_table(name) for name in ("services", "annual", "metrics"))
        boundaries = read_boundaries()
    except PreparedTablesMissing as exc:
        pytest.skip(str(exc))
    classes = classify(service_rates(annual, services, metrics, "loans", 2023), "higher_is_better")
    png = map_png(
        boundaries,
        classes,
        title="Loans (all formats) per 1,000 residents, library services of the UK, 2023/24",
        subtitle="Loans per 1,000 residents (ONS mid-2024)",
        unit="per 1,000 residents",
        note="England: 92 of 153 services reported.",
    )
    _check_png(png, classes)
