"""The briefing PNG: wide enough, not blank, every class colour and both missing-data greys on it, each textured; the
layers that are on (place outlines, service points) and the selected service drawn and keyed, and nothing when off."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from components.classes import Classes, classify
from components.static_map import map_png


def _check_png(png: bytes, classes: Classes) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 2000
    pixels = np.asarray(image).reshape(-1, 3).astype(np.int32)
    assert (pixels != 255).any(axis=1).mean() > 0.05, "the PNG is nearly blank"
    present = set(np.unique((pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]).tolist())
    assert len(present) > 50, "too few colours for a map"
    for colour, label in classes.legend(""):
        assert int(colour[1:], 16) in present, f"the colour of {label} ({colour}) is missing from the PNG"


def test_png_of_the_built_tables() -> None:
    from observatory_data.serving.rates import service_rates
    from observatory_data.serving.tables import read_boundaries, read_table

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
