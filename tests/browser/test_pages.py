"""Every page in headless Chromium with the network outside localhost blocked: no exception, no console error."""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, full_page_screenshot, open_with_charts
from tests.support.pages import app_pages

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "url"), app_pages())
def test_page_renders_in_chromium(browser_page, app_server: str, path: str, url: str) -> None:
    open_with_charts(browser_page, app_server, path, url)  # with Barnsley where the page can show a service
    browser_page.wait_for_timeout(1000)  # let the last frames settle before the screenshot
    full_page_screenshot(browser_page, ARTIFACTS / f"{url or 'overview'}.png")
    assert browser_page.locator('[data-testid="stException"]').count() == 0, f"exception box on {path}"
    assert browser_page.get_by_text("Page not found").count() == 0, f"{url} is not routed to {path}"
    assert not browser_page.problems.blocked, f"{path} tried to reach {browser_page.problems.blocked}"
    assert not browser_page.problems.console_errors, browser_page.problems.console_errors
