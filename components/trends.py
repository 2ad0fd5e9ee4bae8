"""Trend lines for the Offer pages: groups that reported every month, a service, its peers, across years."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from components.charts.lines import line_chart
from components.figure_layout import Labels
from components.palette import SERVICE
from components.text import change_words, years_words
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, COUNTABLE, DENOMINATORS
from observatory_data.serving.periods import financial_year, span
from observatory_data.serving.series import group_monthly, service_monthly, yearly_sums


@dataclass(frozen=True)
class TrendLines:
    frame: pl.DataFrame  # series, period, value, shape, services
    note: str
    axis: str
    measure: str = ""  # what a group's line is, with how many services (the lines across years)
    change: str = ""  # each line's change from its first year to its last, with its measure and n
    colours: dict[str, str] = field(default_factory=dict)  # series -> its role's colour (palette.ROLES)


def trend_chart(lines: TrendLines, labels: Labels, *, x_title: str = "") -> go.Figure:
    """The lines as a chart, each group and the service in its role's colour (the service orange, as on the
    benchmark)."""
    return line_chart(lines.frame, labels, x_title=x_title, colours=lines.colours)


def _measured(frame: pl.DataFrame, measure: str) -> pl.DataFrame:
    """`value` as the measure: the count, the rate, or an index on each series' first value (= 100).

    `frame` needs series, value and rate, each series in time order; an index on a missing or zero first value
    is missing.
    """
    value = pl.col("value" if measure == "count" else "rate")
    if measure == "index":
        first = value.first().over("series")
        value = pl.when(first != 0).then(value / first * 100)
    return frame.with_columns(value=value)


def trend_lines(
    monthly: pl.DataFrame,
    services: pl.DataFrame,
    metric: dict,
    groups: dict[str, list[str]],
    service: str,
    service_name: str,
    measure: str,
    caveat: str | None = None,
    roles: Mapping[str, str] | None = None,
) -> TrendLines:
    """One line per group (only services with all 12 months) and one for the service (quarters as quarters).

    `caveat` says why the service's per-resident rate is not comparable: the note carries it when rates are shown.
    Group lines are sums, so a caveated service stays in them (a caveat removes a rate, never a count).
    `roles` gives a group's line its role's colour (group name -> colour); the service's line is always SERVICE.
    """
    denominator = metric["denominator"]
    parts, notes = [], []
    colours = dict(roles or {})
    for label, codes in groups.items():
        series = group_monthly(monthly, services, metric["metric"], denominator, codes)
        notes.append(f"{label}: {series.services} of {len(codes)} services reported every month")
        if series.services:
            parts.append(_measured(series.frame.with_columns(series=pl.lit(label), shape=pl.lit("linear")), measure))
    if service:
        own = service_monthly(monthly, services, metric["metric"], denominator, service)
        if own.shape == "none":
            notes.append(f"{service_name}: no complete, unflagged monthly or quarterly return for this metric")
        else:
            label = service_name + (
                " (quarterly totals, shown as monthly averages)" if own.shape == "quarterly" else ""
            )
            shape = "hv" if own.shape == "quarterly" else "linear"
            colours[label] = SERVICE
            parts.append(_measured(own.frame.with_columns(series=pl.lit(label), shape=pl.lit(shape)), measure))
            if caveat and measure == "rate":
                notes.append(f"{service_name}'s rate is not comparable with other services': {caveat.rstrip('.')}")
    schema = {"period": pl.Date, "value": pl.Float64, "series": pl.String, "shape": pl.String}
    frame = pl.concat(parts, how="diagonal") if parts else pl.DataFrame(schema=schema)
    per = DENOMINATORS[denominator]
    first_month = monthly["period"].min()
    axis = {
        "count": f"{metric['unit']} per month",
        "rate": f"{metric['unit']} {per}",
        "index": f"Index, {first_month:%B %Y} = 100",
    }
    return TrendLines(
        frame.select("series", "period", "value", "shape"), "; ".join(notes) + ".", axis[measure], colours=colours
    )


def year_trend_lines(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    metric: dict,
    groups: dict[str, list[str]],
    service: str,
    service_name: str,
    measure: str,
    years: list[int],
    caveat: str | None = None,
    roles: Mapping[str, str] | None = None,
) -> TrendLines:
    """One line per group over its matched set (the services with a countable value in every one of `years`, so
    the line moves with use, not with who reported), and the service's own countable values (gaps where none).

    `period` is the financial year's name. Group lines are sums, so a caveated service stays in them. `roles` as for
    trend_lines.
    """
    denominator = metric["denominator"]
    sums = yearly_sums(annual, services, metric["metric"], denominator, years, groups)
    counted = f"countable {years_words(years)}"
    notes = [
        f"{label}: the total of the {members} of {size} services {counted}"
        for label, members, size in sums.select("series", "services", "of").unique(maintain_order=True).iter_rows()
    ]
    changes = [
        f"{label} {change_words(after / before - 1)} (the total of the {members} of {size} services {counted})"
        for label, before, after, members, size in _ends(sums)
    ]
    parts = [sums.filter(pl.col("services") > 0)]
    if service:
        own = yearly_sums(annual, services, metric["metric"], denominator, years, {service_name: [service]}, False)
        gaps = [financial_year(year) for year in own.filter(pl.col("value").is_null())["year"]]
        if gaps:
            notes.append(f"{service_name}: no countable value for {', '.join(gaps)}")
        if caveat and measure == "rate" and len(gaps) < own.height:
            notes.append(f"{service_name}'s rate is not comparable with other services': {caveat.rstrip('.')}")
        parts.append(own)
        changes += [
            f"{service_name} {change_words(after / before - 1)} (its own count)" for _, before, after, *_ in _ends(own)
        ]
    frame = _measured(pl.concat(parts).sort("year", maintain_order=True), measure).select(
        "series",
        pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("period"),
        "value",
        "services",
        shape=pl.lit("linear"),
    )
    axis = {
        "count": f"{metric['unit']} per year",
        "rate": f"{metric['unit']} {DENOMINATORS[denominator]}",
        "index": f"Index, {financial_year(min(years))} = 100",
    }
    shown_as = {
        "count": "",
        "rate": f", {DENOMINATORS[denominator]}",
        "index": f", as an index ({financial_year(min(years))} = 100)",
    }
    return TrendLines(
        frame,
        "; ".join(notes) + ".",
        axis[measure],
        measure=f"Each group's line is the total of its services {counted} (the same services every year, so the line "
        f"moves with use, not with who reported){shown_as[measure]}",
        change=f"Change from {span(min(years), max(years))}: {'; '.join(changes)}."
        if changes and len(set(years)) > 1
        else "",
        colours={**(roles or {}), **({service_name: SERVICE} if service else {})},
    )


def _ends(sums: pl.DataFrame) -> list[tuple[str, float, float, int, int]]:
    """(series, first year's value, last year's, services, of) for each series of `sums` (from yearly_sums) with a
    value above zero in the first year and a value in the last: where a change can be given."""
    ends = (
        sums.sort("year")
        .group_by("series", maintain_order=True)
        .agg(
            pl.col("value").first().alias("before"),
            pl.col("value").last().alias("after"),
            pl.col("services").max(),  # a matched group rests on the same services every year
            pl.col("of").first(),
        )
        .filter((pl.col("before") > 0) & pl.col("after").is_not_null())
    )
    return list(ends.iter_rows())


@dataclass(frozen=True)
class YearLines:
    figure: go.Figure
    frame: pl.DataFrame


def annual_lines(
    annual: pl.DataFrame, metrics: pl.DataFrame, service: str, service_name: str, offer: str
) -> YearLines | None:
    """The service's own long-run series: the Offer's metrics it has published itself (Newcastle since 2008,
    LibrariesWest 2019-21), continued by its ACE returns, where more than one year exists."""
    offer_metrics = metrics.filter(pl.col("offers").list.contains(offer)).select("metric", "label")
    rows = annual.filter((pl.col("service_code") == service) & pl.col("value").is_not_null()).join(
        offer_metrics, on="metric"
    )
    local = rows.filter(~pl.col("source").str.starts_with(ACE_SOURCE_PREFIX))["metric"].unique()
    several = rows.group_by("metric").agg(pl.col("year").n_unique().alias("years")).filter(pl.col("years") > 1)
    rows = rows.filter(
        pl.col("metric").is_in(several["metric"].implode()) & pl.col("metric").is_in(local.implode())
    ).sort("metric", "year")
    if rows.is_empty():
        return None
    table = rows.select("label", "year", "value", "status", "source", "note")
    shown = rows.filter(pl.col("status").is_in(COUNTABLE)).select(
        pl.col("label").alias("series"),
        pl.date(pl.col("year"), 4, 1).alias("period"),
        "value",
        shape=pl.lit("linear"),
    )
    left_out = rows.filter(~pl.col("status").is_in(COUNTABLE)).height
    sources = ", ".join(rows["source"].unique(maintain_order=True).to_list())
    figure = line_chart(
        shown,
        Labels(
            title=f"{service_name}: long-run series by financial year",
            subtitle="Counts per financial year (April to March), as published by the service and by ACE",
            source=f"Source: {sources}.",
            note=f"{left_out} partial or flagged years are left out (shown in the table)." if left_out else "",
            axis="Count per year",
        ),
        x_title="Financial year starting",
        colours={},  # the service's own metrics, not roles: no line takes the service's orange
    )
    return YearLines(figure, table)
