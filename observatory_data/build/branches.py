"""The `branches` table: every library service point of the register's services, for the map and for counts.

Libraries Hacked's public library database is the list (it has no coordinates). Points are placed by
postcode from the 2016 DCMS basic dataset. ACE's 2023 location dataset only fills staffed hours for open
English branches whose opening times the list leaves blank; it never adds a branch. Authorities outside
the register (Scottish councils) are reported as expected exclusions, anything else unknown stops the build.

A point's service is the list's `Local authority`, except where ACE's dataset has the same point (same postcode,
same name) returned by another English service: the service returns its own points, the volunteers' field can
slip (Dalston Library Link, near Carlisle, is listed under Westmorland and Furness; Cumberland returns it).
Each such point is kept in `reassigned` with the authority the list gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from observatory_data.build.codes import non_service_reason
from observatory_data.build.csvfile import read_text_csv
from observatory_data.build.names import name_key
from observatory_data.build.register import ServiceMatcher
from observatory_data.serving.catalogue import ENGLAND
from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import polars_schema

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STAFFED_COLUMNS = tuple(f"{day} staffed hours" for day in DAYS)
UNSTAFFED_COLUMNS = tuple(f"{day} unstaffed hours" for day in DAYS)
# Libraries Hacked's type codes (DCMS basic dataset codes). Labels for LAL, CL, CRL and ICL follow
# Libraries Hacked's own map legend; LAL- has no published label: its 33 rows are library links,
# micro, satellite and neighbourhood-collection points run by the council, hence "reduced offer".
TYPE_LABELS = {
    "LAL": "Local authority run library",
    "LAL-": "Local authority run library point with a reduced offer (link, micro or satellite library)",
    "CL": "Commissioned library (run for the council by another organisation)",
    "CRL": "Community run library (with council support)",
    "ICL": "Independent community library",
}
STATUTORY = {"Yes": True, "No": False}
LOCATION_SOURCE = "2016 postcode match"
HOURS_FROM_LIST = "Libraries Hacked opening times"
HOURS_FROM_ACE = "ACE 2023 staffed hours"
_RANGE = re.compile(r"^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
Row = dict[str, Any]
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")

SCHEMA = polars_schema("branches")


@dataclass(frozen=True)
class BranchesResult:
    """The table plus what the build report needs: exclusions, per-nation counts and unreadable hours."""

    table: pl.DataFrame
    excluded: pl.DataFrame  # authority, rows, reason
    summary: pl.DataFrame  # per nation: branches, open, closed, without_coordinates, open_without_coordinates
    unparsed_hours: pl.DataFrame  # row, name, column, text: cells left out (their week total is null)
    duplicate_rows: int  # source rows identical to an earlier one once cleaned, dropped
    reassigned: pl.DataFrame | None = None  # name, postcode, listed_authority, service_code: see the module notes


def parse_weekly_hours(ranges: list[str | None]) -> float | None:
    """Hours in a week of day ranges like "09:00-19:00" or "10:00-13:00,14:00-17:00"; None when all are blank.

    A range must end after it starts: in the real file the only ranges ending at or before their start
    ("10:00-00:00", "07:00-02:00") are typing slips, so they are refused rather than read as overnight.
    """
    total = None
    for text in ranges:
        if text is None or not text.strip():
            continue
        for part in text.split(","):
            match = _RANGE.match(part.strip())
            if match is None:
                raise ValueError(f"not a time range: {text!r}")
            start_h, start_m, end_h, end_m = (int(value) for value in match.groups())
            if start_h > 23 or end_h > 24 or start_m > 59 or end_m > 59 or (end_h == 24 and end_m):
                raise ValueError(f"not a time of day: {text!r}")
            minutes = (end_h * 60 + end_m) - (start_h * 60 + start_m)
            if minutes <= 0:
                raise ValueError(f"range ends before it starts: {text!r}")
            total = (total or 0.0) + minutes / 60
    return total


def normalise_postcode(postcode: str | None) -> str | None:
    """The join key for postcodes: upper case without spaces ("IG11 7NB" and "ig117nb" meet)."""
    if postcode is None:
        return None
    key = re.sub(r"[^A-Z0-9]", "", postcode.upper())
    return key or None


def build_branches(
    libraries_path: Path,
    england_2016_path: Path,
    ace_2023_path: Path,
    authorities_path: Path,
    register: pl.DataFrame,
) -> BranchesResult:
    """One row per service point of a register service, placed by postcode where the 2016 file knows it."""
    libraries = read_text_csv(libraries_path)
    matcher = ServiceMatcher(register)
    expected = _expected_exclusions(authorities_path)
    locations = _by_postcode(_read_locations(england_2016_path), "postcode")
    ace_hours = _by_postcode(read_text_csv(ace_2023_path), "postcode")
    nations = dict(register.select("service_code", "nation").iter_rows())

    rows: list[dict[str, object]] = []
    excluded: dict[str, str] = {}
    excluded_rows: dict[str, int] = {}
    unparsed: list[dict[str, object]] = []
    reassigned: list[dict[str, object]] = []
    for line, row in enumerate(libraries.iter_rows(named=True), start=2):
        where = f"{libraries_path.name} row {line}"
        authority = _required(row, "Local authority", where)
        code = matcher.code_for(authority)
        if code is None:
            reason = expected.get(name_key(authority))
            if reason is None:
                raise BuildError(
                    f"{where}, column Local authority: {authority!r} is neither a register service "
                    "nor a known authority outside the coverage; add it to the register's aliases"
                )
            excluded[authority] = reason
            excluded_rows[authority] = excluded_rows.get(authority, 0) + 1
            continue
        name = _required(row, "Library name", where)
        postcode_key = normalise_postcode(row["Postcode"])
        returned_by = _returning_service(ace_hours.get(postcode_key or "", []), name, matcher)
        if returned_by not in (None, code) and nations[code] == nations.get(returned_by) == ENGLAND:
            reassigned.append({"name": name, "postcode": row["Postcode"], "listed_authority": authority,
                               "service_code": returned_by})  # fmt: skip
            code = returned_by
        year_closed = _year(row, "Year closed", where)
        staffed = _week_hours(row, STAFFED_COLUMNS, line, unparsed)
        unstaffed = _week_hours(row, UNSTAFFED_COLUMNS, line, unparsed)
        staffed_source = HOURS_FROM_LIST if staffed is not None else None
        staffed_cells_blank = all(_clean(row[column]) is None for column in STAFFED_COLUMNS)
        if staffed_cells_blank and year_closed is None and nations[code] == ENGLAND:
            staffed = _ace_staffed_hours(ace_hours.get(postcode_key, []), name)
            staffed_source = HOURS_FROM_ACE if staffed is not None else None
        location = _pick(locations.get(postcode_key, []), name)
        type_code = _clean(row["Type of library"])
        if type_code is not None and type_code not in TYPE_LABELS:
            raise BuildError(f"{where}, column Type of library: unknown type {type_code!r}")
        rows.append(
            {
                "name": name,
                "service_code": code,
                "postcode": (_clean(row["Postcode"]) or "").upper() or None,
                "postcode_key": postcode_key,
                "address": ", ".join(filter(None, (_clean(row[f"Address {n}"]) for n in (1, 2, 3)))) or None,
                "statutory": _statutory(row, where),
                "type": type_code,
                "type_label": TYPE_LABELS.get(type_code) if type_code else None,
                "status": "open" if year_closed is None else "closed",
                "year_opened": _year(row, "Year opened", where),
                "year_closed": year_closed,
                "staffed_hours_week": staffed,
                "unstaffed_hours_week": unstaffed,
                "staffed_hours_source": staffed_source,
                "lat": location["lat"] if location else None,
                "lon": location["lng"] if location else None,
                "location_source": LOCATION_SOURCE if location else None,
            }
        )
    listed = pl.DataFrame(rows, schema={**SCHEMA, "postcode_key": pl.String})
    table = _with_branch_ids(listed.unique(maintain_order=True))
    return BranchesResult(
        table=table,
        excluded=pl.DataFrame(
            [{"authority": a, "rows": excluded_rows[a], "reason": excluded[a]} for a in sorted(excluded)],
            schema={"authority": pl.String, "rows": pl.Int64, "reason": pl.String},
        ),
        summary=_summary(table, register),
        duplicate_rows=listed.height - table.height,
        reassigned=pl.DataFrame(
            reassigned,
            schema={"name": pl.String, "postcode": pl.String, "listed_authority": pl.String, "service_code": pl.String},
        ),
        unparsed_hours=pl.DataFrame(
            unparsed, schema={"row": pl.Int64, "name": pl.String, "column": pl.String, "text": pl.String}
        ),
    )


def _read_locations(path: Path) -> pl.DataFrame:
    """The 2016 rows that have coordinates, as numbers; text that is not a number stops the build."""
    table = read_text_csv(path).with_row_index("line", offset=2)
    for column in ("lat", "lng"):
        as_number = pl.col(column).str.strip_chars().cast(pl.Float64, strict=False)
        bad = table.filter(pl.col(column).str.strip_chars().ne("") & as_number.is_null())
        if bad.height:
            line, value = bad.row(0, named=True)["line"], bad.row(0, named=True)[column]
            raise BuildError(f"{path.name} row {line}, column {column}: not a number: {value!r}")
        table = table.with_columns(as_number.alias(column))
    return table.filter(pl.col("lat").is_not_null() & pl.col("lng").is_not_null())


def _clean(value: str | None) -> str | None:
    """Text without invisible characters or doubled spaces (one source row differs only by a zero-width space)."""
    if value is None:
        return None
    return " ".join(_INVISIBLE.sub("", value).split()) or None


def _required(row: dict[str, str | None], column: str, where: str) -> str:
    value = _clean(row[column])
    if value is None:
        raise BuildError(f"{where}, column {column}: blank")
    return value


def _year(row: dict[str, str | None], column: str, where: str) -> int | None:
    value = _clean(row[column])
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise BuildError(f"{where}, column {column}: not a year: {value!r}")
    return int(value)


def _statutory(row: dict[str, str | None], where: str) -> bool | None:
    value = _clean(row["Statutory"])
    if value is not None and value not in STATUTORY:
        raise BuildError(f"{where}, column Statutory: expected Yes or No, got {value!r}")
    return STATUTORY.get(value) if value else None


def _week_hours(
    row: dict[str, str | None], columns: tuple[str, ...], line: int, unparsed: list[dict[str, object]]
) -> float | None:
    """The week's total, or None with the unreadable cells noted: a partial week would understate it."""
    cells = [row[column] for column in columns]
    try:
        return parse_weekly_hours(cells)
    except ValueError:
        for column, text in zip(columns, cells, strict=True):
            try:
                parse_weekly_hours([text])
            except ValueError:
                unparsed.append({"row": line, "name": row["Library name"], "column": column, "text": text})
        return None


def _expected_exclusions(authorities_path: Path) -> dict[str, str]:
    """Name keys of authorities that are known but not covered (Scottish councils), with the reason."""
    expected: dict[str, str] = {}
    for row in read_text_csv(authorities_path).iter_rows(named=True):
        reason = non_service_reason(row["gss-code"] or "")
        if reason is None:
            continue
        names = [row["official-name"], row["nice-name"], *(row["alt-names"] or "").split(",")]
        for key in {name_key(name) for name in names if name}:
            if key:
                expected[key] = f"expected: {reason}"
    return expected


def _by_postcode(table: pl.DataFrame, column: str) -> dict[str, list[Row]]:
    """Rows grouped by normalised postcode, in file order (so "the first" is well defined)."""
    grouped: dict[str, list[Row]] = {}
    for row in table.iter_rows(named=True):
        key = normalise_postcode(row[column])
        if key:
            grouped.setdefault(key, []).append(row)
    return grouped


def _branch_key(name: str) -> str:
    """A loose key for branch names: "Aston Library" and "Aston" are the same branch."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split()
    return " ".join(word for word in words if word not in {"library", "libraries", "the"})


def _pick(candidates: list[Row], name: str) -> Row | None:
    """Of several rows at one postcode, the one with the same name, else the first in the file."""
    for candidate in candidates:
        if _branch_key(candidate["name"] or "") == _branch_key(name):
            return candidate
    return candidates[0] if candidates else None


def _ace_staffed_hours(candidates: list[Row], name: str) -> float | None:
    """ACE's weekly staffed hours for a branch: the same-named row at its postcode, or the only row there."""
    named = [c for c in candidates if _branch_key(c["name"] or "") == _branch_key(name)]
    chosen = named[0] if named else (candidates[0] if len(candidates) == 1 else None)
    value = (chosen or {}).get("staffed_hours") or ""
    return float(value) if _NUMBER.match(value.strip()) else None


def _returning_service(candidates: list[Row], name: str, matcher: ServiceMatcher) -> str | None:
    """The service that returned this point to ACE: the same-named rows at its postcode, if they agree."""
    named = {
        matcher.code_for(c.get("reporting") or "")
        for c in candidates
        if _branch_key(c["name"] or "") == _branch_key(name)
    }
    return named.pop() if len(named) == 1 else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _with_branch_ids(table: pl.DataFrame) -> pl.DataFrame:
    """service_code + name slug; a name used twice in a service adds the postcode, then the closing year."""
    base = pl.col("service_code") + "-" + pl.col("name").map_elements(_slug, return_dtype=pl.String)
    with_postcode = base + "-" + pl.col("postcode_key").fill_null("nopostcode").str.to_lowercase()
    with_year = with_postcode + "-" + pl.col("year_closed").cast(pl.String).fill_null("open")
    table = table.with_columns(branch_id=base, with_postcode=with_postcode, with_year=with_year)
    table = table.with_columns(
        branch_id=pl.when(pl.col("branch_id").is_duplicated()).then("with_postcode").otherwise("branch_id")
    ).with_columns(branch_id=pl.when(pl.col("branch_id").is_duplicated()).then("with_year").otherwise("branch_id"))
    duplicated = table.filter(pl.col("branch_id").is_duplicated())["branch_id"].unique().to_list()
    if duplicated:
        raise BuildError(f"branches: several rows share the same name, postcode and closing year: {duplicated}")
    return table.select(list(SCHEMA)).sort("service_code", "name", "branch_id")


def _summary(table: pl.DataFrame, register: pl.DataFrame) -> pl.DataFrame:
    """Counts per nation for the build report; open branches without coordinates are the map's gaps."""
    is_open = pl.col("status") == "open"
    no_location = pl.col("lat").is_null()
    return (
        table.join(register.select("service_code", "nation"), on="service_code", how="left")
        .group_by("nation")
        .agg(
            branches=pl.len(),
            open=is_open.sum(),
            closed=(~is_open).sum(),
            without_coordinates=no_location.sum(),
            open_without_coordinates=(is_open & no_location).sum(),
            open_without_staffed_hours=(is_open & pl.col("staffed_hours_week").is_null()).sum(),
        )
        .sort("nation")
    )
