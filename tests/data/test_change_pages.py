"""The map's change view on the built tables: the PNG and the CSV of a change name both years."""

from __future__ import annotations

import io

import polars as pl
from PIL import Image

from components.classes import classify_change
from components.map_text import CHANGE_COLUMN, map_labels, png_note
from components.sections.map_sections import map_numbers
from components.static_map import map_png
from observatory_data.serving.catalogue import CATALOGUE
from observatory_data.serving.change import england_change, rate_change
from observatory_data.serving.tables import read_boundaries, read_table

LOANS = CATALOGUE["loans"].label  # the catalogue's words, which the build puts in the metrics table
LOANS_IN_TEXT = LOANS[:1].lower() + LOANS[1:]
CHANGE_TITLE = f"Change in {LOANS_IN_TEXT} per 1,000 residents, England, 2023/24 to 2025/26"


def test_change_png_and_table_name_both_years() -> None:
    metrics = read_table("metrics")
    entry = metrics.filter(pl.col("metric") == "loans").row(0, named=True)
    changes = rate_change(read_table("annual"), read_table("services"), metrics, "loans", 2023, 2025)
    labels = map_labels(
        entry, (2023, 2025), changes, england_change(read_table("annual"), read_table("services"), "loans", 2023, 2025)
    )
    classes = classify_change(changes, 2023, 2025, labels["per"])
    assert labels["title"] == CHANGE_TITLE
    assert "2023/24 and 2025/26" in labels["source"] and "one of the two years" in png_note(labels)
    png = map_png(read_boundaries(), classes, title=labels["title"], subtitle="s", unit=labels["unit"], note="n")
    assert Image.open(io.BytesIO(png)).width >= 2000
    table = map_numbers(classes, labels, entry, "", (2023, 2025)).table
    assert {"Rate per 1,000 residents, 2023/24", "Rate per 1,000 residents, 2025/26", CHANGE_COLUMN[0]} <= set(
        table.columns
    )
    city = table.filter(pl.col("Service code") == "E09000001").row(0, named=True)
    assert city["Map class (1 = lowest)"] is None and city["Caveat"] and city[CHANGE_COLUMN[0]] is not None
