"""The briefing map PNG's checks, for its unit tests (a synthetic country) and data tests (the built tables)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from components.classes import Classes


def check_png(png: bytes, classes: Classes) -> None:
    """Wide enough, not blank, and every colour of the classes' legend on it."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 2000
    pixels = np.asarray(image).reshape(-1, 3).astype(np.int32)
    assert (pixels != 255).any(axis=1).mean() > 0.05, "the PNG is nearly blank"
    present = set(np.unique((pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]).tolist())
    assert len(present) > 50, "too few colours for a map"
    for colour, label in classes.legend(""):
        assert int(colour[1:], 16) in present, f"the colour of {label} ({colour}) is missing from the PNG"
