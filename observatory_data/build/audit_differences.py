"""Our outcome and the audit's for one value: each side's class, and a plain reason where the two differ.

Ours: `counted` (status reported, derived or corrected), `counted_with_caveat` (the same with a caveat), `partial`,
`flagged` (both left out of aggregates) or `no_return`. Theirs: `accepted` (blank status, a figure), `suspicious`
(kept as returned, with a note), `replaced` (their `estimated` figure used), `excluded`, or `no_return` (blank).
A difference between the figures as returned is explained, where it can be, by groups of our own monthly lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import polars as pl

from observatory_data.build.audit_file import AUDIT_METRICS
from observatory_data.serving.catalogue import COUNTABLE, Status
from observatory_data.serving.periods import year_of_expr

# Outcome classes on each side of the comparison.
OUR_CLASSES = ("counted", "counted_with_caveat", Status.PARTIAL, Status.FLAGGED, Status.NO_RETURN)
THEIR_CLASSES = ("accepted", "suspicious", "replaced", "excluded", "no_return")
# Two figures closer than this share of the larger are the same figure.
TOLERANCE = 0.01


def our_class(status: str | None, caveat: str | None) -> str:
    if status in COUNTABLE:
        return "counted_with_caveat" if caveat else "counted"
    if status in (Status.PARTIAL, Status.FLAGGED):
        return status
    return Status.NO_RETURN


def their_class(status: str | None, value: float | None) -> str:
    if status is not None:
        return status
    return "no_return" if value is None else "accepted"


def our_mark(row: dict[str, Any]) -> str | None:
    """What we did to a counted value: corrected it, counted it with a caveat, or neither."""
    if row["status"] == Status.CORRECTED:
        return "changed"
    return "doubted" if row["ours"] == "counted_with_caveat" else None


def their_mark(row: dict[str, Any]) -> str | None:
    """What they did to a kept value: replaced it, called it suspicious, or neither."""
    return {"replaced": "changed", "suspicious": "doubted"}.get(row["theirs"])


def same_figure(a: float | None, b: float | None) -> bool:
    """Both null, or within TOLERANCE of the larger."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def _their_reason(note: str | None) -> str:
    """What their note says in a few words."""
    if not note:
        return "no note given"
    if re.search(r"(Monthly|Quarterly) return \(", note):
        return "a mistyped month or quarter corrected"
    if note.startswith("Annual headline total"):
        if "overstatement" in note:
            return "an overstated month taken out of the total"
        return "the published total judged implausible"
    if "versus median nonzero month" in note:
        return "their month check (a month far from the median month)"
    if "category sum" in note:
        return "their parts check (age or category lines do not add up to the total)"
    if "identical" in note:
        return "their copied-series check (two lines identical month for month)"
    return "their note"


def _category_sum_direction(note: str | None) -> int:
    """+1 when their note says the category lines exceed the total, -1 when below, 0 when it says neither."""
    if not note:
        return 0
    found = re.search(r"reported total ([\d,]+); category sum ([\d,]+)", note)
    if not found:
        return 0
    total, parts = (float(group.replace(",", "")) for group in found.groups())
    return (parts > total) - (parts < total)


AGE_LINES = "age_lines"


def line_sums(activity: pl.DataFrame, year: int) -> dict[tuple[str, str, str], dict[str, float]]:
    """Per service, metric and source: the year's as-returned sums of groups of our lines that their figure
    may be: the age or category lines (physical, or all modes) and each mode's or location's lines alone."""
    lines = (
        activity.filter(
            pl.col("metric").is_in(list(AUDIT_METRICS.values())),
            pl.col("value_as_returned").is_not_null(),
            year_of_expr(pl.col("period")) == year,
        )
        .with_columns(
            category=pl.any_horizontal(
                ~pl.col(column).fill_null("total").is_in(["total"]) for column in ("user_age", "content_age")
            )
        )
        .group_by("service_code", "metric", "source", "mode", "location", "category")
        .agg(value=pl.col("value_as_returned").sum())
    )
    sums: dict[tuple[str, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in lines.iter_rows(named=True):
        found = sums[(row["service_code"], row["metric"], row["source"])]
        if row["category"]:
            found[AGE_LINES] += row["value"]
            if row["mode"] == "physical":
                found[f"{AGE_LINES} (physical)"] += row["value"]
        else:
            for part in (row["mode"], row["location"]):
                if part:
                    found[part.replace("_", "-")] += row["value"]
    return sums


def _line_match(row: dict[str, Any]) -> tuple[str, str] | None:
    """A class and reason when their as-returned figure equals a group of our own lines."""
    theirs, ours = row["their_as_returned"], row["our_as_returned"]
    for label, value in (row.get("line_sums") or {}).items():
        if theirs is None or not same_figure(theirs, value) or same_figure(ours, value):
            continue
        if label.startswith(AGE_LINES):
            return (
                "reading:age_lines",
                "as-returned figures differ: they add up the age or category lines where we use the total line",
            )
        return (
            "reading:fewer_lines",
            "as-returned figures differ: they count one group of lines (one mode or location) where we add up more",
        )
    return None


def reading_reason(row: dict[str, Any]) -> tuple[str, str]:
    """Why two as-returned figures may differ: our own lines, their note, or our note explain it, or nothing does."""
    matched = _line_match(row)
    if matched:
        return matched
    ours = row["our_as_returned"] if row["our_as_returned"] is not None else row["our_value"]
    theirs = row["their_as_returned"]
    direction = _category_sum_direction(row["audit_notes"])
    if direction and (theirs - ours) * direction > 0:
        return (
            "reading:category_sum",
            "as-returned figures differ: their note says the category lines do not add up to the total, and their "
            "figure is on the side of the category sum",
        )
    note = row["our_note"] or ""
    if "one year figure entered in" in note or "quarterly totals" in note:
        return (
            "reading:period_convention",
            "as-returned figures differ: a year or quarter total entered in one month, read to a different period "
            "convention",
        )
    if theirs > ours and re.search(r"not included:|incomplete:|included for the months returned", note):
        return (
            "reading:fewer_lines_ours",
            "as-returned figures differ: we add up fewer lines (a line left blank or returned for only some months "
            "in the workbook we read)",
        )
    return (
        "reading:unexplained",
        "as-returned figures differ and no line of our return explains it: possibly a figure revised in their release",
    )


def disagreement(row: dict[str, Any]) -> tuple[str, str]:
    """A class id and a plain reason for a row where our outcome and theirs differ."""
    ours, theirs = row["ours"], row["theirs"]
    rule = row["our_rule"] or "one of our plausibility rules"
    their_reason = _their_reason(row["audit_notes"])
    if ours == Status.NO_RETURN and row["their_as_returned"]:
        matched = _line_match(row)
        if matched and matched[0] == "reading:age_lines":
            return (
                "we_blank_they_figure",
                "they have a figure where our total line is blank or zero: they add up the age or category lines",
            )
        return (
            "we_blank_they_figure",
            "they have a figure where the ACE workbook we read has none (their source is ACE's official-statistics "
            "release)",
        )
    if theirs == "no_return" and row["our_as_returned"] is not None:
        return "we_figure_they_blank", "we have a figure where their file is blank"
    counted = ours in ("counted", "counted_with_caveat")
    if counted and theirs in ("accepted", "suspicious") and not same_figure(row["our_value"], row["their_figure"]):
        if same_figure(row["our_as_returned"], row["their_as_returned"]):
            return (
                "we_correct_they_keep",
                f"we correct a value they keep as returned: our rule '{rule}'; {their_reason}",
            )
        return reading_reason(row)
    if counted and theirs == "replaced":
        if same_figure(row["our_value"], row["their_figure"]):
            return (
                "they_replace_same_figure",
                f"they replace the published figure with an estimate equal to the figure we count: {their_reason}",
            )
        if row["status"] == Status.CORRECTED:
            return (
                "both_correct_differently",
                f"both correct it, to different figures: our rule '{rule}'; {their_reason}",
            )
        return "they_replace_we_keep", f"they replace a value we keep: {their_reason}"
    if counted and theirs == "excluded":
        return "they_exclude_we_keep", f"they exclude a value we keep: {their_reason}"
    if ours == Status.FLAGGED and theirs == "accepted":
        return "we_flag_they_accept", f"we flag a value they accept as returned: our rule '{rule}'"
    if ours == Status.FLAGGED and theirs == "suspicious":
        return (
            "both_doubt_we_leave_out",
            f"both doubt it; we leave it out, they keep it pending confirmation: our rule '{rule}'; {their_reason}",
        )
    if ours == Status.FLAGGED and theirs == "replaced":
        return (
            "both_doubt_they_replace",
            f"both find an error; we leave the year out, they put in their estimate: our rule '{rule}'; {their_reason}",
        )
    if ours == Status.PARTIAL and theirs in ("accepted", "suspicious", "replaced"):
        incomplete = "months missing" if (row["months_covered"] or 12) < 12 else "a required line left blank"
        return "we_partial_they_keep", f"we leave out an incomplete year ({incomplete}); they keep a figure"
    if ours == "counted" and theirs == "suspicious":
        return "they_doubt_we_count", f"they doubt a value we count without caveat: {their_reason}"
    if ours == "counted_with_caveat" and theirs == "accepted":
        return "we_caveat_they_accept", f"we count it with a caveat ('{rule}'); they accept it as returned"
    return "other", f"our outcome '{ours}', theirs '{theirs}'"
