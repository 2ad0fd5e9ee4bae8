"""The profile of a service outside England, where ACE's activity collection does not reach: what is known."""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import polars as pl

from components.network_definitions import LISTED, NOT_RECORDED
from components.network_text import coverage, fewer_or_more, listed_change_text
from components.palette import BLUE, LIGHT_GREY, ORANGE
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.catalogue import BOUNDARIES_SOURCE, ENGLAND, PEER_COUNT, POPULATION_VINTAGE
from observatory_data.serving.formats import number
from observatory_data.serving.network_queries import (
    BASE_YEAR,
    area_codes,
    area_totals,
    latest_year,
    libraries_per_100k,
    listed_change,
    listed_now,
    statutory_change,
)

BRITISH_NATIONAL_GRID = "EPSG:27700"
NO_POPULATION = f"not known: no {POPULATION_VINTAGE} population in these sources"
LOCATOR_MARGIN_METRES = 120_000  # enough coast around a small service or an island to recognise the place
ACE_HOURS = "ACE's Libraries Location Dataset"
NOT_COLLECTED = (
    "Arts Council England collects library activity for England only, so there are no activity figures "
    "(loans, visits, users, events) for {name} to benchmark. This profile shows what the observatory's "
    "other sources say."
)


def service_labels(services: pl.DataFrame) -> dict[str, str]:
    """Every service's code -> the name a visitor searches for, in the order a list offers them: England's services
    by name, then each other nation's, whose names carry the nation ('Cardiff (Wales)')."""
    ordered = services.sort(pl.col("nation") != ENGLAND, "nation", "service_name")
    return {
        code: name if nation == ENGLAND else f"{name} ({nation})"
        for code, name, nation in ordered.select("service_code", "service_name", "nation").iter_rows()
    }


def _number(value: float | None, digits: int = 0, missing: str = "not in these sources") -> str:
    return number(value, digits, missing)


def _closed(closed: int) -> str:
    """Closed points the list records; none means the list gives no closing year, not that none closed."""
    return f"{closed:,}" if closed else f"{NOT_RECORDED} (the list gives no closing year for any of its points)"


def known_facts(service: dict, branches: pl.DataFrame) -> list[tuple[str, str]]:
    """(label, value) pairs for a service without activity data; missing is said, never shown as zero."""
    own = branches.filter(pl.col("service_code") == service["service_code"])
    open_points = own.filter(pl.col("status") == "open")
    hours = open_points["staffed_hours_week"]
    facts = [
        ("Nation", service["nation"]),
        (f"Residents ({POPULATION_VINTAGE})", _number(service["population"], missing="not in the ONS file used here")),
        ("Area", f"{service['area_km2']:,.0f} km²"),
        ("Service points open", _number(open_points.height) if own.height else "not listed"),
        ("Service points closed (listed)", _closed(own.height - open_points.height) if own.height else "not listed"),
        (
            "Weekly staffed hours, all open points",
            f"{hours.sum():,.0f} (known for {hours.count()} of {open_points.height} points)"
            if hours.count()
            else "not known for any open point",
        ),
    ]
    if service.get("wimd_avg_rank") is not None:
        facts += [
            ("WIMD 2019 average rank (higher = more deprived)", f"{service['wimd_avg_rank']:,.0f}"),
            (
                "Share of areas in Wales's most deprived tenth",
                f"{service['wimd_share_most_deprived_10pct']:.0%} of {service['wimd_lsoas']} areas (LSOAs)",
            ),
        ]
    return facts


def network_facts(
    network: pl.DataFrame,
    services: pl.DataFrame,
    code: str,
    peers: pl.DataFrame | None = None,
    branches: pl.DataFrame | None = None,
    peer_count: int = PEER_COUNT,
) -> list[tuple[str, str]]:
    """(label, value) pairs on a service's library network, for any service: for an English service first its
    statutory libraries in ACE's first and last years (the strong series); then the service points the volunteer
    list shows as open now and its change since 2010, or 'not recorded'; libraries per 100,000 residents beside
    its nation's and (where the peers table has them) the median of its nearest neighbours'; and weekly staffed
    hours per 1,000 residents: ACE's for an English service, else the open points' hours in `branches` with their
    coverage. Unknown is said in words."""
    year = latest_year(network)
    row = services.filter(pl.col("service_code") == code).row(0, named=True)
    own = network.filter(pl.col("service_code") == code)
    facts = []
    statutory = statutory_change(network, [code])
    if statutory is not None and statutory.after is not None:
        changed = f"not known in {statutory.first}" if statutory.before is None else fewer_or_more(statutory)
        facts.append(
            ("Statutory libraries (Arts Council England)", f"{statutory.after:,} in {statutory.last}; {changed}")
        )
    now, _ = listed_now(network, [code])
    if now is None:
        return [*facts, ("Service points listed as open", f"not known: the service has no points in {LISTED}")]
    rates = libraries_per_100k(network, services, year)
    rate = dict(rates.select("service_code", "libraries_per_100k").iter_rows())
    nation = area_totals(network, services, area_codes(services, row["nation"])).filter(pl.col("year") == year)
    nation = nation.row(0, named=True)
    compared = []
    if nation["libraries_per_100k"] is not None and nation["services"] > 1:
        compared.append(
            f"{row['nation']} {nation['libraries_per_100k']:,.1f} "
            f"({coverage(nation['rate_services'], nation['services'], '')})"
        )
    neighbours = peer_codes(peers, code, peer_count) if peers is not None else []
    group = [rate[peer] for peer in neighbours if rate.get(peer) is not None]
    if group:
        compared.append(f"median of its {len(group)} nearest neighbours (ONS) {pl.Series(group).median():,.1f}")
    own_rate = rate.get(code)
    rate_text = NO_POPULATION if own_rate is None else f"{own_rate:,.1f}"
    return [
        *facts,
        (f"Service points listed as open, end of {year} (Libraries Hacked's list)", f"{now:,}"),
        (f"Change in the list since {BASE_YEAR}", listed_change_text(listed_change(network, [code], year))),
        (
            f"Listed as open per 100,000 residents, end of {year}",
            "; ".join([rate_text, *compared]) if own_rate is not None else rate_text,
        ),
        ("Weekly staffed hours per 1,000 residents", _staffed_hours(own, row, branches)),
    ]


def _staffed_hours(own: pl.DataFrame, service: dict, branches: pl.DataFrame | None) -> str:
    """ACE's latest staffed hours for an English service; the open points' listed hours elsewhere, with coverage."""
    population = service["population"]
    if service["nation"] == ENGLAND:
        known = own.filter(pl.col("weekly_staffed_hours").is_not_null()).sort("year")
        if known.is_empty():
            return "not known"
        hours, note = known["weekly_staffed_hours"][-1], f"{ACE_HOURS}, {known['year'][-1]}"
    else:
        if branches is None:
            return "not known"
        points = branches.filter(pl.col("service_code") == service["service_code"], pl.col("status") == "open")
        known = points["staffed_hours_week"].count()
        if not known:
            return "not known for any open point"
        hours = points["staffed_hours_week"].sum()
        note = f"Libraries Hacked's list; hours known for {known} of {points.height} open points"
    if population is None:
        return f"{NO_POPULATION} ({hours:,.0f} hours a week; {note})"
    return f"{hours / population * 1_000:,.2f} ({hours:,.0f} hours a week; {note})"


def service_points_table(branches: pl.DataFrame, service_code: str) -> pl.DataFrame:
    """The service's points with plain headers, open first; unknown hours stay empty."""
    return (
        branches.filter(pl.col("service_code") == service_code)
        .sort(pl.col("status") != "open", "name")
        .select(
            pl.col("name").alias("Service point"),
            pl.col("status").alias("Status"),
            pl.col("type_label").alias("Run as"),
            pl.col("statutory").alias("Statutory"),
            pl.col("staffed_hours_week").round(1).alias("Staffed hours a week"),
            pl.col("unstaffed_hours_week").round(1).alias("Unstaffed hours a week"),
            pl.col("year_closed").alias("Year closed"),
            pl.col("postcode").alias("Postcode"),
        )
    )


def locator_png(boundaries: gpd.GeoDataFrame, service_code: str, title: str) -> bytes:
    """A small locator: the service in orange among its neighbours in grey, in British National Grid metres,
    zoomed so that even a small island shows with the coast around it."""
    shapes = boundaries.to_crs(BRITISH_NATIONAL_GRID)
    own = shapes[shapes["service_code"] == service_code]
    figure, axes = plt.subplots(figsize=(4.2, 4.6), dpi=120)
    shapes.plot(ax=axes, color=LIGHT_GREY, edgecolor="white", linewidth=0.4)
    own.plot(ax=axes, color=ORANGE, edgecolor=BLUE, linewidth=0.8)
    left, bottom, right, top = own.total_bounds
    margin = max(LOCATOR_MARGIN_METRES, right - left, top - bottom)
    axes.set_xlim(left - margin, right + margin)
    axes.set_ylim(bottom - margin, top + margin)
    axes.set_aspect("equal")
    axes.set_axis_off()
    axes.set_title(title, fontsize=10, loc="left")
    figure.text(0.01, 0.01, f"{BOUNDARIES_SOURCE}; Natural Earth.", fontsize=6, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return buffer.getvalue()
