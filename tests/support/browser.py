"""A real app server and a headless Chromium page that can reach nothing but localhost."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app_pages.kit.first_paint import REPORTER_KEY
from tests.support.pages import ROOT, url_parameters

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
TALLEST_SCREENSHOT = 12_000
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(log_name: str = "server.log") -> Iterator[str]:
    """`streamlit run app.py` on a free port; yields its base URL once it answers its health check."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
    ]
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail(f"the app did not answer its health check within 60 s; see {log.name}")
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


# Streamlit's front end looks for its server under the page's path before the root; those 404s are its
# normal discovery, not failures of the app.
STREAMLIT_PROBES = ("/_stcore/health", "/_stcore/host-config")
HTTP_FAILURE = "Failed to load resource: the server responded with a status of"


class PageProblems:
    """What went wrong in the page: console errors, page errors, failed responses, requests that tried to leave."""

    def __init__(self) -> None:
        self.console: list[str] = []
        self.failed_responses: list[str] = []
        self.blocked: list[str] = []

    @property
    def console_errors(self) -> list[str]:
        """Console errors, less the HTTP-failure lines that stand for Streamlit's own path probes."""
        unexplained = [url for url in self.failed_responses if not url.endswith(STREAMLIT_PROBES)]
        if unexplained:
            return self.console + unexplained
        return [message for message in self.console if not message.startswith(HTTP_FAILURE)]


# The page is whole: its script has finished, and no first-paint reporter waits to ask for the rest of the page (a new
# visitor's first run stops after the page's top; app_pages.kit.first_paint).
WHOLE = f"""() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === "notRunning"
    && !document.querySelector('[data-testid="stStatusWidget"]') && !document.querySelector('.st-key-{REPORTER_KEY}')"""


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Until the script has finished running (no running indicator), the main block has content and the page is whole
    (a new visitor's page arrives in two runs: its top, then the rest)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=timeout)
    page.wait_for_function(WHOLE, timeout=timeout)


def full_page_screenshot(page, path: Path) -> None:
    """The whole page as one image: Streamlit scrolls inside its main block, so the window grows to fit it."""
    measure = """() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return Math.max(main ? main.scrollHeight : 0, document.documentElement.scrollHeight);
    }"""
    for _ in range(2):  # charts reflow to the new window, which can change the height once more
        height = min(page.evaluate(measure), TALLEST_SCREENSHOT)
        page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
        page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def open_page(page, url: str) -> None:
    """Go to `url` and wait until the script has finished."""
    page.goto(url)
    wait_for_app(page)


def sidebar_widget(page, test_id: str, label: str):
    """The sidebar widget of this kind (stSelectbox, stSlider, ...) whose label is `label`."""
    return page.locator(f'[data-testid="stSidebar"] [data-testid="{test_id}"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=label)
    )


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the sidebar select box labelled `label`, as a user does: open it, click the option."""
    box = sidebar_widget(page, "stSelectbox", label).locator("input")
    box.click()
    box.fill(option)  # the list is virtualised: typing brings the option into it
    page.get_by_role("option", name=option, exact=True).click()


def selected(page, label: str) -> str:
    """What the sidebar select box labelled `label` shows."""
    return sidebar_widget(page, "stSelectbox", label).locator("input").input_value()


def add_to_multiselect(page, label: str, option: str) -> None:
    """Add `option` to the sidebar multiselect labelled `label`."""
    box = sidebar_widget(page, "stMultiSelect", label).locator("input")
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def pick_radio(page, label: str, option: str) -> None:
    sidebar_widget(page, "stRadio", label).get_by_text(option, exact=True).click()


def nudge_slider(page, label: str, key: str = "ArrowRight") -> None:
    """One step of the sidebar slider labelled `label`, with the keyboard (as a user who tabs to it)."""
    sidebar_widget(page, "stSlider", label).get_by_role("slider").focus()
    page.keyboard.press(key)


def wait_for_query(page, expected: dict[str, str | None], timeout: float = 15_000) -> None:
    """Until the URL holds each expected parameter (None: absent), then until the rerun has finished."""
    page.wait_for_function(
        """expected => {
            const params = new URLSearchParams(location.search);
            return Object.entries(expected).every(([k, v]) => params.get(k) === v);
        }""",
        arg=expected,
        timeout=timeout,
    )
    wait_for_app(page)


def chart_titles(page) -> list[str]:
    """The text of every Plotly chart title and annotation on the page (lines joined by spaces)."""
    return page.locator(".js-plotly-plot .gtitle, .js-plotly-plot .annotation-text").evaluate_all(
        "nodes => nodes.map(n => Array.from(n.querySelectorAll('tspan.line')).map(t => t.textContent).join(' ')"
        " || n.textContent)"
    )


def wait_for_chart_title(page, text: str, timeout: float = 15_000) -> None:
    """Until a Plotly chart's title (drawn as its title or as an annotation, with its subtitle) contains `text`."""
    page.wait_for_function(
        """text => Array.from(document.querySelectorAll(
            '.js-plotly-plot .gtitle, .js-plotly-plot .annotation-text'
        )).some(node => {
            const lines = Array.from(node.querySelectorAll('tspan.line')).map(t => t.textContent);
            return (lines.length ? lines.join(' ') : node.textContent).replace(/\\s+/g, ' ').includes(text);
        })""",
        arg=text,
        timeout=timeout,
    )


CHART_TIMEOUT = 30_000


def wait_for_charts(page) -> None:
    """Until every Plotly chart the script sent has drawn its SVG."""
    expected = page.locator('[data-testid="stPlotlyChart"]').count()
    if expected:
        page.wait_for_function(
            "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
            arg=expected,
            timeout=CHART_TIMEOUT,
        )


def open_with_charts(page, base: str, path: str, url: str) -> None:
    """The app page `path` at `url`, drawn to its last chart; a page that can show one service is opened with one
    (Barnsley), so its service-specific parts render too."""
    query = "?service=E08000016" if "service" in url_parameters(path) else ""
    page.goto(f"{base}/{url}{query}")
    wait_for_app(page)
    wait_for_charts(page)


def download_chart_png(page):
    """The download the first chart's PNG button (in Plotly's modebar, shown on hover) gives."""
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    with page.expect_download() as download:
        chart.locator(
            '.modebar-btn[data-title="Download plot as a PNG"], .modebar-btn[data-title*="png"]'
        ).first.click()
    return download.value


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, "an exception box is shown"
    assert "Traceback" not in page.content()


def main_notice(page, text: str):
    """The notice with `text` in the page's main column (not the sidebar, which a phone hides)."""
    return page.locator('[data-testid="stMain"] [data-testid="stAlert"]').filter(has_text=text)
