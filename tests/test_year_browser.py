"""The year control as users change it, three times in a row, on the pages with series over the years."""

from __future__ import annotations

import pytest

from observatory_data.catalogue import CATALOGUE
from tests.browser_support import choose, open_page, selected, wait_for_chart_title, wait_for_query

LOANS = CATALOGUE["loans"].label


pytestmark = pytest.mark.browser
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
