"""The build report: what the tables cover and what in them is missing, estimated or doubtful."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from observatory_data.build.branches import BranchesResult
from observatory_data.build.sources import Source
from observatory_data.catalogue import COUNTABLE

ACE_YEAR = 2023


def summarise(
    *,
    tables: dict[str, pl.DataFrame],
    flagged: pl.DataFrame,
    branches: BranchesResult,
    sources: list[Source],
    built_at: str,
) -> dict[str, Any]:
    """Everything the report says, as plain data (written as JSON and Markdown, and printed)."""
    services, annual, activity = tables["services"], tables["annual"], tables["activity"]
    english = services.filter(pl.col("nation") == "England")
    ace = annual.filter(pl.col("year") == ACE_YEAR)
    coverage = (
        ace.join(services.select("service_code", "nation"), on="service_code")
        .filter(pl.col("nation") == "England")
        .group_by("metric")
        .agg(
            reported=pl.col("status").is_in(COUNTABLE).sum(),
            partial=(pl.col("status") == "partial").sum(),
            flagged=(pl.col("status") == "flagged").sum(),
            no_return=(pl.col("status") == "no_return").sum(),
            services=pl.len(),
        )
        .sort("metric")
    )
    quarterly = quarterly_totals(activity).join(services.select("service_code", "service_name"), on="service_code")
    no_return = english.filter(~pl.col("has_activity_return")).select("service_code", "service_name")
    return {
        "built_at": built_at,
        "tables": {name: {"rows": frame.height, "columns": frame.width} for name, frame in tables.items()},
        "services_per_nation": dict(services.group_by("nation").len().sort("nation").iter_rows()),
        "coverage_2023": coverage.to_dicts(),
        "no_return": no_return.to_dicts(),
        "quarterly_totals": quarterly.to_dicts(),
        "flagged": flagged.to_dicts(),
        "branches_per_nation": branches.summary.to_dicts(),
        "branches_excluded": branches.excluded.to_dicts(),
        "branches_unparsed_hours": branches.unparsed_hours.to_dicts(),
        "branches_duplicate_rows": branches.duplicate_rows,
        "sources": [{"path": s.path, "publisher": s.publisher, "licence": s.licence, "url": s.url} for s in sources],
    }


def quarterly_totals(activity: pl.DataFrame) -> pl.DataFrame:
    """Per service and metric, how many values were entered as quarterly totals."""
    return (
        activity.filter(pl.col("status") == "quarterly_total")
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
        "## Coverage per metric, England, 2023/24\n",
        "`reported` counts reported and derived values (the ones aggregates use).\n\n",
        _table(summary["coverage_2023"]),
        f"## English services with no return ({len(summary['no_return'])})\n",
        _table(summary["no_return"]),
        f"## Series entered as quarterly totals ({len(summary['quarterly_totals'])})\n",
        _table(summary["quarterly_totals"]),
        f"## Values flagged by the plausibility rules ({len(summary['flagged'])})\n",
        "The original value is kept with status `flagged` and left out of every aggregate.\n\n",
        _table(summary["flagged"]),
        "## Service points\n",
        _table(summary["branches_per_nation"]),
        "\nAuthorities excluded (expected):\n\n",
        _table(summary["branches_excluded"]),
        f"\nExact duplicate source rows dropped: {summary['branches_duplicate_rows']}.\n",
        "\nOpening-hours cells that could not be read (week total left null):\n\n",
        _table(summary["branches_unparsed_hours"]),
    ]
    return "\n".join(parts)


def print_summary(summary: dict[str, Any]) -> None:
    """The short version for the terminal; the full report is in build_report.md."""
    print(f"\nBuilt {summary['built_at']} in {summary.get('build_seconds', '?')} s")
    for name, shape in summary["tables"].items():
        print(f"  {name:<10} {shape['rows']:>8,} rows")
    print("Coverage, England 2023/24 (reported of services):")
    for row in summary["coverage_2023"]:
        print(f"  {row['metric']:<28} {row['reported']:>3} of {row['services']}")
    print(f"English services with no return: {len(summary['no_return'])}")
    print(f"Series entered as quarterly totals: {len(summary['quarterly_totals'])}")
    print(f"Values flagged: {len(summary['flagged'])}")
    for row in summary["branches_per_nation"]:
        print(f"  service points {row}")
