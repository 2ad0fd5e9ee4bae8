"""A new visitor's page in two runs (app_pages.kit.first_paint): a browser's first run stops after the page's top, and
the browser's report that the top is drawn brings the rest. AppTest runs no browser, so one is assumed here."""

from __future__ import annotations

import pytest

from app_pages.kit import first_paint
from tests.support.apptest import exceptions, run_page

# Every page with a split, at a link that draws its first chart; the benchmark's top is its strip, not its table.
SPLIT_PAGES = [
    ("app_pages/home.py", {}),
    ("app_pages/offer_trends.py", {}),
    ("app_pages/priority_places.py", {}),
    ("app_pages/service_benchmark.py", {"service": "E08000016"}),
    ("app_pages/network.py", {}),
]


@pytest.mark.parametrize(("page", "params"), SPLIT_PAGES)
def test_a_browsers_first_run_sends_the_top_and_its_report_the_rest(monkeypatch, page: str, params: dict) -> None:
    monkeypatch.setattr(first_paint, "_in_a_browser", lambda: True)
    app = run_page(page, params)
    assert not app.exception, exceptions(app)
    assert len(app.get("plotly_chart")) == 1, "the top is the page's first chart and what is above it"
    assert not app.dataframe, "no table is sent with the top"
    reporters = len(app.sidebar.get("bidi_component"))  # the width reporter (app_pages.kit.width) and this one
    app.session_state[first_paint._DRAWN_KEY] = True  # what the reporter's callback sets
    app.run()
    assert not app.exception, exceptions(app)
    assert len(app.get("plotly_chart")) > 1 or app.dataframe, "the rest of the page did not follow the report"
    assert len(app.sidebar.get("bidi_component")) == reporters - 1, "the reporter stays once the page is whole"


def test_without_a_browser_the_page_is_whole_in_one_run() -> None:
    app = run_page("app_pages/network.py", {})
    assert not app.exception, exceptions(app)
    assert len(app.get("plotly_chart")) == 5
