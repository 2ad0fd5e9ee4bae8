"""The profile of a service outside England: what is known is said, what is not is said too, never zero."""

from __future__ import annotations

import io

import polars as pl
import pytest
from PIL import Image

from components.profile import known_facts, locator_png
from observatory_data.serving.tables import read_boundaries, read_table


@pytest.fixture(scope="module")
def prepared() -> tuple[pl.DataFrame, pl.DataFrame]:
    return read_table("services"), read_table("branches")


def test_cardiff_profile_from_the_real_sources(prepared) -> None:
    services, branches = prepared
    cardiff = services.filter(pl.col("service_code") == "W06000015").row(0, named=True)
    facts = dict(known_facts(cardiff, branches))
    # ONS mid-2024: 383,919 residents; Libraries Hacked lists 19 points for City of Cardiff Council and gives none
    # a closing year: closures are not recorded, which is not the same as none.
    assert facts["Residents (ONS mid-2024)"] == "383,919"
    assert facts["Service points open"] == "19"
    assert facts["Service points closed (listed)"].startswith("not recorded")
    assert "0" not in facts["Service points closed (listed)"]
    assert "WIMD 2019 average rank (higher = more deprived)" in facts


def test_locator_is_a_picture_with_the_service_in_orange(prepared) -> None:
    image = Image.open(io.BytesIO(locator_png(read_boundaries(), "JEY", "Jersey"))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert (230, 159, 0) in colours  # ORANGE, the service itself
    assert image.width > 300 and image.height > 300
