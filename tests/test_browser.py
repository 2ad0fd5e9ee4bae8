"""Every page in headless Chromium with the network outside localhost blocked: no exception, no console error."""

from __future__ import annotations

import pytest

from tests.app_pages import app_pages
from tests.browser_support import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser
CHART_PAGES = {"trends", "places", "benchmark"}


@pytest.mark.parametrize(("path", "url"), app_pages())
def test_page_renders_in_chromium(browser_page, app_server: str, path: str, url: str) -> None:
    query = "?service=E08000016" if url in ("benchmark", "trends") else ""
    browser_page.goto(f"{app_server}/{url}{query}")
    wait_for_app(browser_page)
    if url in CHART_PAGES:
        browser_page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    browser_page.wait_for_timeout(1500)
    browser_page.screenshot(path=str(ARTIFACTS / f"{url or 'overview'}.png"), full_page=True)
    assert browser_page.locator('[data-testid="stException"]').count() == 0, f"exception box on {url}"
    assert browser_page.get_by_text("Page not found").count() == 0
    assert not browser_page.problems.console_errors, browser_page.problems.console_errors
    assert not browser_page.problems.blocked, f"{url} tried to reach {browser_page.problems.blocked}"
