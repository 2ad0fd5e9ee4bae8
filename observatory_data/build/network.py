"""The `network` table: each service's libraries open, opened and closed per calendar year since 2010, with
statutory status, operating model and weekly hours where the sources give them.

Definitions (the Data & methods page and the schema quote them):
- libraries open at the end of year Y: service points in Libraries Hacked's list (all nations) opened in or
  before Y or with no opening year, and not closed by the end of Y (no closing year, or one after Y). A
  point opened and closed in the same year is an opening and a closure of that year, not open at its end.
- openings, closures: points whose opening or closing year is Y.
- statutory libraries (England; 2010, 2016, 2019, 2021, 2022, 2023): points ACE's Libraries Location Dataset
  marks statutory in that year (Yes, any case or spacing; 'Facility Not Open', 'Temporary Closure', No and
  '[Unknown]' are not).
- operating model (England; 2016, 2019, 2021, 2022, 2023), from ACE's `operation_YY`: local authority (LA,
  and LAU: unstaffed), community run (CR), commissioned (C), independent community (ICL); Closed, not open
  and unknown are not counted.
- weekly hours (England): 2016 from the DCMS 2016 dataset (`hours`, `staffhours`, points not closed), 2023
  from ACE's dataset (`hours`, `staffed_hours`, numeric cells only).

Caveats: Libraries Hacked's list is kept by volunteers from public information; ACE's dataset is returned by
the services. They differ; the build report lists the largest differences per service.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from observatory_data.build.branches import normalise_postcode
from observatory_data.build.csvfile import read_text_csv
from observatory_data.build.register import ServiceMatcher
from observatory_data.errors import BuildError
from observatory_data.schema import polars_schema

FIRST_YEAR, LAST_YEAR = 2010, 2025
STATUTORY_COLUMNS = {2010: "statutory_10", 2016: "statutory_16", 2019: "statutory_19", 2021: "statutory_21",
                     2022: "statutory_22", 2023: "statutory_23"}  # fmt: skip
OPERATION_COLUMNS = {2016: "operation_16", 2019: "operation_19", 2021: "operation_21", 2022: "operation_22",
                     2023: "operation_23"}  # fmt: skip
MODELS = {"LA": "local_authority", "LAU": "local_authority", "CR": "community_run", "C": "commissioned",
          "ICL": "independent_community"}  # fmt: skip
MODEL_COLUMNS = ("local_authority", "community_run", "commissioned", "independent_community")
HOURS_2016, HOURS_2023 = 2016, 2023


@dataclass(frozen=True)
class NetworkResult:
    """The table, and what the report says about it."""

    table: pl.DataFrame
    differences: pl.DataFrame  # service, Libraries Hacked open 2023, ACE open 2023, difference
    unmatched: pl.DataFrame  # file, authority, rows: points no register service could be found for


def open_counts(points: pl.DataFrame, years: range) -> pl.DataFrame:
    """Per service and year: libraries open at the end of the year, openings and closures (module notes)."""
    grid = points.select("service_code", "year_opened", "year_closed").join(
        pl.DataFrame({"year": list(years)}, schema={"year": pl.Int32}), how="cross"
    )
    opened_by = pl.col("year_opened").is_null() | (pl.col("year_opened") <= pl.col("year"))
    not_closed = pl.col("year_closed").is_null() | (pl.col("year_closed") > pl.col("year"))
    return grid.group_by("service_code", "year").agg(
        libraries_open=(opened_by & not_closed).sum().cast(pl.Int64),
        openings=(pl.col("year_opened") == pl.col("year")).sum().cast(pl.Int64),
        closures=(pl.col("year_closed") == pl.col("year")).sum().cast(pl.Int64),
    )


def _lower(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().str.to_lowercase()


def _number(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().cast(pl.Float64, strict=False)


def _hours(column: str) -> pl.Expr:
    """The sum of the numeric cells ('N/A Closed' and blanks are not hours); null when none is numeric."""
    return pl.when(_number(column).count() > 0).then(_number(column).sum())


def ace_counts(ace: pl.DataFrame) -> pl.DataFrame:
    """Per service and year: statutory libraries, libraries per operating model and weekly hours (England)."""
    rows = []
    for year, column in STATUTORY_COLUMNS.items():
        rows.append(ace.select("service_code", year=pl.lit(year), statutory_libraries=_lower(column) == "yes"))
    statutory = pl.concat(rows).group_by("service_code", "year").agg(pl.col("statutory_libraries").sum().cast(pl.Int64))
    models = []
    for year, column in OPERATION_COLUMNS.items():
        model = pl.col(column).str.strip_chars().str.to_uppercase().replace_strict(MODELS, default=None)
        models.append(ace.select("service_code", year=pl.lit(year), model=model))
    by_model = (
        pl.concat(models)
        .group_by("service_code", "year")
        .agg([(pl.col("model") == name).sum().cast(pl.Int64).alias(name) for name in MODEL_COLUMNS])
    )
    hours = ace.group_by("service_code").agg(
        year=pl.lit(HOURS_2023),
        weekly_hours=_hours("hours"),
        weekly_staffed_hours=_hours("staffed_hours"),
    )
    keys = ["service_code", "year"]
    cast = {"year": pl.Int32}
    return (
        statutory.cast(cast)
        .join(by_model.cast(cast), on=keys, how="full", coalesce=True)
        .join(hours.cast(cast), on=keys, how="full", coalesce=True)
    )


def dcms_2016_hours(libraries: pl.DataFrame) -> pl.DataFrame:
    """Per service: weekly and staffed hours of the 2016 points that were not closed."""
    open_2016 = libraries.filter(pl.col("closed").is_null())
    return open_2016.group_by("service_code").agg(
        year=pl.lit(HOURS_2016, dtype=pl.Int32),
        weekly_hours=_hours("hours"),
        weekly_staffed_hours=_hours("staffhours"),
    )


def _assign(
    table: pl.DataFrame, authority: str, postcode: str, by_postcode: dict[str, str], matcher: ServiceMatcher
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each point's service: by its postcode in the service-point list (authorities since merged or split),
    else by its authority's name; the rest, per authority, for the report."""
    codes = [
        by_postcode.get(normalise_postcode(row[postcode]) or "") or matcher.code_for(row[authority] or "")
        for row in table.select(authority, postcode).iter_rows(named=True)
    ]
    assigned = table.with_columns(service_code=pl.Series(codes, dtype=pl.String))
    unmatched = assigned.filter(pl.col("service_code").is_null()).group_by(authority).agg(rows=pl.len())
    return assigned.filter(pl.col("service_code").is_not_null()), unmatched.rename({authority: "authority"})


def build_network(
    branches: pl.DataFrame,
    ace_path: Path,
    dcms_libraries_path: Path,
    dcms_authorities_path: Path,
    register: pl.DataFrame,
) -> NetworkResult:
    """The network table for every register service and year 2010-2025 (module notes)."""
    matcher = ServiceMatcher(register)
    by_postcode = {
        normalised: code
        for postcode, code in branches.select("postcode", "service_code").iter_rows()
        if (normalised := normalise_postcode(postcode)) is not None
    }
    ace, ace_unmatched = _assign(read_text_csv(ace_path), "authority", "postcode", by_postcode, matcher)
    authorities = read_text_csv(dcms_authorities_path).select("authority_id", authority="name")
    dcms = read_text_csv(dcms_libraries_path).join(authorities, on="authority_id", how="left")
    if dcms["authority"].null_count():
        raise BuildError(f"{dcms_libraries_path.name}: authority_id not in {dcms_authorities_path.name}")
    dcms, dcms_unmatched = _assign(dcms, "authority", "postcode", by_postcode, matcher)
    counts = open_counts(branches, range(FIRST_YEAR, LAST_YEAR + 1))
    grid = register.select("service_code").join(
        pl.DataFrame({"year": list(range(FIRST_YEAR, LAST_YEAR + 1))}, schema={"year": pl.Int32}), how="cross"
    )
    keys = ["service_code", "year"]
    england = ace_counts(ace)
    hours = pl.concat([england.select(*keys, "weekly_hours", "weekly_staffed_hours").drop_nulls("weekly_hours"),
                       dcms_2016_hours(dcms)])  # fmt: skip
    table = (
        grid.join(counts, on=keys, how="left")
        .join(england.drop("weekly_hours", "weekly_staffed_hours"), on=keys, how="left")
        .join(hours, on=keys, how="left")
        .select(list(polars_schema("network")))
        .cast(polars_schema("network"))
        .sort(keys)
    )
    ace_open = england.filter(pl.col("year") == HOURS_2023).select(
        "service_code", ace_open=pl.sum_horizontal(*MODEL_COLUMNS)
    )
    differences = (
        counts.filter(pl.col("year") == HOURS_2023)
        .select("service_code", listed_open="libraries_open")
        .join(ace_open, on="service_code", how="inner")
        .with_columns(difference=pl.col("listed_open") - pl.col("ace_open"))
    )
    unmatched = pl.concat(
        [
            ace_unmatched.with_columns(file=pl.lit(ace_path.name)),
            dcms_unmatched.with_columns(file=pl.lit(dcms_libraries_path.name)),
        ]
    ).select("file", "authority", pl.col("rows").cast(pl.Int64))
    return NetworkResult(table, differences, unmatched)
