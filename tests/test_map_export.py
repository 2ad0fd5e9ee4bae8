"""The briefing PNG: wide enough, not blank, and every class colour (and the no-return grey) is on it."""

from __future__ import annotations

import io

import numpy as np
import polars as pl
import pytest
from PIL import Image

from components.classes import NO_DATA, classify
from components.static_map import map_png


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_png_export_is_wide_not_blank_and_shows_every_class() -> None:
    from observatory_data.queries import service_rates
    from observatory_data.tables import PreparedTablesMissing, read_boundaries, read_table

    try:
        services, annual, metrics, boundaries = (
            read_table("services"),
            read_table("annual"),
            read_table("metrics"),
            read_boundaries(),
        )
    except PreparedTablesMissing as exc:
        pytest.skip(str(exc))
    classes = classify(service_rates(annual, services, metrics, "loans", 2023), "higher_is_better")
    png = map_png(
        boundaries,
        classes,
        title="Loans per 1,000 residents",
        subtitle="2023/24",
        unit="per 1,000",
        note="England: 92 of 153 services reported.",
    )
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 2000
    pixels = np.asarray(image).reshape(-1, 3)
    assert (pixels != 255).any(axis=1).mean() > 0.1  # far from blank
    present = {tuple(colour) for colour in np.unique(pixels, axis=0)}
    for colour in (*classes.colours, NO_DATA):
        assert _hex_to_rgb(colour) in present, f"class colour {colour} is missing from the PNG"
    assert classes.frame.filter(pl.col("class_index").is_not_null()).height == 92
