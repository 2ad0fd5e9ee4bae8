"""Every countable annual total against a sum taken straight from the workbook's cells.

Independent of the parser: columns are found here by their header text, and the register is used
only to turn ACE's authority names into codes.
"""

from __future__ import annotations

import openpyxl
import polars as pl
import pytest

from observatory_data.build.register import ServiceMatcher, read_register
from observatory_data.serving.catalogue import COUNTABLE
from observatory_data.serving.tables import read_table

ACE = "ace/Libraries Activity Data 2023-24 FINAL.xlsx"
# metric -> header prefixes whose twelve monthly cells make up the year
METRIC_COLUMNS = {
    "building_visits": (
        "Physical Visitors To Library Sites Where There Is No Co Location",
        "Physical Visitors Co Location",
    ),
    "visits": (
        "Physical Visitors To Library Sites Where There Is No Co Location",
        "Physical Visitors Co Location",
        "Mobile Libraries - ",
        "Home Delivery - ",
    ),
    "physical_book_loans": ("Total Number Of Physical Book Issues",),
    "ebook_loans": ("Total Number Of Ebooks Issues",),
    "pc_hours": ("Number Of Hours Physical Public Pcs",),
    "physical_events": ("Total Number Of Physical Events",),
}


@pytest.fixture(scope="module")
def workbook_sums(real_source) -> dict[tuple[str, str], float]:
    sheet = openpyxl.load_workbook(real_source(ACE), read_only=True, data_only=True)["Activity Data 2024"]
    rows = list(sheet.iter_rows(values_only=True))
    header, matcher = rows[0], ServiceMatcher(read_register())
    sums = {}
    for row in rows[1:]:
        code = matcher.require(row[1], where="test")
        for metric, prefixes in METRIC_COLUMNS.items():
            cells = [v for h, v in zip(header, row, strict=True) if str(h).startswith(prefixes)]
            sums[(code, metric)] = sum(float(v) for v in cells if isinstance(v, int | float))
    return sums


@pytest.fixture(scope="module")
def annual() -> pl.DataFrame:
    return read_table("annual")


def test_annual_values_as_returned_equal_the_workbook(
    annual: pl.DataFrame, workbook_sums: dict[tuple[str, str], float]
) -> None:
    returned = annual.filter(
        (pl.col("year") == 2023)
        & pl.col("metric").is_in(list(METRIC_COLUMNS))
        & pl.col("value_as_returned").is_not_null()
        & pl.col("source").str.starts_with("ACE")
    )
    assert returned.height > 400
    mismatches = [
        (
            row["service_code"],
            row["metric"],
            row["value_as_returned"],
            workbook_sums[(row["service_code"], row["metric"])],
        )
        for row in returned.iter_rows(named=True)
        if abs(row["value_as_returned"] - workbook_sums[(row["service_code"], row["metric"])]) > 0.5
    ]
    assert not mismatches, mismatches[:10]


def test_a_counted_value_differs_from_the_workbook_only_by_a_named_rule(annual: pl.DataFrame) -> None:
    changed = annual.filter(
        (pl.col("year") == 2023)
        & pl.col("metric").is_in(list(METRIC_COLUMNS))
        & pl.col("status").is_in(COUNTABLE)
        & (pl.col("value") != pl.col("value_as_returned").fill_null(0))
    )
    assert changed.height > 0
    rules = "decimal slip|total derived from lines|march value is a month"
    unexplained = changed.filter(~pl.col("note").str.contains(rules))
    assert unexplained.is_empty(), unexplained.select("service_code", "metric", "note").rows()[:5]
    assert set(changed["status"]) <= {"corrected", "derived"}


def test_flagged_totals_keep_the_returned_value(
    annual: pl.DataFrame, workbook_sums: dict[tuple[str, str], float]
) -> None:
    flagged = annual.filter(
        (pl.col("year") == 2023) & pl.col("metric").is_in(list(METRIC_COLUMNS)) & (pl.col("status") == "flagged")
    )
    assert flagged.height > 0
    for row in flagged.iter_rows(named=True):
        assert row["value_as_returned"] == pytest.approx(workbook_sums[(row["service_code"], row["metric"])])
        assert "flagged" in row["note"] or "rule" in row["note"] or "x the median" in row["note"]
