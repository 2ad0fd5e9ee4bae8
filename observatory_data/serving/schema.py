"""Every column of every prepared table, typed and documented in one place.

The build checks each table against it before writing, the app checks each table it loads, and the CSV
metadata takes its column descriptions from it, so the documentation cannot drift from the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from observatory_data.serving.catalogue import (
    AUDIT_OUTCOMES,
    AUDIT_STATUSES,
    DENOMINATORS,
    PLACE_FLAG_VALUES,
    POLARITIES,
    ActivityStatus,
    Outcome,
    Status,
)
from observatory_data.serving.errors import BuildError

SHOWN_VALUES = 5
# Units of the columns that have one (the open data package states them beside each column).
RESIDENTS = "residents"
HOURS_A_WEEK = "hours per week"
PROPORTION = "proportion (0-1)"
MONTHS = "months"
SERVICE_POINTS = "service points"
DEGREES = "degrees"


@dataclass(frozen=True)
class Column:
    """One column of a prepared table; dtype None marks a geometry, which only its name can check."""

    name: str
    dtype: pl.DataType | None
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None
    unit: str | None = None  # where one unit holds for every row (a metric's value: its unit in the metrics table)


SERVICES = (
    Column(
        "service_code",
        pl.String(),
        "April 2023 ONS code (E06/E08/E09/E10 England, W06 Wales); N92000002 Libraries NI; "
        "JEY, GGY, IMN for Jersey, Guernsey, Isle of Man (ISO 3166-1 alpha-3, chosen by this project)",
        nullable=False,
    ),
    Column("service_name", pl.String(), "Authority name (ONS); 'Libraries NI' for Northern Ireland", nullable=False),
    Column("nation", pl.String(), "England, Wales, Northern Ireland or Crown Dependency", nullable=False),
    Column(
        "region",
        pl.String(),
        "English region (ONS); Wales, Northern Ireland or Crown Dependencies elsewhere",
        nullable=False,
    ),
    Column(
        "authority_type",
        pl.String(),
        "County, Unitary Authority, Metropolitan District, London Borough; NI and Crown Dependency",
        nullable=False,
    ),
    Column(
        "population",
        pl.Int64(),
        "All ages, ONS mid-2024 estimate; null where ONS gives none (NI and Crown Dependencies)",
        unit=RESIDENTS,
    ),
    Column("population_0_11", pl.Int64(), "Residents aged 0-11 (children's denominator), ONS mid-2024", unit=RESIDENTS),
    Column(
        "population_12_17",
        pl.Int64(),
        "Residents aged 12-17 (young people's denominator), ONS mid-2024",
        unit=RESIDENTS,
    ),
    Column("population_18_plus", pl.Int64(), "Residents aged 18 and over, ONS mid-2024", unit=RESIDENTS),
    Column(
        "area_km2",
        pl.Float64(),
        "Area in km2 from the generalised ONS/Natural Earth boundaries (equal-area projection)",
        nullable=False,
        unit="km2",
    ),
    Column(
        "imd_avg_rank",
        pl.Float64(),
        "English IMD 2019 rebuilt on 2023 codes: population-weighted mean of LSOA ranks, reversed so "
        "that higher = more deprived (MHCLG File 11 method); England only",
    ),
    Column(
        "imd_share_most_deprived_10pct",
        pl.Float64(),
        "Share (0-1) of residents in LSOAs in England's most deprived decile",
        unit=PROPORTION,
    ),
    Column("imd_lsoas", pl.Int64(), "Number of 2011 LSOAs in the service", unit="LSOAs"),
    Column(
        "imd_rank_of_avg_rank",
        pl.Int64(),
        "IMD 2019 rank of average rank among the 153 English upper-tier services of April 2023, 1 = most deprived; "
        "ranked among today's authorities, so it may differ by 1-2 places from MHCLG's File 11 (ranked among 2019's)",
    ),
    Column(
        "imd_decile",
        pl.Int64(),
        "Decile of imd_rank_of_avg_rank among English services, 1 = most deprived tenth (the same caveat)",
    ),
    Column(
        "wimd_avg_rank",
        pl.Float64(),
        "Welsh IMD 2019: unweighted mean of reversed LSOA ranks (higher = more deprived); Wales only; "
        "not comparable with the English index",
    ),
    Column(
        "wimd_share_most_deprived_10pct",
        pl.Float64(),
        "Share (0-1) of the authority's LSOAs in WIMD decile 1",
        unit=PROPORTION,
    ),
    Column("wimd_lsoas", pl.Int64(), "Number of Welsh 2011 LSOAs in the authority", unit="LSOAs"),
    Column(
        "priority_place",
        pl.String(),
        "yes if any district is an ACE Priority Place (2021-24, to 2027), no if every district is "
        "known and none is, unknown otherwise",
        nullable=False,
        allowed=PLACE_FLAG_VALUES,
    ),
    Column("priority_place_districts", pl.String(), "The districts that make priority_place yes"),
    Column(
        "priority_place_unknown_districts",
        pl.Int64(),
        "Number of the service's districts missing from the places list; null outside England",
        unit="districts",
    ),
    Column(
        "lucp",
        pl.String(),
        "Levelling Up for Culture Place (2022-26): yes / no / unknown, as priority_place",
        nullable=False,
        allowed=PLACE_FLAG_VALUES,
    ),
    Column("lucp_districts", pl.String(), "The districts that make lucp yes"),
    Column(
        "lucp_unknown_districts",
        pl.Int64(),
        "Number of the service's districts missing from the places list; null outside England",
        unit="districts",
    ),
    Column(
        "density",
        pl.Float64(),
        "population / area_km2 (residents per km2); null without population",
        unit="residents per km2",
    ),
)

BRANCHES = (
    Column(
        "branch_id",
        pl.String(),
        "service_code + slug of the name (made unique with postcode or year where needed)",
        nullable=False,
    ),
    Column("name", pl.String(), "Service point name (Libraries Hacked)", nullable=False),
    Column("service_code", pl.String(), "The library service it belongs to", nullable=False),
    Column("postcode", pl.String(), "Postcode as given, upper case; null when not given"),
    Column("address", pl.String(), "Address lines joined with ', ' (no postcode); null when not given"),
    Column("statutory", pl.Boolean(), "Part of the statutory service (Libraries Hacked Yes/No); null if blank"),
    Column("type", pl.String(), "Libraries Hacked type code: LAL, LAL-, CL, CRL, ICL; null if blank"),
    Column(
        "type_label",
        pl.String(),
        "Readable type: LAL local authority run, CRL community run, CL commissioned, ICL independent "
        "community, LAL- local authority run point with a reduced offer",
    ),
    Column(
        "status",
        pl.String(),
        "open, or closed when a closing year is given",
        nullable=False,
        allowed=("open", "closed"),
    ),
    Column("year_opened", pl.Int64(), "Year opened; null when not given"),
    Column("year_closed", pl.Int64(), "Year closed; null when open"),
    Column(
        "staffed_hours_week",
        pl.Float64(),
        "Weekly staffed hours summed from the day ranges; null when none given or unreadable",
        unit=HOURS_A_WEEK,
    ),
    Column(
        "unstaffed_hours_week",
        pl.Float64(),
        "Weekly unstaffed (self-service) hours; null when none given",
        unit=HOURS_A_WEEK,
    ),
    Column(
        "staffed_hours_source",
        pl.String(),
        "Libraries Hacked opening times, ACE 2023 staffed hours, or null",
    ),
    Column(
        "lat",
        pl.Float64(),
        "Latitude (WGS84) from the 2016 DCMS dataset by postcode; null when not found",
        unit=DEGREES,
    ),
    Column("lon", pl.Float64(), "Longitude (WGS84), as lat", unit=DEGREES),
    Column("location_source", pl.String(), "'2016 postcode match' or null"),
)

PEERS = (
    Column("service_code", pl.String(), "English service", nullable=False),
    Column(
        "peer_code",
        pl.String(),
        "One of its ONS statistical nearest neighbours (English service)",
        nullable=False,
    ),
    Column("rank", pl.Int64(), "1 = nearest", nullable=False),
    Column("distance", pl.Float64(), "ONS relative Euclidean distance between the two (Table 4)", nullable=False),
)

BOUNDARIES = (
    Column("service_code", pl.String(), "The service (one row and one valid geometry each, all 179)", nullable=False),
    Column("service_name", pl.String(), "Service name", nullable=False),
    Column(
        "geometry",
        None,
        "Polygon or MultiPolygon, EPSG:4326, coverage-simplified so neighbours still share edges",
        nullable=False,
    ),
)

ACTIVITY = (
    Column("service_code", pl.String(), "The service", nullable=False),
    Column(
        "metric",
        pl.String(),
        "events, event_attendance, loans, visits, click_and_collect, mobile_library, home_delivery, pc_hours, "
        "wifi_sessions; physical_issues for Newcastle's own series",
        nullable=False,
    ),
    Column("mode", pl.String(), "physical or digital; null where it does not apply"),
    Column("format", pl.String(), "Loans: physical_book, physical_audiobook, ebook or eaudio"),
    Column("content_age", pl.String(), "Loans: age group of the content (adult, child, young_person, total)"),
    Column("user_age", pl.String(), "Events and attendance: adult, child, young_person, all_ages or total"),
    Column("location", pl.String(), "Visits: library_only or co_located"),
    Column("period", pl.Date(), "First day of the month", nullable=False),
    Column(
        "period_type",
        pl.String(),
        "Always 'month' (quarterly totals sit in the quarter's last month, see status)",
        nullable=False,
        allowed=("month",),
    ),
    Column(
        "quarter",
        pl.String(),
        "Financial quarter of the month, e.g. 2023Q1 = April-June 2023",
        nullable=False,
    ),
    Column(
        "covers_months",
        pl.Int8(),
        "Months the value covers: 1, 3 (quarterly total) or 12 (year figure entered in March); null without a value",
        unit=MONTHS,
    ),
    Column("value_as_returned", pl.Float64(), "The value as returned; null when blank (never zero)"),
    Column(
        "value",
        pl.Float64(),
        "The value used: as returned, or corrected (a decimal slip that reconciles) or derived from its age "
        "lines (a total typed as 0 or left blank); null when blank",
    ),
    Column(
        "status",
        pl.String(),
        "reported, corrected, derived, quarterly_total, in_quarter (blank month covered by its quarter's total), "
        "annual_total, in_year, missing or flagged",
        nullable=False,
        allowed=tuple(status.value for status in ActivityStatus),
    ),
    Column("flag_reason", pl.String(), "Why a value is flagged, corrected or derived: the rule and the numbers"),
    Column("caveat", pl.String(), "Why a counted value is unusual (kept, and explained)"),
    Column(
        "source_column",
        pl.String(),
        "Excel column letter in the ACE workbook, or the local file's description",
        nullable=False,
    ),
    Column(
        "source",
        pl.String(),
        "ACE Libraries Activity Data 2023/24, or the service's own open data",
        nullable=False,
    ),
)

ANNUAL = (
    Column("service_code", pl.String(), "The service (all 179 for each ACE metric)", nullable=False),
    Column("year", pl.Int32(), "Start of the financial year: 2023 means 2023/24", nullable=False),
    Column("metric", pl.String(), "Metric id (see the metrics table)", nullable=False),
    Column("value_as_returned", pl.Float64(), "The same sum over the figures as returned; null when not returned"),
    Column("value", pl.Float64(), "Annual value used; null when not returned"),
    Column(
        "status",
        pl.String(),
        "reported, derived (sum of parts, or a total derived from its age lines), corrected (contains a decimal "
        "slip corrected where it reconciles), partial (some months or parts missing), flagged, no_return "
        "(English service without a return) or not_collected (outside England: ACE collects England only)",
        nullable=False,
        allowed=tuple(status.value for status in Status),
    ),
    Column("months_covered", pl.Int32(), "Months the value covers; null for 31 March counts", unit=MONTHS),
    Column("source", pl.String(), "Where the figure comes from", nullable=False),
    Column("note", pl.String(), "What the value includes, and what is missing, corrected or flagged", nullable=False),
    Column(
        "caveat",
        pl.String(),
        "Why this counted value's per-resident rate is not comparable (e.g. a large non-resident population); "
        "such rates are left out of medians and map classes",
    ),
    Column(
        "audit_status",
        pl.String(),
        "The Libraries Hacked audit's mark on this figure in ACE's official-statistics file: replaced (their "
        "estimate stands in for it), excluded, suspicious (kept, with a note) or null (no mark). Evidence for our "
        "rules, never a decision copied: see audit_outcome",
        allowed=AUDIT_STATUSES,
    ),
    Column("audit_estimate", pl.Float64(), "The audit's estimated figure, where it marked the value replaced"),
    Column("audit_note", pl.String(), "The audit's note, often with the service's own explanation"),
    Column(
        "audit_outcome",
        pl.String(),
        "What we did with the audit's mark: adopted (its estimate is the value used), already_applied (the figure "
        "as returned is its estimate), not_adopted (the figure as returned agrees with the service's other years "
        "and counts), unreconciled (neither figure agrees: flagged), caveated (a suspicious mark shown beside the "
        "counted value) or null",
        allowed=AUDIT_OUTCOMES,
    ),
)

MONTHLY = (
    Column("service_code", pl.String(), "The service (English services with a return)", nullable=False),
    Column(
        "metric",
        pl.String(),
        "Composite metric id, summed from its ACE lines as in the annual table",
        nullable=False,
    ),
    Column(
        "period",
        pl.Date(),
        "First day of the month (a quarterly total sits in the quarter's last month)",
        nullable=False,
    ),
    Column("value", pl.Float64(), "Sum of the metric's lines returned for the month", nullable=False),
    Column(
        "covers_months",
        pl.Int8(),
        "1 for a month, 3 for a quarterly total, 12 for a year figure",
        nullable=False,
        unit=MONTHS,
    ),
    Column(
        "flagged",
        pl.Boolean(),
        "True when a line in the month is flagged by the plausibility rules",
        nullable=False,
    ),
    Column(
        "shape",
        pl.String(),
        "The service's series for the year: monthly (all 12 months, same lines), quarterly (4 quarterly "
        "totals), flagged, or incomplete; only monthly series enter group trends",
        nullable=False,
        allowed=("monthly", "quarterly", "flagged", "incomplete"),
    ),
)

METRICS = (
    Column("metric", pl.String(), "Metric id", nullable=False),
    Column("label", pl.String(), "Readable label", nullable=False),
    Column("unit", pl.String(), "Unit of the value", nullable=False),
    Column(
        "definition",
        pl.String(),
        "ACE's field definition (from the workbook) and how the metric is derived",
        nullable=False,
    ),
    Column("offers", pl.List(pl.String()), "The Universal Library Offers / Promises the metric serves", nullable=False),
    Column(
        "denominator",
        pl.String(),
        "Population column for rates: population, population_0_11 or population_12_17",
        nullable=False,
        allowed=tuple(DENOMINATORS),
    ),
    Column("polarity", pl.String(), "higher_is_better or neutral", nullable=False, allowed=POLARITIES),
    Column("source", pl.String(), "Source of the metric", nullable=False),
)

# What the build found and read, as tables the app reads like any other.
PLACES = (
    Column("place_name", pl.String(), "The district's name as the places lists give it"),
    Column("lad_code", pl.String(), "The district's code on the places lists"),
    Column("ltla23", pl.String(), "The district's April 2023 ONS code (lower tier)"),
    Column(
        "priority_place_2021_24",
        pl.String(),
        "ACE Priority Place 2021-24: yes, no or unknown",
        nullable=False,
        allowed=PLACE_FLAG_VALUES,
    ),
    Column(
        "lucp_2022_26",
        pl.String(),
        "Levelling Up for Culture Place 2022-26: yes, no or unknown",
        nullable=False,
        allowed=PLACE_FLAG_VALUES,
    ),
    Column("evidence", pl.String(), "Where the flags come from"),
    Column("utla23", pl.String(), "The upper-tier authority (library service) the district is in, April 2023 code"),
    Column("utla23_nm", pl.String(), "That authority's name"),
)

FLAGS = (
    Column(
        "table",
        pl.String(),
        "Where the value sits: activity (a monthly line), point_in_time (a whole-year or 31-March figure) or "
        "annual (a whole-year value, for the rules on rates per resident)",
        nullable=False,
        allowed=("activity", "point_in_time", "annual"),
    ),
    Column("service_code", pl.String(), "The service", nullable=False),
    Column(
        "metric", pl.String(), "The ACE line's metric (activity, point_in_time) or the annual metric id", nullable=False
    ),
    Column("mode", pl.String(), "As in the activity table"),
    Column("format", pl.String(), "As in the activity table"),
    Column("content_age", pl.String(), "As in the activity table"),
    Column("user_age", pl.String(), "As in the activity table"),
    Column("location", pl.String(), "As in the activity table"),
    Column("period", pl.Date(), "The month of a monthly line; null for whole-year and 31-March figures"),
    Column("year", pl.Int32(), "Start of the financial year, for annual values; null for monthly lines"),
    Column("source_column", pl.String(), "Excel column letter in the ACE workbook; null for annual values"),
    Column("value_as_returned", pl.Float64(), "The value as returned"),
    Column("value_used", pl.Float64(), "The value used after the rule (the same when flagged or caveated)"),
    Column(
        "outcome",
        pl.String(),
        "flagged (left out of aggregates), corrected, derived, or caveated (counted, with the reason)",
        nullable=False,
        allowed=tuple(outcome.value for outcome in Outcome),
    ),
    Column(
        "rule", pl.String(), "The rule (see the Data & methods page for each rule and its thresholds)", nullable=False
    ),
    Column("reason", pl.String(), "Why: the rule with the numbers", nullable=False),
)

QUARTERLY_TOTALS = (
    Column("service_code", pl.String(), "The service", nullable=False),
    Column("metric", pl.String(), "The ACE line's metric, as in the activity table", nullable=False),
    Column(
        "months", pl.Int64(), "How many of its values were entered as quarterly totals", nullable=False, unit=MONTHS
    ),
)

SOURCES = (
    Column("path", pl.String(), "The source file, as named in the manifest and the mirror", nullable=False),
    Column("publisher", pl.String(), "Who publishes it"),
    Column("licence", pl.String(), "Its licence or terms"),
    Column("url", pl.String(), "The pinned URL the build downloads and checksum-verifies", nullable=False),
)

BUILD_INFO = (
    Column("build_id", pl.String(), "A new random id for every build", nullable=False),
    Column("built_at", pl.String(), "When the tables were built (ISO 8601, UTC)", nullable=False),
)

NETWORK = (
    Column("service_code", pl.String(), "The service (every register service)", nullable=False),
    Column(
        "year",
        pl.Int32(),
        "Calendar year, 2010 to the last year a source records (the list's last opening or closure; ACE's 2023)",
        nullable=False,
    ),
    Column(
        "libraries_open",
        pl.Int64(),
        "Service points listed as open at the end of the year (Libraries Hacked's list): opened in or before the "
        "year or with no opening year, and not closed by its end; null when the list has no point for the service, "
        "and before the list's last year for a service whose changes it does not record (no opening or closing "
        "year from 2010 on)",
        unit=SERVICE_POINTS,
    ),
    Column(
        "openings",
        pl.Int64(),
        "Service points whose opening year is this year (Libraries Hacked); null where the list records no change",
        unit=SERVICE_POINTS,
    ),
    Column(
        "closures",
        pl.Int64(),
        "Service points whose closing year is this year (Libraries Hacked); null where the list records no change",
        unit=SERVICE_POINTS,
    ),
    Column(
        "statutory_libraries",
        pl.Int64(),
        "England: points ACE's Libraries Location Dataset marks statutory this year (2010, 2016, 2019, 2021, "
        "2022, 2023); null in other years and nations",
        unit=SERVICE_POINTS,
    ),
    Column(
        "local_authority",
        pl.Int64(),
        "England: points run by the local authority (ACE operation LA or LAU) in 2016, 2019, 2021-2023; else null",
        unit=SERVICE_POINTS,
    ),
    Column(
        "community_run",
        pl.Int64(),
        "England: community-run points (ACE operation CR), years as above",
        unit=SERVICE_POINTS,
    ),
    Column(
        "commissioned",
        pl.Int64(),
        "England: commissioned points (ACE operation C), years as above",
        unit=SERVICE_POINTS,
    ),
    Column(
        "independent_community",
        pl.Int64(),
        "England: independent community libraries (ACE operation ICL), as above",
        unit=SERVICE_POINTS,
    ),
    Column(
        "weekly_hours",
        pl.Float64(),
        "England: weekly opening hours summed over the points open: 2016 (DCMS 2016 dataset) and 2023 (ACE); else null",
        unit=HOURS_A_WEEK,
    ),
    Column(
        "weekly_staffed_hours",
        pl.Float64(),
        "England: weekly staffed hours, the same years and sources",
        unit=HOURS_A_WEEK,
    ),
)

NATIONAL = (
    Column("nation", pl.String(), "The nation the estimate is for (ACE collects England only)", nullable=False),
    Column("year", pl.Int32(), "Start of the financial year: 2023 means 2023/24", nullable=False),
    Column("metric", pl.String(), "Headline metric id (see the metrics table)", nullable=False),
    Column("reported_total", pl.Float64(), "Sum of the countable values returned; null when none was"),
    Column(
        "services_reporting",
        pl.Int64(),
        "Services whose value is countable (reported or derived)",
        nullable=False,
        unit="services",
    ),
    Column("services_total", pl.Int64(), "Services in the nation", nullable=False, unit="services"),
    Column(
        "population_share",
        pl.Float64(),
        "Share (0-1) of the metric's denominator population that lives in the reporting services",
        nullable=False,
        unit=PROPORTION,
    ),
    Column("estimate", pl.Float64(), "The national total estimated as `method` says; null when nobody reported"),
    Column("estimate_low", pl.Float64(), "Lower end of the 95% interval (bootstrap)"),
    Column("estimate_high", pl.Float64(), "Upper end of the 95% interval (bootstrap)"),
    Column("method", pl.String(), "How the estimate and its interval were made", nullable=False),
    Column(
        "indicative",
        pl.Boolean(),
        "True when both the authorities and the population reporting are under the coverage threshold",
        nullable=False,
    ),
    Column("indicative_reason", pl.String(), "Why the estimate is only indicative; null when it is not"),
)

# Every prepared table, named once: the build writes these and the app reads them (in this order on the Data page).
TABLES: dict[str, tuple[Column, ...]] = {
    "services": SERVICES,
    "branches": BRANCHES,
    "activity": ACTIVITY,
    "annual": ANNUAL,
    "monthly": MONTHLY,
    "metrics": METRICS,
    "peers": PEERS,
    "places": PLACES,
    "flags": FLAGS,
    "quarterly_totals": QUARTERLY_TOTALS,
    "sources": SOURCES,
    "build_info": BUILD_INFO,
    "national": NATIONAL,
    "network": NETWORK,
    "boundaries": BOUNDARIES,
}
GEO_TABLE = "boundaries"  # GeoParquet: geometries, read with geopandas
TABLE_NAMES = tuple(name for name in TABLES if name != GEO_TABLE)  # the Parquet tables, read with Polars

# What identifies a row (columns that may not be null, unique together) and what a column refers to in another
# table, (column, table, column): the open data package declares them and `frictionless validate` checks them on
# the build. Activity and flags rows are told apart by columns that may be null (mode, format, ...), and a district
# of the places lists by a name or code the lists may lack, so none of these three has a primary key.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "services": ("service_code",),
    "branches": ("branch_id",),
    "annual": ("service_code", "year", "metric"),
    "monthly": ("service_code", "metric", "period"),
    "metrics": ("metric",),
    "peers": ("service_code", "peer_code"),
    "quarterly_totals": ("service_code", "metric"),
    "sources": ("path",),
    "build_info": ("build_id",),
    "national": ("nation", "year", "metric"),
    "network": ("service_code", "year"),
    "boundaries": ("service_code",),
}
_SERVICE = ("services", "service_code")
_METRIC = ("metrics", "metric")
FOREIGN_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "branches": (("service_code", *_SERVICE),),
    "activity": (("service_code", *_SERVICE),),
    "annual": (("service_code", *_SERVICE), ("metric", *_METRIC)),
    "monthly": (("service_code", *_SERVICE), ("metric", *_METRIC)),
    "peers": (("service_code", *_SERVICE), ("peer_code", *_SERVICE)),
    "places": (("utla23", *_SERVICE),),
    "flags": (("service_code", *_SERVICE),),
    "quarterly_totals": (("service_code", *_SERVICE),),
    "national": (("metric", *_METRIC),),
    "network": (("service_code", *_SERVICE),),
    "boundaries": (("service_code", *_SERVICE),),
}


def _columns(table: str) -> tuple[Column, ...]:
    """The documented columns of a table; an undocumented table is an error, so no table escapes the schema."""
    columns = TABLES.get(table)
    if columns is None:
        raise BuildError(f"table {table!r} is not documented in observatory_data/serving/schema.py")
    return columns


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """Column -> Polars type, for the build to construct and cast a table from the one schema."""
    columns = _columns(table)
    untyped = [column.name for column in columns if column.dtype is None]
    if untyped:
        raise ValueError(f"table {table}: {', '.join(untyped)} is a geometry and has no Polars type")
    return {column.name: column.dtype for column in columns if column.dtype is not None}


def describe(table: str, column: str) -> str:
    """A column's description, for the CSV metadata."""
    for documented in _columns(table):
        if documented.name == column:
            return documented.description
    raise BuildError(f"table {table}: column {column!r} is not documented in observatory_data/serving/schema.py")


def check_schema(table: str, columns: list[str]) -> None:
    """The column names must be exactly the documented ones (all a GeoDataFrame allows to check)."""
    _raise_if_any(table, _name_problems(table, columns))


def check_types(table: str, schema: Mapping[str, pl.DataType]) -> None:
    """Names and types, from a frame's or a Parquet file's schema: cheap, as it reads no values."""
    _raise_if_any(table, _name_problems(table, list(schema)) + _type_problems(table, schema))


def validate(table: str, frame: pl.DataFrame) -> None:
    """Names, types, nulls and allowed values; one BuildError lists every problem, naming table and column."""
    problems = (
        _name_problems(table, frame.columns) + _type_problems(table, frame.schema) + _value_problems(table, frame)
    )
    _raise_if_any(table, problems)


def _name_problems(table: str, names: list[str]) -> list[str]:
    documented = [column.name for column in _columns(table)]
    missing = [f"column {name}: missing" for name in documented if name not in names]
    extra = [f"column {name}: not documented in the schema" for name in names if name not in documented]
    return missing + extra


def _type_problems(table: str, schema: Mapping[str, pl.DataType]) -> list[str]:
    return [
        f"column {column.name}: type {schema[column.name]}, expected {column.dtype}"
        for column in _columns(table)
        if column.dtype is not None and column.name in schema and schema[column.name] != column.dtype
    ]


def _value_problems(table: str, frame: pl.DataFrame) -> list[str]:
    present = [column for column in _columns(table) if column.name in frame.columns]
    required = [column.name for column in present if not column.nullable]
    null_counts = frame.select(pl.col(required).null_count()).row(0, named=True) if required else {}
    problems = [
        f"column {name}: {count} null values, but it may not be null" for name, count in null_counts.items() if count
    ]
    for column in present:
        if column.allowed is None:
            continue
        values = frame[column.name]
        outside = values.filter(values.is_not_null() & ~values.is_in(column.allowed))
        if outside.len():
            shown = ", ".join(repr(value) for value in outside.unique(maintain_order=True).head(SHOWN_VALUES))
            problems.append(
                f"column {column.name}: {outside.len()} values outside the allowed {', '.join(column.allowed)} "
                f"(e.g. {shown})"
            )
    return problems


def _raise_if_any(table: str, problems: list[str]) -> None:
    if problems:
        raise BuildError(
            f"table {table} does not match observatory_data/serving/schema.py:\n  " + "\n  ".join(problems)
        )
