"""The library network page (and the profile of a service outside England) in AppTest."""

from __future__ import annotations

import pytest
from streamlit.proto.Metric_pb2 import Metric

from tests.support.apptest import exceptions, notices, run_page, shown_strings

PAGE = "app_pages/network.py"
BENCHMARK = "app_pages/service_benchmark.py"
CARDIFF, KENT = "W06000015", "E10000016"


# The page in AppTest


def page_text(app) -> str:
    return "\n".join(shown_strings(app))


@pytest.mark.parametrize(
    ("area", "title", "expected"),
    [
        ({}, "Library network: The UK (not Scotland)", "**2,787** statutory libraries in England in 2023"),
        ({"area": "Wales"}, "Library network: Wales", "Change since the end of 2010: not recorded"),
        ({"area": "Northern Ireland"}, "Library network: Northern Ireland", "No line is drawn"),
        ({"area": "London"}, "Library network: London", "Change in service points listed as open since 2010: London"),
        ({"area": KENT}, "Library network: Kent", "Openings and closures in Kent"),
        ({"area": CARDIFF, "change": "count"}, "Library network: Cardiff", "Change in the list since 2010**: not "),
        ({"area": "JEY"}, "Library network: Jersey", "not known: the service has no points"),
    ],
    ids=["uk", "wales", "ni", "london", "kent", "cardiff-count", "jersey"],
)
def test_the_page_shows_each_kind_of_area(area: dict[str, str], title: str, expected: str) -> None:
    app = run_page(PAGE, area)
    assert not app.exception, exceptions(app)
    assert not notices(app)
    assert app.title[0].value == title
    assert expected in page_text(app)
    assert "2025" not in page_text(app)  # no series runs past its source


def test_the_strong_series_comes_first_and_the_list_says_what_it_counts() -> None:
    app = run_page(PAGE, {"area": "England"})
    assert not app.exception, exceptions(app)
    headers = [header.value for header in app.header]
    assert headers.index("Statutory libraries (Arts Council England)") < headers.index(
        "Service points in Libraries Hacked's list"
    )
    text = page_text(app)
    assert text.index("**2,787** statutory libraries in England") < text.index("**2,914** service points listed")
    assert "including community-run ones and those with no opening year" in text
    assert "Not recorded, so not counted: 17 of the 153 English services" in text


def test_england_only_parts_say_so_outside_england() -> None:
    app = run_page(PAGE, {"area": "Wales"})
    assert any("covers England only" in info.value for info in app.info)
    assert not [header for header in app.header if "Statutory" in header.value]
    uk = page_text(run_page(PAGE, {}))
    assert "Statutory and community-run libraries in England, 2010 to 2023" in uk
    assert "Scotland's services are not in the observatory's register" in uk


def test_a_bad_area_gets_a_notice_and_the_uk() -> None:
    app = run_page(PAGE, {"area": "xyz"})
    assert not app.exception, exceptions(app)
    assert notices(app) == ["The link's area was not recognised, so the default is shown."]
    assert app.title[0].value == "Library network: The UK (not Scotland)"
    assert not [text for text in page_text(app).split("\n") if "xyz" in text]


def test_briefing_mode_hides_the_tables() -> None:
    app = run_page(PAGE, {"area": "England", "briefing": "1"})
    assert not app.exception, exceptions(app)
    assert not [e for e in app.expander if "Numbers behind" in e.label]
    assert len(app.get("plotly_chart")) >= 4


def test_a_welsh_profile_on_the_benchmark_page_says_not_recorded() -> None:
    app = run_page(BENCHMARK, {"service": CARDIFF})
    assert not app.exception, exceptions(app)
    text = page_text(app)
    assert "Cardiff: profile" in app.title[0].value
    assert "**Change in the list since 2010**: not recorded" in text
    assert "**Service points closed (listed)**: not recorded" in text
    assert "no change" not in text
    assert "Listed as open per 100,000 residents, end of 2023" in text and "Wales 8.3 (all 22 services)" in text


def test_an_english_benchmark_and_the_overview_lead_with_aces_statutory_count() -> None:
    app = run_page(BENCHMARK, {"service": "E06000001"})  # Hartlepool: 8 statutory in 2010, 6 in 2023 (ACE)
    assert not app.exception, exceptions(app)
    assert "**Statutory libraries (Arts Council England)**: 6 in 2023; 2 fewer than in 2010 (−25.0%)" in page_text(app)
    overview = run_page("app_pages/home.py", {})
    assert not overview.exception, exceptions(overview)
    tiles = {metric.label.split(":")[0]: metric for metric in overview.metric}
    assert {"England", "Wales", "Northern Ireland"} <= set(tiles)
    england = tiles["England"]
    assert england.label == "England: statutory libraries, 2023"
    assert (england.value, england.proto.delta) == ("2,787", "-351 (-11.2%) since 2010")
    assert england.proto.direction == Metric.MetricDirection.DOWN
    for nation in ("Wales", "Northern Ireland"):  # not recorded: no delta, so no arrow
        assert tiles[nation].proto.direction == Metric.MetricDirection.NONE


def test_the_year_the_page_runs_to_is_a_link() -> None:
    app = run_page(PAGE, {"area": "E06000001", "year": "2016"})  # Hartlepool: 6 at the end of 2010, 5 in 2016
    assert not app.exception, exceptions(app)
    assert "end of 2010 to end of 2016" in page_text(app)
    bad = run_page(PAGE, {"year": "2025"})  # past the last year the list records: not offered
    assert not bad.exception, exceptions(bad)
    assert notices(bad) and "end of 2023" in page_text(bad)
