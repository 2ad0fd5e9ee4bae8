"""The briefing PNG: wide enough, not blank, every class colour and both missing-data greys on it, each textured."""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import polars as pl
from PIL import Image
from shapely.geometry import box

from components.classes import NO_DATA, NOT_COLLECTED, Classes, classify
from components.static_map import _draw, map_png


def _check_png(png: bytes, classes: Classes) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 2000
    pixels = np.asarray(image).reshape(-1, 3).astype(np.int32)
    assert (pixels != 255).any(axis=1).mean() > 0.05, "the PNG is nearly blank"
    present = set(np.unique((pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]).tolist())
    assert len(present) > 50, "too few colours for a map"
    for colour, label in classes.legend(""):
        assert int(colour[1:], 16) in present, f"the colour of {label} ({colour}) is missing from the PNG"


def _synthetic_country() -> tuple[gpd.GeoDataFrame, Classes]:
    """Five classes across English squares and London boroughs, an English square with no return, and the
    Crown Dependencies, where ACE collects nothing."""
    codes = [f"E0600000{i}" for i in range(1, 7)] + ["E09000001", "E09000002", "JEY", "GGY", "IMN"]
    shapes = [box(-2 + i, 52, -1.2 + i, 53) for i in range(6)]
    shapes += [box(-0.2, 51.4, -0.1, 51.5), box(-0.1, 51.4, 0.0, 51.5)]
    shapes += [box(-2.2, 49.15, -2.0, 49.25), box(-2.65, 49.4, -2.5, 49.5), box(-4.8, 54.05, -4.3, 54.4)]
    boundaries = gpd.GeoDataFrame({"service_code": codes}, geometry=shapes, crs="EPSG:4326")
    rates = pl.DataFrame(
        {
            "service_code": codes,
            "service_name": codes,
            "nation": ["England"] * 8 + ["Crown Dependency"] * 3,
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, None, 6.0, 7.0, None, None, None],
            "status": ["reported"] * 5 + ["no_return"] + ["reported"] * 2 + ["not_collected"] * 3,
            "rate": [1.0, 2.0, 3.0, 4.0, 5.0, None, 6.0, 7.0, None, None, None],
            "caveat": pl.Series([None] * 11, dtype=pl.String),
        }
    )
    return boundaries, classify(rates, "higher_is_better")


def test_png_of_a_synthetic_country_has_every_class_and_both_missing_keys() -> None:
    boundaries, classes = _synthetic_country()
    assert len(classes.colours) == 5
    assert [colour for colour, _ in classes.legend("")][-2:] == [NO_DATA, NOT_COLLECTED]
    _check_png(map_png(boundaries, classes, title="Fixture", subtitle="s", unit="per 1,000", note="n"), classes)


def test_no_return_is_hatched_and_not_collected_dotted_class_colours_plain() -> None:
    boundaries, classes = _synthetic_country()
    shapes = boundaries.merge(classes.frame.select("service_code", "colour").to_pandas(), on="service_code")
    figure, axes = plt.subplots()
    _draw(axes, shapes)
    hatches = {
        tuple(np.round(collection.get_facecolor()[0][:3] * 255).astype(int)): collection.get_hatch()
        for collection in axes.collections
    }
    plt.close(figure)
    rgb = {colour: tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5)) for colour, _ in classes.legend("")}
    assert hatches.pop(rgb[NO_DATA]) == "////"
    assert hatches.pop(rgb[NOT_COLLECTED]) == ".."
    assert set(hatches) == {rgb[colour] for colour in classes.colours}
    assert set(hatches.values()) == {None}


def test_png_of_the_built_tables() -> None:
    from observatory_data.queries import service_rates
    from observatory_data.tables import read_boundaries, read_table

    services, annual, metrics = (read_table(name) for name in ("services", "annual", "metrics"))
    boundaries = read_boundaries()
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
