"""Our outcomes beside the Libraries Hacked audit's, for the build report: nothing here changes a value or a status.

For each service and headline metric of one year, our class and theirs (audit_differences.py), a verdict (`agree`,
`doubt_differs` or `disagree`), the rule of ours behind our outcome (from the flags table), cross-tabs, agreement
rates and examples of each kind of disagreement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import polars as pl

from observatory_data.build.activity import SERIES_KEYS
from observatory_data.build.annual import metric_parts
from observatory_data.build.audit_differences import (
    OUR_CLASSES,
    THEIR_CLASSES,
    TOLERANCE,
    disagreement,
    line_sums,
    our_class,
    our_mark,
    reading_reason,
    same_figure,
    their_class,
    their_mark,
)
from observatory_data.build.audit_file import AUDIT_METRICS
from observatory_data.build.release_audit import RULE_OF_OUTCOME
from observatory_data.serving.catalogue import Outcome
from observatory_data.serving.periods import year_of_expr
from observatory_data.serving.rules import rule_words

EXAMPLES = 5
READING_EXAMPLES = 10
NOTE_CHARS = 160
# The outcomes of our rules that name the rule behind our outcome, in the order one is preferred to another.
NAMED_OUTCOMES = (Outcome.FLAGGED, Outcome.CORRECTED, Outcome.CAVEATED)
# The rules that apply the audit's own marks (release_audit.py) are their doubts taken up, not rules of ours.
THEIR_MARK_RULES = tuple(sorted(set(RULE_OF_OUTCOME.values())))
LINE_COLUMNS = [key for key in SERIES_KEYS if key != "service_code"]


def our_rules(flags: pl.DataFrame, year: int) -> dict[tuple[str, str], dict[str, str]]:
    """Per service and annual metric of `year`: the first rule of ours with each named outcome, from the flags table.

    A monthly line's outcome counts for each annual metric the line is a part of, in the order of the metric's parts
    and then of months; a whole-year outcome counts for its own metric, after the lines. A caveat comes only from
    the whole-year rules, the only ones that set the annual table's `caveat`. Whole-year and 31-March figures have no
    year in the flags table and are left out.
    """
    ours = flags.with_row_index("order").filter(
        pl.col("outcome").is_in(NAMED_OUTCOMES), ~pl.col("rule").is_in(THEIR_MARK_RULES)
    )
    lines = (
        ours.filter(
            pl.col("table") == "activity", pl.col("outcome") != Outcome.CAVEATED, year_of_expr(pl.col("period")) == year
        )
        .join(metric_parts(), on=LINE_COLUMNS, nulls_equal=True)
        .select("service_code", "outcome", "rule", "order", "part", "period", metric="composite", whole=pl.lit(False))
    )
    whole = ours.filter(pl.col("table") == "annual", pl.col("year") == year).select(
        "service_code", "outcome", "rule", "order", "metric", part=pl.lit(None, pl.Int64), whole=pl.lit(True)
    )
    first = (
        pl.concat([lines, whole], how="diagonal")
        .sort("whole", "part", "period", "order", nulls_last=True)
        .group_by("service_code", "metric", "outcome", maintain_order=True)
        .agg(pl.col("rule").first())
    )
    found: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for code, metric, outcome, rule in first.select("service_code", "metric", "outcome", "rule").iter_rows():
        found[(code, metric)][outcome] = rule
    return found


def _our_rule(rules: dict[str, str], caveat: str | None) -> str | None:
    """The words of the rule behind our outcome: a flag, else a correction, else the caveat we count it with."""
    rule = (
        rules.get(Outcome.FLAGGED) or rules.get(Outcome.CORRECTED) or (rules.get(Outcome.CAVEATED) if caveat else None)
    )
    return rule_words(rule) if rule else None


def _truncate(text: str | None, limit: int = NOTE_CHARS) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _example(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "service": row["service_name"],
        "metric": row["metric"],
        "our_value": row["our_value"],
        "our_as_returned": row["our_as_returned"],
        "our_status": row["status"] or "none",
        "our_rule": row["our_rule"],
        "their_value": row["their_as_returned"],
        "their_estimated": row["estimated"],
        "their_status": row["audit_status"] or ("blank" if row["their_as_returned"] is None else "accepted"),
        "their_note": _truncate(row["audit_notes"]),
    }


def _gap(row: dict[str, Any]) -> float:
    """How far apart the two sides' figures are, for ordering examples (largest first)."""
    ours = row["our_value"] if row["our_value"] is not None else row["our_as_returned"]
    theirs = row["their_figure"] if row["their_figure"] is not None else row["their_as_returned"]
    if ours is None or theirs is None:
        return -1.0
    return abs(ours - theirs)


def _crosstab(rows: list[dict[str, Any]], **extra: str) -> list[dict[str, Any]]:
    counts = Counter((row["ours"], row["theirs"]) for row in rows)
    table = []
    for ours in OUR_CLASSES:
        cells = {theirs: counts[(ours, theirs)] for theirs in THEIR_CLASSES}
        table.append({**extra, "ours": ours, **cells, "total": sum(cells.values())})
    totals = {theirs: sum(line[theirs] for line in table) for theirs in THEIR_CLASSES}
    table.append({**extra, "ours": "total", **totals, "total": len(rows)})
    return table


def _agreement(rows: list[dict[str, Any]], side: str, classes: tuple[str, ...]) -> list[dict[str, Any]]:
    result = []
    for name in classes:
        group = [row for row in rows if row[side] == name]
        if group:
            agree = sum(row["verdict"] == "agree" for row in group)
            same = sum(row["verdict"] != "disagree" for row in group)
            result.append(
                {
                    "side": side,
                    "class": name,
                    "rows": len(group),
                    "agree": agree,
                    "same_figure": same,
                    "agreement_rate": round(agree / len(group), 3),
                }
            )
    return result


def compare_with_audit(
    annual: pl.DataFrame,
    audit: pl.DataFrame,
    year: int,
    *,
    flags: pl.DataFrame,
    activity: pl.DataFrame | None = None,
) -> dict[str, Any]:
    """Our outcome beside theirs for each service x headline metric of one year, as plain data for the report.

    Each side has a class (audit_differences.py). Each pair is `agree` (the same figure used, or none on both
    sides, and the same doubt), `doubt_differs` (the same figure, but one side doubts it) or `disagree`. `flags`
    (the flags table) names the rule of ours behind our outcome.

    With `activity` (our monthly lines), a difference between the as-returned figures is also checked against
    groups of our own lines (e.g. their figure is the sum of the age lines where we use the total line).
    """
    theirs = audit.filter(pl.col("year") == year)
    ours = annual.filter(pl.col("year") == year, pl.col("metric").is_in(list(AUDIT_METRICS.values()))).select(
        "service_code",
        "metric",
        pl.col("value").alias("our_value_raw"),
        pl.col("value_as_returned").alias("our_as_returned"),
        "status",
        "months_covered",
        pl.col("note").alias("our_note"),
        "caveat",
        pl.col("source").alias("our_source"),
    )
    joined = theirs.rename({"value_as_returned": "their_as_returned"}).join(
        ours, on=["service_code", "metric"], how="left"
    )
    missing_in_annual = joined.filter(pl.col("status").is_null()).height
    sums = line_sums(activity, year) if activity is not None else {}
    rules = our_rules(flags, year)
    rows: list[dict[str, Any]] = []
    for row in joined.sort("service_name", "metric").iter_rows(named=True):
        row["line_sums"] = sums.get((row["service_code"], row["metric"], row["our_source"]))
        row["ours"] = our_class(row["status"], row["caveat"])
        row["theirs"] = their_class(row["audit_status"], row["their_as_returned"])
        row["our_value"] = row["our_value_raw"] if row["ours"] in ("counted", "counted_with_caveat") else None
        if row["theirs"] in ("accepted", "suspicious"):
            row["their_figure"] = row["their_as_returned"]
        elif row["theirs"] == "replaced":
            row["their_figure"] = row["estimated"] if row["estimated"] is not None else row["their_as_returned"]
        else:
            row["their_figure"] = None
        row["our_rule"] = _our_rule(rules.get((row["service_code"], row["metric"]), {}), row["caveat"])
        if not same_figure(row["our_value"], row["their_figure"]):
            row["verdict"] = "disagree"
        elif row["our_value"] is None:
            row["verdict"] = "agree"
        else:
            row["verdict"] = "agree" if our_mark(row) == their_mark(row) else "doubt_differs"
        rows.append(row)

    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["verdict"] != "agree":
            groups[disagreement(row)].append(row)
    disagreements = []
    for (key, reason), members in groups.items():
        verdicts = Counter(row["verdict"] for row in members)
        disagreements.append(
            {
                "class": key,
                "reason": reason,
                "ours": sorted({row["ours"] for row in members}),
                "theirs": sorted({row["theirs"] for row in members}),
                "rows": len(members),
                "doubt_only": verdicts["doubt_differs"],
                "by_metric": dict(sorted(Counter(row["metric"] for row in members).items())),
                "examples": [
                    _example(row) for row in sorted(members, key=lambda r: (-_gap(r), r["service_name"]))[:EXAMPLES]
                ],
            }
        )
    disagreements.sort(key=lambda group: (-group["rows"], group["class"], group["reason"]))

    both = [row for row in rows if row["our_as_returned"] is not None and row["their_as_returned"] is not None]
    differ = [row for row in both if not same_figure(row["our_as_returned"], row["their_as_returned"])]

    def relative(row: dict[str, Any]) -> float:
        a, b = row["our_as_returned"], row["their_as_returned"]
        return abs(a - b) / max(abs(a), abs(b))

    verdicts = Counter(row["verdict"] for row in rows)
    return {
        "year": year,
        "services": theirs["service_code"].n_unique(),
        "metrics": list(AUDIT_METRICS.values()),
        "rows": len(rows),
        "missing_in_annual": missing_in_annual,
        "tolerance": TOLERANCE,
        "verdicts": {name: verdicts[name] for name in ("agree", "doubt_differs", "disagree")},
        "agreement_rate": round(verdicts["agree"] / len(rows), 3) if rows else None,
        "crosstab": _crosstab(rows),
        "crosstab_by_metric": [
            line
            for metric in AUDIT_METRICS.values()
            for line in _crosstab([row for row in rows if row["metric"] == metric], metric=metric)
            if line["total"]
        ],
        "agreement": [
            *_agreement(rows, "ours", OUR_CLASSES),
            *_agreement(rows, "theirs", THEIR_CLASSES),
        ],
        "disagreements": disagreements,
        "reading_differences": {
            "compared": len(both),
            "count": len(differ),
            "by_metric": dict(sorted(Counter(row["metric"] for row in differ).items())),
            "by_reason": [
                {"class": key, "reason": reason, "rows": count}
                for (key, reason), count in Counter(reading_reason(row) for row in differ).most_common()
            ],
            "examples": [
                {**_example(row), "difference": round(relative(row), 3), "class": reading_reason(row)[0]}
                for row in sorted(differ, key=lambda r: (-relative(r), r["service_name"]))[:READING_EXAMPLES]
            ],
        },
    }
