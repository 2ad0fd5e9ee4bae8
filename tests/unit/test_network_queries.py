"""The network's aggregations on tiny frames: unknown counts stay unknown, coverage travels with every total."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.serving.network_queries import (
    UK,
    area_codes,
    area_kind,
    area_totals,
    change_since,
    comparison_areas,
    latest_year,
    libraries_per_100k,
    listed_change,
    listed_now,
    paired_totals,
    recorded_codes,
    statutory_change,
    statutory_years,
)
from tests.support.network import NETWORK, SERVICES


def year_row(frame: pl.DataFrame, year: int) -> dict:
    return frame.filter(pl.col("year") == year).row(0, named=True)


def test_areas_are_the_uk_a_nation_a_region_or_a_service() -> None:
    assert area_codes(SERVICES, UK) == ["E1", "E2", "W1", "N1", "C1"]
    assert area_codes(SERVICES, "England") == ["E1", "E2"]
    assert area_codes(SERVICES, "South") == ["E2"]
    assert area_codes(SERVICES, "W1") == ["W1"]
    assert area_codes(SERVICES, "xyz") == []
    assert [area_kind(SERVICES, a) for a in (UK, "Wales", "North", "E1")] == ["uk", "nation", "region", "service"]


def test_comparison_areas_climb_from_the_area_to_the_uk() -> None:
    assert comparison_areas(SERVICES, "E1") == ["E1", "North", "England", UK]
    assert comparison_areas(SERVICES, "W1") == ["W1", "Wales", UK]  # no English region outside England
    assert comparison_areas(SERVICES, "North") == ["North", "England", UK]
    assert comparison_areas(SERVICES, "Wales") == ["Wales", UK]
    assert comparison_areas(SERVICES, UK)[0] == UK


def test_totals_sum_the_known_values_and_say_how_many_services_have_them() -> None:
    totals = area_totals(NETWORK, SERVICES)
    row = year_row(totals, 2010)
    assert (row["libraries_open"], row["libraries_open_known"], row["services"]) == (30, 2, 5)
    assert (row["statutory_libraries"], row["statutory_libraries_known"]) == (12, 1)
    # No service has hours in 2010: the total is unknown, not 0.
    assert row["weekly_hours"] is None and row["weekly_hours_known"] == 0
    assert year_row(totals, 2023)["libraries_open_known"] == 4


def test_a_count_nobody_has_is_null_never_zero() -> None:
    island = year_row(area_totals(NETWORK, SERVICES, ["C1"]), 2023)
    assert island["libraries_open"] is None and island["libraries_open_known"] == 0
    assert island["libraries_per_100k"] is None and island["rate_services"] == 0
    assert listed_now(NETWORK, ["C1"]) == (None, 0)


def test_per_100k_counts_only_services_with_both_a_count_and_a_population() -> None:
    row = year_row(area_totals(NETWORK, SERVICES), 2023)
    # E1 8 + E2 21 + W1 4 over 350,000 residents; Libraries NI has a count but no population, the island neither.
    assert row["rate_services"] == 3 and row["rate_population"] == 350_000 and row["rate_libraries"] == 33
    assert row["libraries_per_100k"] == pytest.approx(33 / 350_000 * 100_000)


def test_totals_by_nation() -> None:
    by_nation = area_totals(NETWORK, SERVICES, by="nation").filter(pl.col("year") == 2023)
    opened = dict(by_nation.select("nation", "libraries_open").iter_rows())
    assert opened == {"Crown Dependency": None, "England": 29, "Northern Ireland": 97, "Wales": 4}


def test_change_since_2010_per_service_is_unknown_where_the_list_records_none() -> None:
    change = change_since(NETWORK, 2023).sort("service_code")
    rows = {row["service_code"]: row for row in change.iter_rows(named=True)}
    assert (rows["E1"]["change"], rows["E1"]["change_pct"]) == (-2, pytest.approx(-20.0))
    # Libraries NI: 97 listed now, nothing recorded about 2010: unknown, never "no change".
    assert (rows["N1"]["before"], rows["N1"]["after"], rows["N1"]["change"]) == (None, 97, None)
    assert rows["C1"]["change"] is None and rows["C1"]["change_pct"] is None


def test_no_percentage_from_a_base_of_zero() -> None:
    frame = pl.DataFrame({"service_code": ["S", "S"], "year": [2010, 2023], "libraries_open": [0, 2]})
    row = change_since(frame, 2023).row(0, named=True)
    assert row["change"] == 2 and row["change_pct"] is None


def test_paired_totals_compare_like_for_like() -> None:
    # E1 has hours in 2016 and 2023; E2 in 2016 only, so it is left out of both years.
    hours = paired_totals(NETWORK, ["E1", "E2"], "weekly_hours", (2016, 2023))
    assert hours.rows() == [(2016, 300.0, 1), (2023, 280.0, 1)]
    assert paired_totals(NETWORK, ["W1"], "weekly_hours", (2016, 2023)).is_empty()


def test_service_rates_and_latest_year() -> None:
    rates = dict(libraries_per_100k(NETWORK, SERVICES, 2023).select("service_code", "libraries_per_100k").iter_rows())
    assert rates["E1"] == pytest.approx(8.0) and rates["N1"] is None and rates["C1"] is None
    assert latest_year(NETWORK) == 2023


def test_statutory_change_is_ace_first_and_last_years_on_the_same_services() -> None:
    assert statutory_years(NETWORK) == [2010, 2016, 2023]
    change = statutory_change(NETWORK, ["E1", "E2"])
    # E2 has no 2010 count, so the change rests on E1 alone: 12 -> 9.
    assert (change.first, change.last, change.before, change.after) == (2010, 2023, 12, 9)
    assert (change.change, change.change_pct, change.services, change.of) == (-3, -25.0, 1, 2)
    assert statutory_change(NETWORK, ["W1", "N1"]) is None  # ACE's dataset is England's only


def test_the_lists_change_rests_on_the_services_whose_changes_it_records() -> None:
    assert recorded_codes(NETWORK, area_codes(SERVICES, UK)) == ["E1", "E2"]
    england = listed_change(NETWORK, ["E1", "E2"], 2023)
    assert (england.before, england.after, england.change, england.services, england.of) == (30, 29, -1, 2, 2)
    assert england.publishable
    # The UK: recorded for 2 of 5 services, under the 70% coverage rule, so not stated.
    uk = listed_change(NETWORK, area_codes(SERVICES, UK), 2023)
    assert (uk.services, uk.of, uk.publishable) == (2, 5, False)
    ni = listed_change(NETWORK, ["N1"], 2023)
    assert (ni.before, ni.change, ni.services, ni.publishable) == (None, None, 0, False)
    assert listed_now(NETWORK, ["N1"]) == (97, 1)
    assert listed_now(NETWORK, area_codes(SERVICES, UK)) == (130, 4)
