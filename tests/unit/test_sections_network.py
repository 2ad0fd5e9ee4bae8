"""The Library network page's section builders on the tiny network of tests/support/network.py, without Streamlit.

Eastshire (E1, North) and Westshire (E2, South) are English, with their changes recorded; Cymru Town (W1) and
Libraries NI (N1) have a count in 2023 only; the Island (C1) has no points. Every number below is worked out by hand
from those rows.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go
import polars as pl
import pytest

from components.hexmap import hex_layout
from components.network_definitions import NOT_SCOTLAND, POPULATION_NOTE
from components.sections.network_area import area_choices, network_area, opening_words, page_years, sources_caption
from components.sections.network_sections import (
    change_section,
    compared_rates,
    events_section,
    hours_section,
    listed_section,
    rate_section,
    statutory_section,
)
from tests.support.network import NETWORK, SERVICES, network
from tests.support.section_frames import table


def shown_text(figure: go.Figure) -> str:
    """The words in a figure's heading and footer, with the line breaks the layout wrapped them at undone."""
    texts = [annotation.text for annotation in figure.layout.annotations]
    return re.sub(r"<[^>]+>", "", " ".join(texts).replace("<br>", " "))


def test_the_years_run_from_after_the_base_year_to_the_lists_last() -> None:
    assert page_years(NETWORK) == [2016, 2023]


def test_the_areas_are_the_uk_the_nations_the_regions_then_the_services_nation_by_nation() -> None:
    choices = area_choices(SERVICES)
    nations = ["England", "Wales", "Northern Ireland", "Crown Dependency"]
    assert list(choices) == ["UK", *nations, "North", "South", "E1", "E2", "W1", "N1", "C1"]
    assert choices["North"] == "North (region)"
    assert choices["E1"] == "Eastshire (service)"
    assert choices["W1"] == "Cymru Town (Wales)"


def test_the_chosen_area_knows_its_services_and_the_english_ones() -> None:
    uk = network_area(SERVICES, "UK", 2023)
    assert (uk.kind, uk.place, uk.codes, uk.english) == (
        "uk",
        "the UK (not Scotland)",
        SERVICES["service_code"].to_list(),
        ["E1", "E2"],
    )
    assert (uk.place_in_england, uk.uk_note) == ("England", NOT_SCOTLAND)
    wales = network_area(SERVICES, "Wales", 2023)
    assert (wales.kind, wales.english, wales.place_in_england, wales.uk_note) == ("nation", [], "Wales", "")
    eastshire = network_area(SERVICES, "E1", 2016)
    assert (eastshire.kind, eastshire.place, eastshire.codes, eastshire.year) == ("service", "Eastshire", ["E1"], 2016)


def test_the_caption_names_aces_years_and_only_the_uk_says_scotland_is_missing() -> None:
    assert "(returned by the services, 2010 to 2023)" in sources_caption(NETWORK, network_area(SERVICES, "UK", 2023))
    assert sources_caption(NETWORK, network_area(SERVICES, "UK", 2023)).endswith(NOT_SCOTLAND)
    assert sources_caption(NETWORK, network_area(SERVICES, "Wales", 2023)).endswith("foot of the page. ")


def test_opening_words_give_the_statutory_and_the_listed_change_for_an_area() -> None:
    words = opening_words(NETWORK, SERVICES, None, None, network_area(SERVICES, "England", 2023))
    # Statutory: only Eastshire is counted in 2010 and 2023, 12 -> 9; listed: 10 + 20 = 30 -> 8 + 21 = 29.
    assert words.startswith("**9** statutory libraries in England in 2023; **3 fewer than in 2010**")
    assert "1 of 2 services" in words
    assert "**29** service points listed as open in England at the end of 2023" in words
    assert "(30 at the end of 2010, 29 at the end of 2023)" in words


def test_a_services_opening_words_are_its_facts_as_a_list() -> None:
    peers = table("peers", [{"service_code": "E1", "peer_code": "E2", "rank": 1}])
    words = opening_words(NETWORK, SERVICES, peers, None, network_area(SERVICES, "E1", 2023))
    lines = words.split("\n")
    assert all(line.startswith("- **") for line in lines)
    assert "- **Statutory libraries (Arts Council England)**: 9 in 2023" in lines[0]


def test_the_statutory_section_sums_aces_counts_and_says_on_how_many_services() -> None:
    section = statutory_section(NETWORK, SERVICES, network_area(SERVICES, "UK", 2023))
    assert section.heading == "Statutory libraries (Arts Council England)"
    rows = section.chart.table.select("Year", "Statutory libraries", "Services with a statutory count").rows()
    assert rows == [(2010, 12, 1), (2016, 11, 1), (2023, 12 - 3 + 18, 2)]  # Westshire's count starts in 2023
    assert section.chart.about.title == "Statutory and community-run libraries in England, 2010 to 2023"
    assert section.chart.about.period == "2010 to 2023 (ACE's years)"
    assert "England only: Wales, Northern Ireland" in shown_text(section.chart.figure)


def test_no_statutory_section_outside_england_and_a_notice_where_ace_has_no_points() -> None:
    assert statutory_section(NETWORK, SERVICES, network_area(SERVICES, "Wales", 2023)) is None
    no_points = network(
        [("E1", 2010, 10, 0, 12, None), ("E2", 2010, 20, 1, None, None), ("E2", 2023, 21, 1, None, None)]
    )
    section = statutory_section(no_points, SERVICES, network_area(SERVICES, "South", 2023))
    assert (section.chart, section.notice) == (None, "ACE's dataset has no points of South.")


def test_the_listed_section_draws_a_line_only_where_the_list_records_the_change() -> None:
    england = listed_section(NETWORK, SERVICES, network_area(SERVICES, "England", 2023))
    rows = england.chart.table.select("Year", "Service points listed as open at the end of the year").rows()
    assert rows == [(2010, 10 + 20), (2016, 9 + 20), (2023, 8 + 21)]
    assert england.chart.about.period == "end of 2010 to end of 2023"
    # The UK: 8 + 21 + 4 + 97 = 130 open, but the change is recorded on 2 of 5 services, below the 70% rule.
    uk = listed_section(NETWORK, SERVICES, network_area(SERVICES, "UK", 2023))
    assert uk.chart is None
    assert uk.notice.startswith("Libraries Hacked's list shows 130 service points as open in the UK (not Scotland)")
    assert "for only 2 of 5 services" in uk.notice
    island = listed_section(NETWORK, SERVICES, network_area(SERVICES, "Crown Dependency", 2023))
    assert island.notice == (
        "No service in the Crown Dependencies has points in Libraries Hacked's list, so its network is not known."
    )


def test_rates_are_per_100000_residents_over_the_services_with_a_population() -> None:
    rates = compared_rates(NETWORK, SERVICES, network_area(SERVICES, "E1", 2023))
    per_100k = dict(rates.select("area", "libraries_per_100k").iter_rows())
    assert list(per_100k) == ["Eastshire", "North", "England", "the UK (not Scotland)"]
    assert per_100k["Eastshire"] == pytest.approx(8 / 100_000 * 100_000)
    assert per_100k["England"] == pytest.approx((8 + 21) / 300_000 * 100_000)
    # The UK: Libraries NI has no population, so 8 + 21 + 4 over 350,000 residents.
    assert per_100k["the UK (not Scotland)"] == pytest.approx(33 / 350_000 * 100_000)


def test_the_rate_section_names_the_areas_left_out_and_the_partial_counts() -> None:
    section = rate_section(NETWORK, SERVICES, network_area(SERVICES, "UK", 2023))
    assert section.caption == POPULATION_NOTE
    assert section.chart.table["Libraries per 100,000 residents"].to_list() == [9.4, 9.7, 8.0, None, None]
    text = shown_text(section.chart.figure)
    assert "Not shown, no population or no count: Northern Ireland, the Crown Dependencies." in text
    assert "Counted over the services with both a count and a population: the UK (not Scotland) 3 of 5." in text
    assert section.chart.about.denominator == "ONS mid-2024 population, all ages"
    missing = rate_section(NETWORK, SERVICES, network_area(SERVICES, "Northern Ireland", 2023))
    assert missing.chart is None
    assert missing.notice.startswith("No rate for Northern Ireland: it has no ONS mid-2024 population")


def test_hours_compare_like_for_like_and_say_on_how_many_services() -> None:
    section = hours_section(NETWORK, network_area(SERVICES, "England", 2023))
    # Only Eastshire has opening hours in both 2016 and 2023 (Westshire's 2023 hours are not known).
    assert section.chart.table.select("Measure", "Year", "Hours a week").rows() == [
        ("Opening hours", 2016, 300.0),
        ("Opening hours", 2023, 280.0),
    ]
    assert "(opening hours: 1 of 2 services have them in both years)." in shown_text(section.chart.figure)
    south = hours_section(NETWORK, network_area(SERVICES, "South", 2023))
    assert south.notice == "Weekly hours are not known for both 2016 and 2023 in South."
    wales = hours_section(NETWORK, network_area(SERVICES, "Wales", 2023))
    assert wales.notice.endswith("covers England only: nothing for Wales.")


def test_the_change_map_colours_each_service_and_asks_for_the_layout_only_when_drawn() -> None:
    asked = []

    def layout_of(codes: tuple[str, ...]) -> pl.DataFrame:
        asked.append(codes)
        return hex_layout(pl.DataFrame({"service_code": list(codes), "lat": [54.0, 51.0], "lon": [-1.5, -0.5]}))

    section = change_section(NETWORK, SERVICES, network_area(SERVICES, "England", 2023), "count", layout_of)
    assert asked == [("E1", "E2")]
    # Eastshire 10 -> 8 (-2, -20%), Westshire 20 -> 21 (+1, +5%): the larger fall first.
    assert section.chart.table.select("Service", "Change", "Change (%)").rows() == [
        ("Eastshire", -2, -20.0),
        ("Westshire", 1, 5.0),
    ]
    assert "coloured by the change in number" in shown_text(section.chart.figure)
    asked.clear()
    one = change_section(NETWORK, SERVICES, network_area(SERVICES, "E1", 2023), "percent", layout_of)
    assert one.notice == "No map for North: it has one service, or the list records no service's change."
    assert asked == []


def test_a_services_openings_and_closures_latest_first_and_none_for_an_area() -> None:
    branches = table(
        "branches",
        [
            {"name": "Alpha", "service_code": "E1", "year_opened": 2015, "status": "open"},
            {"name": "Beta", "service_code": "E1", "year_opened": 1990, "year_closed": 2019, "status": "closed"},
            {"name": "Gamma", "service_code": "E1", "status": "open"},
            {"name": "Delta", "service_code": "E2", "year_opened": 2020, "status": "open"},
        ],
    )
    events = events_section(branches, network_area(SERVICES, "E1", 2023))
    assert events.heading == events.about.title == "Openings and closures in Eastshire"
    assert events.table.select("Service point", "Year opened", "Year closed").rows() == [
        ("Beta", 1990, 2019),
        ("Alpha", 2015, None),
    ]
    assert events.caption.startswith("Points with an opening or closing year")
    assert events_section(branches, network_area(SERVICES, "England", 2023)) is None
    none_dated = events_section(branches.filter(pl.col("name") == "Gamma"), network_area(SERVICES, "E1", 2023))
    assert none_dated.table.is_empty()
    assert none_dated.caption == "No point of this service has an opening or closing year in Libraries Hacked's list."
