"""Controls as users change them, in headless Chromium with the network outside localhost blocked.

Each control is changed three times in a row (AppTest cannot see a widget that forgets every second
change); Back and Forward walk the views the user saw; a bookmarked sub-page opens on a freshly started
server; a custom group may contain the service; services outside England have profiles; a chart's PNG
is the same at any window size.
"""

from __future__ import annotations

import csv
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from components.png_export import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH
from observatory_data.serving.catalogue import CATALOGUE
from tests.support.browser import (
    ARTIFACTS,
    VIEWPORT,
    choose,
    download_chart_png,
    full_page_screenshot,
    no_exception,
    nudge_slider,
    open_page,
    pick_radio,
    running_app,
    selected,
    wait_for_app,
    wait_for_chart_title,
    wait_for_query,
)

LOANS, VISITS = CATALOGUE["loans"].label, CATALOGUE["visits"].label

pytestmark = pytest.mark.browser
KENT = "E10000016"
ESSEX = "E10000012"
METRIC_CHOICES = [
    (VISITS, "visits"),
    ("Active users", "active_users"),
    ("Event attendance", "event_attendance"),
]


@pytest.mark.parametrize(
    ("path", "label"),
    [("benchmark?service=" + KENT, "Metric for the chart"), ("places", "Metric"), ("map", "Metric")],
    ids=["benchmark", "places", "map"],
)
def test_the_last_select_box_follows_three_choices(browser_page, app_server: str, path: str, label: str) -> None:
    open_page(browser_page, f"{app_server}/{path}")
    if path == "map":
        # The map reports its first state once drawn; a change made before then can be lost (see the notes).
        frame = browser_page.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
        frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=30_000)
    for option, metric in METRIC_CHOICES:
        choose(browser_page, label, option)
        wait_for_query(browser_page, {"metric": metric})
        assert selected(browser_page, label) == option
        if path == "map":
            # While the map redraws, the old frame lingers beside the new one for a moment.
            frame = browser_page.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
            frame.locator(".map-title", has_text=option).wait_for(timeout=20_000)
        else:
            wait_for_chart_title(browser_page, option)
        no_exception(browser_page)


def test_trends_region_follows_three_choices(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/trends")
    for region in ("London", "North East", "South West"):
        choose(browser_page, "Region", region)
        wait_for_query(browser_page, {"region": region})
        wait_for_chart_title(browser_page, f"{region}, England")
    no_exception(browser_page)


def test_slider_follows_three_steps(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/benchmark?service={KENT}")
    for count in (16, 17, 18):
        nudge_slider(browser_page, "Number of nearest neighbours")
        wait_for_query(browser_page, {"peers": str(count)})
        wait_for_chart_title(browser_page, f"of its {count} nearest neighbours")


def test_radio_follows_three_choices(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/trends?offer=reading")
    for option, value, axis in (
        ("Counts", "count", "loans per month"),
        ("Indexed (April 2023 = 100)", "index", "Index, April 2023 = 100"),
        ("Rate per 1,000 residents", None, "loans per 1,000 residents"),
    ):
        pick_radio(browser_page, "Measure", option)
        wait_for_query(browser_page, {"measure": value})
        wait_for_chart_title(browser_page, axis[0].upper() + axis[1:])


def test_back_and_forward_walk_the_views_the_user_saw(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/benchmark?service={KENT}")
    choose(browser_page, "Metric for the chart", VISITS)
    wait_for_query(browser_page, {"metric": "visits"})
    choose(browser_page, "Metric for the chart", "Active users")
    wait_for_query(browser_page, {"metric": "active_users"})
    for move, metric, label in (
        (browser_page.go_back, "visits", VISITS),
        (browser_page.go_back, None, LOANS),
        (browser_page.go_forward, "visits", VISITS),
        (browser_page.go_forward, "active_users", "Active users"),
    ):
        move()
        wait_for_query(browser_page, {"metric": metric, "service": KENT})
        wait_for_chart_title(browser_page, f"{label} per 1,000 residents: Kent")
        # The select box shows the value a moment after the chart is drawn.
        browser_page.wait_for_function(
            "label => document.querySelector('[data-testid=stSidebar] input[aria-label=\"Metric for the chart\"]')"
            ".value === label",
            arg=label,
            timeout=5_000,
        )
        assert selected(browser_page, "Metric for the chart") == label
    full_page_screenshot(browser_page, ARTIFACTS / "back-forward.png")
    no_exception(browser_page)


# The chosen group's tests (it starts from the nearest neighbours, issue 20) are in tests/browser/test_peers_named.py.


def test_a_link_whose_group_holds_the_service_gets_a_notice(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/benchmark?service={ESSEX}&compare=custom&group={ESSEX},E10000030")
    notices = browser_page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("Essex itself" in text for text in notices), notices
    wait_for_chart_title(browser_page, "(1 services, in a chosen group of 1)")
    no_exception(browser_page)


@pytest.mark.parametrize(
    ("code", "name"),
    [("W06000015", "Cardiff"), ("N92000002", "Libraries NI"), ("JEY", "Jersey")],
)
def test_services_outside_england_have_a_profile(browser_page, app_server: str, code: str, name: str) -> None:
    open_page(browser_page, f"{app_server}/benchmark?service={code}")
    assert browser_page.locator("h1").first.inner_text().startswith(f"{name}: profile")
    # The heading can arrive before the rest of the script's output: wait for the text, then assert it.
    expect(browser_page.locator('[data-testid="stMain"]')).to_contain_text(
        "collects library activity for England only", timeout=30_000
    )
    assert not browser_page.locator('[data-testid="stAlert"]', has_text="not recognised").count()
    browser_page.locator('[data-testid="stImage"] img').first.wait_for()
    no_exception(browser_page)
    full_page_screenshot(browser_page, ARTIFACTS / f"profile-{code}.png")


@pytest.mark.parametrize("path", ["benchmark?service=E10000016", "trends?offer=health", "places", "map", "data"])
def test_first_visit_to_a_sub_page_on_a_fresh_server(browser, path: str) -> None:
    with running_app("server-fresh.log") as base:
        context = browser.new_context(viewport=dict(VIEWPORT))
        page = context.new_page()
        page.goto(f"{base}/{path}")
        wait_for_app(page)
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator('[role="dialog"]').count() == 0
        assert path.split("?")[0] in page.url
        no_exception(page)
        context.close()


def _downloaded_png(browser, base: str, width: int) -> bytes:
    context = browser.new_context(viewport={"width": width, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    open_page(page, f"{base}/benchmark?service={KENT}")
    data = download_chart_png(page).path().read_bytes()
    context.close()
    return data


def test_chart_png_is_the_same_size_at_any_window_with_the_title_inside(browser, app_server: str) -> None:
    images = {width: Image.open(io.BytesIO(_downloaded_png(browser, app_server, width))) for width in (1280, 1920)}
    expected = (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE)
    for width, image in images.items():
        image.save(ARTIFACTS / f"benchmark-export-{width}.png")
        assert image.size == expected, f"window {width}: {image.size}"
        grey = image.convert("L")
        band = grey.crop((0, 0, image.width, image.height // 10))  # the title and subtitle sit here
        assert band.getextrema()[0] < 80, f"window {width}: no dark title text at the top"
        right_edge = band.crop((band.width - band.width // 40, 0, band.width, band.height))
        assert right_edge.getextrema()[0] > 200, f"window {width}: the title runs into the right edge"


def test_chart_csv_reads_as_a_table_a_person_understands(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/benchmark?service={KENT}&metric=visits&year=2023")
    browser_page.get_by_text("Numbers behind this chart").first.click()  # the strip chart's (the year's)
    with browser_page.expect_download() as download:
        browser_page.get_by_role("button", name="Download CSV").first.click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    about = {row[0]: row[1] for row in rows[: rows.index([])]}
    assert about["Metric"] == VISITS and about["Period"] == "2023/24"
    assert about["Unit"] and about["Source"].startswith("Source: Arts Council England") and about["Licence"]
    header, *body = rows[rows.index([]) + 1 :]
    assert not [name for name in header if "_" in name], header
    kent = next(row for row in body if row[header.index("Service code")] == KENT)
    assert kent[header.index("Selected service")] == "true"
    rates = [row[header.index("Rate per 1,000 residents")] for row in body]
    assert all(len(rate.split(".")[-1]) <= 1 for rate in rates), rates[:5]


def test_briefing_mode_keeps_the_benchmarks_library_network(browser_page, app_server: str) -> None:
    """Briefing mode hides the toolbar and the tables under the charts, not the sections in words (issue 20)."""
    open_page(browser_page, f"{app_server}/benchmark?service={KENT}&briefing=1")
    main = browser_page.locator('[data-testid="stMain"]')
    # The network section comes after the charts: wait for it to be drawn, then count what the page holds.
    main.get_by_role("heading", name="Library network").wait_for()
    browser_page.get_by_role("heading", name="What is missing, and why").wait_for()
    assert main.get_by_role("heading", name="Library network").count() == 1
    assert main.get_by_text("Numbers behind this chart").count() == 0
    no_exception(browser_page)
