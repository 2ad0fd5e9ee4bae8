"""The years in headless Chromium: the map switched to its change view follows its `to` year in the URL and the map's
title; the Priority Places page follows three changes of year."""

from __future__ import annotations

import pytest

from observatory_data.serving.catalogue import CATALOGUE
from tests.support.browser import (
    ARTIFACTS,
    choose,
    full_page_screenshot,
    no_exception,
    open_page,
    pick_radio,
    selected,
    wait_for_app,
    wait_for_chart_title,
    wait_for_query,
)

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _map_title(page, text: str):
    """Until the map's title holds `text` (while the map redraws, the old frame lingers beside the new one)."""
    frame = page.frame_locator(MAP_FRAME).last
    frame.locator(".map-title", has_text=text).wait_for(timeout=30_000)
    return frame


def test_the_map_switches_to_the_change_view_and_follows_its_years(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/map")
    # The map reports its first state once drawn, which reruns the page: a click during that rerun can be lost.
    _map_title(browser_page, "2025/26")
    wait_for_app(browser_page)
    pick_radio(browser_page, "Show", "Change between two years")
    wait_for_query(browser_page, {"show": "change", "from": None, "to": None})
    loans = CATALOGUE["loans"].label
    frame = _map_title(
        browser_page, f"Change in {loans[0].lower()}{loans[1:]} per 1,000 residents, England, 2023/24 to 2025/26"
    )
    legend = frame.locator(".map-legend").inner_text()
    assert "either side of no change" in legend and "No countable figure in one of the two years" in legend
    for option, year in (("2024/25", "2024"), ("2023/24", "2023"), ("2025/26", None)):
        choose(browser_page, "To", option)
        wait_for_query(browser_page, {"show": "change", "to": year})
        assert selected(browser_page, "To") == option
        if option == "2023/24":  # the same year at both ends is refused with a notice, not drawn
            browser_page.get_by_text("choose two different years").wait_for(timeout=15_000)
        else:
            _map_title(browser_page, f"2023/24 to {option}")
        no_exception(browser_page)
    full_page_screenshot(browser_page, ARTIFACTS / "map-change.png")
    assert not browser_page.problems.console_errors, browser_page.problems.console_errors


def test_places_follows_three_changes_of_year(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/places")
    for option, year in (("2024/25", "2024"), ("2023/24", "2023"), ("2025/26", None)):
        choose(browser_page, "Year", option)
        wait_for_query(browser_page, {"year": year})
        assert selected(browser_page, "Year") == option
        wait_for_chart_title(browser_page, f"in Priority Places and the rest of England, {option}")
        no_exception(browser_page)
    wait_for_chart_title(browser_page, "Gap between library services with a Priority Place and the rest of England")
    full_page_screenshot(browser_page, ARTIFACTS / "places-years.png")
