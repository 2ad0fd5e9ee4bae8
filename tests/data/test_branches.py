"""Branches: hours are summed from day ranges, points are placed by postcode, unknown authorities stop the build."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.build.branches import (
    HOURS_FROM_ACE,
    BranchesResult,
    build_branches,
)
from observatory_data.build.register import read_register


@pytest.fixture(scope="module")
def real_branches(real_source) -> BranchesResult:
    return build_branches(
        real_source("librarieshacked/libraries.csv"),
        real_source("librarieshacked/england-2016/libraries.csv"),
        real_source("ace/libraries_england_2023.csv"),
        real_source("librarieshacked/uk_local_authorities.csv"),
        read_register(),
    )


def _branch(result: BranchesResult, branch_id: str) -> dict:
    rows = result.table.filter(pl.col("branch_id") == branch_id).to_dicts()
    assert len(rows) == 1, branch_id
    return rows[0]


def test_real_row_counts(real_branches: BranchesResult) -> None:
    # libraries.csv has 4,231 rows: 484 in the 32 Scottish councils, and row 2599 repeats row 2598
    # (Belfast Central, with a zero-width space after the name).
    assert real_branches.table.height == 3746
    assert real_branches.duplicate_rows == 1
    assert real_branches.excluded.height == 32
    assert real_branches.excluded["rows"].sum() == 484
    assert real_branches.excluded["reason"].unique().to_list() == ["expected: Scottish authority (not covered)"]
    assert real_branches.table["branch_id"].is_unique().all()
    summary = {row["nation"]: row for row in real_branches.summary.iter_rows(named=True)}
    assert {nation: row["branches"] for nation, row in summary.items()} == {
        "England": 3384,
        "Wales": 265,
        "Northern Ireland": 97,
    }
    assert (summary["England"]["open"], summary["England"]["closed"]) == (2914, 470)


def test_real_hand_checked_branches(real_branches: BranchesResult) -> None:
    # libraries.csv line 1479: Mon-Fri 10:00-18:00 (5 x 8 h) and Sat 10:00-14:00 (4 h) = 44 h.
    # england-2016 line 1207 ("Hartlepool Central Library", TS269DE) gives the coordinates.
    hub = _branch(real_branches, "E06000001-community-hub-central")
    assert (hub["name"], hub["postcode"], hub["type"]) == ("Community Hub Central", "TS26 9DE", "LAL")
    assert hub["staffed_hours_week"] == 44.0 and hub["unstaffed_hours_week"] is None
    assert (hub["lat"], hub["lon"]) == (54.6835420481212, -1.21614501561847)

    # Thurrock, Aveley (line 3839): staffed 7+6+7+6+7 = 33 h; unstaffed Tue and Thu 13:00-14:00 = 2 h.
    aveley = _branch(real_branches, "E06000034-aveley-library-within-aveley-community-hub")
    assert (aveley["staffed_hours_week"], aveley["unstaffed_hours_week"]) == (33.0, 2.0)

    # Libraries NI, Ardoyne (line 2588): 3 x (3.5 + 3) + (3.5 + 4) + 4.5 + 3.5 = 35 h; no 2016 coordinates.
    ardoyne = _branch(real_branches, "N92000002-ardoyne")
    assert ardoyne["staffed_hours_week"] == 35.0 and ardoyne["lat"] is None

    # Derby, DE21 6LN has two 2016 rows (lines 617 and 626): each branch takes its own by name.
    chaddesden = _branch(real_branches, "E06000015-chaddesden-library")
    assert (chaddesden["status"], chaddesden["year_closed"]) == ("closed", 2013)
    assert chaddesden["lat"] == 52.9271651465568
    whitehead = _branch(real_branches, "E06000015-phillip-whitehead-memorial-library")
    assert whitehead["lat"] == 52.9272642147559
    # Its Sunday reads "00:00": the week is unknown, not 24 h short.
    assert whitehead["staffed_hours_week"] is None

    # Birmingham has two "Aston Library" rows. The old one (B6 6EJ, closed 2022) has Tue and Thu
    # 15:00-16:45 and Sat 09:00-16:45 = 11.25 h. The new one (B6 6ED) has no times; ACE line 2305 gives 15.
    old_aston = _branch(real_branches, "E08000025-aston-library-b66ej")
    assert (old_aston["status"], old_aston["staffed_hours_week"]) == ("closed", 11.25)
    new_aston = _branch(real_branches, "E08000025-aston-library-b66ed")
    assert (new_aston["staffed_hours_week"], new_aston["staffed_hours_source"]) == (15.0, HOURS_FROM_ACE)


def test_real_unparsed_hours_are_the_seven_known_slips(real_branches: BranchesResult) -> None:
    # Rows 751, 816, 2797, 3196, 3215, 4055 and 4116: a lone time, a one-digit hour, ends past midnight.
    assert sorted(real_branches.unparsed_hours["text"].to_list()) == sorted(
        ["00:00", "07:00-02:00", "09:00-00:00", "1:00-18:00", "10:00-00:00", "10:00-00:00", "19:00-00:00"]
    )
    assert real_branches.unparsed_hours["row"].to_list() == [751, 816, 2797, 3196, 3215, 4055, 4116]


def test_real_open_english_branches_mostly_placed(real_branches: BranchesResult) -> None:
    register = read_register().select("service_code", "nation")
    english_open = real_branches.table.join(register, on="service_code").filter(
        (pl.col("nation") == "England") & (pl.col("status") == "open")
    )
    placed = english_open["lat"].is_not_null().sum()
    # 2,645 of 2,914 open English branches (90.8%) find their postcode in the 2016 file.
    assert (placed, english_open.height) == (2645, 2914)


def test_real_every_service_but_crown_dependencies_has_branches(real_branches: BranchesResult) -> None:
    register = read_register()
    without = register.filter(~pl.col("service_code").is_in(real_branches.table["service_code"].unique().implode()))
    assert sorted(without["service_code"].to_list()) == ["GGY", "IMN", "JEY"]


def test_real_points_reassigned_to_the_service_that_returned_them(real_branches: BranchesResult) -> None:
    # Of 3,155 English points that ACE's dataset has at the same postcode, one is listed under another service than
    # the one that returned it: Dalston Library Link (CA5 7PJ, near Carlisle, closed 2022), listed under
    # Westmorland and Furness, returned by Cumberland.
    assert real_branches.reassigned.select("name", "listed_authority", "service_code").rows() == [
        ("Dalston Library Link", "Westmorland and Furness Council", "E06000063")
    ]
