"""Trend lines for the Offer pages: groups that reported every month, a service, its peers, across years."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from components.charts import Labels, line_chart
from observatory_data.catalogue import COUNTABLE, DENOMINATORS
from observatory_data.queries import MonthlySeries, group_monthly, service_monthly


@dataclass(frozen=True)
class TrendLines:
    frame: pl.DataFrame  # series, period, value, shape, services
    note: str
    axis: str


def _measured(series: MonthlySeries, measure: str) -> pl.DataFrame:
    column = "value" if measure == "count" else "rate"
    frame = series.frame.select("period", pl.col(column).alias("value"))
    if measure == "index" and frame.height:
        first = frame["value"][0]
        frame = frame.with_columns(value=pl.col("value") / first * 100 if first else pl.lit(None, pl.Float64))
    return frame


def trend_lines(
    monthly: pl.DataFrame,
    services: pl.DataFrame,
    metric: dict,
    groups: dict[str, list[str]],
    service: str,
    service_name: str,
    measure: str,
    caveat: str | None = None,
) -> TrendLines:
    """One line per group (only services with all 12 months) and one for the service (quarters as quarters).

    `caveat` says why the service's per-resident rate is not comparable: the note carries it when rates are shown.
    Group lines are sums, so a caveated service stays in them (a caveat removes a rate, never a count).
    """
    denominator = metric["denominator"]
    parts, notes = [], []
    for label, codes in groups.items():
        series = group_monthly(monthly, services, metric["metric"], denominator, codes)
        notes.append(f"{label}: {series.services} of {len(codes)} services reported every month")
        if series.services:
            parts.append(_measured(series, measure).with_columns(series=pl.lit(label), shape=pl.lit("linear")))
    if service:
        own = service_monthly(monthly, services, metric["metric"], denominator, service)
        if own.shape == "none":
            notes.append(f"{service_name}: no complete, unflagged monthly or quarterly return for this metric")
        else:
            label = service_name + (
                " (quarterly totals, shown as monthly averages)" if own.shape == "quarterly" else ""
            )
            shape = "hv" if own.shape == "quarterly" else "linear"
            parts.append(_measured(own, measure).with_columns(series=pl.lit(label), shape=pl.lit(shape)))
            if caveat and measure == "rate":
                notes.append(f"{service_name}'s rate is not comparable with other services': {caveat.rstrip('.')}")
    schema = {"period": pl.Date, "value": pl.Float64, "series": pl.String, "shape": pl.String}
    frame = pl.concat(parts) if parts else pl.DataFrame(schema=schema)
    per = DENOMINATORS[denominator]
    first_month = monthly["period"].min()
    axis = {
        "count": f"{metric['unit']} per month",
        "rate": f"{metric['unit']} {per}",
        "index": f"Index, {first_month:%B %Y} = 100",
    }
    return TrendLines(frame.select("series", "period", "value", "shape"), "; ".join(notes) + ".", axis[measure])


@dataclass(frozen=True)
class YearLines:
    figure: go.Figure
    frame: pl.DataFrame


def annual_lines(
    annual: pl.DataFrame, metrics: pl.DataFrame, service: str, service_name: str, offer: str
) -> YearLines | None:
    """The service's own long-run series for the Offer's metrics, where more than one year exists."""
    offer_metrics = metrics.filter(pl.col("offers").list.contains(offer)).select("metric", "label")
    rows = annual.filter((pl.col("service_code") == service) & pl.col("value").is_not_null()).join(
        offer_metrics, on="metric"
    )
    several = rows.group_by("metric").agg(pl.col("year").n_unique().alias("years")).filter(pl.col("years") > 1)
    rows = rows.filter(pl.col("metric").is_in(several["metric"].implode())).sort("metric", "year")
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
    )
    return YearLines(figure, table)
