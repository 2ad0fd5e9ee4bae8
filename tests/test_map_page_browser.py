"""The map in headless Chromium, network outside localhost blocked: every service drawn, a legend, and
names from the data shown as text, never turned into elements."""

from __future__ import annotations

import pytest

from components.classes import classify
from components.maps import service_map
from tests.browser_support import ARTIFACTS, full_page_screenshot, wait_for_app
from tests.test_map_components import HOSTILE, _fixture

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _open_map(page, url: str):
    """The map page loaded, with all 179 service polygons in the Leaflet layer; returns that locator."""
    page.goto(url)
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    services = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
    services.nth(178).wait_for(state="attached", timeout=30_000)
    frame.locator(".map-legend").wait_for(timeout=30_000)
    return frame, services


def test_map_page_draws_every_service_and_a_legend(browser_page, app_server: str) -> None:
    frame, services = _open_map(browser_page, f"{app_server}/map?layers=priority,lucp,branches")
    assert services.count() >= 179
    legend = frame.locator(".map-legend").inner_text()
    assert "quantiles" in legend and "No return" in legend
    frame.locator(".marker-cluster").first.wait_for(timeout=30_000)
    browser_page.wait_for_timeout(1000)
    full_page_screenshot(browser_page, ARTIFACTS / "map-with-layers.png")
    assert not browser_page.problems.console_errors, browser_page.problems.console_errors
    assert not browser_page.problems.blocked, browser_page.problems.blocked


def test_hostile_name_shows_as_text_in_the_tooltip(browser_page, app_server: str) -> None:
    boundaries, rates = _fixture()
    web = service_map(
        boundaries,
        classify(rates, "higher_is_better"),
        title="Fixture",
        unit="per 1,000",
        coverage="6 of 7",
        outlines={},
        points=None,
    )
    browser_page.goto(f"{app_server}/_stcore/health")  # any page of the app: same origin as the assets
    browser_page.set_content(web.get_root().render())
    first = browser_page.locator(".leaflet-overlay-pane path.leaflet-interactive").first
    first.wait_for(timeout=15_000)
    first.hover()
    tooltip = browser_page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert HOSTILE in tooltip.inner_text()
    assert browser_page.locator('img[src="x"]').count() == 0
    assert browser_page.evaluate("() => window.__xss === undefined")


def test_clicking_a_service_selects_it_in_the_url_and_offers_its_profile(browser_page, app_server: str) -> None:
    _, services = _open_map(browser_page, f"{app_server}/map")
    services.nth(40).click(force=True)  # a service's polygon (force: a place outline may lie on top)
    browser_page.wait_for_function("() => location.search.includes('service=')", timeout=20_000)
    link = browser_page.locator("a", has_text="Open the benchmark profile of")
    link.wait_for(timeout=20_000)
    assert "benchmark" in link.get_attribute("href") and "service=" in link.get_attribute("href")
