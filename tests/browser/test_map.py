"""The map page in headless Chromium with every request outside localhost aborted: Leaflet comes from the app
itself, all 179 services are drawn with a legend, a click selects a service, a service found with the search is
outlined on the map (which keeps its zoom), the hexagons' labels are readable, and names from the data stay text.

The app runs over the session's build of the tables (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.browser import ARTIFACTS, full_page_screenshot, wait_for_app
from tests.support.maps import HOSTILE, fixture_map

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SERVICE_PATHS = ".leaflet-overlay-pane path.leaflet-interactive"


def _open_map(page, url: str):
    """The map page with the choropleth drawn inside streamlit-folium's iframe; returns (frame, polygons)."""
    page.goto(url)
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    polygons = frame.locator(SERVICE_PATHS)
    polygons.nth(178).wait_for(state="attached", timeout=30_000)
    frame.locator(".map-legend").wait_for(timeout=30_000)
    return frame, polygons


def test_map_draws_every_service_and_a_legend_with_nothing_from_outside(browser_page, app_server: str) -> None:
    frame, polygons = _open_map(browser_page, f"{app_server}/map?layers=priority,lucp,branches")
    # Interactive paths: the 179 services (the place outlines are drawn non-interactive).
    assert polygons.count() == 179
    legend = frame.locator(".map-legend").inner_text()
    assert "quantiles" in legend and "No return / not comparable" in legend
    assert "Not collected: outside England" in legend
    frame.locator(".marker-cluster").first.wait_for(timeout=30_000)
    scripts = frame.locator("script[src]").evaluate_all("nodes => nodes.map(n => n.src)")
    assert any(src.endswith("/app/static/vendor/leaflet/leaflet.js") for src in scripts), scripts
    browser_page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    full_page_screenshot(browser_page, ARTIFACTS / "map-layers.png")
    assert not browser_page.problems.blocked, browser_page.problems.blocked
    assert not browser_page.problems.console_errors, browser_page.problems.console_errors


def test_clicking_a_service_selects_it_and_links_its_profile(browser_page, app_server: str) -> None:
    _, polygons = _open_map(browser_page, f"{app_server}/map")
    selected = "() => location.search.includes('service=')"
    for _ in range(3):  # the component binds its click handler a moment after the polygons appear
        polygons.nth(40).click(force=True)  # force: a place outline may lie over the polygon
        try:
            browser_page.wait_for_function(selected, timeout=8_000)
            break
        except PlaywrightTimeout:
            continue
    browser_page.wait_for_function(selected, timeout=5_000)
    link = browser_page.locator("a", has_text="Open its benchmark profile")
    link.wait_for(timeout=20_000)
    href = link.get_attribute("href")
    assert "benchmark" in href and "service=" in href
    # The link sits above the map, so it is on screen without scrolling at 1400 x 1000.
    assert link.bounding_box()["y"] + link.bounding_box()["height"] < browser_page.viewport_size["height"]


def test_the_map_link_opens_the_profile_of_a_service_outside_england(browser_page, app_server: str) -> None:
    _open_map(browser_page, f"{app_server}/map?service=W06000015")
    browser_page.locator("a", has_text="Selected: Cardiff").click()
    browser_page.wait_for_url("**/benchmark?service=W06000015")
    wait_for_app(browser_page)
    assert browser_page.locator("h1").first.inner_text().startswith("Cardiff: profile")


def _zoom(frame) -> float:
    return frame.locator("body").evaluate("() => Object.values(window).find(v => v instanceof L.Map).getZoom()")


def test_a_service_found_with_the_search_is_outlined_and_the_map_keeps_its_zoom(browser_page, app_server: str) -> None:
    frame, _ = _open_map(browser_page, f"{app_server}/map")
    assert frame.locator(".selected-name").count() == 0
    frame.locator(".leaflet-control-zoom-in").click()
    browser_page.wait_for_timeout(500)
    zoom = _zoom(frame)
    search = browser_page.get_by_role("combobox", name="Find a service (type to search)")
    search.click()
    search.fill("Kent")
    browser_page.get_by_role("option", name="Kent", exact=True).click()
    browser_page.wait_for_function("() => location.search.includes('service=E10000016')", timeout=15_000)
    wait_for_app(browser_page)
    name = frame.locator(".selected-name")
    name.wait_for(timeout=15_000)
    assert name.inner_text() == "Kent"
    outline = frame.locator('.leaflet-overlay-pane path[stroke="#000000"]')
    assert outline.count() == 1 and outline.get_attribute("stroke-width") == "4"
    # The highlight came as a layer of its own: the map was not drawn again, so the reader's zoom stays.
    assert _zoom(frame) == zoom
    # Choosing another service moves the highlight; it never leaves two.
    search.click()
    search.fill("Cardiff")
    browser_page.get_by_role("option", name="Cardiff", exact=True).click()
    browser_page.wait_for_function("() => location.search.includes('service=W06000015')", timeout=15_000)
    wait_for_app(browser_page)
    browser_page.wait_for_function(
        """() => {
            const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]').contentDocument;
            const names = frame.querySelectorAll('.selected-name');
            return names.length === 1 && names[0].textContent === 'Cardiff';
        }""",
        timeout=15_000,
    )
    assert outline.count() == 1


def test_hexagon_labels_are_readable_at_1440_px(browser_page, app_server: str) -> None:
    browser_page.set_viewport_size({"width": 1440, "height": 1000})
    browser_page.goto(f"{app_server}/map?view=hex")
    wait_for_app(browser_page)
    labels = browser_page.locator(".js-plotly-plot .textpoint text")
    labels.nth(178).wait_for(state="attached", timeout=30_000)
    measured = labels.evaluate_all(
        """texts => {
            const boxes = texts.map(text => text.getBoundingClientRect());
            let across = Infinity;  // the distance between neighbours in a row: a hexagon's width
            for (const a of boxes) for (const b of boxes) {
                const dx = Math.abs(a.x + a.width / 2 - b.x - b.width / 2);
                if (a !== b && Math.abs(a.y - b.y) < 2 && dx > 0) across = Math.min(across, dx);
            }
            return {
                sizes: texts.map(text => parseFloat(getComputedStyle(text).fontSize)),
                widest: Math.max(...boxes.map(box => box.width)),
                across: across,
                labels: texts.map(text => text.textContent),
            };
        }"""
    )
    assert min(measured["sizes"]) >= 11, measured["sizes"]
    assert measured["widest"] < measured["across"] - 2, measured  # every label inside its hexagon
    assert len({label.upper() for label in measured["labels"]}) == 179


def test_junk_links_give_a_notice_and_the_default_map(browser_page, app_server: str) -> None:
    _open_map(browser_page, f"{app_server}/map?metric=nonsense&service=%3Cscript%3Ealert(1)%3C/script%3E")
    notices = browser_page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("metric" in text and "not recognised" in text for text in notices), notices
    assert any("service" in text and "not recognised" in text for text in notices), notices
    assert "<script>alert(1)</script>" not in browser_page.content()


def test_hostile_name_stays_text_in_the_tooltip(browser_page, app_server: str) -> None:
    browser_page.goto(f"{app_server}/_stcore/health")  # same origin as the app, so /app/static/... resolves
    browser_page.set_content(fixture_map())
    first = browser_page.locator(SERVICE_PATHS).first
    first.wait_for(timeout=15_000)
    first.hover()
    tooltip = browser_page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert HOSTILE in tooltip.inner_text()
    assert HOSTILE in browser_page.locator(".map-title").inner_text()
    assert browser_page.locator('img[src="x"]').count() == 0
