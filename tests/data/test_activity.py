"""Reading the ACE workbook: header mapping, blanks, quarterly totals, errors that name the cell."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from observatory_data.build.activity import read_activity, read_point_in_time
from observatory_data.build.register import read_register

ACE = "ace/Libraries Activity Data 2023-24 FINAL.xlsx"


@pytest.fixture(scope="module")
def register() -> pl.DataFrame:
    return read_register()


@pytest.fixture(scope="module")
def real_activity(real_source, register: pl.DataFrame) -> pl.DataFrame:
    return read_activity(real_source(ACE), register)


def test_real_workbook_shape(real_activity: pl.DataFrame) -> None:
    # 129 returns x 41 monthly series x 12 months
    assert real_activity.height == 129 * 41 * 12
    assert real_activity["service_code"].n_unique() == 129
    assert set(real_activity["status"].unique()) <= {
        "reported", "missing", "quarterly_total", "in_quarter", "annual_total", "in_year",
    }  # fmt: skip


def test_city_of_london_physical_events_are_quarterly_totals(real_activity: pl.DataFrame) -> None:
    # Workbook row 2 (Barbican & Community Libraries / City of London), columns G-R: only I (Jun) 535,
    # L (Sept) 453, O (Dec) 774, R (March) 1281 are filled.
    events = real_activity.filter(
        pl.col("service_code") == "E09000001", pl.col("metric") == "events",
        pl.col("mode") == "physical", pl.col("user_age") == "total",
    ).sort("period")  # fmt: skip
    totals = events.filter(pl.col("status") == "quarterly_total")
    assert totals["value"].to_list() == [535.0, 453.0, 774.0, 1281.0]
    assert totals["quarter"].to_list() == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    assert totals["source_column"].to_list() == ["I", "L", "O", "R"]
    assert totals["covers_months"].to_list() == [3, 3, 3, 3]
    assert events.filter(pl.col("status") == "in_quarter").height == 8


def test_digital_suffix_columns_are_physical_audiobook_ages(real_activity: pl.DataFrame) -> None:
    # Barnsley (row 3): 'Total Number Of Physical Audio Book Issues - March 2024' (JV) 207 and
    # 'Loans And Lending Adult 18 - March 2024_digital' (KH) 207.
    barnsley_march = real_activity.filter(
        pl.col("service_code") == "E08000016", pl.col("format") == "physical_audiobook",
        pl.col("period") == date(2024, 3, 1),
    )  # fmt: skip
    by_age = dict(zip(barnsley_march["content_age"], barnsley_march["value"], strict=True))
    assert by_age["total"] == 207.0 and by_age["adult"] == 207.0
    assert barnsley_march.filter(pl.col("content_age") == "adult")["source_column"].item() == "KH"


def test_barnet_march_only_figure_is_a_year_total(real_activity: pl.DataFrame) -> None:
    # Barnet (row 59), physical book issues: only March 2024 (HZ) is filled, 1,040,210.
    books = real_activity.filter(
        pl.col("service_code") == "E09000003", pl.col("format") == "physical_book", pl.col("content_age") == "total"
    )
    given = books.filter(pl.col("value").is_not_null()).row(0, named=True)
    assert (given["value"], given["status"], given["covers_months"]) == (1_040_210.0, "annual_total", 12)


def test_real_point_in_time(real_source, register: pl.DataFrame) -> None:
    points = read_point_in_time(real_source(ACE), register)
    users = points.filter(pl.col("metric") == "active_users", pl.col("user_age") == "total")
    # Column C: Bracknell Forest (row 9) 259,229; Barnsley (row 3) 13,835; Merton (row 69) blank
    values = dict(zip(users["service_code"], users["value"], strict=True))
    assert values["E06000036"] == 259_229.0
    assert values["E08000016"] == 13_835.0
    assert values["E09000024"] is None
    flag = points.filter(pl.col("metric") == "ebook_data_collected", pl.col("service_code") == "E06000036")
    assert flag["text"].item() == "No"  # column LG, row 9
