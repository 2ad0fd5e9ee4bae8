"""The library network: its words and map classes on tiny frames, the figures the page shows from the real
sources, and the page (and the profile of a service outside England) in AppTest."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from components.classes import NO_DATA
from components.exports import readable_csv
from components.network import (
    CHANGE_COLOURS,
    NOT_LISTED,
    about,
    change_classes,
    change_text,
    coverage,
    headline,
    network_table,
    network_tiles,
    openings_and_closures,
)
from components.profile import network_facts
from observatory_data.network import UK, area_codes, area_totals, change_since
from observatory_data.tables import read_table
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


def test_headline_gives_the_ends_the_change_and_the_coverage() -> None:
    text = headline(area_totals(NETWORK, SERVICES), "the area", (2010, 2023))
    assert text.startswith("**132** libraries open in the area at the end of 2010, **130** at the end of 2023")
    assert "a change of −2 (−1.5%) since 2010; 4 of 5 services have a count." in text
    assert headline(area_totals(NETWORK, SERVICES, ["C1"]), "the island", (2010, 2023)) == ""


def test_map_classes_are_fixed_and_the_unknown_is_grey_with_its_own_label() -> None:
    change = change_since(NETWORK, 2023)
    classes = change_classes(change, SERVICES, "percent", 2023)
    colour = dict(classes.frame.select("service_code", "colour").iter_rows())
    assert colour["E1"] == CHANGE_COLOURS[1]  # −20%: 10% to 25% fewer
    assert colour["E2"] == CHANGE_COLOURS[4]  # +1: more
    assert colour["N1"] == CHANGE_COLOURS[3]  # no change
    assert colour["C1"] == NO_DATA
    assert (NO_DATA, NOT_LISTED) in classes.legend("")
    by_count = change_classes(change, SERVICES, "count", 2023)
    assert dict(by_count.frame.select("service_code", "colour").iter_rows())["E1"] == CHANGE_COLOURS[1]  # −2


def test_openings_and_closures_latest_first_with_blank_years() -> None:
    events = openings_and_closures(BRANCHES, "W1")
    assert events["Service point"].to_list() == ["New Library", "Old Library"]  # Town Library has no years
    assert events["Year closed"].to_list() == [None, 2015]


def test_nation_tiles_in_the_order_of_the_nations_with_unknown_said() -> None:
    tiles = network_tiles(NETWORK, SERVICES)
    assert [tile.label for tile in tiles] == ["England", "Wales", "Northern Ireland", "Crown Dependencies"]
    england, wales, ni, island = tiles
    assert (england.value, england.delta) == ("29", "−1 (−3.3%) since 2010")
    assert (wales.value, wales.delta) == ("4", "−1 (−20.0%) since 2010")
    assert ni.delta == "no change since 2010"
    assert island.value == "not known" and island.delta is None


def test_network_facts_compare_with_the_nation_and_the_peers() -> None:
    facts = dict(network_facts(NETWORK, SERVICES, "E1", PEERS))
    assert facts["Libraries open, end of 2010"] == "10"
    assert facts["Change since 2010"] == "−2 (−20.0%)"
    # E1 8 per 100k; England 29 over 300,000; its two peers: E2 10.5 and W1 8.0, median 9.25.
    assert facts["Libraries per 100,000 residents, end of 2023"] == (
        "8.0; England 9.7 (all 2 services); median of its 2 nearest neighbours (ONS) 9.2"
    )
    assert facts["Weekly staffed hours per 1,000 residents"] == "not known"


def test_network_facts_outside_england_use_listed_hours_and_say_what_is_missing() -> None:
    welsh = dict(network_facts(NETWORK, SERVICES, "W1", PEERS, BRANCHES))
    assert welsh["Libraries per 100,000 residents, end of 2023"] == "8.0"  # the one Welsh service: no comparison
    assert welsh["Weekly staffed hours per 1,000 residents"].startswith("0.40 (20 hours a week; Libraries Hacked")
    assert "known for 1 of 2 open points" in welsh["Weekly staffed hours per 1,000 residents"]
    ni = dict(network_facts(NETWORK, SERVICES, "N1", None, BRANCHES))
    assert ni["Libraries open, end of 2023"] == "97"
    assert ni["Libraries per 100,000 residents, end of 2023"].startswith("not known: no ONS mid-2024 population")
    assert network_facts(NETWORK, SERVICES, "C1")[0][1].startswith("not known: the service has no points")


def test_the_csv_says_what_it_is_with_plain_headers() -> None:
    totals = area_totals(NETWORK, SERVICES)
    text = readable_csv(network_table(totals), about("T", "Libraries open", "service points", "2010", "S")).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    described = {row[0]: row[1] for row in rows[: rows.index([])]}
    assert described["Metric"] == "Libraries open" and "not closed by its end" in described["Definition"]
    assert "volunteers" in described["Notes"] and "Libraries Hacked" in described["Licence"]
    header = rows[rows.index([]) + 1]
    assert not [name for name in header if "_" in name], header


# The figures the page shows, from the real sources


@pytest.fixture(scope="module")
def real() -> tuple[pl.DataFrame, pl.DataFrame]:
    return read_table("network"), read_table("services")


@pytest.mark.parametrize(
    ("area", "open_2010", "open_2023", "known"),
    [(UK, 3_353, 3_274, 176), ("England", 2_991, 2_914, 153), ("Wales", 265, 263, 22), ("Northern Ireland", 97, 97, 1)],
)
def test_libraries_open_as_the_page_shows_them(real, area: str, open_2010: int, open_2023: int, known: int) -> None:
    network, services = real
    totals = area_totals(network, services, area_codes(services, area))
    at = {row["year"]: row for row in totals.iter_rows(named=True)}
    assert (at[2010]["libraries_open"], at[2023]["libraries_open"]) == (open_2010, open_2023)
    assert at[2023]["libraries_open_known"] == known


def test_statutory_libraries_in_england_as_the_page_shows_them(real) -> None:
    network, services = real
    at = {r["year"]: r for r in area_totals(network, services, area_codes(services, "England")).iter_rows(named=True)}
    assert (at[2010]["statutory_libraries"], at[2023]["statutory_libraries"]) == (3_138, 2_787)
    assert at[2011]["statutory_libraries"] is None  # not an ACE year: unknown, never 0


# The page in AppTest


def page_text(app) -> str:
    return "\n".join(shown_strings(app))


@pytest.mark.parametrize(
    ("area", "title", "expected"),
    [
        ({}, "Library network: The UK (not Scotland)", "**3,353** libraries open in the UK (not Scotland)"),
        ({"area": "Wales"}, "Library network: Wales", "**265** libraries open in Wales at the end of 2010"),
        ({"area": "London"}, "Library network: London", "Change in libraries open since 2010: London, by service"),
        ({"area": KENT}, "Library network: Kent", "Openings and closures in Kent"),
        ({"area": CARDIFF, "change": "count"}, "Library network: Cardiff", "Libraries per 100,000 residents"),
        ({"area": "JEY"}, "Library network: Jersey", "not known: the service has no points"),
    ],
    ids=["uk", "wales", "london", "kent", "cardiff-count", "jersey"],
)
def test_the_page_shows_each_kind_of_area(area: dict[str, str], title: str, expected: str) -> None:
    app = run_page(PAGE, area)
    assert not app.exception, exceptions(app)
    assert not notices(app)
    assert app.title[0].value == title
    assert expected in page_text(app)


def test_england_only_parts_say_so_outside_england() -> None:
    app = run_page(PAGE, {"area": "Wales"})
    assert any("covers England only" in info.value for info in app.info)
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
    app = run_page(PAGE, {"area": "Wales", "briefing": "1"})
    assert not app.exception, exceptions(app)
    assert not [e for e in app.expander if "Numbers behind" in e.label]
    assert len(app.get("plotly_chart")) >= 3


def test_a_welsh_profile_on_the_benchmark_page_shows_its_network() -> None:
    app = run_page(BENCHMARK, {"service": CARDIFF})
    assert not app.exception, exceptions(app)
    text = page_text(app)
    assert "Cardiff: profile" in app.title[0].value
    assert "Libraries open, end of 2010" in text and "Change since 2010" in text
    assert "Libraries per 100,000 residents, end of 2025" in text and "Wales 8.3 (all 22 services)" in text


def test_an_english_benchmark_and_the_overview_show_the_network() -> None:
    app = run_page(BENCHMARK, {"service": "E06000001"})  # Hartlepool: 6 libraries at the end of 2010, 5 now
    assert not app.exception, exceptions(app)
    assert "Libraries open, end of 2010" in page_text(app)
    overview = run_page("app_pages/home.py", {})
    assert not overview.exception, exceptions(overview)
    assert {"England", "Wales"} <= {metric.label for metric in overview.metric}


def test_the_year_the_page_runs_to_is_a_link() -> None:
    app = run_page(PAGE, {"area": "E06000001", "year": "2016"})  # Hartlepool: 6 at the end of 2010, 5 in 2016
    assert not app.exception, exceptions(app)
    assert "end of 2010 to end of 2016" in page_text(app)
    bad = run_page(PAGE, {"year": "1999"})
    assert not bad.exception, exceptions(bad)
    assert notices(bad) and "end of 2025" in page_text(bad)
