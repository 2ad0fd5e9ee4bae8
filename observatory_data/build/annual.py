"""The `annual` table: one row per register service x metric x financial year, with status and coverage.

Annual value = the sum of the 12 months, or of the 4 quarterly totals, or the year figure entered in
March (see activity.py). A series with fewer months is `partial`: its value is the sum of what was
returned, `months_covered` says how much, and aggregates leave it out. A year containing a flagged
value is `flagged` (value kept as returned, left out of aggregates).

Metrics made of several ACE lines (e.g. `loans` = physical books + physical audiobooks + eBooks +
eAudio) never treat a blank line as zero silently. Each part is either
- required: the metric means little without it; if it is blank the value is the sum of the other
  parts, status `partial`, and the note names the missing part. eBooks and eAudio are required in
  `loans`: every English service lends them, so a blank means "not counted" (often a consortium
  member without service-level figures), not "none";
- optional: a blank may well mean "none" (no co-located sites, no digital events, no audio CDs, no
  age breakdown for eBooks); the value is the sum of the returned parts, status `derived`, and the
  note names what is not included.
A part with only some months makes the metric `partial`; a flagged part makes it `flagged`.
`note` always says what the value includes.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.build.ace_headers import Series
from observatory_data.build.activity import SERIES_KEYS, workbook_source
from observatory_data.serving.catalogue import ENGLAND, ActivityStatus, Status
from observatory_data.serving.errors import BuildError
from observatory_data.serving.periods import financial_year
from observatory_data.serving.schema import polars_schema


@dataclass(frozen=True)
class Part:
    """One ACE line in a metric, and whether the metric is incomplete without it."""

    label: str
    series: Series
    required: bool = True


def _loans(item_format: str, age: str, label: str, required: bool = True) -> Part:
    mode = "digital" if item_format in ("ebook", "eaudio") else "physical"
    return Part(label, Series("loans", mode=mode, format=item_format, content_age=age), required)


def _user_series(metric: str, mode: str, age: str, label: str, required: bool = True) -> Part:
    return Part(label, Series(metric, mode=mode, user_age=age), required)


BOOKS = _loans("physical_book", "total", "physical books")
AUDIO = _loans("physical_audiobook", "total", "physical audiobooks", required=False)
EBOOKS = _loans("ebook", "total", "eBooks")
EAUDIO = _loans("eaudio", "total", "eAudio")
PHYSICAL_EVENTS = _user_series("events", "physical", "total", "physical events")
DIGITAL_EVENTS = _user_series("events", "digital", "total", "digital events")
PHYSICAL_ATTENDANCE = _user_series("event_attendance", "physical", "total", "attendance at physical events")


BUILDING_VISITS = (
    Part("visits to library-only sites", Series("visits", mode="physical", location="library_only"), False),
    Part("visits to co-located sites", Series("visits", mode="physical", location="co_located"), False),
)
# ACE's official statistics count visits as buildings + mobile libraries + home delivery (the release file's
# 2023/24 `Visits` is exactly that sum of the workbook's lines for every service): one definition in every year.
OUTREACH = (
    Part("mobile library interactions", Series("mobile_library"), False),
    Part("home delivery interactions", Series("home_delivery"), False),
)


def _by_content_age(age: str, who: str) -> tuple[Part, ...]:
    return (
        _loans("physical_book", age, f"{who} physical books"),
        _loans("physical_audiobook", age, f"{who} physical audiobooks", required=False),
        _loans("ebook", age, f"{who} eBooks", required=False),
        _loans("eaudio", age, f"{who} eAudio", required=False),
    )


def _single(metric: str, label: str) -> tuple[Part, ...]:
    return (Part(label, Series(metric)),)


MONTHLY_METRICS: dict[str, tuple[Part, ...]] = {
    "loans": (BOOKS, AUDIO, EBOOKS, EAUDIO),
    "physical_book_loans": (BOOKS,),
    "audiobook_loans": (AUDIO, EAUDIO),
    "ebook_loans": (EBOOKS,),
    "eaudio_loans": (EAUDIO,),
    "digital_loans": (EBOOKS, EAUDIO),
    "children_loans": _by_content_age("child", "children's"),
    "young_people_loans": _by_content_age("young_person", "young people's"),
    "visits": (*BUILDING_VISITS, *OUTREACH),
    "building_visits": BUILDING_VISITS,
    "events": (PHYSICAL_EVENTS, _user_series("events", "digital", "total", "digital events", required=False)),
    "physical_events": (PHYSICAL_EVENTS,),
    "digital_events": (DIGITAL_EVENTS,),
    "event_attendance": (
        PHYSICAL_ATTENDANCE,
        _user_series("event_attendance", "digital", "total", "attendance at digital events", required=False),
    ),
    "children_event_attendance": (
        _user_series("event_attendance", "physical", "child", "children at physical events"),
        _user_series("event_attendance", "digital", "child", "children at digital events", required=False),
    ),
    "pc_hours": _single("pc_hours", "hours of public PC and device use"),
    "wifi_sessions": _single("wifi_sessions", "wifi sessions"),
    "home_delivery": _single("home_delivery", "home delivery interactions"),
    "mobile_library": _single("mobile_library", "mobile library interactions"),
    "click_and_collect": _single("click_and_collect", "click and collect interactions"),
}
# Whole-year and 31-March figures: metric -> (point_in_time metric, user_age, covers the year).
POINT_METRICS: dict[str, tuple[str, str | None, bool]] = {
    "active_users": ("active_users", "total", True),
    "active_users_children": ("active_users", "child", True),
    "active_users_young_people": ("active_users", "young_person", True),
    "pcs_in_service": ("pcs_in_service", None, False),
    "devices_for_loan": ("devices_for_loan", None, False),
    "device_loans": ("device_loans", None, False),
}
NO_DATA_REASONS = {
    "home_delivery": "no_data_reason_lending",
    "mobile_library": "no_data_reason_lending",
    "click_and_collect": "no_data_reason_lending",
    "wifi_sessions": "no_data_reason_wifi",
}
ANNUAL_SCHEMA = polars_schema("annual")
# Set by the audit step (build/release_audit.py) after the years are combined; null until then.
AUDIT_COLUMNS = ("audit_status", "audit_estimate", "audit_note", "audit_outcome")
COVERED_NATION = ENGLAND
SHAPES = {1: "monthly figures", 3: "quarterly totals", 12: "one year figure entered in March"}


@dataclass(frozen=True)
class _SeriesYear:
    value: float | None
    value_as_returned: float | None
    months: int
    shapes: frozenset[str]
    flag_reasons: tuple[str, ...]
    corrections: tuple[str, ...]


def metric_parts() -> pl.DataFrame:
    """One row per metric made of ACE lines and per part, in the metric's order: `composite` (the metric id), `part`
    (the part's position) and the part's series columns."""
    keys = [key for key in SERIES_KEYS if key != "service_code"]
    rows = [
        {"composite": metric, "part": index, **{key: getattr(part.series, key) for key in keys}}
        for metric, parts in MONTHLY_METRICS.items()
        for index, part in enumerate(parts)
    ]
    return pl.DataFrame(rows, schema={"composite": pl.String, "part": pl.Int64, **dict.fromkeys(keys, pl.String)})


def annual_metric_ids() -> list[str]:
    """Every metric id the annual table holds for ACE years."""
    return [*MONTHLY_METRICS, *POINT_METRICS]


def build_annual(
    activity: pl.DataFrame, point_in_time: pl.DataFrame, register: pl.DataFrame, year: int
) -> pl.DataFrame:
    """One monthly workbook's financial year for every register service and ACE metric."""
    source = workbook_source(year)
    ace = activity.filter(pl.col("source") == source)
    series = _series_years(ace)
    points = {(r["service_code"], r["metric"], r["user_age"]): r for r in point_in_time.iter_rows(named=True)}
    returned = set(point_in_time["service_code"].to_list()) | set(ace["service_code"].to_list())
    records = []
    for service in register.iter_rows(named=True):
        code = service["service_code"]
        for metric in annual_metric_ids():
            if service["nation"] != COVERED_NATION:
                row = _blank(Status.NOT_COLLECTED, f"ACE collects activity for England only ({service['nation']})")
            elif code not in returned:
                row = _blank(Status.NO_RETURN, f"no ACE return for {financial_year(year)}")
            elif metric in MONTHLY_METRICS:
                row = _compose(MONTHLY_METRICS[metric], series.get(code, {}))
                if row["status"] == Status.NO_RETURN and metric in NO_DATA_REASONS:
                    reason = points.get((code, NO_DATA_REASONS[metric], None), {}).get("text")
                    if reason:
                        row["note"] += f"; the service's comment: {reason!r}"
            else:
                spec = POINT_METRICS[metric]
                row = _point_year(points.get((code, *spec[:2])), spec[2], year)
            records.append(
                {"service_code": code, "year": year, "metric": metric, "source": source, "caveat": None, **row}
            )
    return pl.DataFrame(records, schema=ANNUAL_SCHEMA)


def combine_annual(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The annual table from frames in priority order: a service/year/metric already given by an earlier frame
    is not taken from a later one (an added file over the main sources, ACE over a service's own open data)."""
    annual = pl.DataFrame(schema=ANNUAL_SCHEMA)
    for frame in frames:
        duplicated = frame.filter(pl.struct("service_code", "year", "metric").is_duplicated())
        if duplicated.height:
            raise BuildError(f"annual table: duplicated service/year/metric rows, e.g. {duplicated.row(0)}")
        rows = as_annual(frame)
        annual = pl.concat([annual, rows.join(annual, on=["service_code", "year", "metric"], how="anti")])
    return annual.sort("service_code", "metric", "year")


def as_annual(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame of annual rows in the table's column order and types; audit columns not yet set are null."""
    missing = [pl.lit(None, ANNUAL_SCHEMA[name]).alias(name) for name in AUDIT_COLUMNS if name not in frame.columns]
    return frame.with_columns(missing).select(list(ANNUAL_SCHEMA)).cast(ANNUAL_SCHEMA)


def _series_years(activity: pl.DataFrame) -> dict[str, dict[Series, _SeriesYear]]:
    """Year total (as used and as returned), months covered, shapes and the reasons of flags and corrections."""
    given = pl.col("value").is_not_null()
    changed = pl.col("status").is_in([ActivityStatus.CORRECTED, ActivityStatus.DERIVED])
    grouped = activity.group_by(SERIES_KEYS).agg(
        value=pl.col("value").filter(given).sum(),
        value_as_returned=pl.when(pl.col("value_as_returned").filter(given).count() > 0).then(
            pl.col("value_as_returned").filter(given).sum()
        ),
        months=pl.col("covers_months").filter(given).cast(pl.Int32).sum(),
        shapes=pl.col("covers_months").filter(given).unique(),
        flag_reasons=pl.col("flag_reason").filter(pl.col("status") == ActivityStatus.FLAGGED),
        corrections=pl.col("flag_reason").filter(changed),
    )
    result: dict[str, dict[Series, _SeriesYear]] = {}
    for row in grouped.iter_rows(named=True):
        key = Series(**{k: row[k] for k in SERIES_KEYS if k != "service_code"})
        months = row["months"] or 0
        result.setdefault(row["service_code"], {})[key] = _SeriesYear(
            value=row["value"] if months else None,
            value_as_returned=row["value_as_returned"] if months else None,
            months=months,
            shapes=frozenset(SHAPES[covers] for covers in row["shapes"]),
            flag_reasons=tuple(row["flag_reasons"]),
            corrections=tuple(row["corrections"]),
        )
    return result


def _blank(status: str, note: str) -> dict:
    return {"value_as_returned": None, "value": None, "status": status, "months_covered": 0, "note": note}


def _compose(parts: tuple[Part, ...], years: dict[Series, _SeriesYear]) -> dict:
    """One metric's year from its parts, by the required/optional rules in the module notes."""
    given, left_out, missing_required = [], [], []
    for part in parts:
        year = years.get(part.series)
        if year is None or not year.months:
            (missing_required if part.required else left_out).append(f"{part.label} (left blank)")
        else:
            given.append((part, year))
    if not given:
        return _blank(Status.NO_RETURN, "left blank in the return")
    required = [year.months for part, year in given if part.required]
    # Completeness is judged on the required parts; a sparse optional line is included for what it has.
    months = min(required) if required else max(year.months for _, year in given)
    sparse = [f"{p.label} ({y.months} of 12 months)" for p, y in given if not p.required and y.months < months]
    reasons = [reason for _, year in given for reason in year.flag_reasons]
    corrections = [reason for _, year in given for reason in year.corrections]
    labels = [part.label for part, _ in given]
    shapes = sorted({shape for _, year in given for shape in year.shapes})
    note = [
        " + ".join(labels) if len(labels) > 1 or len(parts) == 1 else f"{labels[0]} only",
        "from " + " and ".join(shapes),
    ]
    if sparse:
        note.append(f"included for the months returned: {', '.join(sparse)}")
    if left_out:
        note.append(f"not included: {', '.join(left_out)}")
    if missing_required:
        note.append(f"incomplete: {', '.join(missing_required)}")
    if months < 12:
        note.append(f"covers {months} of 12 months")
    if corrections:
        note.append(_summarised(corrections))
    if reasons:
        status = Status.FLAGGED
        note.append("contains flagged values: " + _summarised(reasons))
    elif missing_required or months < 12:
        status = Status.PARTIAL
    elif any(reason.startswith("decimal slip") for reason in corrections):
        status = Status.CORRECTED
    else:
        status = Status.DERIVED if len(parts) > 1 or corrections else Status.REPORTED
    returned = [year.value_as_returned for _, year in given if year.value_as_returned is not None]
    return {
        "value_as_returned": sum(returned) if returned else None,
        "value": sum(year.value for _, year in given),
        "status": status,
        "months_covered": min(months, 12),
        "note": "; ".join(note),
    }


def _summarised(reasons: list[str]) -> str:
    """Each rule's reasons once: the first in full, then how many values more ('rule: numbers' texts)."""
    by_rule: dict[str, list[str]] = {}
    for reason in reasons:
        by_rule.setdefault(reason.split(":")[0], []).append(reason)
    return "; ".join(
        texts[0] if len(texts) == 1 else f"{texts[0]} (and {len(texts) - 1} more values by the same rule)"
        for texts in by_rule.values()
    )


def _point_year(row: dict | None, covers_year: bool, year: int) -> dict:
    """A whole-year or 31-March figure as an annual row."""
    if row is None or row["value"] is None:
        return _blank(Status.NO_RETURN, "left blank in the return")
    what = "whole-year count (April-March)" if covers_year else f"count on 31 March {year + 1}"
    if row["status"] == ActivityStatus.FLAGGED:
        status, note = Status.FLAGGED, f"{what}; flagged: {row['flag_reason']}"
    else:
        status, note = Status.REPORTED, what
    return {
        "value_as_returned": row["value"],
        "value": row["value"],
        "status": status,
        "months_covered": 12 if covers_year else None,
        "note": note,
    }
