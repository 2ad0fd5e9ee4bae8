"""Find my service from anywhere (issue 20), in headless Chromium: the Overview's search opens a service's benchmark
and the session remembers it; /benchmark without a service asks for one instead of opening on an empty profile."""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, full_page_screenshot, open_page, wait_for_app, wait_for_chart_title

pytestmark = pytest.mark.browser
KENT = "E10000016"
FIND = "Find your library service"


def _search(page, name: str) -> None:
    """Type a service's name into the main column's search and pick it, as a visitor does."""
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(has_text=FIND).locator("input")
    box.click()
    box.fill(name)
    page.get_by_role("option", name=name, exact=True).click()


def test_the_overview_search_opens_the_services_benchmark_and_the_overview_then_offers_it(
    browser_page, app_server: str
) -> None:
    open_page(browser_page, app_server)
    _search(browser_page, "Kent")
    browser_page.wait_for_url(f"**/benchmark?service={KENT}", timeout=30_000)
    wait_for_app(browser_page)
    assert browser_page.locator("h1").first.inner_text() == "Kent: benchmark"
    wait_for_chart_title(browser_page, "Kent among English library services")
    browser_page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()  # same session
    wait_for_app(browser_page)
    link = browser_page.get_by_role("link", name="Your service: Kent — open its benchmark")
    link.click()
    browser_page.wait_for_url(f"**/benchmark?service={KENT}", timeout=30_000)
    wait_for_chart_title(browser_page, "Kent among English library services")
    assert not browser_page.locator('[data-testid="stException"]').count()


def test_benchmark_without_a_service_asks_for_one_and_never_shows_an_empty_profile(
    browser_page, app_server: str
) -> None:
    open_page(browser_page, f"{app_server}/benchmark")
    main = browser_page.locator('[data-testid="stMain"]')
    main.get_by_text(FIND).wait_for()
    assert browser_page.locator("h1").first.inner_text() == "Service benchmark"
    assert "Which service is yours?" in main.inner_text()
    for empty in ("Not ranked", "no return", "no value"):
        assert empty not in main.inner_text(), empty
    assert browser_page.locator(".js-plotly-plot").count() == 0
    assert "service" not in browser_page.url.split("?", 1)[-1] or "?" not in browser_page.url
    full_page_screenshot(browser_page, ARTIFACTS / "benchmark-without-a-service.png")
    _search(browser_page, "Kent")
    browser_page.wait_for_url(f"**/benchmark?service={KENT}", timeout=30_000)
    wait_for_chart_title(browser_page, "Kent among English library services")
    assert browser_page.locator("h1").first.inner_text() == "Kent: benchmark"
