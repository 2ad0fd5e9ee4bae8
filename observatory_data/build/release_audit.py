"""The Libraries Hacked audit's marks as evidence for our rules, in every year the file covers.

Their file marks some of ACE's published figures `replaced` (with an estimate and a note, often the service's own
explanation), `excluded` or `suspicious`. A mark is kept beside the value in every year (audit_status,
audit_estimate, audit_note) and never copied blindly:
- in a year published as whole-year figures, a replaced or excluded figure is set against the service's own other
  years of the metric (rules.AUDIT_AGREE_BAND): the figure as returned counts where it agrees with them (the
  estimate is then not adopted, and the reason says so); otherwise the estimate is adopted where it agrees with
  them; otherwise neither reconciles and the value is flagged, both figures shown;
- in a year with monthly lines, our own line rules decide (plausibility.py) and the mark is shown beside;
- a suspicious mark is a caveat shown wherever the value is: the value counts.
"""

from __future__ import annotations

import polars as pl

from observatory_data.build.annual import AUDIT_COLUMNS
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, COUNTABLE, Status
from observatory_data.serving.periods import financial_year
from observatory_data.serving.rules import AUDIT_AGREE_BAND, OUTCOME_OF_RULE

KEYS = ["service_code", "year", "metric"]
# Each outcome of the audit step -> the rule in rules.RULES that states it.
RULE_OF_OUTCOME = {
    "adopted": "audit_estimate_reconciles",
    "already_applied": "returned_agrees_with_other_years",
    "not_adopted": "returned_agrees_with_other_years",
    "unreconciled": "audit_mark_unreconciled",
    "caveated": "audit_suspicious",
}


def audit_marks(audits: list[pl.DataFrame]) -> pl.DataFrame:
    """One row per service, year and metric the audit marked or annotated; of two files, the first (the most
    recently added) is kept."""
    marks = pl.DataFrame(
        schema={
            "service_code": pl.String,
            "year": pl.Int32,
            "metric": pl.String,
            "audit_status": pl.String,
            "audit_estimate": pl.Float64,
            "audit_note": pl.String,
        }
    )
    for audit in audits:
        rows = audit.filter(pl.col("audit_status").is_not_null() | pl.col("audit_notes").is_not_null()).select(
            *KEYS, "audit_status", audit_estimate="estimated", audit_note="audit_notes"
        )
        marks = pl.concat([marks, rows.join(marks, on=KEYS, how="anti")])
    return marks


def _figures(values: list[tuple[int, float]]) -> str:
    return ", ".join(f"{financial_year(year)} {value:,.0f}" for year, value in values)


def _judge(row: dict, reference: list[tuple[int, float]]) -> tuple[str, str]:
    """The outcome for one replaced or excluded figure in a whole-year year, and the reason with the numbers."""
    returned, estimate = row["value_as_returned"], row["audit_estimate"]
    their = f"the audit's estimate {estimate:,.0f}" if estimate is not None else "the audit's exclusion"
    if not reference:
        return "unreconciled", (
            f"audit mark unreconciled: {their} against {returned:,.0f} as returned, and no other countable year of "
            "the service to check either against; flagged"
        )
    low = min(value for _, value in reference) / AUDIT_AGREE_BAND
    high = max(value for _, value in reference) * AUDIT_AGREE_BAND
    others = f"the service's other years ({_figures(reference)})"

    def agrees(value: float | None) -> bool:
        return value is not None and low <= value <= high

    if agrees(returned):
        if estimate is not None and abs(estimate - returned) < 0.5:
            return "already_applied", (
                f"returned agrees with other years: {returned:,.0f} as returned is already the audit's estimate and "
                f"agrees with {others} within x{AUDIT_AGREE_BAND:g}"
            )
        return "not_adopted", (
            f"returned agrees with other years: {returned:,.0f} as returned agrees with {others} within "
            f"x{AUDIT_AGREE_BAND:g}, so {their} is not adopted"
        )
    if agrees(estimate) and abs(estimate - returned) >= 0.5:
        return "adopted", (
            f"audit estimate reconciles: {returned:,.0f} as returned is outside x{AUDIT_AGREE_BAND:g} of {others}; "
            f"{their} is inside it and is used"
        )
    return "unreconciled", (
        f"audit mark unreconciled: neither {returned:,.0f} as returned nor {their} is within x{AUDIT_AGREE_BAND:g} "
        f"of {others}; flagged"
    )


def apply_audit(annual: pl.DataFrame, marks: pl.DataFrame, line_years: set[int]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The annual table with the audit's marks beside each ACE value and our outcome for each, and one row per
    outcome for the flags table. `line_years` are the years with monthly lines (our line rules decide there)."""
    ace = pl.col("source").str.starts_with(ACE_SOURCE_PREFIX)
    marked = (
        annual.drop(AUDIT_COLUMNS)
        .join(marks, on=KEYS, how="left")
        .with_columns(
            [pl.when(ace).then(pl.col(name)).alias(name) for name in ("audit_status", "audit_estimate", "audit_note")]
        )
    )
    countable = marked.filter(ace, pl.col("status").is_in(COUNTABLE), pl.col("value").is_not_null())
    # A year's figure the audit replaced is no evidence for another year, unless our line rules made it.
    evidence = countable.filter(
        (pl.col("audit_status") != "replaced") | pl.col("audit_status").is_null() | pl.col("year").is_in(line_years)
    )
    reference: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for code, year, metric, value in evidence.select("service_code", "year", "metric", "value").iter_rows():
        reference.setdefault((code, metric), []).append((year, value))
    decisions = []
    for row in countable.filter(pl.col("audit_status").is_not_null()).iter_rows(named=True):
        if row["audit_status"] == "suspicious":
            outcome, reason = "caveated", f"audit suspicious: {row['audit_note'] or 'no note given'}"
        elif row["year"] in line_years:
            continue  # our own rules on the monthly lines decide; the mark stays beside the value
        else:
            others = sorted(
                (year, value)
                for year, value in reference.get((row["service_code"], row["metric"]), [])
                if year != row["year"]
            )
            outcome, reason = _judge(row, others)
        decisions.append((row["service_code"], row["year"], row["metric"], outcome, reason))
    decided = pl.DataFrame(
        decisions,
        schema={**dict.fromkeys(KEYS, pl.String), "audit_outcome": pl.String, "reason": pl.String},
        orient="row",
    ).with_columns(pl.col("year").cast(pl.Int32))
    outcome = pl.col("audit_outcome")
    result = (
        marked.join(decided, on=KEYS, how="left")
        .with_columns(
            value=pl.when(outcome == "adopted").then("audit_estimate").otherwise("value"),
            status=pl.when(outcome == "adopted")
            .then(pl.lit(Status.CORRECTED))
            .when(outcome == "unreconciled")
            .then(pl.lit(Status.FLAGGED))
            .otherwise("status"),
            note=pl.when(outcome.is_in(["adopted", "unreconciled", "not_adopted", "already_applied"]))
            .then(pl.format("{}; {}", "note", "reason"))
            .otherwise("note"),
        )
        .drop("reason")
        .select(annual.columns)
    )
    outcomes = (
        decided.join(result.select(*KEYS, "value_as_returned", value_used="value"), on=KEYS)
        .with_columns(rule=outcome.replace_strict(RULE_OF_OUTCOME))
        .with_columns(table=pl.lit("annual"), outcome=pl.col("rule").replace_strict(OUTCOME_OF_RULE))
        .drop("audit_outcome")
    )
    return result, outcomes
