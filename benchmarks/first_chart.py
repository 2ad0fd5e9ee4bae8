"""Time to the first chart (the first table on a page with none) of every page in headless Chromium:
`python -m benchmarks.first_chart`.

A server is started on loopback over the current prepared tables; each page is opened once to warm the
server's caches, then opened afresh in a new browser tab RUNS times, timing from navigation to the first
chart drawn (a Plotly SVG, or the Leaflet map inside the map's frame). The median is printed per page.
Network outside 127.0.0.1 is blocked, as in the browser tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from app_pages.registry import PAGES
from benchmarks.load import HOST, free_port, start_server, wait_healthy

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
RUNS = 3
TIMEOUT_MS = 60_000
FIRST_CHART = "() => document.querySelector('.js-plotly-plot .main-svg') !== null"
# A page with no chart (Data and methods) is timed to its first table.
FIRST_TABLE = "() => document.querySelector('[data-testid=\"stDataFrame\"] canvas') !== null"
QUERIES = {"benchmark": "?service=E08000016"}


def first_chart_ms(page, url: str) -> float:
    """Milliseconds from navigation to the first drawn chart (the map's Leaflet panes for the map page)."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    if "/map" in url:
        page.wait_for_selector("iframe", timeout=TIMEOUT_MS)
        frame = page.frame_locator("iframe").first
        frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=TIMEOUT_MS)
    else:
        page.wait_for_function(FIRST_TABLE if url.rstrip("/").endswith("/data") else FIRST_CHART, timeout=TIMEOUT_MS)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    port = free_port()
    server = start_server(port)
    try:
        wait_healthy(port)
        base = f"http://{HOST}:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            print(f"First chart, median of {RUNS} fresh tabs after one warm-up visit (ms)")
            for spec in PAGES:
                url = f"{base}/{spec.url_path}{QUERIES.get(spec.url_path, '')}"
                times = []
                for attempt in range(RUNS + 1):
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                                  or route.request.url.startswith(("data:", "blob:")) else route.abort())  # fmt: skip
                    tab = context.new_page()
                    elapsed = first_chart_ms(tab, url)
                    context.close()
                    if attempt:
                        times.append(elapsed)
                print(f"  /{spec.url_path:<12}{statistics.median(times):>8.0f}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
