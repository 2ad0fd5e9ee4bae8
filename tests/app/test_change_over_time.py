"""Change over time (issue 10): each page takes a year from its link and answers a bad one with a notice, and says
the change in words (AppTest)."""

from __future__ import annotations

import json
import re

import pytest

from observatory_data.serving.catalogue import CATALOGUE
from tests.support.apptest import exceptions, notices, run_page

# Each page with a year in its link, and with a year that is not there.
LOANS_LABEL = CATALOGUE["loans"].label  # the catalogue's words, which the build puts in the metrics table
PAGE_YEAR_TEXT = {
    "app_pages/home.py": "England, 2024/25",
    "app_pages/offer_trends.py": f"{LOANS_LABEL} by year, 2023/24 to 2024/25: England",
    "app_pages/service_benchmark.py": "2024/25",
    "app_pages/data_methods.py": "Coverage per metric and nation, 2024/25",
}


def _texts(app) -> str:
    """The page's words; a chart's heading with its line breaks and markup dropped (a long title wraps)."""
    charts = [
        json.dumps(json.loads(chart.proto.spec)["layout"], ensure_ascii=False) for chart in app.get("plotly_chart")
    ]
    charts = [re.sub(r" +", " ", re.sub(r"<[^>]+>", " ", chart)) for chart in charts]
    return "\n".join([*(node.value for node in [*app.header, *app.caption, *app.markdown]), *charts])


@pytest.mark.parametrize("page", PAGE_YEAR_TEXT)
def test_a_page_takes_the_year_from_its_link(page: str) -> None:
    app = run_page(page, {"year": "2024"})
    assert not app.exception, exceptions(app)
    assert not notices(app)
    assert PAGE_YEAR_TEXT[page] in _texts(app), page
    assert next(box.value for box in app.selectbox if box.label == "Year") == 2024


@pytest.mark.parametrize("page", PAGE_YEAR_TEXT)
def test_a_year_not_held_gets_a_notice_and_the_latest_year(page: str) -> None:
    app = run_page(page, {"year": "1999"})
    assert not app.exception, exceptions(app)
    assert [text for text in notices(app) if "year" in text]
    year = next(box.value for box in app.selectbox if box.label == "Year")
    assert year == 2025 and "1999" not in _texts(app)


def test_overview_says_the_change_and_the_years_coverage() -> None:
    app = run_page("app_pages/home.py", {})
    # Issue 19: the change is on the same services, with its n, never estimate to estimate.
    texts = [block.value for block in [*app.caption, *app.markdown]]
    assert any(
        text.startswith("Change on the same services: ")
        and " from 2024/25 to 2025/26, the change in the total of the " in text
        and " services countable in both years" in text
        for text in texts
    ), texts
    assert not any(text.startswith("Change in the estimate") for text in texts)
    chart = json.dumps(json.loads(app.get("plotly_chart")[0].proto.spec))
    assert "estimated per year, 2023/24 to 2025/26" in chart and "services reported" in chart


def test_benchmark_says_the_direction_in_words() -> None:
    app = run_page("app_pages/service_benchmark.py", {"service": "E10000016", "metric": "visits"})  # Kent
    sentence = next(md.value for md in app.markdown if md.value.startswith(f"{CATALOGUE['visits'].label} per 1,000"))
    assert " from 2023/24 to 2025/26 (its own rate); the median rate of the " in sentence
    assert " neighbours comparable in all three years " in sentence
