"""Place groups: mutually exclusive by the two flags, unknown kept apart from the rest, weighted rates with coverage."""

from __future__ import annotations

import polars as pl
import pytest

from components.sentences import gap_sentence, places_note
from observatory_data.serving.places_groups import (
    ANY_CULTURE,
    ANY_PRIORITY,
    BOTH,
    CULTURE_ONLY,
    KNOWN_GROUPS,
    NEITHER,
    PRIORITY_ONLY,
    UNKNOWN,
    assign_groups,
    decile_summary,
    group_summary,
    overlap_table,
)


def _rates() -> pl.DataFrame:
    """Eight English services covering every flag combination that matters, and one Welsh service."""
    return pl.DataFrame(
        {
            "service_code": ["A", "B", "C", "D", "E", "F", "G", "H", "W"],
            "service_name": ["A", "B", "C", "D", "E", "F", "G", "H", "Wales"],
            "nation": ["England"] * 8 + ["Wales"],
            "priority_place": ["yes", "yes", "no", "no", "no", "unknown", "yes", "unknown", "no"],
            "lucp": ["yes", "no", "yes", "no", "no", "yes", "unknown", "unknown", "no"],
            "imd_decile": [1, 1, 1, 1, 5, 5, 5, None, None],
            "value": [300.0, 200.0, 100.0, 50.0, None, 10.0, 40.0, 20.0, 99.0],
            "denominator": [1000, 500, 1000, 500, 200, 100, 100, 100, 100],
            "rate": [300.0, 400.0, 100.0, 100.0, None, 100.0, 400.0, 200.0, None],
        }
    )


def _groups(grouped: pl.DataFrame) -> dict[str, list[str]]:
    return {group: sorted(codes) for group, codes in grouped.group_by("group").agg(pl.col("service_code")).iter_rows()}


def test_groups_are_exclusive_and_unknown_is_never_the_rest() -> None:
    groups = _groups(assign_groups(_rates()))
    assert groups == {
        BOTH: ["A"],
        PRIORITY_ONLY: ["B"],
        CULTURE_ONLY: ["C"],
        NEITHER: ["D", "E"],
        # F is a culture place but its Priority Place flag is unknown; G the reverse; H unknown on both.
        UNKNOWN: ["F", "G", "H"],
    }


def test_weighted_rates_coverage_and_gap() -> None:
    summary = {row["group"]: row for row in group_summary(assign_groups(_rates())).iter_rows(named=True)}
    # Neither: D only counts (E has no value): 50 / 500 * 1000 = 100, 1 of 2 reported.
    assert summary[NEITHER]["rate"] == pytest.approx(100.0)
    assert (summary[NEITHER]["reported"], summary[NEITHER]["services"]) == (1, 2)
    assert summary[NEITHER]["coverage"] == "1 of 2 services reported"
    # Any Priority Place: A, B, G = (300 + 200 + 40) / (1000 + 500 + 100) * 1000 = 337.5.
    assert summary[ANY_PRIORITY]["rate"] == pytest.approx(337.5)
    assert summary[ANY_PRIORITY]["gap"] == pytest.approx(237.5)
    assert summary[ANY_PRIORITY]["gap_percent"] == pytest.approx(237.5)
    # Any LUCP: A, C, F = (300 + 100 + 10) / (1000 + 1000 + 100) * 1000.
    assert summary[ANY_CULTURE]["rate"] == pytest.approx(410 / 2100 * 1000)
    assert summary[PRIORITY_ONLY]["gap"] == pytest.approx(300.0)
    assert summary[NEITHER]["gap"] is None and summary[UNKNOWN]["gap"] is None


def test_no_reporting_rest_gives_no_gap_rather_than_zero() -> None:
    rates = _rates().with_columns(rate=pl.when(pl.col("service_code") != "D").then(pl.col("rate")))
    summary = group_summary(assign_groups(rates))
    both = summary.filter(pl.col("group") == BOTH).row(0, named=True)
    assert both["rate"] == pytest.approx(300.0) and both["gap"] is None
    assert "no comparison" in gap_sentence(summary, BOTH, "loans", "per 1,000 residents", 2023)


def test_gap_sentence_states_the_direction_and_coverage() -> None:
    sentence = gap_sentence(group_summary(assign_groups(_rates())), ANY_PRIORITY, "loans", "per 1,000 residents", 2023)
    # A level in one year, among that year's countable services, said so: never to be read as a change of the gap.
    assert sentence == (
        "Any Priority Place, gap in 2023/24: 337.5 loans per 1,000 residents, 237.5 (237.5%) above Neither (known) at "
        "100.0, among the services countable in 2023/24 (3 of 3 in the group; 1 of 2 in Neither (known))."
    )


def test_decile_cells_are_all_listed_with_coverage() -> None:
    table = decile_summary(assign_groups(_rates()))
    assert table.height == 10 * len(KNOWN_GROUPS)
    assert UNKNOWN not in table["group"].to_list()
    cell = table.filter((pl.col("group") == NEITHER) & (pl.col("imd_decile") == 5)).row(0, named=True)
    assert (cell["services"], cell["reported"], cell["coverage"], cell["rate"]) == (1, 0, "0 of 1", None)
    cell = table.filter((pl.col("group") == PRIORITY_ONLY) & (pl.col("imd_decile") == 1)).row(0, named=True)
    assert cell["rate"] == pytest.approx(400.0)
    assert table.filter(pl.col("imd_decile") == 7)["services"].sum() == 0


def test_overlap_table_counts_each_combination() -> None:
    table = overlap_table(_rates()).filter(pl.col("Priority Place") == "unknown").row(0, named=True)
    assert table == {"Priority Place": "unknown", "LUCP yes": 1, "LUCP no": 0, "LUCP unknown": 1, "All": 2}


def test_places_note_counts_the_evidence_file() -> None:
    places = pl.DataFrame({"priority_place_2021_24": ["yes", "unknown", "no"], "lucp_2022_26": ["yes", "yes", "no"]})
    note = places_note(places)
    assert "1 districts are identified as Priority Places" in note
    assert "2 of the 109 Levelling Up for Culture Places" in note
    assert "1 district flags in the list are unknown" in note
