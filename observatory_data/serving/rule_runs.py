"""Which of the method's rules (rules.RULES) could run on each year of ACE returns, and what each did there: the
Data & methods page's table of rules by year.

A year has monthly lines where the activity table holds ACE lines for it; every ACE year has whole-year figures;
the audit's rules run where the year has audit marks. Those that set a replaced or excluded figure against the
service's other years judge only a year published as whole-year figures; in a year with monthly lines, the line rules
decide and the mark is shown.
"""

from __future__ import annotations

import polars as pl

from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, years_with_data
from observatory_data.serving.periods import year_of_expr
from observatory_data.serving.rules import AUDIT_MARKS, AUDIT_MARKS_ON_WHOLE_YEARS, LINES, RULES


def rules_by_year(annual: pl.DataFrame, activity: pl.DataFrame, flags: pl.DataFrame) -> pl.DataFrame:
    """For each year of ACE returns and each rule in rules.RULES: year, rule, needs (what the rule reads), ran
    ("yes", or "no: " and why) and what it did: `values` (rule outcomes in the flags table) and `outcomes` in words.

    A year has monthly lines where the activity table holds ACE lines for it; every ACE year has whole-year figures;
    the audit's rules run where the year has audit marks (those judging a figure against other years, only where
    the year has no monthly lines). A 31-March count (no month, no year) belongs to the year of monthly lines.
    """
    years = years_with_data(annual)
    ace_lines = activity.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX))
    line_years = set(ace_lines.select(year_of_expr(pl.col("period")))["period"].unique().to_list())
    marked = annual.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & pl.col("audit_status").is_not_null())
    mark_years = set(marked["year"].unique().to_list())
    only_line_year = next(iter(line_years)) if len(line_years) == 1 else None
    counted = (
        flags.with_columns(
            year=pl.coalesce(pl.col("year"), year_of_expr(pl.col("period")), pl.lit(only_line_year, pl.Int32))
        )
        .group_by("year", "rule", "outcome")
        .len()
    )
    done = {(year, rule): [] for year in years for rule in RULES}
    for year, rule, outcome, number in counted.sort("year", "rule", "outcome").iter_rows():
        done.setdefault((year, rule), []).append((outcome, number))

    def ran(year: int, rule: str) -> str:
        needs = RULES[rule].needs
        if needs == LINES and year not in line_years:
            return "no: the year has no monthly lines"
        if needs in (AUDIT_MARKS, AUDIT_MARKS_ON_WHOLE_YEARS) and year not in mark_years:
            return "no: the year has no audit marks"
        if needs == AUDIT_MARKS_ON_WHOLE_YEARS and year in line_years:
            return "no: the year has monthly lines (the line rules decide; the audit's mark is shown beside)"
        return "yes"

    rows = []
    for year in years:
        for rule, spec in RULES.items():
            outcomes = done[(year, rule)]
            could = ran(year, rule)
            words = "; ".join(f"{number:,} {outcome}" for outcome, number in outcomes)
            rows.append(
                {
                    "year": year,
                    "rule": rule,
                    "needs": spec.needs,
                    "ran": could,
                    "values": sum(number for _, number in outcomes),
                    "outcomes": words or ("nothing found" if could == "yes" else "did not run"),
                }
            )
    schema = {
        "year": pl.Int32,
        "rule": pl.String,
        "needs": pl.String,
        "ran": pl.String,
        "values": pl.Int64,
        "outcomes": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
