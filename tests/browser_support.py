"""A real app server and a headless Chromium page that can reach nothing but localhost."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_pages import ROOT

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


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
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
    log = (ARTIFACTS / "server.log").open("w")
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
        pytest.fail("the app did not answer its health check within 60 s; see tests/artifacts/server.log")
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser(app_server: str):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # The server's first session is routed by the pages/ folder; open the root once so that every
        # test meets the app as users do after that.
        warm = instance.new_page()
        warm.goto(app_server)
        wait_for_app(warm)
        warm.close()
        yield instance
        instance.close()


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


@pytest.fixture()
def browser_page(browser):
    """A fresh page whose every request outside localhost is aborted (and recorded)."""
    context = browser.new_context(viewport=dict(VIEWPORT))
    page = context.new_page()
    problems = PageProblems()

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(LOCAL_PREFIXES):
            request_route.continue_()
        else:
            problems.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and problems.console.append(message.text))
    page.on("pageerror", lambda error: problems.console.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and problems.failed_responses.append(response.url))
    page.problems = problems
    yield page
    context.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Until the script has finished running (no running indicator) and the main block has content."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


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
