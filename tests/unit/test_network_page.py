"""The library network page's words, map classes, tiles and CSV on tiny frames."""

from __future__ import annotations

import csv
import io

import polars as pl

from components.classes import NO_DATA
from components.exports import readable_csv
from components.network_change_map import CHANGE_COLOURS, NOT_LISTED, change_classes
from components.network_definitions import about
from components.network_tables import network_table, openings_and_closures
from components.network_text import (
    change_text,
    coverage,
    fewer_or_more,
    listed_change_text,
    listed_sentence,
    network_tiles,
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
    recorded_codes,
    statutory_change,
)
from tests.support.network import NETWORK, SERVICES

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
