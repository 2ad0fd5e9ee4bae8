"""Sentences for the reader composed from the serving side's results: a benchmark's rank in words, who is left out
of a comparison and why, the gap between place groups in a year and its change over years, and how complete the
places list is.

The serving side computes (benchmarks.benchmark, places_groups.group_summary and gap_over_years); the words are
written here, once, so every page that gives a result says it the same way.
"""

from __future__ import annotations

import polars as pl

from observatory_data.serving.benchmarks import Benchmark
from observatory_data.serving.catalogue import LEVEL_TOLERANCE, PLACE_FLAGS, Status
from observatory_data.serving.formats import names_words, ordinal, status_words
from observatory_data.serving.periods import financial_year, span
from observatory_data.serving.places_groups import CULTURE_PLACES_NAMED, NEITHER, PRIORITY_PLACES_NAMED


def left_out_note(names: list[str], what: str = "") -> str:
    """'City of London left out: its rates are not comparable' (empty when nobody is left out)."""
    if not names:
        return ""
    return f"{names_words(names)} left out{what}: {'its' if len(names) == 1 else 'their'} rates are not comparable"


def benchmark_sentence(result: Benchmark, group_label: str) -> str:
    """One plain sentence, e.g. '3rd of 15 similar services with data; above the peer median'."""
    if result.rate is None:
        if result.status == Status.NOT_COLLECTED:
            reason = "not collected for this nation"
        elif result.status == Status.NO_RETURN:
            reason = status_words(result.status, result.returned)
        else:
            reason = f"value {status_words(result.status)}"
        return f"Not ranked: {reason}."
    if result.caveat:
        return "Not ranked or set against the group median: its per-resident rate is not comparable (see the caveat)."
    sentence = (
        f"{ordinal(result.rank)} of {result.ranked} {group_label} with data"
        if result.rank
        else f"Not ranked (no clear better or worse); {result.ranked} {group_label} with data"
    )
    if result.left_out:
        sentence += f" ({left_out_note(list(result.left_out))})"
    if result.group_median is None:
        return sentence + "; no group median (no comparable data)."
    if abs(result.rate - result.group_median) <= LEVEL_TOLERANCE * result.group_median:
        side = "level with"
    else:
        side = "above" if result.rate > result.group_median else "below"
    return f"{sentence}; {side} the group median."


def places_note(places: pl.DataFrame) -> str:
    """How complete the district list is, in words, counted from the evidence file itself."""
    priority, culture = (places[column] for column in PLACE_FLAGS.values())
    unknown = int((priority == "unknown").sum() + (culture == "unknown").sum())
    return (
        f"ACE named {PRIORITY_PLACES_NAMED} Priority Places (2021-24, extended to 2027); "
        f"{int((priority == 'yes').sum())} districts are identified as Priority Places in the evidence list. "
        f"{int((culture == 'yes').sum())} of the {CULTURE_PLACES_NAMED} Levelling Up for Culture Places "
        f"(2022-26) are identified. {unknown} district flags in the list are unknown, and a district missing "
        "from the list is unknown, not 'no'."
    )


def gap_sentence(summary: pl.DataFrame, group: str, unit: str, per: str, year: int) -> str:
    """The gap in one year, among the services countable that year: 'Any Priority Place, gap in 2025/26: 2,257.1 loans
    per 1,000 residents, 179.8 (7.4%) below Neither (known) at 2,436.9, among the services countable in 2025/26 (35
    of 48 in the group; 49 of 69 in Neither (known)).' A level, not a change: see gap_trend_sentence for that."""
    row = summary.filter(pl.col("group") == group).row(0, named=True)
    rest = summary.filter(pl.col("group") == NEITHER).row(0, named=True)
    period = financial_year(year)
    counted = (
        f"among the services countable in {period} ({row['reported']} of {row['services']} in the group; "
        f"{rest['reported']} of {rest['services']} in {NEITHER})"
    )
    if row["rate"] is None or rest["rate"] is None:
        return f"{group}, gap in {period}: no comparison, {counted}."
    side = "above" if row["gap"] >= 0 else "below"
    return (
        f"{group}, gap in {period}: {row['rate']:,.1f} {unit} {per}, {abs(row['gap']):,.1f} "
        f"({abs(row['gap_percent']):.1f}%) {side} {NEITHER} at {rest['rate']:,.1f}, {counted}."
    )


def gap_trend_sentence(gaps: pl.DataFrame, metric: str, group: str) -> str:
    """The change of the gap on the same services (gap_over_years' panel), not the gap of any one year's reporters:
    'Any Priority Place, change of the gap on the same services: 10.9% below Neither (known) in 2023/24 and 14.9%
    below in 2025/26, so the gap widened by 4.0 percentage points (the 25 of 48 services in the group and 26 of 69 in
    Neither (known) countable in every year from 2023/24 to 2025/26).'"""
    rows = gaps.filter((pl.col("metric") == metric) & (pl.col("group") == group)).sort("year")
    first, last = rows.row(0, named=True), rows.row(-1, named=True)
    counts = (
        f"the {first['services']} of {first['of']} services in the group and {first['rest_services']} of "
        f"{first['rest_of']} in {NEITHER} countable in every year from {span(first['year'], last['year'])}"
    )
    lead = f"{group}, change of the gap on the same services"
    if first["gap_percent"] is None or last["gap_percent"] is None:
        return f"{lead}: no comparison with {NEITHER} ({counts})."

    def side(row: dict) -> str:
        return f"{abs(row['gap_percent']):.1f}% {'above' if row['gap_percent'] >= 0 else 'below'}"

    points = abs(last["gap_percent"]) - abs(first["gap_percent"])
    if (first["gap_percent"] >= 0) != (last["gap_percent"] >= 0):
        trend = "the gap changed sides"
    else:
        trend = f"the gap {'widened' if points > 0 else 'narrowed'} by {abs(points):.1f} percentage points"
    return (
        f"{lead}: {side(first)} {NEITHER} in {financial_year(first['year'])} and {side(last)} in "
        f"{financial_year(last['year'])}, so {trend} ({counts})."
    )
