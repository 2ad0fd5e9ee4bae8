"""The library network: its words and map classes on tiny frames, the figures the page shows from the real
sources, and the page (and the profile of a service outside England) in AppTest."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from streamlit.proto.Metric_pb2 import Metric

from components.classes import NO_DATA
from components.exports import readable_csv
from components.network import (
    CHANGE_COLOURS,
    NOT_LISTED,
    about,
    change_classes,
    change_text,
    coverage,
    fewer_or_more,
    listed_change_text,
    listed_sentence,
    network_table,
    network_tiles,
    openings_and_closures,
    statutory_sentence,
    unrecorded_note,
)
from components.profile import network_facts
from observatory_data.serving.network_queries import (
    UK,
    area_codes,
    area_totals,
    change_since,
    listed_change,
    listed_now,
    recorded_codes,
    statutory_change,
)
from observatory_data.serving.tables import read_table
from tests.test_app_pages import exceptions, notices, run_page, shown_strings
from tests.test_network_queries import NETWORK, SERVICES

PAGE = "app_pages/network.py"
BENCHMARK = "app_pages/service_benchmark.py"
CARDIFF, KENT = "W06000015", "E10000016"
PEERS = pl.DataFrame({"service_code": ["E1", "E1"], "peer_code": ["E2", "W1"], "rank": [1, 2], "distance": [1.0, 2.0]})
BRANCHES = pl.DataFrame(
    {
        "service_code": ["W1", "W1", "W1", "E1"],
        "name": ["Old Library", "New Library", "Town Library", "East Library"],
        "status": ["closed", "open", "open", "open"],
        "type_label": ["Local authority run library"] * 4,
        "year_opened": [None, 2018, None, None],
        "year_closed": [2015, None, None, None],
        "staffed_hours_week": [None, 20.0, None, 30.0],
    },
    schema_overrides={"year_opened": pl.Int64, "year_closed": pl.Int64},
)


# Words and classes, on tiny frames


def test_change_and_coverage_in_words() -> None:
    assert change_text(-3, -12.5) == "−3 (−12.5%)"
    assert change_text(4, 4.2) == "+4 (+4.2%)"
    assert change_text(0, 0.0) == "no change"
    assert change_text(None, None) == "not known"
    assert coverage(176, 179) == "176 of 179 services have a count"
    assert coverage(22, 22) == "all 22 services have a count"
    assert coverage(1, 1) == "the one service has a count"


def test_the_statutory_sentence_says_fewer_and_on_which_services() -> None:
    change = statutory_change(NETWORK, ["E1", "E2"])
    assert fewer_or_more(change) == "3 fewer than in 2010 (−25.0%)"
    text = statutory_sentence(change, "the area")
    assert text.startswith("**9** statutory libraries in the area in 2023; **3 fewer than in 2010** (−25.0%)")
    assert "the 1 of 2 services ACE's dataset counts in both years" in text
    assert statutory_sentence(statutory_change(NETWORK, ["W1"]), "Wales") == ""


def test_the_lists_change_is_given_where_recorded_and_said_not_recorded_elsewhere() -> None:
    england = listed_change_text(listed_change(NETWORK, ["E1", "E2"], 2023))
    assert england == "−1 (−3.3%) (30 at the end of 2010, 29 at the end of 2023) on all 2 services"
    assert listed_change_text(listed_change(NETWORK, ["N1"], 2023)).startswith("not recorded (the list gives no")
    uk = listed_change_text(listed_change(NETWORK, area_codes(SERVICES, UK), 2023))
    assert uk == "not recorded (the list gives opening or closing years from 2010 on for only 2 of 5 services)"
    sentence = listed_sentence(NETWORK, ["N1"], "Northern Ireland", 2023)
    assert "**97** service points listed as open in Northern Ireland at the end of 2023" in sentence
    assert "including community-run ones and those with no opening year" in sentence
    assert "Change since the end of 2010: not recorded" in sentence
    note = unrecorded_note(SERVICES, area_codes(SERVICES, UK), recorded_codes(NETWORK, area_codes(SERVICES, UK)))
    assert note == "Not recorded, so not counted: Cymru Town, Island, Libraries NI."


def test_map_classes_are_fixed_and_the_unrecorded_is_grey_with_its_own_label() -> None:
    change = change_since(NETWORK, 2023)
    classes = change_classes(change, SERVICES, "percent", 2023)
    colour = dict(classes.frame.select("service_code", "colour").iter_rows())
    assert colour["E1"] == CHANGE_COLOURS[1]  # −20%: 10% to 25% fewer
    assert colour["E2"] == CHANGE_COLOURS[4]  # +1: more
    assert colour["N1"] == colour["C1"] == NO_DATA  # nothing recorded: never "no change"
    text = dict(classes.frame.select("service_code", "change_text").iter_rows())
    assert text["N1"] == "not recorded"
    assert (NO_DATA, NOT_LISTED) in classes.legend("")
    by_count = change_classes(change, SERVICES, "count", 2023)
    assert dict(by_count.frame.select("service_code", "colour").iter_rows())["E1"] == CHANGE_COLOURS[1]  # −2


def test_openings_and_closures_latest_first_with_blank_years() -> None:
    events = openings_and_closures(BRANCHES, "W1")
    assert events["Service point"].to_list() == ["New Library", "Old Library"]  # Town Library has no years
    assert events["Year closed"].to_list() == [None, 2015]


def test_nation_tiles_england_statutory_with_a_down_arrow_elsewhere_not_recorded() -> None:
    tiles = network_tiles(NETWORK, SERVICES)
    assert [tile.label for tile in tiles] == [
        "England: statutory libraries, 2023",
        "Wales: service points listed, 2023",
        "Northern Ireland: service points listed, 2023",
        "Crown Dependencies",
    ]
    england, wales, ni, island = tiles
    # Streamlit points the arrow down only for a delta starting with an ASCII '-'.
    assert (england.value, england.delta) == ("9", "-3 (-25.0%) since 2010")
    assert "3 fewer than in 2010 (−25.0%), on the 1 of 2 services counted in both years" in england.detail
    assert (wales.value, wales.delta) == ("4", None) and "Change since 2010: not recorded" in wales.detail
    assert (ni.value, ni.delta) == ("97", None) and "not recorded" in ni.detail and "no change" not in ni.detail
    assert island.value == "not known" and island.delta is None


def test_network_facts_compare_with_the_nation_and_the_peers() -> None:
    facts = dict(network_facts(NETWORK, SERVICES, "E1", PEERS))
    assert facts["Statutory libraries (Arts Council England)"] == "9 in 2023; 3 fewer than in 2010 (−25.0%)"
    assert facts["Service points listed as open, end of 2023 (Libraries Hacked's list)"] == "8"
    assert facts["Change in the list since 2010"] == "−2 (−20.0%) (10 at the end of 2010, 8 at the end of 2023)"
    # E1 8 per 100k; England 29 over 300,000; its two peers: E2 10.5 and W1 8.0, median 9.25.
    assert facts["Listed as open per 100,000 residents, end of 2023"] == (
        "8.0; England 9.7 (all 2 services); median of its 2 nearest neighbours (ONS) 9.2"
    )
    assert facts["Weekly staffed hours per 1,000 residents"] == "not known"


def test_network_facts_outside_england_say_not_recorded_and_what_is_missing() -> None:
    welsh = dict(network_facts(NETWORK, SERVICES, "W1", PEERS, BRANCHES))
    assert "Statutory libraries (Arts Council England)" not in welsh
    assert welsh["Change in the list since 2010"].startswith("not recorded")
    assert welsh["Listed as open per 100,000 residents, end of 2023"] == "8.0"  # the one Welsh service
    assert welsh["Weekly staffed hours per 1,000 residents"].startswith("0.40 (20 hours a week; Libraries Hacked")
    assert "known for 1 of 2 open points" in welsh["Weekly staffed hours per 1,000 residents"]
    ni = dict(network_facts(NETWORK, SERVICES, "N1", None, BRANCHES))
    assert ni["Service points listed as open, end of 2023 (Libraries Hacked's list)"] == "97"
    assert ni["Change in the list since 2010"].startswith("not recorded")
    assert ni["Listed as open per 100,000 residents, end of 2023"].startswith("not known: no ONS mid-2024 population")
    assert network_facts(NETWORK, SERVICES, "C1")[-1][1].startswith("not known: the service has no points")


def test_the_csv_says_what_it_is_with_plain_headers() -> None:
    totals = area_totals(NETWORK, SERVICES)
    text = readable_csv(network_table(totals), about("T", "Listed as open", "service points", "2010", "S")).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    described = {row[0]: row[1] for row in rows[: rows.index([])]}
    assert described["Metric"] == "Listed as open" and "not closed by its end" in described["Definition"]
    assert "community groups" in described["Definition"]
    assert "volunteers" in described["Notes"] and "Libraries Hacked" in described["Licence"]
    header = rows[rows.index([]) + 1]
    assert not [name for name in header if "_" in name], header


# The figures the page shows, from the real sources


@pytest.fixture(scope="module")
def real() -> tuple[pl.DataFrame, pl.DataFrame]:
    return read_table("network"), read_table("services")


def test_englands_headline_is_aces_statutory_count(real) -> None:
    # Hand-counted from ACE's CSV in tests/test_network.py: 3,138 statutory in 2010, 2,787 in 2023. The Isles of
    # Scilly are not in ACE's dataset, so the change rests on 152 of the 153 services.
    network, services = real
    change = statutory_change(network, area_codes(services, "England"))
    assert (change.before, change.after, change.change, round(change.change_pct, 1)) == (3_138, 2_787, -351, -11.2)
    assert (change.services, change.of) == (152, 153)
    text = statutory_sentence(change, "England")
    assert text.startswith("**2,787** statutory libraries in England in 2023; **351 fewer than in 2010** (−11.2%)")


@pytest.mark.parametrize(
    ("area", "listed", "known", "recorded"),
    [(UK, 3_274, 176, 137), ("England", 2_914, 153, 136), ("Wales", 263, 22, 1), ("Northern Ireland", 97, 1, 0)],
)
def test_the_list_as_the_page_shows_it(real, area: str, listed: int, known: int, recorded: int) -> None:
    network, services = real
    codes = area_codes(services, area)
    assert listed_now(network, codes) == (listed, known)
    assert len(recorded_codes(network, codes)) == recorded
    change = listed_change(network, codes, 2023)
    assert change.publishable == (area in (UK, "England"))  # Wales 1 of 22 and NI 0 of 1: not recorded


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
