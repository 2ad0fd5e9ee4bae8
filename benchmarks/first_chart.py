"""Time to the first chart (the first table on a page with none) of every page in headless Chromium:
`python -m benchmarks.first_chart`.

A server is started on loopback over the current prepared tables; each page is opened once to warm the
server's caches, then opened afresh in a new browser tab RUNS times, timing from navigation to the first
chart drawn (a Plotly SVG, or the Leaflet map inside the map's frame). The median is printed per page.
Network outside 127.0.0.1 is blocked, as in the browser tests.

The floor is the framework's own: a one-chart Streamlit page (FLOOR_SCRIPT) served and timed the same way in the
same run, before and after the pages, so each page's figure is also printed as a multiple of it (issue 22 asks for
every page within 1.3x).

A second table says where each page's time went (medians over the same visits, ms from navigation): when its first
heading was drawn, when the browser asked for and had Plotly's chunk (about 4.7 MB, whose evaluation takes about
1.3 s of the main thread on this machine), the main thread's long tasks (over 50 ms) before the chart, and what the
page had drawn by then. Everything drawn before the chart, or in the same React commit as it, is main-thread time the
chart waits for.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from app_pages.registry import PAGES
from benchmarks.load import HOST, free_port, start_server, wait_healthy

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
RUNS = 5
TIMEOUT_MS = 60_000
FIRST_CHART = "() => document.querySelector('.js-plotly-plot .main-svg') !== null"
# A page with no chart (Data and methods) is timed to its first table.
FIRST_TABLE = "() => document.querySelector('[data-testid=\"stDataFrame\"] canvas') !== null"
QUERIES = {"benchmark": "?service=E08000016"}
# Recorded in the page from its first byte: when the first heading appeared, and the main thread's long tasks.
MARKS_SCRIPT = """
window.__marks = {longTasks: []};
new PerformanceObserver(list => list.getEntries().forEach(task => window.__marks.longTasks.push(
    [task.startTime, task.duration]))).observe({type: "longtask", buffered: true});
new MutationObserver(() => {
    if (window.__marks.heading === undefined && document.querySelector("h1")) {
        window.__marks.heading = performance.now();
    }
}).observe(document, {subtree: true, childList: true});
"""
# What the page holds once its first chart is drawn, and when Plotly's chunk was asked for and arrived.
DRAWN = """() => {
    const count = selector => document.querySelectorAll(selector).length;
    const chunk = performance.getEntriesByType("resource").find(entry => /PlotlyChart\\.[^/]*\\.js$/.test(entry.name));
    const now = performance.now();
    return {
        heading: window.__marks.heading ?? null,
        chunkAsked: chunk ? chunk.startTime : null,
        chunkIn: chunk ? chunk.responseEnd : null,
        busy: window.__marks.longTasks.filter(([start]) => start < now).reduce((sum, [, length]) => sum + length, 0),
        charts: count(".js-plotly-plot"),
        tables: count('[data-testid="stDataFrame"]'),
        widgets: count('[data-testid="stSidebar"] [data-testid="stElementContainer"]'),
        elements: count('[data-testid="stMain"] [data-testid="stElementContainer"]'),
    };
}"""
FLOOR_SCRIPT = """
import plotly.graph_objects as go
import streamlit as st

st.title("One chart")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
"""


def first_chart(page, url: str) -> dict[str, float | None]:
    """Milliseconds from navigation to the first drawn chart (the map's Leaflet panes for the map page), with what the
    page had drawn by then (DRAWN)."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    if "/map" in url:
        page.wait_for_selector("iframe", timeout=TIMEOUT_MS)
        frame = page.frame_locator("iframe").first
        frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=TIMEOUT_MS)
    else:
        page.wait_for_function(FIRST_TABLE if url.rstrip("/").endswith("/data") else FIRST_CHART, timeout=TIMEOUT_MS)
    elapsed = (time.perf_counter() - started) * 1000
    return {"ms": elapsed, **page.evaluate(DRAWN)}


def timed_visits(browser, base: str, url: str) -> list[dict[str, float | None]]:
    """RUNS fresh-tab visits to `url` after one warm-up visit."""
    visits = []
    for attempt in range(RUNS + 1):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      or route.request.url.startswith(("data:", "blob:")) else route.abort())  # fmt: skip
        context.add_init_script(MARKS_SCRIPT)
        tab = context.new_page()
        visit = first_chart(tab, url)
        context.close()
        if attempt:
            visits.append(visit)
    return visits


def median_of(visits: list[dict[str, float | None]], field: str) -> str:
    """The visits' median of one field, as printed ("-" where no visit has it, as a page without Plotly)."""
    values = [visit[field] for visit in visits if visit[field] is not None]
    return f"{statistics.median(values):,.0f}" if values else "-"


@contextmanager
def serving(script: Path | None = None) -> Iterator[str]:
    """The base URL of a server on loopback running `script` (the app unless told), stopped afterwards."""
    port = free_port()
    server = start_server(port) if script is None else start_server(port, script)
    try:
        wait_healthy(port)
        yield f"http://{HOST}:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def floor_visits(browser) -> list[float]:
    """Timed visits to the one-chart page, on its own server."""
    with tempfile.TemporaryDirectory(prefix="observatory-floor-") as folder:
        script = Path(folder) / "one_chart.py"
        script.write_text(FLOOR_SCRIPT, encoding="utf-8")
        with serving(script) as base:
            return timed_visits(browser, base, f"{base}/")


def main() -> int:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        floor = floor_visits(browser)
        pages = {}
        with serving() as base:
            for spec in PAGES:
                pages[spec.url_path] = timed_visits(
                    browser, base, f"{base}/{spec.url_path}{QUERIES.get(spec.url_path, '')}"
                )
        floor += floor_visits(browser)
        browser.close()
    floor_ms = statistics.median(visit["ms"] for visit in floor)
    print(f"First chart, median of {RUNS} fresh tabs after one warm-up visit (ms)")
    print(f"  {'one-chart floor':<20}{floor_ms:>8.0f}   (median of {len(floor)} visits, before and after the pages)")
    for path, visits in pages.items():
        page_ms = statistics.median(visit["ms"] for visit in visits)
        print(f"  /{path:<19}{page_ms:>8.0f}{page_ms / floor_ms:>8.2f}x floor")
    fields = ("heading", "chunkAsked", "chunkIn", "busy", "charts", "tables", "widgets", "elements")
    print("\nWhere the time went (medians, ms from navigation; counts drawn by the first chart)")
    print(f"  {'page':<20}" + "".join(f"{field:>11}" for field in fields))
    for path, visits in {"one-chart floor": floor, **{f"/{path}": visits for path, visits in pages.items()}}.items():
        print(f"  {path:<20}" + "".join(f"{median_of(visits, field):>11}" for field in fields))
    return 0


if __name__ == "__main__":
    sys.exit(main())
