"""Long-run open data published by individual services, as extra monthly series and annual rows.

- Newcastle (E08000021): monthly visits and issues by branch, April 2008 - August 2024. Branches are
  summed to the service per month (checked against the file's own Total column); a month with every
  branch blank is missing (April-December 2020 visits, when libraries were closed: not zero here).
  Issues are Newcastle's own count of items issued (`physical_issues`), not ACE's loans by format.
- LibrariesWest: monthly issues and renewals by authority and item type, July 2019 - June 2021.
  Issues + renewals (ACE counts a renewal as a loan) of book item types make `physical_book_loans`,
  of spoken-word items physical audiobook loans; DVDs, CDs, music scores, language courses,
  equipment, inter-library loans and unclassified items are left out. "Poole" is left out: since
  2019 it is one part of Bournemouth, Christchurch and Poole, whose other libraries are not in
  LibrariesWest, so its figures are not the service's.

Annual rows are made for each financial year with any month given: `derived` (the sum of the
branches or item types) when all 12 months are there, `partial` otherwise. Where ACE has the same
service, year and metric, the ACE row wins in build_annual and the local months stay in activity only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from observatory_data.build.activity import ACTIVITY_SCHEMA, financial_quarter
from observatory_data.build.annual import as_annual
from observatory_data.build.csvfile import read_text_csv
from observatory_data.build.register import ServiceMatcher
from observatory_data.serving.catalogue import ActivityStatus, Status
from observatory_data.serving.errors import BuildError
from observatory_data.serving.periods import year_of_expr

NEWCASTLE_VISITS = "services-open-data/newcastle/monthly_visits.csv"
NEWCASTLE_ISSUES = "services-open-data/newcastle/monthly_issues_by_branch.csv"
LIBRARIESWEST_ISSUES = "services-open-data/librarieswest/issues_summary.csv"
NEWCASTLE_NAME = "Newcastle upon Tyne"
NEWCASTLE_SOURCE = "Newcastle City Council open data (via Open Innovations)"
LIBRARIESWEST_SOURCE = "LibrariesWest open data (issues summary)"
NOT_A_SERVICE = {"Poole": "part of Bournemouth, Christchurch and Poole only"}

BOOK = "physical_book"
AUDIO = "physical_audiobook"
ITEM_TYPES: dict[str, str | None] = {
    **dict.fromkeys(
        [
            "Adult Fiction", "Adult Non Fiction", "Adult Graphic Novel", "Adult Reference", "B.O.P.",
            "Child Fiction", "Child Non Fiction", "Child Reference", "Drama Set", "Drama single copy", "Fastrack",
            "Large Print - Adult Fiction", "Large Print - Adult Non Fiction", "Large Print - Children",
            "Reading Group Set", "YA / Teen Fiction", "YA / Teen Non Fiction",
        ],
        BOOK,
    ),
    **dict.fromkeys(["Adult Spoken Word", "Child Spoken Word"], AUDIO),
    **dict.fromkeys(
        [
            "12 DVD Standard", "12 DVD Premium", "15 DVD Standard", "15 DVD Premium", "18 DVD Standard",
            "18 DVD Premium", "PG DVD Standard", "PG DVD Premium", "U DVD Standard", "Boxed Set 12 DVD",
            "Boxed Set 15 DVD", "Boxed Set 18 DVD", "Boxed Set EX DVD", "Boxed Set PG DVD", "Boxed Set U DVD",
            "Music CD", "Music Score", "Music Set", "Language Course", "Equipment", "iPad", "ILL",
            "Cash Sales No VAT", "Classification Exempt", "Visual Material", "Unknown",
        ],
        None,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class LocalSeries:
    """Rows for `activity` (monthly) and `annual` (by financial year) from services' own open data."""

    activity: pl.DataFrame
    annual: pl.DataFrame


def read_local_series(paths: dict[str, Path], register: pl.DataFrame) -> LocalSeries:
    """Newcastle's and LibrariesWest's series, keyed by manifest path in `paths`."""
    matcher = ServiceMatcher(register)
    newcastle = matcher.require(NEWCASTLE_NAME, where="local_series.py (Newcastle open data)")
    activity = pl.concat(
        [
            _newcastle(paths[NEWCASTLE_VISITS], newcastle, "visits"),
            _newcastle(paths[NEWCASTLE_ISSUES], newcastle, "physical_issues"),
            _librarieswest(paths[LIBRARIESWEST_ISSUES], matcher),
        ]
    )
    annual_metrics = {"visits": "building_visits", "physical_issues": "physical_issues", BOOK: "physical_book_loans"}
    yearly = activity.with_columns(
        annual_metric=pl.coalesce("format", "metric").replace_strict(annual_metrics, default=None)
    ).filter(pl.col("annual_metric").is_not_null())
    return LocalSeries(activity=activity, annual=_annual(yearly))


def _months(table: pl.DataFrame, column: str, path: Path) -> pl.Series:
    """A YYYY-MM column as first-of-month dates; a bad month is an error naming the row."""
    periods = table[column].str.strptime(pl.Date, "%Y-%m", strict=False)
    bad = table.with_row_index("line", offset=2).filter(periods.is_null())
    if bad.height:
        row = bad.row(0, named=True)
        raise BuildError(f"{path.name} row {row['line']}, column {column}: not a YYYY-MM month: {row[column]!r}")
    return periods


def _counts(table: pl.DataFrame, column: str, path: Path) -> pl.Series:
    """Counts of a column: blank stays null, anything else not a whole number is an error naming the row."""
    text = table[column].str.strip_chars()
    values = text.cast(pl.Float64, strict=False)
    bad = table.with_row_index("line", offset=2).filter(values.is_null() & (text.fill_null("") != ""))
    if bad.height:
        row = bad.row(0, named=True)
        raise BuildError(f"{path.name} row {row['line']}, column {column}: not a count: {row[column]!r}")
    return values


def _newcastle(path: Path, code: str, metric: str) -> pl.DataFrame:
    """Branches summed per month; the sum must equal the file's Total column where it is given."""
    table = read_text_csv(path)
    if "Date" not in table.columns:
        raise BuildError(f"{path.name}: no Date column")
    branches = [c for c in table.columns if c not in ("Date", "Total")]
    counts = pl.DataFrame([_counts(table, c, path) for c in branches])
    any_given = pl.any_horizontal(pl.all().is_not_null())
    summed = counts.select(value=pl.when(any_given).then(pl.sum_horizontal(pl.all())))["value"]
    if "Total" in table.columns:
        total = _counts(table, "Total", path)
        wrong = table.with_row_index("line", offset=2).filter((summed - total).abs() > 0.5)
        if wrong.height:
            row = wrong.row(0, named=True)
            raise BuildError(f"{path.name} row {row['line']}: branches do not add up to the Total {row['Total']}")
    monthly = pl.DataFrame({"period": _months(table, "Date", path), "value": summed})
    return _activity_rows(
        monthly.with_columns(
            service_code=pl.lit(code),
            metric=pl.lit(metric),
            mode=pl.lit("physical"),
            source_column=pl.lit(f"sum of {len(branches)} branch columns ({path.name})"),
            source=pl.lit(NEWCASTLE_SOURCE),
        )
    )


def _librarieswest(path: Path, matcher: ServiceMatcher) -> pl.DataFrame:
    """Issues + renewals of books and spoken word per authority and month, on a full month grid."""
    table = read_text_csv(path)
    missing = {"month_issued", "authority", "item_type", "issues", "renewals"} - set(table.columns)
    if missing:
        raise BuildError(f"{path.name}: missing columns {sorted(missing)}")
    unknown = sorted(set(table["item_type"].drop_nulls().to_list()) - set(ITEM_TYPES))
    if unknown:
        raise BuildError(f"{path.name}, column item_type: unknown item types {unknown}; map them in local_series.py")
    table = table.with_columns(
        period=_months(table, "month_issued", path),
        loans=_counts(table, "issues", path).fill_null(0) + _counts(table, "renewals", path).fill_null(0),
        format=pl.col("item_type").replace_strict(ITEM_TYPES, default=None),
    ).filter(~pl.col("authority").is_in(list(NOT_A_SERVICE)))
    codes = {
        name: matcher.require(name, where=f"{path.name}, column authority")
        for name in table["authority"].unique().to_list()
    }
    summed = (
        table.filter(pl.col("format").is_not_null())
        .group_by("authority", "format", "period")
        .agg(value=pl.col("loans").sum())
    )
    months = pl.date_range(table["period"].min(), table["period"].max(), interval="1mo", eager=True)
    grid = (
        pl.DataFrame({"authority": list(codes)})
        .join(pl.DataFrame({"format": [BOOK, AUDIO]}), how="cross")
        .join(pl.DataFrame({"period": months}), how="cross")
    )
    monthly = grid.join(summed, on=["authority", "format", "period"], how="left")
    return _activity_rows(
        monthly.with_columns(
            service_code=pl.col("authority").replace_strict(codes),
            metric=pl.lit("loans"),
            mode=pl.lit("physical"),
            content_age=pl.lit("total"),
            source_column=pl.lit(f"issues + renewals ({path.name})"),
            source=pl.lit(LIBRARIESWEST_SOURCE),
        )
    )


def _activity_rows(monthly: pl.DataFrame) -> pl.DataFrame:
    """Monthly values in the activity table's columns: one row per month, blanks as `missing`."""
    given = pl.col("value").is_not_null()
    rows = monthly.with_columns(
        period_type=pl.lit("month"),
        quarter=pl.col("period").map_elements(financial_quarter, return_dtype=pl.String),
        covers_months=pl.when(given).then(pl.lit(1, dtype=pl.Int8)),
        status=pl.when(given).then(pl.lit(ActivityStatus.REPORTED)).otherwise(pl.lit(ActivityStatus.MISSING)),
        value_as_returned="value",
    )
    for column in ACTIVITY_SCHEMA:
        if column not in rows.columns:
            rows = rows.with_columns(pl.lit(None).alias(column))
    return rows.select(list(ACTIVITY_SCHEMA)).cast(ACTIVITY_SCHEMA).sort("service_code", "metric", "format", "period")


def _annual(monthly: pl.DataFrame) -> pl.DataFrame:
    """Financial-year rows: all 12 months given -> derived (summed over branches or item types), else partial."""
    yearly = (
        monthly.with_columns(year=year_of_expr(pl.col("period")))
        .group_by("service_code", "year", "annual_metric", "source")
        .agg(value=pl.col("value").sum(), months_covered=pl.col("value").is_not_null().sum().cast(pl.Int32))
        .filter(pl.col("months_covered") > 0)
    )
    return as_annual(
        yearly.select(
            "service_code",
            "year",
            metric="annual_metric",
            value_as_returned="value",
            value="value",
            status=pl.when(pl.col("months_covered") == 12)
            .then(pl.lit(Status.DERIVED))
            .otherwise(pl.lit(Status.PARTIAL)),
            months_covered="months_covered",
            source="source",
            note=pl.format("the service's own open data, summed; {} of 12 months given", "months_covered"),
            caveat=pl.lit(None, dtype=pl.String),
        )
    ).sort("service_code", "metric", "year")
