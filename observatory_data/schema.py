"""Every column of every prepared table, documented in one place and checked when the build writes.

A table whose columns differ from this file fails the build, so the documentation cannot drift.
"""

from __future__ import annotations

from observatory_data.errors import BuildError

SERVICES = {
    "service_code": "April 2023 ONS code (E06/E08/E09/E10 England, W06 Wales); N92000002 Libraries NI; "
    "JEY, GGY, IMN for Jersey, Guernsey, Isle of Man (ISO 3166-1 alpha-3, chosen by this project)",
    "service_name": "Authority name (ONS); 'Libraries NI' for Northern Ireland",
    "nation": "England, Wales, Northern Ireland or Crown Dependency",
    "region": "English region (ONS); Wales, Northern Ireland or Crown Dependencies elsewhere",
    "authority_type": "County, Unitary Authority, Metropolitan District, London Borough; NI and Crown Dependency",
    "population": "All ages, ONS mid-2024 estimate; null where ONS gives none (NI and Crown Dependencies)",
    "population_0_11": "Residents aged 0-11 (children's denominator), ONS mid-2024",
    "population_12_17": "Residents aged 12-17 (young people's denominator), ONS mid-2024",
    "population_18_plus": "Residents aged 18 and over, ONS mid-2024",
    "area_km2": "Area in km2 from the generalised ONS/Natural Earth boundaries (equal-area projection)",
    "density": "population / area_km2 (residents per km2); null without population",
    "imd_avg_rank": "English IMD 2019 rebuilt on 2023 codes: population-weighted mean of LSOA ranks, reversed so "
    "that higher = more deprived (MHCLG File 11 method); England only",
    "imd_share_most_deprived_10pct": "Share (0-1) of residents in LSOAs in England's most deprived decile",
    "imd_lsoas": "Number of 2011 LSOAs in the service",
    "imd_rank_of_avg_rank": "Rank of imd_avg_rank among the 153 English services, 1 = most deprived",
    "imd_decile": "Decile of imd_rank_of_avg_rank among English services, 1 = most deprived tenth",
    "wimd_avg_rank": "Welsh IMD 2019: unweighted mean of reversed LSOA ranks (higher = more deprived); Wales only; "
    "not comparable with the English index",
    "wimd_share_most_deprived_10pct": "Share (0-1) of the authority's LSOAs in WIMD decile 1",
    "wimd_lsoas": "Number of Welsh 2011 LSOAs in the authority",
    "priority_place": "yes if any district is an ACE Priority Place (2021-24, to 2027), no if every district is "
    "known and none is, unknown otherwise",
    "priority_place_districts": "The districts that make priority_place yes",
    "priority_place_unknown_districts": "Districts of the service missing from the places list",
    "lucp": "Levelling Up for Culture Place (2022-26): yes / no / unknown, as priority_place",
    "lucp_districts": "The districts that make lucp yes",
    "lucp_unknown_districts": "Districts of the service missing from the places list",
    "has_activity_return": "True when the service is in ACE's Libraries Activity Data 2023/24",
}

BRANCHES = {
    "branch_id": "service_code + slug of the name (made unique with postcode or year where needed)",
    "name": "Service point name (Libraries Hacked)",
    "service_code": "The library service it belongs to",
    "postcode": "Postcode as given, upper case",
    "address": "Address lines joined with ', ' (no postcode)",
    "statutory": "Part of the statutory service (Libraries Hacked Yes/No); null if blank",
    "type": "Libraries Hacked type code: LAL, LAL-, CL, CRL, ICL",
    "type_label": "Readable type: LAL local authority run, CRL community run, CL commissioned, ICL independent "
    "community, LAL- local authority run point with a reduced offer",
    "status": "open, or closed when a closing year is given",
    "year_opened": "Year opened; null when not given",
    "year_closed": "Year closed; null when open",
    "staffed_hours_week": "Weekly staffed hours summed from the day ranges; null when none given or unreadable",
    "unstaffed_hours_week": "Weekly unstaffed (self-service) hours; null when none given",
    "staffed_hours_source": "Libraries Hacked opening times, ACE 2023 staffed hours, or null",
    "lat": "Latitude (WGS84) from the 2016 DCMS dataset by postcode; null when not found",
    "lon": "Longitude (WGS84), as lat",
    "location_source": "'2016 postcode match' or null",
}

PEERS = {
    "service_code": "English service",
    "peer_code": "One of its ONS statistical nearest neighbours (English service)",
    "rank": "1 = nearest",
    "distance": "ONS relative Euclidean distance between the two (Table 4)",
}

BOUNDARIES = {
    "service_code": "The service (one row and one valid geometry each, all 179)",
    "service_name": "Service name",
    "geometry": "Polygon or MultiPolygon, EPSG:4326, coverage-simplified so neighbours still share edges",
}

ACTIVITY = {
    "service_code": "The service",
    "metric": "events, event_attendance, loans, visits, click_and_collect, mobile_library, home_delivery, pc_hours, "
    "wifi_sessions; physical_issues for Newcastle's own series",
    "mode": "physical or digital; null where it does not apply",
    "format": "Loans: physical_book, physical_audiobook, ebook or eaudio",
    "content_age": "Loans: age group of the content (adult, child, young_person, total)",
    "user_age": "Events and attendance: adult, child, young_person, all_ages or total",
    "location": "Visits: library_only or co_located",
    "period": "First day of the month",
    "period_type": "Always 'month' (quarterly totals sit in the quarter's last month, see status)",
    "quarter": "Financial quarter of the month, e.g. 2023Q1 = April-June 2023",
    "covers_months": "Months the value covers: 1, 3 (quarterly total) or 12 (year figure entered in March)",
    "value": "The value as returned; null when blank (never zero)",
    "status": "reported, quarterly_total, in_quarter (blank month covered by its quarter's total), annual_total, "
    "in_year, missing or flagged",
    "flag_reason": "Why a value is flagged: the rule and the numbers",
    "source_column": "Excel column letter in the ACE workbook, or the local file's description",
    "source": "ACE Libraries Activity Data 2023/24, or the service's own open data",
}

ANNUAL = {
    "service_code": "The service (all 179 for each ACE metric)",
    "year": "Start of the financial year: 2023 means 2023/24",
    "metric": "Metric id (see the metrics table)",
    "value": "Annual value; null when not returned",
    "status": "reported, derived (sum of parts), partial (some months or parts missing), flagged, no_return "
    "(English service without a return) or not_collected (outside England: ACE collects England only)",
    "months_covered": "Months the value covers; null for 31 March counts",
    "source": "Where the figure comes from",
    "note": "What the value includes, and what is missing or flagged",
}

METRICS = {
    "metric": "Metric id",
    "label": "Readable label",
    "unit": "Unit of the value",
    "definition": "ACE's field definition (from the workbook) and how the metric is derived",
    "offers": "The Universal Library Offers / Promises the metric serves",
    "denominator": "Population column for rates: population, population_0_11 or population_12_17",
    "polarity": "higher_is_better or neutral",
    "source": "Source of the metric",
}

MONTHLY = {
    "service_code": "The service (English services with a return)",
    "metric": "Composite metric id, summed from its ACE lines as in the annual table",
    "period": "First day of the month (a quarterly total sits in the quarter's last month)",
    "value": "Sum of the metric's lines returned for the month",
    "covers_months": "1 for a month, 3 for a quarterly total, 12 for a year figure",
    "flagged": "True when a line in the month is flagged by the plausibility rules",
    "shape": "The service's series for the year: monthly (all 12 months, same lines), quarterly (4 quarterly "
    "totals), flagged, or incomplete; only monthly series enter group trends",
}

TABLES: dict[str, dict[str, str]] = {
    "services": SERVICES,
    "branches": BRANCHES,
    "peers": PEERS,
    "boundaries": BOUNDARIES,
    "activity": ACTIVITY,
    "annual": ANNUAL,
    "monthly": MONTHLY,
    "metrics": METRICS,
}


def check_schema(table: str, columns: list[str]) -> None:
    """The written columns must be exactly the documented ones."""
    documented = TABLES.get(table)
    if documented is None:
        raise BuildError(f"table {table!r} is not documented in observatory_data/schema.py")
    extra = [c for c in columns if c not in documented]
    missing = [c for c in documented if c not in columns]
    if extra or missing:
        raise BuildError(f"table {table}: columns differ from schema.py (undocumented {extra}, absent {missing})")
