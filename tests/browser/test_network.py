"""The library network page in headless Chromium on a freshly started server: ACE's statutory series first, the area
changed three times (URL and chart titles follow), then the first chart's PNG, at the export size with its title
inside."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from components.png_export import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH
from tests.support.browser import (
    ARTIFACTS,
    VIEWPORT,
    choose,
    download_chart_png,
    full_page_screenshot,
    open_page,
    running_app,
    selected,
    wait_for_chart_title,
    wait_for_query,
)

pytestmark = pytest.mark.browser
AREA = "Area (type to search)"
# Wales: the list records no change for 21 of its 22 services, so no line is drawn; the rate chart is its first.
CHOICES = [
    ("Wales", "Wales", "Service points listed as open per 100,000 residents: Wales compared"),
    ("London (region)", "London", "Service points listed as open in London, end of 2010"),
    ("Kent (service)", "E10000016", "Statutory and community-run libraries in Kent, 2010 to 2023"),
]


def test_network_area_follows_three_choices_and_exports_a_png(browser) -> None:
    with running_app("server-network.log") as base:
        context = browser.new_context(viewport=dict(VIEWPORT), accept_downloads=True)
        page = context.new_page()
        open_page(page, f"{base}/network")
        assert page.get_by_text("Page not found").count() == 0
        wait_for_chart_title(page, "Statutory and community-run libraries in England, 2010 to 2023")
        wait_for_chart_title(page, "Service points listed as open in the UK (not Scotland)")
        for option, value, title in CHOICES:
            choose(page, AREA, option)
            wait_for_query(page, {"area": value})
            wait_for_chart_title(page, title)
            assert selected(page, AREA) == option
        assert page.locator('[data-testid="stException"]').count() == 0
        full_page_screenshot(page, ARTIFACTS / "network-kent.png")

        page.set_viewport_size(dict(VIEWPORT))
        download = download_chart_png(page)
        assert download.suggested_filename.startswith("statutory-and-community-run-libraries-in-kent")
        image = Image.open(io.BytesIO(download.path().read_bytes()))
        image.save(ARTIFACTS / "network-export.png")
        context.close()
    assert image.size == (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE)
    band = image.convert("L").crop((0, 0, image.width, image.height // 10))
    assert band.getextrema()[0] < 80, "no dark title text at the top of the PNG"
