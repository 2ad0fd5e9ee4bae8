"""The annual table (sums, statuses, blank parts) and the local long-run series that feed it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.activity import ACTIVITY_SCHEMA, POINT_SCHEMA
from observatory_data.build.annual import ANNUAL_SCHEMA, annual_metric_ids, build_annual, combine_annual
from observatory_data.build.local_series import (
    LIBRARIESWEST_ISSUES,
    NEWCASTLE_ISSUES,
    NEWCASTLE_VISITS,
    read_local_series,
)
from observatory_data.build.register import read_register
from observatory_data.serving.errors import BuildError
from tests.support.annual_rows import ACE_SOURCE, BARNSLEY, BOLTON, loans, row, series


@pytest.fixture(scope="module")
def register() -> pl.DataFrame:
    return read_register()


def no_points(codes: list[str]) -> pl.DataFrame:
    rows = [{"service_code": c, "year": 2023, "metric": "active_users", "user_age": "total", "value": None,
             "text": None, "status": "missing", "flag_reason": None, "source_column": "C", "source": ACE_SOURCE}
            for c in codes]  # fmt: skip
    return pl.DataFrame(rows, schema=POINT_SCHEMA)


def test_blank_parts_required_and_optional(register: pl.DataFrame) -> None:
    full = [10.0] * 12
    rows = [
        *loans(BARNSLEY, "physical_book", full), *loans(BARNSLEY, "ebook", full), *loans(BARNSLEY, "eaudio", full),
        *loans(BOLTON, "physical_book", full), *loans(BOLTON, "physical_audiobook", full),
    ]  # fmt: skip
    annual = build_annual(pl.DataFrame(rows, schema=ACTIVITY_SCHEMA), no_points([BARNSLEY, BOLTON]), register, 2023)
    barnsley = row(annual, BARNSLEY, "loans")
    # physical audiobooks are optional: left blank, the total is still derived, and the note says so
    assert (barnsley["value"], barnsley["status"], barnsley["months_covered"]) == (360.0, "derived", 12)
    assert "not included: physical audiobooks (left blank)" in barnsley["note"]
    bolton = row(annual, BOLTON, "loans")
    # eBooks and eAudio are required: without them the value is kept but partial
    assert (bolton["value"], bolton["status"]) == (240.0, "partial")
    assert "incomplete: eBooks (left blank), eAudio (left blank)" in bolton["note"]
    assert row(annual, BOLTON, "ebook_loans")["status"] == "no_return"
    assert row(annual, BOLTON, "ebook_loans")["value"] is None


def test_partial_and_flagged_months(register: pl.DataFrame) -> None:
    rows = [
        *series(BARNSLEY, "pc_hours", [100.0] * 9 + [None] * 3),
        *series(BOLTON, "pc_hours", [100.0] * 11 + [900.0]),
    ]
    activity = pl.DataFrame(rows, schema=ACTIVITY_SCHEMA)
    flagged = activity.with_columns(
        status=pl.when(pl.col("value") == 900.0).then(pl.lit("flagged")).otherwise("status"),
        flag_reason=pl.when(pl.col("value") == 900.0).then(pl.lit("month out of line: test")),
    )
    annual = build_annual(flagged, no_points([BARNSLEY, BOLTON]), register, 2023)
    partial = row(annual, BARNSLEY, "pc_hours")
    assert (partial["value"], partial["status"], partial["months_covered"]) == (900.0, "partial", 9)
    assert "covers 9 of 12 months" in partial["note"]
    bolton = row(annual, BOLTON, "pc_hours")
    assert (bolton["value"], bolton["status"]) == (2000.0, "flagged")
    assert "month out of line: test" in bolton["note"]


def test_every_register_service_and_metric_once(register: pl.DataFrame) -> None:
    activity = pl.DataFrame(loans(BARNSLEY, "physical_book", [1.0] * 12), schema=ACTIVITY_SCHEMA)
    annual = build_annual(activity, no_points([BARNSLEY]), register, 2023)
    assert annual.height == register.height * len(annual_metric_ids())
    assert annual.schema == pl.Schema(ANNUAL_SCHEMA)
    assert row(annual, "W06000015", "loans")["status"] == "not_collected"  # Cardiff: ACE is England only
    assert row(annual, "E06000001", "loans")["status"] == "no_return"  # Hartlepool: not in this tiny return


def test_local_rows_fill_gaps_but_ace_wins(register: pl.DataFrame) -> None:
    activity = pl.DataFrame(series(BARNSLEY, "visits", [5.0] * 12, mode="physical", location="library_only"),
                            schema=ACTIVITY_SCHEMA)  # fmt: skip
    local = pl.DataFrame(
        {
            "service_code": [BARNSLEY, BARNSLEY], "year": [2023, 2019], "metric": ["visits", "visits"],
            "value_as_returned": [999.0, 888.0], "value": [999.0, 888.0], "status": ["derived", "derived"],
            "months_covered": [12, 12], "source": ["local", "local"], "note": ["n", "n"], "caveat": [None, None],
        }
    )  # fmt: skip
    annual = combine_annual([build_annual(activity, no_points([BARNSLEY]), register, 2023), local])
    assert row(annual, BARNSLEY, "visits")["value"] == 60.0  # ACE 2023 wins
    assert row(annual, BARNSLEY, "visits", 2019)["value"] == 888.0
    with pytest.raises(BuildError, match="duplicated service/year/metric"):
        combine_annual([build_annual(activity, no_points([BARNSLEY]), register, 2023), pl.concat([local, local])])


def tiny_local_files(tmp_path: Path, newcastle: str, librarieswest: str) -> dict[str, Path]:
    paths = {NEWCASTLE_VISITS: tmp_path / "visits.csv", NEWCASTLE_ISSUES: tmp_path / "issues.csv",
             LIBRARIESWEST_ISSUES: tmp_path / "issues_summary.csv"}  # fmt: skip
    paths[NEWCASTLE_VISITS].write_text(newcastle)
    paths[NEWCASTLE_ISSUES].write_text(newcastle)
    paths[LIBRARIESWEST_ISSUES].write_text(librarieswest)
    return paths


def test_tiny_local_files(tmp_path: Path, register: pl.DataFrame) -> None:
    newcastle = "Date,City,Walker,Total\n2023-04,10,,10\n2023-05,,,\n"
    west = "month_issued,authority,item_type,issues,renewals\n2019-07,Bristol,Adult Fiction,5,2\n"
    west += "2019-07,Bristol,Music CD,9,0\n2019-07,Poole,Adult Fiction,7,0\n"
    local = read_local_series(tiny_local_files(tmp_path, newcastle, west), register)
    visits = local.activity.filter(pl.col("metric") == "visits").sort("period")
    assert visits["value"].to_list() == [10.0, None]  # an all-blank month is missing, not 0
    assert visits["status"].to_list() == ["reported", "missing"]
    books = local.activity.filter(pl.col("format") == "physical_book")
    assert books["service_code"].to_list() == ["E06000023"] and books["value"].to_list() == [7.0]  # 5 + 2 renewals
    assert row(local.annual, "E06000023", "physical_book_loans", 2019)["status"] == "partial"


def test_local_errors_name_file_row_and_column(tmp_path: Path, register: pl.DataFrame) -> None:
    west = "month_issued,authority,item_type,issues,renewals\n2019-07,Bristol,Hovercraft,1,0\n"
    paths = tiny_local_files(tmp_path, "Date,City,Total\n2023-04,10,10\n", west)
    with pytest.raises(BuildError, match=r"issues_summary.csv, column item_type: unknown item types \['Hovercraft'\]"):
        read_local_series(paths, register)
    paths = tiny_local_files(tmp_path, "Date,City,Walker,Total\n2023-04,10,5,99\n", west)
    with pytest.raises(BuildError, match=r"visits.csv row 2: branches do not add up to the Total 99"):
        read_local_series(paths, register)
    paths = tiny_local_files(tmp_path, "Date,City,Total\n2023-04,ten,10\n", west)
    with pytest.raises(BuildError, match=r"visits.csv row 2, column City: not a count: 'ten'"):
        read_local_series(paths, register)
