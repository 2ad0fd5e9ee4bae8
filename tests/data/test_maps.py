"""The web map's payload over the built tables."""

from __future__ import annotations

from components.classes import classify
from components.map_payload import payload_bytes
from components.web_map import open_points, place_outlines, service_map


def test_real_map_with_every_layer_stays_under_one_megabyte() -> None:
    from observatory_data.serving.rates import service_rates
    from observatory_data.serving.tables import read_boundaries, read_table

    services, annual, metrics, branches = (read_table(n) for n in ("services", "annual", "metrics", "branches"))
    boundaries = read_boundaries()
    web = service_map(
        boundaries,
        classify(service_rates(annual, services, metrics, "loans", 2023), "higher_is_better"),
        title="Loans (all formats) per 1,000 residents, library services of the UK, 2023/24",
        unit="per 1,000 residents",
        coverage="England: 92 of 153 services reported",
        outlines=place_outlines(services, ["priority", "lucp"]),
        points=open_points(branches),
    )
    size = payload_bytes(web)
    print(f"map payload with every layer: {size:,} bytes")
    assert 100_000 < size < 1_000_000
