"""The map's PNG keeps what the screen shows: downloaded as a user does (the button on /map, headless Chromium, every
request outside localhost aborted), it has the place outlines' colours when the outlines are on the map, and none of
them when they are off; the selected service is outlined and keyed.

The app runs over the session's build of the tables (tests/conftest.py).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from components.map_text import OUTLINES
from components.palette import SELECTED_EDGE
from tests.support.browser import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Pixels exactly of a line's colour: the core of a 2.2 pt line on a 2,400 px image, well over this across England.
OUTLINE_PIXELS = 2_000


def _download_png(page, url: str, name: str) -> bytes:
    """Open the map at `url`, wait for the map, click "Download map (PNG)" and return the file it gives."""
    page.goto(url)
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-overlay-pane path.leaflet-interactive").nth(178).wait_for(state="attached", timeout=30_000)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Download map (PNG)").click()
    path = Path(download.value.path())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(path.read_bytes())
    return path.read_bytes()


def _pixels_of(png: bytes, colour: str) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    return int((pixels == [int(colour[i : i + 2], 16) for i in (1, 3, 5)]).all(axis=1).sum())


def _outline_strokes(page) -> set[str]:
    """The stroke colours of the map's non-interactive paths: the place outlines drawn on screen."""
    return set(
        page.frame_locator(MAP_FRAME)
        .locator(".leaflet-overlay-pane path:not(.leaflet-interactive)")
        .evaluate_all("paths => paths.map(path => path.getAttribute('stroke').toUpperCase())")
    )


def test_the_png_keeps_the_outlines_and_the_selected_service_of_the_screen(browser_page, app_server: str) -> None:
    # The outlines are on by default, as on the screen; Kent is selected.
    png = _download_png(browser_page, f"{app_server}/map?service=E10000016", "map-outlines-kent.png")
    on_screen = _outline_strokes(browser_page)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 2000
    for key in ("priority", "lucp"):
        colour = OUTLINES[key][1]
        assert colour.upper() in on_screen, f"the {key} outline is not on the screen"
        assert _pixels_of(png, colour) > OUTLINE_PIXELS, f"the {key} outline ({colour}) is missing from the PNG"

    # Outlines off and no service: the screen and the PNG have none of the outlines' colours, and less black.
    plain = _download_png(browser_page, f"{app_server}/map?layers=none", "map-no-layers.png")
    assert not {OUTLINES[key][1].upper() for key in OUTLINES} & _outline_strokes(browser_page)
    for key in OUTLINES:
        assert _pixels_of(plain, OUTLINES[key][1]) == 0, f"the {key} outline is on the PNG though off on screen"
    # Kent's black outline (with its name and legend key) is the difference in black between the two images.
    assert _pixels_of(png, SELECTED_EDGE) > _pixels_of(plain, SELECTED_EDGE) + OUTLINE_PIXELS
