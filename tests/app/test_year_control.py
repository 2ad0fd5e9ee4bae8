"""The year control in AppTest: a metric collected in fewer years moves the year, and a notice in the page says so."""

from __future__ import annotations

import pytest

from tests.support.apptest import exceptions, run_page

MOVED = "Physical book loans are collected for 2023/24 only: showing 2023/24."
KENT = "E10000016"


@pytest.mark.parametrize("page", ["app_pages/offer_trends.py", "app_pages/service_benchmark.py"])
def test_a_link_to_a_year_the_metric_lacks_says_so(page: str) -> None:
    """A year that other metrics have is not a bad link: the notice says why the year moved, in the main column."""
    app = run_page(page, {"metric": "physical_book_loans", "year": "2024", "service": KENT})
    assert not app.exception, exceptions(app)
    assert MOVED in [str(warning.value) for warning in app.main.warning]
    assert next(box.value for box in app.selectbox if box.label == "Year") == 2023


def test_choosing_a_metric_collected_in_fewer_years_says_the_year_moved() -> None:
    app = run_page("app_pages/offer_trends.py", {})
    assert next(box.value for box in app.selectbox if box.label == "Year") == 2025
    next(box for box in app.selectbox if box.label == "Metric").set_value("physical_book_loans").run(timeout=30)
    assert not app.exception, exceptions(app)
    assert MOVED in [str(warning.value) for warning in app.main.warning]
    assert not [warning for warning in app.sidebar.warning if "collected" in str(warning.value)]
