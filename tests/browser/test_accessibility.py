"""axe-core on every page and inside the map's iframe, in Chromium: no critical and no serious violation.

Moderate and minor findings are written to tests/artifacts/axe-<page>.txt for review (the report names each
rule and element), and the ones the issue named (heading order, the map frame's landmarks) are asserted.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import ARTIFACTS, open_with_charts, wait_for_app, wait_for_charts, wait_for_query
from tests.support.pages import app_pages

pytestmark = pytest.mark.browser
BLOCKING = ("critical", "serious")
NAMED = ("heading-order", "landmark-one-main", "meta-viewport", "page-has-heading-one", "region")


def violations(target) -> list[dict]:
    """axe-core's violations in a page or a frame (axe runs in that document)."""
    return Axe().run(target).response["violations"]


def summary(found: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']} ({len(v['nodes'])}): {v['help']} e.g. {v['nodes'][0]['target']}" for v in found
    )


@pytest.mark.parametrize(("path", "url"), app_pages())
def test_no_critical_or_serious_violation(browser_page, app_server: str, path: str, url: str) -> None:
    open_with_charts(browser_page, app_server, path, url)
    found = violations(browser_page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{url or 'overview'}.txt").write_text(summary(found))
    assert not [v for v in found if v["impact"] in BLOCKING], summary(found)
    assert not [v for v in found if v["id"] in NAMED], summary(found)


@pytest.mark.parametrize("query", ["", "?offer=health", "?metric=physical_book_loans&year=2024"])
def test_offer_trends_without_a_service_has_no_serious_violation(browser_page, app_server: str, query: str) -> None:
    """Without a service the nearest-neighbours slider was drawn greyed out, its faded label a serious colour-contrast
    violation (issue 20); the parametrised test above opens /trends with a service, so it never saw it."""
    browser_page.goto(f"{app_server}/trends{query}")
    wait_for_app(browser_page)
    wait_for_charts(browser_page)
    found = violations(browser_page)
    (ARTIFACTS / f"axe-trends-{query.strip('?').replace('&', '-') or 'no-service'}.txt").write_text(summary(found))
    assert not [v for v in found if v["impact"] in BLOCKING], summary(found)


def test_no_violation_inside_the_map_frame(browser_page, app_server: str) -> None:
    browser_page.goto(f"{app_server}/map")
    wait_for_app(browser_page)
    browser_page.wait_for_selector("iframe", timeout=30_000)
    frame = next(f for f in browser_page.frames if f != browser_page.main_frame and f.url != "about:blank")
    frame.wait_for_selector(".leaflet-container", timeout=30_000)
    found = violations(frame)
    (ARTIFACTS / "axe-map-frame.txt").write_text(summary(found))
    assert not [v for v in found if v["impact"] in BLOCKING or v["id"] in NAMED], summary(found)


def ring(box) -> str:
    """How the select box's frame (the input's parent) is drawn: its border and shadow show the focus."""
    return box.evaluate(
        "element => { const style = getComputedStyle(element.parentElement);"
        " return [style.borderColor, style.boxShadow, style.outline].join(' | '); }"
    )


def test_a_service_is_chosen_on_the_map_page_with_the_keyboard_alone(browser_page, app_server: str) -> None:
    browser_page.goto(f"{app_server}/map")
    wait_for_app(browser_page)
    browser_page.wait_for_selector("iframe", timeout=30_000)
    box = browser_page.get_by_label("Find a service (type to search)")
    for _ in range(60):  # Tab through the page until the search box has the focus
        browser_page.keyboard.press("Tab")
        if box.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the search box is not reachable with Tab")
    focused = ring(box)
    browser_page.evaluate("document.activeElement.blur()")
    assert ring(box) != focused, "focus is not visible: the box looks the same with and without it"
    box.focus()
    browser_page.keyboard.type("Barnsl")
    browser_page.keyboard.press("Enter")
    wait_for_query(browser_page, {"service": "E08000016"})
    link = browser_page.get_by_text("Selected: Barnsley. Open its benchmark profile")
    link.wait_for(timeout=15_000)
