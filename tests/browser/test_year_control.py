"""The year control as users change it, three times in a row, on the pages with series over the years; a metric
collected in fewer years moves the year, and a notice in the page says so."""

from __future__ import annotations

import pytest

from observatory_data.serving.catalogue import CATALOGUE
from tests.support.browser import choose, main_notice, open_page, selected, wait_for_chart_title, wait_for_query

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


@pytest.mark.browser
def test_the_year_moved_notice_is_in_the_page_in_chromium(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/trends")
    choose(browser_page, "Metric", BOOKS)
    wait_for_query(browser_page, {"metric": "physical_book_loans"})
    notice = main_notice(browser_page, MOVED)
    notice.wait_for(timeout=15_000)
    assert notice.count() == 1
