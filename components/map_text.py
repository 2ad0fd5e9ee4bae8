"""The words around a map, and the numbers behind it: one year's rates, or the change between two years.

Shared by the web map, the hexagons and the PNG, so the three say the same; pure (catalogue entry and frames in).
"""

from __future__ import annotations

import polars as pl

from components.classes import Classes
from components.exports import caveat_column
from observatory_data.catalogue import DENOMINATORS, POPULATION_VINTAGE, ace_source, financial_year
from observatory_data.change import change_source, change_summary, span
from observatory_data.queries import aggregate

ENGLAND_ONLY = (
    "ACE collects activity in England only: Wales, Northern Ireland and the Crown Dependencies are shown as not "
    "collected; Scotland is not covered"
)
CHANGE_COLUMN = (
    "Change in the rate (%)",
    "Percentage change of the rate from the first year to the second; empty where either year has no countable "
    "figure or the first rate is zero",
)


def map_labels(entry: dict, years: tuple[int, ...], frame: pl.DataFrame) -> dict[str, str]:
    """The words of a map of one year's rates (`years` has one year; `frame` from queries.service_rates) or of the
    change between two years (`frame` from change.rate_change); `entry` is the metric's row of the metrics table."""
    per = DENOMINATORS[entry["denominator"]]
    common = {"per": per, "unit_word": entry["unit"], "polarity": entry["polarity"]}
    if len(years) == 1:
        summary = aggregate(frame.filter(pl.col("nation") == "England"))
        period = financial_year(years[0])
        return common | {
            "title": f"{entry['label']} {per}, library services in England, {period}",
            "subtitle": f"{entry['label']} {per} ({POPULATION_VINTAGE}), by library service. {ENGLAND_ONLY}",
            "unit": per,
            "coverage": f"England: {summary.reported} of {summary.of} services reported",
            "span": period,
            "source": ace_source(years[0]),
            "grey": "Hatched grey: an English service with no countable return, or a rate that is not comparable",
        }
    changed = change_summary(frame)
    median = "" if changed.median is None else f"; median change {changed.median:+.1f}%"
    period = span(*years)
    label = entry["label"] if entry["label"][1:2].isupper() else entry["label"][:1].lower() + entry["label"][1:]
    return common | {
        "title": f"Change in {label} {per}, England, {period}",
        "subtitle": f"Percentage change of {label} {per} from {period}, by library service; both years are divided by "
        f"the {POPULATION_VINTAGE} population, so this is the change in the count. {ENGLAND_ONLY}",
        "unit": f"% change in the rate {per}",
        "coverage": f"England: {changed.coverage}{median}",
        "span": period,
        "source": change_source(*years),
        "grey": "Hatched grey: no countable figure in one of the two years, or a rate that is not comparable",
    }


def png_note(labels: dict[str, str]) -> str:
    """The PNG's footer: coverage, source and what its two textures mean."""
    return (
        f"{labels['coverage']}. {labels['source']} {labels['grey']}; dotted: ACE does not collect activity outside "
        "England."
    )


def numbers_table(
    classes: Classes, labels: dict[str, str], metric_label: str, selected: str, years: tuple[int, ...]
) -> pl.DataFrame:
    """The numbers behind the map or the hexagons, as a person reads them: one year's, or both years' and the change."""
    count, rate = f"{metric_label} ({labels['unit_word']})", f"Rate {labels['per']}"
    if len(years) == 1:
        figures = [pl.col("value").alias(count), pl.col("rate").round(1).alias(rate), _words("status").alias("Status")]
    else:
        first, last = (financial_year(year) for year in years)
        figures = [
            pl.col("value_from").alias(f"{count}, {first}"),
            pl.col("value_to").alias(f"{count}, {last}"),
            pl.col("rate_from").round(1).alias(f"{rate}, {first}"),
            pl.col("rate_to").round(1).alias(f"{rate}, {last}"),
            pl.col("change").round(1).alias(CHANGE_COLUMN[0]),
            _words("status_from").alias(f"Status, {first}"),
            _words("status_to").alias(f"Status, {last}"),
        ]
    return classes.frame.sort("service_name").select(
        pl.col("service_name").alias("Service"),
        pl.col("service_code").alias("Service code"),
        pl.col("nation").alias("Nation"),
        *figures,
        (pl.col("class_index") + 1).alias("Map class (1 = lowest)"),
        (pl.col("service_code") == selected).alias("Selected service"),
        caveat_column(),
    )


def _words(column: str) -> pl.Expr:
    return pl.col(column).str.replace_all("_", " ")
