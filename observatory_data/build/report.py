"""The build report: what the tables cover and what in them is missing, estimated or doubtful."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

from observatory_data.build.branches import BranchesResult
from observatory_data.build.network_table import NetworkResult
from observatory_data.build.sources import Source
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, COUNTABLE, ENGLAND, ActivityStatus, Status
from observatory_data.serving.coverage import no_return_by_year
from observatory_data.serving.periods import financial_year


def summarise(
    *,
    tables: dict[str, pl.DataFrame],
    outcomes: pl.DataFrame,
    network: NetworkResult,
    branches: BranchesResult,
    sources: list[Source],
    built_at: str,
    audit_comparison: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the report says, as plain data (written as JSON and Markdown, and printed)."""
    services, annual = tables["services"], tables["annual"]
    ace = annual.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX))
    coverage = (
        ace.join(services.select("service_code", "nation"), on="service_code")
        .filter(pl.col("nation") == ENGLAND)
        .group_by("year", "metric")
        .agg(
            reported=pl.col("status").is_in(COUNTABLE).sum(),
            corrected=(pl.col("status") == Status.CORRECTED).sum(),
            caveated=pl.col("caveat").is_not_null().sum(),
            partial=(pl.col("status") == Status.PARTIAL).sum(),
            flagged=(pl.col("status") == Status.FLAGGED).sum(),
            no_return=(pl.col("status") == Status.NO_RETURN).sum(),
            services=pl.len(),
        )
        .sort("year", "metric")
    )
    quarterly = tables["quarterly_totals"].join(services.select("service_code", "service_name"), on="service_code")
    no_return = no_return_by_year(tables["annual"], services).with_columns(
        pl.col("year").map_elements(financial_year, return_dtype=pl.String)
    )
    return {
        "built_at": built_at,
        "tables": {name: {"rows": frame.height, "columns": frame.width} for name, frame in tables.items()},
        "services_per_nation": dict(services.group_by("nation").len().sort("nation").iter_rows()),
        "coverage": coverage.to_dicts(),
        "no_return": no_return.to_dicts(),
        "quarterly_totals": quarterly.to_dicts(),
        "rule_counts": rule_counts(outcomes).to_dicts(),
        "network_differences": network.differences.join(
            services.select("service_code", "service_name"), on="service_code"
        )
        .sort(pl.col("difference").abs(), "service_code", descending=[True, False])
        .head(20)
        .to_dicts(),
        "network_unmatched": network.unmatched.to_dicts(),
        "outcomes": outcomes.to_dicts(),
        "branches_per_nation": branches.summary.to_dicts(),
        "branches_excluded": branches.excluded.to_dicts(),
        "branches_unparsed_hours": branches.unparsed_hours.to_dicts(),
        "branches_duplicate_rows": branches.duplicate_rows,
        "sources": [{"path": s.path, "publisher": s.publisher, "licence": s.licence, "url": s.url} for s in sources],
        "audit_comparison": audit_comparison,
    }


def rule_counts(outcomes: pl.DataFrame) -> pl.DataFrame:
    """Values and services per rule and outcome."""
    return (
        outcomes.group_by("rule", "outcome")
        .agg(values=pl.len(), services=pl.col("service_code").n_unique())
        .sort("outcome", "values", descending=[False, True])
    )


def quarterly_totals(activity: pl.DataFrame) -> pl.DataFrame:
    """Per service and metric, how many values were entered as quarterly totals."""
    return (
        activity.filter(pl.col("status") == ActivityStatus.QUARTERLY_TOTAL)
        .group_by("service_code", "metric")
        .agg(months=pl.len().cast(pl.Int64))
        .sort("service_code", "metric")
    )


def write(summary: dict[str, Any], folder: Path) -> None:
    (folder / "build_report.json").write_text(json.dumps(summary, indent=1, default=str))
    (folder / "build_report.md").write_text(to_markdown(summary))


def _table(rows: list[dict[str, Any]], empty: str = "None.") -> str:
    if not rows:
        return empty + "\n"
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if row[key] is None else str(row[key]) for key in header) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_markdown(summary: dict[str, Any]) -> str:
    parts = [
        "# Build report\n",
        f"Built {summary['built_at']}.\n",
        "## Tables\n",
        _table([{"table": name, **shape} for name, shape in summary["tables"].items()]),
        "## Services per nation\n",
        _table([{"nation": nation, "services": count} for nation, count in summary["services_per_nation"].items()]),
        "## Coverage per year and metric, England\n",
        "`reported` counts reported, derived and corrected values (the ones aggregates use); `caveated` of them "
        "carry a caveat on their rate.\n\n",
        _table(summary["coverage"]),
        "## English services with no return, per year\n",
        _table(summary["no_return"]),
        f"## Series entered as quarterly totals ({len(summary['quarterly_totals'])})\n",
        _table(summary["quarterly_totals"]),
        "## What the rules did\n",
        "Values and services per rule and outcome. The value as returned is always kept beside the value used; "
        "`flagged` values are left out of every aggregate, `caveated` ones are counted.\n\n",
        _table(summary["rule_counts"]),
        f"\n### Every outcome ({len(summary['outcomes'])})\n",
        _table(summary["outcomes"]),
        "## Library network: Libraries Hacked's list against ACE's Libraries Location Dataset, 2023\n",
        "Libraries open at the end of 2023 by Libraries Hacked's list (kept by volunteers from public information) "
        "against the points ACE's dataset (returned by services) gives an operating model for in 2023: the 20 "
        "largest differences. ACE's dataset also lists mobile and prison libraries and archives, which the list "
        "mostly does not. The network table counts libraries open from the list, and statutory and "
        "operating-model counts from ACE.\n\n",
        _table(summary["network_differences"]),
        "\nPoints in ACE's and DCMS's files that no register service could be found for (by postcode or "
        "authority name):\n\n",
        _table(summary["network_unmatched"]),
        "## Service points\n",
        _table(summary["branches_per_nation"]),
        "\nAuthorities excluded (expected):\n\n",
        _table(summary["branches_excluded"]),
        f"\nExact duplicate source rows dropped: {summary['branches_duplicate_rows']}.\n",
        "\nOpening-hours cells that could not be read (week total left null):\n\n",
        _table(summary["branches_unparsed_hours"]),
        _audit_markdown(summary.get("audit_comparison")),
    ]
    return "\n".join(parts)


AUDIT_HEADING = "## Comparison with the Libraries Hacked audit\n"


def _cell(value: Any) -> str:
    """A Markdown table cell: counts with thousands separators, pipes and line breaks escaped."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _audit_examples(examples: list[dict[str, Any]]) -> str:
    rows = [
        {
            "service": _cell(example["service"]),
            "metric": _cell(example["metric"]),
            "our value": _cell(example["our_value"]),
            "our as returned": _cell(example["our_as_returned"]),
            "our status": _cell(example["our_status"])
            + (f" ({_cell(example['our_rule'])})" if example["our_rule"] else ""),
            "their value": _cell(example["their_value"]),
            "their estimate": _cell(example["their_estimated"]),
            "their status": _cell(example["their_status"]),
            "their note": _cell(example["their_note"]),
        }
        | ({"difference": f"{example['difference']:.1%}", "class": example["class"]} if "difference" in example else {})
        for example in examples
    ]
    return _table(rows)


def _audit_markdown(comparison: dict[str, Any] | None) -> str:
    """The audit section: outcome cross-tab, agreement per class, disagreement classes with examples."""
    if comparison is None:
        return AUDIT_HEADING + "\nNot compared in this build.\n"
    year = comparison["year"]
    verdicts = comparison["verdicts"]
    rate = comparison["agreement_rate"]
    parts = [
        AUDIT_HEADING,
        f"Libraries Hacked's audit of ACE's headline figures for {financial_year(year)}, set beside our "
        f"outcome for each of {comparison['services']} services x {len(comparison['metrics'])} headline metrics "
        f"({comparison['rows']} pairs). "
        "Their verdicts are reported here only; none is copied into our tables.\n\n"
        "Ours: `counted` (reported, derived or corrected), `counted_with_caveat`, `partial` and `flagged` (left out "
        "of aggregates), `no_return`. Theirs: `accepted` (blank status), `suspicious` (kept, with a note), "
        "`replaced` (their estimate used), `excluded`, `no_return` (blank). A pair agrees when both use the same "
        f"figure (within {comparison['tolerance']:.0%}) or none, and mark it the same way; `doubt_differs` is the "
        "same figure with one side doubting or changing it.\n\n"
        f"Agree {verdicts['agree']}, doubt differs {verdicts['doubt_differs']}, disagree {verdicts['disagree']}"
        + (f" (agreement {rate:.1%})" if rate is not None else "")
        + (
            f"; {comparison['missing_in_annual']} of their rows have no row in our annual table"
            if comparison["missing_in_annual"]
            else ""
        )
        + ".\n",
        "### Our outcome x their outcome, all headline metrics\n",
        _table(comparison["crosstab"]),
        "### Our outcome x their outcome, per metric\n",
        _table([row for row in comparison["crosstab_by_metric"] if row["ours"] != "total"]),
        "### Agreement per class\n",
        "`same_figure` counts pairs where both sides use the same figure (or none), whatever the marks.\n\n",
        _table(comparison["agreement"]),
        f"### Disagreements, by class ({len(comparison['disagreements'])} classes)\n",
        _table(
            [
                {
                    "class": group["class"],
                    "reason": _cell(group["reason"]),
                    "rows": group["rows"],
                    "doubt only": group["doubt_only"],
                    "metrics": ", ".join(f"{metric} {count}" for metric, count in group["by_metric"].items()),
                }
                for group in comparison["disagreements"]
            ]
        ),
    ]
    for group in comparison["disagreements"]:
        parts += [f"\n#### {group['reason']} ({group['rows']})\n", _audit_examples(group["examples"])]
    reading = comparison["reading_differences"]
    parts += [
        "\n### Reading differences\n",
        f"Of {reading['compared']} figures returned on both sides, {reading['count']} differ by more than "
        f"{comparison['tolerance']:.0%} as returned (before either side's corrections).\n\n",
        _table(
            [
                {"class": row["class"], "reason": _cell(row["reason"]), "rows": row["rows"]}
                for row in reading["by_reason"]
            ]
        ),
        "\nLargest relative differences:\n\n",
        _audit_examples(reading["examples"]),
    ]
    return "\n".join(parts)


def print_summary(summary: dict[str, Any]) -> None:
    """The short version for the terminal; the full report is in build_report.md."""
    print(f"\nBuilt {summary['built_at']} in {summary.get('build_seconds', '?')} s")
    for name, shape in summary["tables"].items():
        print(f"  {name:<10} {shape['rows']:>8,} rows")
    print("Coverage, England (counted of services):")
    for row in summary["coverage"]:
        print(f"  {financial_year(row['year'])} {row['metric']:<28} {row['reported']:>3} of {row['services']}")
    per_year = Counter(row["year"] for row in summary["no_return"])
    print("English services with no return: " + ", ".join(f"{year} {count}" for year, count in per_year.items()))
    print(f"Series entered as quarterly totals: {len(summary['quarterly_totals'])}")
    for row in summary["rule_counts"]:
        print(f"  {row['rule']:<28} {row['outcome']:<10} {row['values']:>4} values in {row['services']} services")
    for row in summary["branches_per_nation"]:
        print(f"  service points {row}")
    audit = summary.get("audit_comparison")
    if audit:
        verdicts = audit["verdicts"]
        print(
            f"Libraries Hacked audit {audit['year']}: agree {verdicts['agree']}, doubt differs "
            f"{verdicts['doubt_differs']}, disagree {verdicts['disagree']} of {audit['rows']}"
        )
