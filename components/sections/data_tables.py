"""The Data and methods page's tables: the metric catalogue, who returned what, what the rules did, the quarterly
totals, the sources and the prepared tables as CSV, each with the words that say how to read it.

The page shows these as they come: a reader checking a figure finds here every number it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from components.exports import about_table, readable_csv
from components.text import counted_by_year, coverage_by_nation
from observatory_data.serving.catalogue import DATA_LICENCE
from observatory_data.serving.coverage import no_return_by_year
from observatory_data.serving.periods import financial_year
from observatory_data.serving.rule_runs import rules_by_year
from observatory_data.serving.schema import describe

LINE_PARTS = ("mode", "format", "content_age", "user_age", "location")  # what names a monthly line of a return

COVERAGE_CAPTION = (
    "Services per status. Only 'reported', 'derived' and 'corrected' values are counted in rates and aggregates "
    "('counted'; those with a caveat are counted, but their rates are left out of medians); 'partial' and "
    "'flagged' values are kept and shown but not summed; ACE collects activity in England only ('not_collected'); "
    "'no_return': the service sent no return for the year; the next column: its return for the year lacks the metric."
)
COUNTED_CAPTION = (
    "English services with a counted value, per year of ACE returns: 2023/24 from ACE's monthly workbook (every "
    "metric), later years from ACE's official statistics (the headline metrics only). "
    "Change over the years is measured on the services counted in every year compared."
)
RULE_RUNS_CAPTION = (
    "Rules on monthly lines need a year of ACE's monthly workbook; rules on whole-year figures run on every year; "
    "the audit's rules need the audit's marks (and set a figure against the service's other years only in a year "
    "published as whole-year figures). Counts are rule outcomes in the flags table."
)
QUARTERLY_CAPTION = (
    "ACE's returns allow a quarter's total in its last month. These are kept as quarterly totals (trend "
    "charts draw them as flat quarters), never spread or mistaken for a one-month spike."
)
DOWNLOADS_CAPTION = (
    "CSV, one file per table (the boundaries are geometries and are left out), each opening with what every "
    "column holds. Missing values are written as empty cells, never as zero; list columns are joined with '; '."
)
OPEN_DATA_CAPTION = (
    "Every table in one zip: a CSV per table, the boundaries as GeoJSON, and a datapackage.json (Frictionless Table "
    "Schema, as the UK library open-data community publishes) giving each column's type, description, unit and "
    "allowed values, each table's keys, and its sources and licences. Made when you press the button."
)


@dataclass(frozen=True)
class TableSection:
    """A table as the page shows it: its title in bold (if any), the caption that says how to read it, the table."""

    table: pl.DataFrame
    caption: str
    title: str = ""


def year_name() -> pl.Expr:
    """The `year` column as its financial year's name ("2023/24")."""
    return pl.col("year").map_elements(financial_year, return_dtype=pl.String)


def service_names(services: pl.DataFrame) -> pl.DataFrame:
    """service_code -> its name, headed "Service" (for joins)."""
    return services.select("service_code", pl.col("service_name").alias("Service"))


def metric_labels(metrics: pl.DataFrame) -> pl.DataFrame:
    """metric -> its label, headed "Metric" (for joins: a metric not in the catalogue keeps its id)."""
    return metrics.select("metric", pl.col("label").alias("Metric"))


def metric_catalogue(metrics: pl.DataFrame, search: str = "") -> TableSection:
    """The catalogue as a reader looks a metric up, narrowed to the rows containing `search` in any column (case
    ignored, taken literally), with how many of all the metrics are shown."""
    catalogue = metrics.select(
        pl.col("label").alias("Metric"),
        pl.col("unit").alias("Unit"),
        pl.col("definition").alias("Definition"),
        pl.col("offers").list.join(", ").alias("Offers"),
        pl.col("denominator").alias("Denominator"),
        pl.col("polarity").alias("Polarity"),
        pl.col("source").alias("Source"),
        pl.col("metric").alias("Id"),
    )
    if search:
        text = pl.concat_str(pl.all(), separator=" ", ignore_nulls=True).str.to_lowercase()
        catalogue = catalogue.filter(text.str.contains(search.lower(), literal=True))
    return TableSection(catalogue, f"{catalogue.height} of {metrics.height} metrics.")


def coverage_section(annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, year: int) -> TableSection:
    """The year's services per status for every metric and nation: how much each figure rests on."""
    return TableSection(coverage_by_nation(annual, services, metrics, year), COVERAGE_CAPTION)


def counted_section(annual: pl.DataFrame, metrics: pl.DataFrame) -> TableSection:
    """Services with a counted ACE value per metric and year: which years each metric has."""
    return TableSection(counted_by_year(annual, metrics), COUNTED_CAPTION, "Counted services per metric and year")


def no_return_section(annual: pl.DataFrame, services: pl.DataFrame) -> TableSection:
    """The English services that sent no return, a row per service and year, and how many each year: each year has
    its own list."""
    no_return = no_return_by_year(annual, services)
    per_year = no_return.group_by("year").len().sort("year").rows()
    caption = (
        "A service made a return for a year if any of its figures for that year came back, so a service missing one "
        "metric is not listed; each year has its own list. "
        + "; ".join(f"{financial_year(listed)}: {count}" for listed, count in per_year)
        + "."
    )
    table = no_return.select(
        year_name().alias("Year"), pl.col("service_name").alias("Service"), pl.col("service_code").alias("Code")
    )
    return TableSection(table, caption, "English services with no return, per year")


def rule_list(flags: pl.DataFrame, descriptions: dict[str, str]) -> str:
    """Every rule (components.text.rule_descriptions) with how many values it decided, as a markdown list: a rule
    that decided none is listed too, with 0."""
    counts = dict(flags["rule"].value_counts().iter_rows())
    return "\n".join(f"- `{rule}` ({counts.get(rule, 0)} values): {text}" for rule, text in descriptions.items())


def rule_outcomes(flags: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame) -> TableSection:
    """Every value a rule flagged, corrected, derived or caveated: the service, the metric, the line and the
    period, the figure as returned beside the figure used, and why."""
    caption = (
        f"{flags.height} rule outcomes. Every value keeps the figure as returned beside the figure used. Flagged "
        "values are left out of every aggregate, and an annual total containing a flagged month is flagged too; "
        "corrected and derived values are counted, with the reason; caveated values are counted and explained."
    )
    table = (
        flags.join(service_names(services), on="service_code", how="left")
        .join(metric_labels(metrics), on="metric", how="left")
        .select(
            "Service",
            pl.coalesce("Metric", "metric").alias("Metric"),
            pl.concat_str([pl.col(part) for part in LINE_PARTS], separator=", ", ignore_nulls=True).alias("Line"),
            pl.coalesce(pl.col("period").dt.strftime("%b %Y"), year_name() + " year").alias("Period"),
            pl.col("value_as_returned").alias("Value as returned"),
            pl.col("value_used").alias("Value used"),
            pl.col("outcome").alias("Outcome"),
            pl.col("rule").alias("Rule"),
            pl.col("reason").alias("Reason"),
        )
    )
    return TableSection(table, caption)


def rule_runs(annual: pl.DataFrame, activity: pl.DataFrame, flags: pl.DataFrame) -> TableSection:
    """Which rules could run in each year and what they did (serving.rule_runs.rules_by_year), headed in words."""
    table = rules_by_year(annual, activity, flags).select(
        year_name().alias("Year"),
        pl.col("rule").alias("Rule"),
        pl.col("needs").alias("Reads"),
        pl.col("ran").alias("Could run"),
        pl.col("values").alias("Values"),
        pl.col("outcomes").alias("What it did"),
    )
    title = "Which rules could run in each year, and what they did"
    return TableSection(table, RULE_RUNS_CAPTION, title)


def quarterly_series(quarterly: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame) -> TableSection:
    """The series entered as quarterly totals, a row per service and metric with the months so entered; the caption
    counts them (a series of a service not in the services table is left out)."""
    named = quarterly.join(service_names(services), on="service_code")
    table = named.join(metric_labels(metrics), on="metric", how="left").select(
        pl.col("Service"),
        pl.coalesce("Metric", "metric").alias("Metric"),
        pl.col("months").alias("Values entered as quarterly totals (all lines)"),
    )
    return TableSection(table, QUARTERLY_CAPTION, f"{named.height} series entered as quarterly totals")


def sources_table(sources: pl.DataFrame) -> pl.DataFrame:
    """The pinned sources: who published each file, its licence and the URL it was taken from."""
    return sources.select(
        pl.col("publisher").alias("Publisher"),
        pl.col("path").alias("File"),
        pl.col("licence").alias("Licence"),
        pl.col("url").alias("Pinned URL"),
    )


def prepared_table_csv(name: str, frame: pl.DataFrame, built_at: str) -> bytes:
    """A prepared table as CSV: each column described from the schema, lists joined with '; ', missing values
    empty, numbers as stored (no rounding: this is the table itself, not a view of it)."""
    lists = [column for column, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    about = about_table(
        f"Public Libraries Data Observatory: the {name} table, built {built_at}",
        "The pinned public sources listed on the Data and methods page",
        DATA_LICENCE,
        tuple((column, describe(name, column)) for column in frame.columns),
    )
    return readable_csv(frame.with_columns(pl.col(lists).list.join("; ")), about, decimals=None)
