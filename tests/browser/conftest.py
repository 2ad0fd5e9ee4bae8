"""The app served by `streamlit run` over the session's build, and headless Chromium pages that can reach nothing
but localhost. Every test here is marked `browser`; the helpers (waiting, choosing, screenshots) are in
tests/support/browser.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_PREFIXES, VIEWPORT, PageProblems, running_app


@pytest.fixture(scope="session", autouse=True)
def the_build(prepared_tables: Path) -> Path:
    """Every page here reads the session's build (the server inherits OBSERVATORY_PREPARED)."""
    return prepared_tables


@pytest.fixture(scope="session")
def app_server(prepared_tables: Path) -> Iterator[str]:
    """One app server for the browser tests, over the session's build (it inherits OBSERVATORY_PREPARED)."""
    with running_app() as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def browser_page(browser):
    """A fresh page whose every request outside localhost is aborted (and recorded)."""
    context = browser.new_context(viewport=dict(VIEWPORT), accept_downloads=True)
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
