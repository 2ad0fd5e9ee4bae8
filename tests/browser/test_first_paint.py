"""A new visitor's first chart is drawn before the rest of the page is sent (app_pages.kit.first_paint), in Chromium:
what the page held when its first chart appeared is recorded in the page itself, from its first byte."""

from __future__ import annotations

import pytest

from tests.support.browser import wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser
# When the first chart's SVG appears: how many charts and elements the main column holds, and whether a table is there.
RECORD = """
new MutationObserver((changes, observer) => {
    if (!document.querySelector(".js-plotly-plot .main-svg")) return;
    const main = '[data-testid="stMain"] ';
    window.__atFirstChart = {
        charts: document.querySelectorAll(".js-plotly-plot").length,
        elements: document.querySelectorAll(main + '[data-testid="stElementContainer"]').length,
        tables: document.querySelectorAll(main + '[data-testid="stDataFrame"]').length,
    };
    observer.disconnect();
}).observe(document, {subtree: true, childList: true});
"""
COUNTS = """() => ({
    charts: document.querySelectorAll(".js-plotly-plot").length,
    elements: document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length,
})"""


@pytest.mark.parametrize("url", ["", "trends", "places", "benchmark?service=E08000016", "network"])
def test_the_rest_of_a_page_arrives_after_its_first_chart_is_drawn(browser_page, app_server: str, url: str) -> None:
    browser_page.add_init_script(RECORD)
    browser_page.goto(f"{app_server}/{url}")
    wait_for_app(browser_page)
    wait_for_charts(browser_page)
    first, whole = browser_page.evaluate("() => window.__atFirstChart"), browser_page.evaluate(COUNTS)
    assert first["charts"] == 1 and first["tables"] == 0, first
    assert first["elements"] < whole["elements"], f"the page arrived in one piece: {first} then {whole}"
