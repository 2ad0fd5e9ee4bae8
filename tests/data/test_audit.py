"""The Libraries Hacked audit: the real file against values read from it by eye."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.audit_comparison import compare_with_audit
from observatory_data.build.audit_file import AUDIT_METRICS, AUDIT_SOURCE, read_audit
from observatory_data.build.register import read_register

# ---------------------------------------------------------------------------------------------------------------
# The real file


@pytest.fixture(scope="module")
def real_audit(real_source) -> pl.DataFrame:
    try:
        path = real_source(AUDIT_SOURCE)
    except KeyError:
        pytest.fail(f"{AUDIT_SOURCE} is not pinned in observatory_data/reference/sources.csv; add its manifest row")
    return read_audit(path, read_register())


def test_real_file_values_read_by_eye(real_audit: pl.DataFrame) -> None:
    assert real_audit.height == 153 * 3 * len(AUDIT_METRICS)
    assert sorted(real_audit["year"].unique()) == [2023, 2024, 2025]

    def value(code: str, year: int, metric: str) -> dict:
        (row,) = real_audit.filter(
            pl.col("service_code") == code, pl.col("year") == year, pl.col("metric") == metric
        ).to_dicts()
        return row

    london = value("E09000001", 2023, "loans")
    assert (london["value_as_returned"], london["audit_status"], london["audit_notes"]) == (
        329805.0,
        "suspicious",
        None,
    )
    assert value("E09000001", 2023, "wifi_sessions")["value_as_returned"] is None
    assert value("E09000001", 2024, "loans")["value_as_returned"] == 358988.0
    barnsley = value("E08000016", 2023, "visits")
    assert (barnsley["value_as_returned"], barnsley["audit_status"]) == (578334.0, None)
    assert value("E08000016", 2025, "visits")["value_as_returned"] == 626063.0
    hartlepool = value("E06000001", 2023, "visits")
    assert (hartlepool["value_as_returned"], hartlepool["estimated"]) == (359817.0, 169682.0)
    assert hartlepool["audit_status"] == "replaced" and hartlepool["audit_notes"].startswith(
        "Monthly return (February)"
    )
    haringey = value("E09000014", 2023, "pc_hours")
    assert (haringey["value_as_returned"], haringey["audit_status"]) == (2236995718.0, "excluded")
    durham = real_audit.filter(pl.col("service_code") == "E06000047")
    assert durham["value_as_returned"].null_count() == durham.height


def test_real_comparison_covers_every_audit_pair(real_audit: pl.DataFrame, prepared_tables: Path) -> None:
    annual = pl.read_parquet(prepared_tables / "annual.parquet")
    activity = pl.read_parquet(prepared_tables / "activity.parquet")
    flags = pl.read_parquet(prepared_tables / "flags.parquet")
    result = compare_with_audit(annual, real_audit, 2023, flags=flags, activity=activity)
    assert result["rows"] == 153 * len(AUDIT_METRICS) and result["missing_in_annual"] == 0
    assert result["crosstab"][-1]["total"] == result["rows"] == sum(result["verdicts"].values())
    assert sum(group["rows"] for group in result["disagreements"]) == result["rows"] - result["verdicts"]["agree"]
    assert all(group["reason"] and group["examples"] for group in result["disagreements"])
