"""The `network` table: each service's libraries open, opened and closed per calendar year since 2010, with
statutory status, operating model and weekly hours where the sources give them.

Definitions (the Data & methods page and the schema quote them):
- libraries open at the end of year Y: service points in Libraries Hacked's list (all nations) opened in or
  before Y or with no opening year, and not closed by the end of Y (no closing year, or one after Y). A
  point opened and closed in the same year is an opening and a closure of that year, not open at its end.
- openings, closures: points whose opening or closing year is Y.
- the list's years run from 2010 to the last year it records any opening or closure (2023 in the pinned file;
  it has none later), never on to today: a count carried forward flat would read as "no change".
- not recorded: a service none of whose points has an opening or closing year from 2010 on (Libraries NI,
  21 of the 22 Welsh services, a few English ones). The list then says nothing about change, so openings and
  closures are null in every year and libraries open is null in every year but the last, when it is what the
  list shows as open now. Zeros or a flat line would claim "no change".
- statutory libraries (England; 2010, 2016, 2019, 2021, 2022, 2023): points ACE's Libraries Location Dataset
  marks statutory in that year (Yes, any case or spacing; 'Facility Not Open', 'Temporary Closure', No and
  '[Unknown]' are not).
- operating model (England; 2016, 2019, 2021, 2022, 2023), from ACE's `operation_YY`: local authority (LA,
  and LAU: unstaffed), community run (CR), commissioned (C), independent community (ICL); Closed, not open
  and unknown are not counted.
- weekly hours (England): 2016 from the DCMS 2016 dataset (`hours`, `staffhours`, points not closed), 2023
  from ACE's dataset (`hours`, `staffed_hours`, numeric cells only).

Which service a point belongs to (`assign_ace`, `assign_dcms`): ACE's rows by the service that returned them
(`reporting`), since ACE's `authority` is at times a county or a place ('Essex' for Southend's libraries,
'London' for a Westminster library, which the name key reads as the City of London); the 2016 rows by their
postcode in the list first (authorities since merged or split: Bournemouth and Poole, Cumbria,
Northamptonshire), then by name, then among the services the 2016 authority's other points went to, the one
with list points in the same postcode sector or district.

Caveats: Libraries Hacked's list is kept by volunteers from public information; ACE's dataset is returned by
the services. They differ; the build report lists the largest differences per service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from observatory_data.build.branches import normalise_postcode
from observatory_data.build.csvfile import read_text_csv
from observatory_data.build.register import ServiceMatcher
from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import polars_schema

FIRST_YEAR = 2010
STATUTORY_COLUMNS = {2010: "statutory_10", 2016: "statutory_16", 2019: "statutory_19", 2021: "statutory_21",
                     2022: "statutory_22", 2023: "statutory_23"}  # fmt: skip
OPERATION_COLUMNS = {2016: "operation_16", 2019: "operation_19", 2021: "operation_21", 2022: "operation_22",
                     2023: "operation_23"}  # fmt: skip
MODELS = {"LA": "local_authority", "LAU": "local_authority", "CR": "community_run", "C": "commissioned",
          "ICL": "independent_community"}  # fmt: skip
MODEL_COLUMNS = ("local_authority", "community_run", "commissioned", "independent_community")
HOURS_2016, HOURS_2023 = 2016, 2023
# How a point found its service (assign_ace, assign_dcms), for the report and the tests.
BY_REPORTING, BY_POSTCODE, BY_NAME = "reporting service", "postcode in the list", "authority name"
BY_SECTOR, BY_DISTRICT = "successor in the postcode sector", "successor in the postcode district"


@dataclass(frozen=True)
class NetworkResult:
    """The table, and what the report says about it."""

    table: pl.DataFrame
    differences: pl.DataFrame  # service, Libraries Hacked open 2023, ACE open 2023, difference
    unmatched: pl.DataFrame  # file, authority, rows: points no register service could be found for
    routes: pl.DataFrame | None = None  # file, route, rows: how many points found their service which way


def last_recorded_year(points: pl.DataFrame) -> int:
    """The last year the list records any opening or closure: where its series stops (module notes)."""
    last = points.select(pl.max_horizontal(pl.col("year_opened").max(), pl.col("year_closed").max())).item()
    if last is None or last < FIRST_YEAR:
        raise BuildError(f"the service-point list records no opening or closing year from {FIRST_YEAR} on")
    return int(last)


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


def recorded_counts(points: pl.DataFrame, years: range) -> pl.DataFrame:
    """open_counts, with what the list does not record left null: for a service with no opening or closing year
    in `years`, openings and closures in every year and libraries open in every year but the last (module notes).
    """
    dated = pl.col("year_opened").is_between(years.start, years.stop - 1) | pl.col("year_closed").is_between(
        years.start, years.stop - 1
    )
    recorded = points.group_by("service_code").agg(recorded=dated.any())
    recorded_or_now = pl.col("recorded") | (pl.col("year") == years.stop - 1)
    return (
        open_counts(points, years)
        .join(recorded, on="service_code")
        .with_columns(
            libraries_open=pl.when(recorded_or_now).then("libraries_open"),
            openings=pl.when("recorded").then("openings"),
            closures=pl.when("recorded").then("closures"),
        )
        .drop("recorded")
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


def _assign(table: pl.DataFrame, routes: list[tuple[str, Callable[[dict], str | None]]]) -> pl.DataFrame:
    """Each row's service by the first route that finds one (`service_code`, and the route in `assigned_by`)."""
    codes, used = [], []
    for row in table.iter_rows(named=True):
        found = next(((code, name) for name, route in routes if (code := route(row)) is not None), (None, None))
        codes.append(found[0])
        used.append(found[1])
    return table.with_columns(
        service_code=pl.Series(codes, dtype=pl.String), assigned_by=pl.Series(used, dtype=pl.String)
    )


def _postcode_route(by_postcode: dict[str, str]) -> Callable[[dict], str | None]:
    return lambda row: by_postcode.get(normalise_postcode(row["postcode"]) or "")


def assign_ace(ace: pl.DataFrame, by_postcode: dict[str, str], matcher: ServiceMatcher) -> pl.DataFrame:
    """ACE's rows: by the service that returned the row, else the postcode in the list, else ACE's `authority`
    (a county or a place at times, so last; module notes)."""
    return _assign(
        ace,
        [
            (BY_REPORTING, lambda row: matcher.code_for(row["reporting"] or "")),
            (BY_POSTCODE, _postcode_route(by_postcode)),
            (BY_NAME, lambda row: matcher.code_for(row["authority"] or "")),
        ],
    )


def _sector(postcode: str | None) -> str | None:
    """'CA166QN' -> 'CA166': the postcode without its last two letters (the sector)."""
    key = normalise_postcode(postcode)
    return key[:-2] if key and len(key) >= 5 else None


def _district(postcode: str | None) -> str | None:
    """'CA166QN' -> 'CA16': the outward code (the postcode district)."""
    key = normalise_postcode(postcode)
    return key[:-3] if key and len(key) >= 5 else None


def assign_dcms(dcms: pl.DataFrame, branches: pl.DataFrame, matcher: ServiceMatcher) -> pl.DataFrame:
    """The 2016 rows: by postcode in the list, else by the 2016 authority's name, else, for a point whose postcode
    the list does not have (closed since, or moved), among the services the authority's other points went to by
    postcode (Cumbria: Cumberland, Westmorland and Furness) the only one with list points in the same postcode
    sector, else district."""
    by_postcode = _by_postcode(branches)
    areas: dict[tuple[str, str], set[str]] = {}
    for postcode, code in branches.select("postcode", "service_code").iter_rows():
        for kind, area in (("sector", _sector(postcode)), ("district", _district(postcode))):
            if area:
                areas.setdefault((kind, area), set()).add(code)
    successors: dict[str, set[str]] = {}
    for authority, postcode in dcms.select("authority", "postcode").iter_rows():
        if (code := by_postcode.get(normalise_postcode(postcode) or "")) is not None:
            successors.setdefault(authority, set()).add(code)

    def among_successors(kind: str, area_of: Callable[[str | None], str | None]) -> Callable[[dict], str | None]:
        def route(row: dict) -> str | None:
            found = successors.get(row["authority"], set()) & areas.get((kind, area_of(row["postcode"]) or ""), set())
            return next(iter(found)) if len(found) == 1 else None

        return route

    return _assign(
        dcms,
        [
            (BY_POSTCODE, _postcode_route(by_postcode)),
            (BY_NAME, lambda row: matcher.code_for(row["authority"] or "")),
            (BY_SECTOR, among_successors("sector", _sector)),
            (BY_DISTRICT, among_successors("district", _district)),
        ],
    )


def _by_postcode(branches: pl.DataFrame) -> dict[str, str]:
    return {
        normalised: code
        for postcode, code in branches.select("postcode", "service_code").iter_rows()
        if (normalised := normalise_postcode(postcode)) is not None
    }


def _unmatched(assigned: pl.DataFrame, authority: str, file: str) -> pl.DataFrame:
    return (
        assigned.filter(pl.col("service_code").is_null())
        .group_by(authority)
        .agg(rows=pl.len().cast(pl.Int64))
        .select(file=pl.lit(file), authority=pl.col(authority), rows="rows")
    )


def _routes(assigned: pl.DataFrame, file: str) -> pl.DataFrame:
    return (
        assigned.group_by("assigned_by")
        .agg(rows=pl.len().cast(pl.Int64))
        .select(file=pl.lit(file), route=pl.col("assigned_by").fill_null("not assigned"), rows="rows")
        .sort("rows", descending=True)
    )


def build_network(
    branches: pl.DataFrame,
    ace_path: Path,
    dcms_libraries_path: Path,
    dcms_authorities_path: Path,
    register: pl.DataFrame,
) -> NetworkResult:
    """The network table for every register service and year from 2010 to the last year a source records
    (module notes)."""
    matcher = ServiceMatcher(register)
    ace_all = assign_ace(read_text_csv(ace_path), _by_postcode(branches), matcher)
    authorities = read_text_csv(dcms_authorities_path).select("authority_id", authority="name")
    dcms_all = read_text_csv(dcms_libraries_path).join(authorities, on="authority_id", how="left")
    if dcms_all["authority"].null_count():
        raise BuildError(f"{dcms_libraries_path.name}: authority_id not in {dcms_authorities_path.name}")
    dcms_all = assign_dcms(dcms_all, branches, matcher)
    ace, dcms = (frame.filter(pl.col("service_code").is_not_null()) for frame in (ace_all, dcms_all))
    list_years = range(FIRST_YEAR, last_recorded_year(branches) + 1)
    years = range(FIRST_YEAR, max(list_years.stop - 1, *STATUTORY_COLUMNS) + 1)
    counts = recorded_counts(branches, list_years)
    grid = register.select("service_code").join(
        pl.DataFrame({"year": list(years)}, schema={"year": pl.Int32}), how="cross"
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
        open_counts(branches, range(HOURS_2023, HOURS_2023 + 1))
        .select("service_code", listed_open="libraries_open")
        .join(ace_open, on="service_code", how="inner")
        .with_columns(difference=pl.col("listed_open") - pl.col("ace_open"))
    )
    unmatched = pl.concat(
        [_unmatched(ace_all, "authority", ace_path.name), _unmatched(dcms_all, "authority", dcms_libraries_path.name)]
    )
    routes = pl.concat([_routes(ace_all, ace_path.name), _routes(dcms_all, dcms_libraries_path.name)])
    return NetworkResult(table, differences, unmatched, routes)
