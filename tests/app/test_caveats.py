"""Caveated rates (a per-resident rate that is not comparable, e.g. the City of London's): shown for the service with
the caveat beside it, left out of medians, ranks, distributions and map classes, kept in counts and totals."""

from __future__ import annotations

from tests.support.apptest import run_page

CITY = "E09000001"


def test_the_city_of_londons_benchmark_says_why_its_rates_look_extreme() -> None:
    app = run_page("app_pages/service_benchmark.py", {"service": CITY})
    assert not app.exception
    assert any("not comparable" in info.value and "City of London" in info.value for info in app.info)


def test_a_group_with_the_city_of_london_says_it_is_left_out_of_the_median() -> None:
    app = run_page(
        "app_pages/service_benchmark.py", {"service": "E09000033", "compare": "custom", "group": f"{CITY},E09000020"}
    )
    assert not app.exception
    assert any("City of London left out: its rates are not comparable" in caption.value for caption in app.caption)


def test_the_map_says_the_city_of_london_is_left_out_of_the_classes() -> None:
    app = run_page("app_pages/map.py", {"view": "hex"})
    assert not app.exception
    assert any("City of London left out of the classes" in caption.value for caption in app.caption)
