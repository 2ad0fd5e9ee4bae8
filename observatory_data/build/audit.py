"""The Libraries Hacked audit of ACE's headline figures, read and set beside our own outcomes.

Libraries Hacked publish, per English library service and financial year, seven headline figures from ACE's
official-statistics release, each with their audit's verdict: blank (accepted as returned), `replaced` (their
`estimated` figure stands in), `excluded` (left out of their totals) or `suspicious` (kept, with a note).

This module reads that file into a long table and compares their verdicts with ours. The comparison is a
report only: nothing here changes a value or a status in our tables.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from observatory_data.build.codes import CodeChanges
from observatory_data.build.csvfile import read_text_csv
from observatory_data.serving.catalogue import AUDIT_STATUSES, COUNTABLE
from observatory_data.serving.errors import BuildError

AUDIT_SOURCE = "librarieshacked/activity-dataset/services.csv"
# Their headline column -> our metric id.
AUDIT_METRICS = {
    "Users": "active_users",
    "Events": "events",
    "Attendance": "event_attendance",
    "Loans": "loans",
    "Visits": "visits",
    "Computer hours": "pc_hours",
    "Wifi sessions": "wifi_sessions",
}
KEY_COLUMNS = ("Authority code", "Period")
PERIOD_PATTERN = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
AUDIT_SCHEMA = {
    "service_code": pl.String,
    "service_name": pl.String,
    "year": pl.Int32,
    "metric": pl.String,
    "value_as_returned": pl.Float64,
    "estimated": pl.Float64,
    "audit_status": pl.String,
    "audit_notes": pl.String,
}

# Outcome classes on each side of the comparison.
OUR_CLASSES = ("counted", "counted_with_caveat", "partial", "flagged", "no_return")
THEIR_CLASSES = ("accepted", "suspicious", "replaced", "excluded", "no_return")
# Two figures closer than this share of the larger are the same figure.
TOLERANCE = 0.01
EXAMPLES = 5
READING_EXAMPLES = 10
NOTE_CHARS = 160


def _columns_for(label: str) -> tuple[str, str, str, str]:
    return label, f"{label} estimated", f"{label} status", f"{label} notes"


def _blank(cell: str | None) -> bool:
    return cell is None or not cell.strip()


def _number(cell: str | None, *, where: str) -> float | None:
    """A count from a text cell: blank is None; text, a negative or a non-finite number is an error."""
    if _blank(cell):
        return None
    text = cell.strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        raise BuildError(f"{where}: not a number: {cell!r}") from None
    if not math.isfinite(value):
        raise BuildError(f"{where}: not a finite number: {cell!r}")
    if value < 0:
        raise BuildError(f"{where}: negative count {cell!r}")
    return value


def _year(cell: str | None, *, where: str) -> int:
    """The start year of a financial-year period written '2023/2024' (or '2023/24')."""
    match = PERIOD_PATTERN.match((cell or "").strip())
    if match is None:
        raise BuildError(f"{where}: not a financial year like '2023/2024': {cell!r}")
    start, end = int(match.group(1)), match.group(2)
    if int(end) % 100 != (start + 1) % 100 or (len(end) == 4 and int(end) != start + 1):
        raise BuildError(f"{where}: the period must span consecutive years: {cell!r}")
    return start


def read_audit(path: Path, register: pl.DataFrame, changes: CodeChanges | None = None) -> pl.DataFrame:
    """The audit file in long form: one row per service x year x headline metric, whatever periods it holds.

    `year` is the start of the financial year (2023 for 2023/2024); `value_as_returned` is their figure as
    published (null when blank), `estimated` their replacement figure, `audit_status` blank (null),
    replaced, excluded or suspicious, and `audit_notes` their note. Authority codes must be register codes
    (or, given `changes`, codes that map to one). Bad input is a BuildError naming the file, row and column.
    """
    table = read_text_csv(path)
    required = [*KEY_COLUMNS, *(column for label in AUDIT_METRICS for column in _columns_for(label))]
    missing = [column for column in required if column not in table.columns]
    if missing:
        listed = ", ".join(repr(column) for column in missing)
        raise BuildError(f"{path.name} row 1 (header): missing column{'s' if len(missing) > 1 else ''} {listed}")
    names = dict(register.select("service_code", "service_name").iter_rows())
    seen: dict[tuple[str, int], int] = {}
    records: list[dict[str, Any]] = []
    for line, row in enumerate(table.iter_rows(named=True), start=2):
        code = _service_code(
            row["Authority code"], names, changes, where=f"{path.name} row {line}, column 'Authority code'"
        )
        year = _year(row["Period"], where=f"{path.name} row {line}, column 'Period'")
        if (code, year) in seen:
            raise BuildError(
                f"{path.name} row {line}, columns 'Authority code' and 'Period': {code} {row['Period']} "
                f"duplicates row {seen[(code, year)]}"
            )
        seen[(code, year)] = line
        for label, metric in AUDIT_METRICS.items():
            value_column, estimated_column, status_column, notes_column = _columns_for(label)
            status = None if _blank(row[status_column]) else row[status_column].strip().lower()
            if status is not None and status not in AUDIT_STATUSES:
                raise BuildError(
                    f"{path.name} row {line}, column {status_column!r}: unknown status {row[status_column]!r} "
                    f"(expected blank or one of {', '.join(AUDIT_STATUSES)})"
                )
            records.append(
                {
                    "service_code": code,
                    "service_name": names[code],
                    "year": year,
                    "metric": metric,
                    "value_as_returned": _number(
                        row[value_column], where=f"{path.name} row {line}, column {value_column!r}"
                    ),
                    "estimated": _number(
                        row[estimated_column], where=f"{path.name} row {line}, column {estimated_column!r}"
                    ),
                    "audit_status": status,
                    "audit_notes": None if _blank(row[notes_column]) else row[notes_column].strip(),
                }
            )
    return pl.DataFrame(records, schema=AUDIT_SCHEMA, orient="row").sort("service_code", "year", "metric")


def _service_code(cell: str | None, names: dict[str, str], changes: CodeChanges | None, *, where: str) -> str:
    if _blank(cell):
        raise BuildError(f"{where}: blank authority code")
    code = cell.strip()
    if code not in names and changes is not None:
        code = changes.remap_one(code, where=where)
    if code not in names:
        raise BuildError(f"{where}: unknown authority code {cell.strip()!r}: not a library service in the register")
    return code


# ---------------------------------------------------------------------------------------------------------------
# Comparison


def _our_class(status: str | None, caveat: str | None) -> str:
    if status in COUNTABLE:
        return "counted_with_caveat" if caveat else "counted"
    if status in ("partial", "flagged"):
        return status
    return "no_return"


def _their_class(status: str | None, value: float | None) -> str:
    if status is not None:
        return status
    return "no_return" if value is None else "accepted"


def _our_mark(row: dict[str, Any]) -> str | None:
    """What we did to a counted value: corrected it, counted it with a caveat, or neither."""
    if row["status"] == "corrected":
        return "changed"
    return "doubted" if row["ours"] == "counted_with_caveat" else None


def _their_mark(row: dict[str, Any]) -> str | None:
    """What they did to a kept value: replaced it, called it suspicious, or neither."""
    return {"replaced": "changed", "suspicious": "doubted"}.get(row["theirs"])


def _same(a: float | None, b: float | None) -> bool:
    """Both null, or within TOLERANCE of the larger."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def _our_rule(note: str | None, caveat: str | None) -> str | None:
    """The rule our note names ('month out of line', 'decimal slip', ...) or the caveat's lead phrase."""
    if note:
        found = re.search(r"flagged(?: values)?: ([^:;]+):", note)
        if found:
            return found.group(1).strip()
        corrected = re.search(r"(?:^|; )([^:;]+): [^:]*?corrected to", note)
        if corrected:
            return corrected.group(1).strip()
    if caveat:
        return caveat.split(":", 1)[0].strip()
    return None


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


def _line_sums(activity: pl.DataFrame, year: int) -> dict[tuple[str, str, str], dict[str, float]]:
    """Per service, metric and source: the year's as-returned sums of groups of our lines that their figure
    may be: the age or category lines (physical, or all modes) and each mode's or location's lines alone."""
    lines = (
        activity.filter(
            pl.col("metric").is_in(list(AUDIT_METRICS.values())),
            pl.col("value_as_returned").is_not_null(),
            (pl.col("period").dt.year() - (pl.col("period").dt.month() < 4).cast(pl.Int32)) == year,
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
        if theirs is None or not _same(theirs, value) or _same(ours, value):
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


def _reading_reason(row: dict[str, Any]) -> tuple[str, str]:
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


def _disagreement(row: dict[str, Any]) -> tuple[str, str]:
    """A class id and a plain reason for a row where our outcome and theirs differ."""
    ours, theirs = row["ours"], row["theirs"]
    rule = row["our_rule"] or "one of our plausibility rules"
    their_reason = _their_reason(row["audit_notes"])
    if ours == "no_return" and row["their_as_returned"]:
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
    if counted and theirs in ("accepted", "suspicious") and not _same(row["our_value"], row["their_figure"]):
        if _same(row["our_as_returned"], row["their_as_returned"]):
            return (
                "we_correct_they_keep",
                f"we correct a value they keep as returned: our rule '{rule}'; {their_reason}",
            )
        return _reading_reason(row)
    if counted and theirs == "replaced":
        if _same(row["our_value"], row["their_figure"]):
            return (
                "they_replace_same_figure",
                f"they replace the published figure with an estimate equal to the figure we count: {their_reason}",
            )
        if row["status"] == "corrected":
            return (
                "both_correct_differently",
                f"both correct it, to different figures: our rule '{rule}'; {their_reason}",
            )
        return "they_replace_we_keep", f"they replace a value we keep: {their_reason}"
    if counted and theirs == "excluded":
        return "they_exclude_we_keep", f"they exclude a value we keep: {their_reason}"
    if ours == "flagged" and theirs == "accepted":
        return "we_flag_they_accept", f"we flag a value they accept as returned: our rule '{rule}'"
    if ours == "flagged" and theirs == "suspicious":
        return (
            "both_doubt_we_leave_out",
            f"both doubt it; we leave it out, they keep it pending confirmation: our rule '{rule}'; {their_reason}",
        )
    if ours == "flagged" and theirs == "replaced":
        return (
            "both_doubt_they_replace",
            f"both find an error; we leave the year out, they put in their estimate: our rule '{rule}'; {their_reason}",
        )
    if ours == "partial" and theirs in ("accepted", "suspicious", "replaced"):
        incomplete = "months missing" if (row["months_covered"] or 12) < 12 else "a required line left blank"
        return "we_partial_they_keep", f"we leave out an incomplete year ({incomplete}); they keep a figure"
    if ours == "counted" and theirs == "suspicious":
        return "they_doubt_we_count", f"they doubt a value we count without caveat: {their_reason}"
    if ours == "counted_with_caveat" and theirs == "accepted":
        return "we_caveat_they_accept", f"we count it with a caveat ('{rule}'); they accept it as returned"
    return "other", f"our outcome '{ours}', theirs '{theirs}'"


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
    annual: pl.DataFrame, audit: pl.DataFrame, year: int, *, activity: pl.DataFrame | None = None
) -> dict[str, Any]:
    """Our outcome beside theirs for each service x headline metric of one year, as plain data for the report.

    Ours: `counted` (status reported, derived or corrected), `counted_with_caveat` (the same with a caveat),
    `partial`, `flagged` (both left out of aggregates) or `no_return`. Theirs: `accepted` (blank status, a
    figure), `suspicious` (kept as returned, with a note), `replaced` (their `estimated` figure used),
    `excluded`, or `no_return` (blank). Each pair is `agree` (the same figure used, or none on both sides, and
    the same doubt), `doubt_differs` (the same figure, but one side doubts it) or `disagree`.

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
    sums = _line_sums(activity, year) if activity is not None else {}
    rows: list[dict[str, Any]] = []
    for row in joined.sort("service_name", "metric").iter_rows(named=True):
        row["line_sums"] = sums.get((row["service_code"], row["metric"], row["our_source"]))
        row["ours"] = _our_class(row["status"], row["caveat"])
        row["theirs"] = _their_class(row["audit_status"], row["their_as_returned"])
        row["our_value"] = row["our_value_raw"] if row["ours"] in ("counted", "counted_with_caveat") else None
        if row["theirs"] in ("accepted", "suspicious"):
            row["their_figure"] = row["their_as_returned"]
        elif row["theirs"] == "replaced":
            row["their_figure"] = row["estimated"] if row["estimated"] is not None else row["their_as_returned"]
        else:
            row["their_figure"] = None
        row["our_rule"] = _our_rule(row["our_note"], row["caveat"])
        if not _same(row["our_value"], row["their_figure"]):
            row["verdict"] = "disagree"
        elif row["our_value"] is None:
            row["verdict"] = "agree"
        else:
            row["verdict"] = "agree" if _our_mark(row) == _their_mark(row) else "doubt_differs"
        rows.append(row)

    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["verdict"] != "agree":
            groups[_disagreement(row)].append(row)
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
    differ = [row for row in both if not _same(row["our_as_returned"], row["their_as_returned"])]

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
                for (key, reason), count in Counter(_reading_reason(row) for row in differ).most_common()
            ],
            "examples": [
                {**_example(row), "difference": round(relative(row), 3), "class": _reading_reason(row)[0]}
                for row in sorted(differ, key=lambda r: (-relative(r), r["service_name"]))[:READING_EXAMPLES]
            ],
        },
    }
