"""The Libraries Hacked audit file (their `services.csv`) read into a long table.

Libraries Hacked publish, per English library service and financial year, seven headline figures from ACE's
official-statistics release, each with their audit's verdict: blank (accepted as returned), `replaced` (their
`estimated` figure stands in), `excluded` (left out of their totals) or `suspicious` (kept, with a note).
audit_comparison.py sets their verdicts beside our outcomes; release_audit.py takes their marks as evidence.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import polars as pl

from observatory_data.build.codes import CodeChanges
from observatory_data.build.csvfile import read_text_csv
from observatory_data.serving.catalogue import AUDIT_STATUSES
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
