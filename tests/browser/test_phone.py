"""On a phone (390 x 844, in Chromium): every chart's title, subtitle and notes inside the chart and clear of plotly's
toolbar; a bad link's notice in the page, not in the sidebar a phone hides."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.browser import ARTIFACTS, main_notice, open_page, wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
KENT = "E10000016"
PAGES = ["", f"trends?service={KENT}", "places", f"benchmark?service={KENT}", "network"]

# For each chart: its box, the boxes of its heading and footer text (the annotations briefing_layout names) and of
# plotly's toolbar (the modebar), in px of the page.
CHARTS = '[data-testid="stPlotlyChart"] .js-plotly-plot'
GEOMETRY = """() => Array.from(document.querySelectorAll('CHARTS')).map(chart => {
    const box = node => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const named = name => {
        const index = (chart.layout.annotations || []).findIndex(note => note.name === name);
        return index < 0 ? null : chart.querySelector(`.annotation[data-index="${index}"] .annotation-text`);
    };
    const heading = named('briefing-heading'), footer = named('briefing-footer');
    const modebar = chart.querySelector('.modebar');
    return {
        chart: box(chart),
        heading: heading && box(heading),
        footer: footer && box(footer),
        modebar: modebar && box(modebar),
        text: heading ? heading.textContent.slice(0, 60) : '',
    };
})""".replace("CHARTS", CHARTS)
EVERY_HEADING_FITS = f"""() => {{
    const charts = ({GEOMETRY})();
    return charts.length > 0 && charts.every(c => c.heading && c.heading[2] <= c.chart[2] + 1 && c.footer
        && c.footer[2] <= c.chart[2] + 1);
}}"""


def open_on_a_phone(page, url: str) -> None:
    """Open `url` in a phone-sized window; the page measures its width and lays its charts out again for it."""
    page.set_viewport_size(PHONE)
    open_page(page, url)
    wait_for_charts(page)


@pytest.mark.parametrize("path", PAGES, ids=[path.split("?")[0] or "overview" for path in PAGES])
def test_every_chart_keeps_its_title_and_notes_inside_it_on_a_phone(browser_page, app_server: str, path: str) -> None:
    open_on_a_phone(browser_page, f"{app_server}/{path}")
    with contextlib.suppress(PlaywrightTimeout):  # the rerun for the phone's width follows the first drawing
        browser_page.wait_for_function(EVERY_HEADING_FITS, timeout=30_000)  # (the assertions say what does not fit)
    wait_for_app(browser_page)
    charts = browser_page.evaluate(GEOMETRY)
    assert charts, f"no chart on /{path}"
    for chart in charts:
        left, top, right, _ = chart["chart"]
        assert right <= PHONE["width"], ("the chart is wider than the phone", chart)
        assert chart["heading"] and chart["footer"], ("a chart without its heading or footer", chart)
        heading, footer, modebar = chart["heading"], chart["footer"], chart["modebar"]
        assert heading[0] >= left - 1 and heading[2] <= right + 1 and heading[1] >= top - 1, ("title cut", chart)
        assert footer[0] >= left - 1 and footer[2] <= right + 1, ("notes cut", chart)
        if modebar:
            apart = modebar[3] <= heading[1] + 1 or modebar[2] <= heading[0] or modebar[0] >= heading[2]
            assert apart, ("the toolbar covers the title", chart)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser_page.locator('[data-testid="stPlotlyChart"]').first.screenshot(
        path=str(ARTIFACTS / f"phone-{path.split('?')[0] or 'overview'}.png")
    )


def test_a_bad_links_notice_is_in_the_main_column_on_a_phone(browser_page, app_server: str) -> None:
    open_on_a_phone(browser_page, f"{app_server}/trends?offer=nonsense")
    browser_page.wait_for_timeout(2_000)  # the rerun for the phone's width must keep the notice
    wait_for_app(browser_page)
    notice = main_notice(browser_page, "not recognised")
    assert notice.count() == 1 and notice.is_visible()
    box = notice.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    sidebar = browser_page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]')
    assert sidebar.filter(has_text="not recognised").count() == 0
