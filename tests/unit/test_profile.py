"""The profile of a service outside England: what is known is said, what is not is said too, never zero."""

from __future__ import annotations

import polars as pl

from components.profile import known_facts, service_points_table

WELSH = {
    "service_code": "W06000099",
    "nation": "Wales",
    "population": 1_234,
    "area_km2": 56.4,
    "wimd_avg_rank": 900.4,
    "wimd_share_most_deprived_10pct": 0.25,
    "wimd_lsoas": 8,
}
POINTS = pl.DataFrame(
    {
        "service_code": ["W06000099", "W06000099", "W06000099", "X"],
        "name": ["Zed Library", "Alpha Library", "Closed Library", "Elsewhere"],
        "status": ["open", "open", "closed", "open"],
        "type_label": ["Local authority run library"] * 4,
        "statutory": [True, True, None, True],
        "staffed_hours_week": [30.0, None, None, 10.0],
        "unstaffed_hours_week": pl.Series([None, None, None, None], dtype=pl.Float64),
        "year_closed": [None, None, 2019, None],
        "postcode": ["A1 1AA", "B2 2BB", "C3 3CC", "D4 4DD"],
    }
)


def test_facts_say_what_is_missing_in_words() -> None:
    facts = dict(known_facts({**WELSH, "population": None}, POINTS))
    assert facts["Residents (ONS mid-2024)"] == "not in the ONS file used here"
    assert facts["Service points open"] == "2"
    assert facts["Service points closed (listed)"] == "1"
    assert facts["Weekly staffed hours, all open points"] == "30 (known for 1 of 2 points)"
    assert facts["Share of areas in Wales's most deprived tenth"] == "25% of 8 areas (LSOAs)"


def test_a_service_with_no_points_or_hours_is_never_shown_as_zero() -> None:
    jersey = {**WELSH, "service_code": "JEY", "nation": "Crown Dependency", "wimd_avg_rank": None}
    facts = dict(known_facts(jersey, POINTS))
    assert facts["Service points open"] == "not listed"
    assert facts["Weekly staffed hours, all open points"] == "not known for any open point"
    assert not [label for label in facts if "WIMD" in label or "Wales" in label]


def test_points_table_lists_open_points_first_with_plain_headers() -> None:
    table = service_points_table(POINTS, "W06000099")
    assert table["Service point"].to_list() == ["Alpha Library", "Zed Library", "Closed Library"]
    assert table.columns[0] == "Service point" and "Staffed hours a week" in table.columns
    assert table["Staffed hours a week"].to_list() == [None, 30.0, None]
