"""The fixture web map in headless Chromium: a tooltip draws over the legend and stays at the pointer after a pan;
on a phone the legend and the layer list start collapsed to a corner (a tap opens the legend), on a wide screen
both start open; the selected service is outlined over its polygon and named.

Leaflet is served by the app server (static/vendor), so these need it and Chromium like the other browser tests.
"""

from __future__ import annotations

import pytest

from tests.support.maps import fixture_map

pytestmark = pytest.mark.browser
SERVICE_PATHS = ".leaflet-overlay-pane path.leaflet-interactive"
# The folium map's variable (its name is the one global that is a Leaflet map).
FIND_MAP = "Object.values(window).find(value => value instanceof L.Map)"


def _open_fixture_map(page, app_server: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_server}/_stcore/health")  # same origin as the app, so /app/static/... resolves
    page.set_content(fixture_map())
    page.locator(SERVICE_PATHS).first.wait_for(timeout=15_000)
    page.locator(".map-legend").wait_for(timeout=5_000)


def test_a_tooltip_over_the_legend_is_drawn_on_top(browser_page, app_server: str) -> None:
    _open_fixture_map(browser_page, app_server, 1000, 700)
    legend = browser_page.locator(".map-legend").bounding_box()
    x, y = legend["x"] + legend["width"] / 2, legend["y"] + legend["height"] / 2
    on_top = browser_page.evaluate(
        f"""([x, y]) => {{
            const map = {FIND_MAP};
            let services;
            map.eachLayer(layer => {{ if (!services && layer.getTooltip && layer.getTooltip()) services = layer; }});
            services.openTooltip(map.containerPointToLatLng([x - 40, y]));
            const tooltip = document.querySelector('.leaflet-tooltip');
            tooltip.style.pointerEvents = 'auto';  // tooltips ignore the pointer: let the hit test see it
            return tooltip.contains(document.elementFromPoint(x, y));
        }}""",
        [x, y],
    )
    assert on_top, "the legend covers the tooltip"


def test_the_tooltip_stays_at_the_pointer_after_a_pan(browser_page, app_server: str) -> None:
    _open_fixture_map(browser_page, app_server, 1000, 700)
    browser_page.mouse.move(500, 150)
    browser_page.mouse.down()
    browser_page.mouse.move(350, 100, steps=8)
    browser_page.mouse.up()
    target = browser_page.locator(SERVICE_PATHS).nth(3).bounding_box()
    pointer = (target["x"] + target["width"] / 2, target["y"] + target["height"] / 2)
    browser_page.mouse.move(pointer[0] - 3, pointer[1] - 3)
    browser_page.mouse.move(*pointer, steps=3)
    tooltip = browser_page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    box = tooltip.bounding_box()
    # A sticky tooltip sits beside the pointer; a pane left behind by the pan would put it 150 px away.
    assert box["x"] - 40 < pointer[0] < box["x"] + box["width"] + 40, (box, pointer)
    assert box["y"] - 40 < pointer[1] < box["y"] + box["height"] + 40, (box, pointer)


def test_on_a_phone_the_legend_keeps_to_a_corner_and_the_layer_list_is_collapsed(browser_page, app_server: str) -> None:
    _open_fixture_map(browser_page, app_server, 390, 844)
    assert browser_page.locator(".leaflet-control-layers-expanded").count() == 0
    assert browser_page.locator(".leaflet-control-layers-toggle").is_visible()
    legend = browser_page.locator(".map-legend .map-box")
    # Closed: one line (the word Key and the classes' colours) in the bottom-left corner.
    assert legend.evaluate("box => box.open") is False
    closed = legend.bounding_box()
    assert closed["width"] <= 0.4 * 390 and closed["height"] <= 30, closed
    assert legend.evaluate("box => getComputedStyle(box).fontSize") == "10px"
    assert legend.locator(".ramp .swatch").count() == 5
    # A tap opens the whole key, with every class and both kinds of missing.
    legend.locator("summary").click()
    assert legend.evaluate("box => box.open") is True
    assert "No return / not comparable" in legend.inner_text()
    assert legend.bounding_box()["width"] <= 0.75 * 390


def test_on_a_wide_screen_the_layer_list_and_the_legend_are_open(browser_page, app_server: str) -> None:
    _open_fixture_map(browser_page, app_server, 1400, 900)
    assert browser_page.locator(".leaflet-control-layers-expanded").count() == 1
    legend = browser_page.locator(".map-legend .map-box")
    assert legend.evaluate("box => box.open") is True
    assert legend.evaluate("box => getComputedStyle(box).fontSize") == "12px"
    assert not legend.locator(".ramp").is_visible()  # the closed legend's colour strip, not needed when open


def test_the_selected_service_is_outlined_over_its_polygon_and_named(browser_page, app_server: str) -> None:
    browser_page.set_viewport_size({"width": 1000, "height": 700})
    browser_page.goto(f"{app_server}/_stcore/health")
    browser_page.set_content(fixture_map(selected="E06000003"))
    outline = browser_page.locator('.leaflet-overlay-pane path[stroke="#000000"]')
    outline.wait_for(timeout=15_000)
    assert outline.get_attribute("stroke-width") == "4"
    assert browser_page.locator(".selected-name").inner_text() == "E06000003"
    # The outline lies on the service's own polygon (the third square), and the name just above it: measured
    # together, once the map has settled.
    browser_page.wait_for_timeout(1000)
    ring, polygon, name = browser_page.evaluate(
        """([outline, services]) => [
            document.querySelector(outline),
            document.querySelectorAll(services)[2],
            document.querySelector('.selected-name'),
        ].map(node => node.getBoundingClientRect().toJSON())""",
        ['.leaflet-overlay-pane path[stroke="#000000"]', SERVICE_PATHS],
    )
    for side in ("left", "right", "top", "bottom"):
        assert abs(ring[side] - polygon[side]) < 3, (side, ring, polygon)
    assert name["bottom"] <= polygon["top"] + 2
