"""The year control as users change it, three times in a row, on the pages with series over the years; a metric
collected in fewer years moves the year, and a notice in the page says so."""

from __future__ import annotations

import pytest

from app_pages._common import year_notice
from observatory_data.serving.catalogue import CATALOGUE
from tests.browser_support import choose, open_page, selected, wait_for_chart_title, wait_for_query
from tests.test_app_pages import exceptions, run_page
from tests.test_phone_browser import main_notice

LOANS = CATALOGUE["loans"].label
BOOKS = CATALOGUE["physical_book_loans"].label
MOVED = "Physical book loans are collected for 2023/24 only: showing 2023/24."
KENT = "E10000016"
# (option shown, URL value: None for the default, the latest year)
YEARS = [("2024/25", "2024"), ("2023/24", "2023"), ("2025/26", None)]


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        (
            "trends",
            {  # the series runs up to the chosen year; the monthly chart says "by month", never "by year"
                "2024/25": f"{LOANS} by year, 2023/24 to 2024/25: England",
                "2023/24": f"{LOANS} by year, 2023/24: England",
                "2025/26": f"{LOANS} by year, 2023/24 to 2025/26: England",
            },
        ),
        (
            f"benchmark?service={KENT}",
            {  # the strip chart is the chosen year's
                "2024/25": f"{LOANS} per 1,000 residents: Kent among English library services, 2024/25",
                "2023/24": f"{LOANS} per 1,000 residents: Kent among English library services, 2023/24",
                "2025/26": f"{LOANS} per 1,000 residents: Kent among English library services, 2025/26",
            },
        ),
    ],
    ids=["trends", "benchmark"],
)
@pytest.mark.browser
def test_the_year_follows_three_choices(browser_page, app_server: str, path: str, titles: dict[str, str]) -> None:
    open_page(browser_page, f"{app_server}/{path}")
    assert selected(browser_page, "Year") == "2025/26"  # the latest year with data for the metric
    for option, value in YEARS:
        choose(browser_page, "Year", option)
        wait_for_query(browser_page, {"year": value})
        wait_for_chart_title(browser_page, titles[option])
        assert selected(browser_page, "Year") == option
        if path.startswith("benchmark"):
            span = "2023/24" if option == "2023/24" else f"2023/24 to {option}"
            wait_for_chart_title(browser_page, f"by year, {span}: Kent and its comparison group's median")
        assert browser_page.locator('[data-testid="stException"]').count() == 0


def test_the_year_notice_names_the_metric_and_its_years() -> None:
    assert year_notice(BOOKS, [2023]) == MOVED
    assert (
        year_notice("Wifi sessions", [2023, 2024])
        == "Wifi sessions are collected for 2023/24 and 2024/25 only: showing 2024/25."
    )


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


@pytest.mark.browser
def test_the_year_moved_notice_is_in_the_page_in_chromium(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/trends")
    choose(browser_page, "Metric", BOOKS)
    wait_for_query(browser_page, {"metric": "physical_book_loans"})
    notice = main_notice(browser_page, MOVED)
    notice.wait_for(timeout=15_000)
    assert notice.count() == 1
