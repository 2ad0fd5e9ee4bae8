"""Place groups: overlap allowed, unknown kept apart from 'the rest', weighted rates with coverage."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.place_comparison import (
    CULTURE,
    PRIORITY,
    REST,
    UNKNOWN,
    group_members,
    group_rates,
    rates_by_decile,
)


def _rates() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "service_code": ["A", "B", "C", "D", "E", "W"],
            "service_name": ["A", "B", "C", "D", "E", "Wales"],
            "nation": ["England"] * 5 + ["Wales"],
            "priority_place": ["yes", "no", "no", "unknown", "no", "no"],
            "lucp": ["yes", "yes", "no", "no", "no", "no"],
            "imd_decile": [1, 1, 5, 5, 5, None],
            "value": [300.0, 100.0, 50.0, 10.0, None, 99.0],
            "denominator": [1000, 1000, 500, 100, 200, 100],
            "rate": [300.0, 100.0, 100.0, 100.0, None, None],
        }
    )


def test_groups_overlap_and_unknown_is_not_the_rest() -> None:
    members = group_members(_rates())
    groups = {
        g: sorted(members.filter(pl.col("group") == g)["service_code"]) for g in (PRIORITY, CULTURE, REST, UNKNOWN)
    }
    assert groups == {PRIORITY: ["A"], CULTURE: ["A", "B"], REST: ["C", "E"], UNKNOWN: ["D"]}
    assert "W" not in members["service_code"]


def test_weighted_rates_coverage_and_gap() -> None:
    summary = {row["group"]: row for row in group_rates(group_members(_rates())).iter_rows(named=True)}
    # Culture: (300 + 100) / (1000 + 1000) * 1000 = 200; the rest: 50 / 500 * 1000 = 100 (E has no value).
    assert summary[CULTURE]["rate"] == pytest.approx(200.0)
    assert summary[REST]["rate"] == pytest.approx(100.0)
    assert (summary[REST]["reported"], summary[REST]["services"]) == (1, 2)
    assert summary[CULTURE]["gap"] == pytest.approx(100.0)
    assert summary[CULTURE]["gap_percent"] == pytest.approx(100.0)


def test_rates_by_decile_keep_groups_apart() -> None:
    table = rates_by_decile(group_members(_rates()))
    culture_1 = table.filter((pl.col("group") == CULTURE) & (pl.col("imd_decile") == 1)).row(0, named=True)
    assert culture_1["rate"] == pytest.approx(200.0) and culture_1["reported"] == 2
    assert UNKNOWN not in table["group"].to_list()


def test_real_groups_against_the_services_table() -> None:
    from observatory_data.tables import PreparedTablesMissing, read_table

    try:
        services = read_table("services")
    except PreparedTablesMissing as exc:
        pytest.skip(str(exc))
    english = services.filter(pl.col("nation") == "England")
    members = group_members(english.with_columns(value=pl.lit(None), denominator=pl.lit(1), rate=pl.lit(None)))
    counts = dict(members.group_by("group").len().iter_rows())
    assert counts[PRIORITY] == english.filter(pl.col("priority_place") == "yes").height
    # Middlesbrough is on both lists (places_by_district.csv row 3: yes, yes).
    middlesbrough = members.filter(pl.col("service_code") == "E06000002")["group"].to_list()
    assert sorted(middlesbrough) == sorted([PRIORITY, CULTURE])
