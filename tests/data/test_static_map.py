"""The briefing PNG: wide enough, not blank, every class colour and both missing-data greys on it, each textured; the
layers that are on (place outlines, service points) and the selected service drawn and keyed, and nothing when off."""

from __future__ import annotations

from components.classes import classify
from components.static_map import map_png
from tests.support.map_png import check_png


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
    check_png(png, classes)
