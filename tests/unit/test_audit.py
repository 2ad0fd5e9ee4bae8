"""The Libraries Hacked audit: the reader on small CSV files written here, and the comparison on hand-made frames
with hand-counted cross-tabs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.audit_comparison import compare_with_audit
from observatory_data.build.audit_differences import THEIR_CLASSES
from observatory_data.build.audit_file import AUDIT_METRICS, AUDIT_SCHEMA, read_audit
from observatory_data.build.codes import CodeChanges
from observatory_data.build.report import AUDIT_HEADING, _audit_markdown
from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import polars_schema

HEADER = [
    "Authority code",
    "Authority nice name",
    "Library service",
    "Period",
    *(f"{label}{suffix}" for label in AUDIT_METRICS for suffix in ("", " estimated", " status", " notes")),
    "Population under 12",
    "Population 12-17",
    "Population adult",
    *(f"Nearest neighbour {n}" for n in range(1, 6)),
]
REGISTER = pl.DataFrame(
    {
        "service_code": ["E06000001", "E08000016"],
        "service_name": ["Hartlepool", "Barnsley"],
        "nation": ["England", "England"],
        "region": ["North East", "Yorkshire and The Humber"],
        "authority_type": ["Unitary Authority", "Metropolitan District"],
        "aliases": ["", ""],
    }
)


def _quote(cell: str) -> str:
    return f'"{cell}"' if any(ch in cell for ch in ',"\n') else cell


def write_audit(folder: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    """A services.csv in the audit's layout, CRLF line endings; cells not given are blank."""
    path = folder / "services.csv"
    lines = [",".join(header), *(",".join(_quote(row.get(column, "")) for column in header) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


HARTLEPOOL = {
    "Authority code": "E06000001",
    "Authority nice name": "Hartlepool",
    "Library service": "Hartlepool",
    "Period": "2023/2024",
    "Users": "3496",
    "Loans": "116,265",
    "Visits": "359817",
    "Visits estimated": "169682",
    "Visits status": "Replaced",
    "Visits notes": "Monthly return (February): entered as 211,261. Corrected to 21,126.",
    "Population adult": "77090",
}
BARNSLEY = {"Authority code": "E08000016", "Period": "2024/2025", "Visits": "605853", "Loans status": "suspicious"}


def test_reader_gives_long_form_with_blanks_as_null(tmp_path: Path) -> None:
    path = write_audit(tmp_path, [HARTLEPOOL, BARNSLEY])
    audit = read_audit(path, REGISTER)
    assert audit.schema == pl.Schema(AUDIT_SCHEMA)
    assert audit.height == 2 * len(AUDIT_METRICS)
    assert set(audit["metric"]) == set(AUDIT_METRICS.values())
    rows = {(row["service_code"], row["year"], row["metric"]): row for row in audit.iter_rows(named=True)}
    visits = rows[("E06000001", 2023, "visits")]
    assert visits["value_as_returned"] == 359817.0 and visits["estimated"] == 169682.0
    assert visits["audit_status"] == "replaced"  # lower-cased
    assert visits["audit_notes"].startswith("Monthly return (February)")
    assert visits["service_name"] == "Hartlepool"
    assert rows[("E06000001", 2023, "loans")]["value_as_returned"] == 116265.0  # thousands comma
    events = rows[("E06000001", 2023, "events")]
    assert events["value_as_returned"] is None and events["estimated"] is None
    assert events["audit_status"] is None and events["audit_notes"] is None
    loans = rows[("E08000016", 2024, "loans")]
    assert loans["value_as_returned"] is None and loans["audit_status"] == "suspicious"
    assert rows[("E08000016", 2024, "visits")]["value_as_returned"] == 605853.0


def test_reader_maps_later_codes_through_the_code_changes(tmp_path: Path) -> None:
    path = write_audit(tmp_path, [{**BARNSLEY, "Authority code": "E08000038"}])
    with pytest.raises(BuildError, match="unknown authority code 'E08000038'"):
        read_audit(path, REGISTER)
    audit = read_audit(path, REGISTER, CodeChanges(backward={"E08000038": "E08000016"}))
    assert set(audit["service_code"]) == {"E08000016"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([HARTLEPOOL, {**BARNSLEY, "Loans": "n/a"}], r"services\.csv row 3, column 'Loans': not a number: 'n/a'"),
        (
            [{**HARTLEPOOL, "Visits estimated": "-5"}],
            r"services\.csv row 2, column 'Visits estimated': negative count '-5'",
        ),
        (
            [HARTLEPOOL, BARNSLEY, {**HARTLEPOOL, "Users": "1"}],
            r"services\.csv row 4, columns 'Authority code' and 'Period': E06000001 2023/2024 duplicates row 2",
        ),
        (
            [HARTLEPOOL, {**BARNSLEY, "Authority code": "E99999999"}],
            r"services\.csv row 3, column 'Authority code': unknown authority code 'E99999999'",
        ),
        ([{**HARTLEPOOL, "Period": "2023"}], r"services\.csv row 2, column 'Period': not a financial year"),
        ([{**HARTLEPOOL, "Period": "2023/2025"}], r"services\.csv row 2, column 'Period': .*consecutive years"),
        (
            [{**HARTLEPOOL, "Loans status": "doubtful"}],
            r"services\.csv row 2, column 'Loans status': unknown status 'doubtful'",
        ),
    ],
    ids=["text", "negative", "duplicate", "unknown_code", "period", "period_span", "status"],
)
def test_reader_errors_name_file_row_and_column(tmp_path: Path, rows: list[dict[str, str]], message: str) -> None:
    with pytest.raises(BuildError, match=message):
        read_audit(write_audit(tmp_path, rows), REGISTER)


def test_reader_names_a_missing_column(tmp_path: Path) -> None:
    header = [column for column in HEADER if column != "Wifi sessions notes"]
    with pytest.raises(BuildError, match=r"services\.csv row 1 \(header\): missing column 'Wifi sessions notes'"):
        read_audit(write_audit(tmp_path, [HARTLEPOOL], header), REGISTER)


# ---------------------------------------------------------------------------------------------------------------
# The comparison, on hand-made frames

ANNUAL_SCHEMA = {
    "service_code": pl.String,
    "year": pl.Int32,
    "metric": pl.String,
    "value_as_returned": pl.Float64,
    "value": pl.Float64,
    "status": pl.String,
    "months_covered": pl.Int32,
    "source": pl.String,
    "note": pl.String,
    "caveat": pl.String,
}
SOURCE = "ACE test"


def ours(code: str, returned: float | None, status: str, **extra) -> dict:
    row = {"service_code": code, "year": 2023, "metric": "loans", "value_as_returned": returned, "value": returned}
    return {**row, "status": status, "months_covered": 12, "source": SOURCE, "note": "", "caveat": None, **extra}


def theirs(code: str, returned: float | None, status: str | None = None, **extra) -> dict:
    row = {"service_code": code, "service_name": f"Service {code}", "year": 2023, "metric": "loans"}
    return {
        **row,
        "value_as_returned": returned,
        "estimated": None,
        "audit_status": status,
        "audit_notes": None,
        **extra,
    }


# One pair per case: (ours, theirs), and the verdict each should get.
CASES = {
    "a": (ours("a", 1000, "reported"), theirs("a", 1000), "agree"),
    "b": (ours("b", 1000, "derived"), theirs("b", 1004, "suspicious"), "doubt_differs"),
    "c": (
        ours("c", 1000, "flagged", note="from monthly figures; contains flagged values: month out of line: Apr 2023"),
        theirs("c", 1000),
        "disagree",
    ),
    "d": (ours("d", 1000, "reported"), theirs("d", 1000, "replaced", estimated=600.0), "disagree"),
    "e": (ours("e", None, "no_return"), theirs("e", None), "agree"),
    "f": (ours("f", 800, "partial", months_covered=10), theirs("f", 1000), "disagree"),
    "g": (ours("g", 500, "flagged"), theirs("g", 500, "excluded"), "agree"),
    "h": (
        ours("h", 300, "reported", metric="visits", caveat="denominator effect: rates not comparable"),
        theirs("h", 300, metric="visits"),
        "doubt_differs",
    ),
    "i": (ours("i", 1000, "derived"), theirs("i", 1050), "disagree"),
    "j": (ours("j", 1000, "corrected", value=100.0), theirs("j", 1000, "replaced", estimated=100.0), "agree"),
}


def flag(code: str, rule: str, outcome: str, *, table: str = "activity", metric: str = "loans", **where) -> dict:
    """A row of the flags table: a monthly line (April 2023 of the physical books total unless `where` says
    otherwise) or, with table="annual", the whole year 2023 of `metric`."""
    line = {"mode": "physical", "format": "physical_book", "content_age": "total", "period": date(2023, 4, 1)}
    place = {"year": 2023} if table == "annual" else line
    row = {"table": table, "service_code": code, "metric": metric, **place, **where}
    return {**row, "outcome": outcome, "rule": rule, "reason": f"{rule.replace('_', ' ')}: the numbers"}


# Our rules behind the cases' outcomes, as the flags table has them.
FLAGS = [
    flag("c", "month_out_of_line", "flagged"),
    flag("h", "denominator_effect", "caveated", table="annual", metric="visits"),
    flag("j", "decimal_slip", "corrected", format="ebook", mode="digital"),
]


def compare(cases: dict, flags: list[dict] = FLAGS, **keywords) -> dict:
    annual = pl.DataFrame([pair[0] for pair in cases.values()], schema=ANNUAL_SCHEMA)
    audit = pl.DataFrame([pair[1] for pair in cases.values()], schema=AUDIT_SCHEMA)
    flags_table = pl.DataFrame(flags, schema=polars_schema("flags"))
    return compare_with_audit(annual, audit, 2023, flags=flags_table, **keywords)


def crosstab_rows(table: list[dict], **where: str) -> dict[str, tuple[int, ...]]:
    return {
        row["ours"]: tuple(row[name] for name in (*THEIR_CLASSES, "total"))
        for row in table
        if all(row[key] == value for key, value in where.items())
    }


def test_cross_tab_counts_our_class_against_theirs() -> None:
    result = compare(CASES)
    # columns: accepted, suspicious, replaced, excluded, no_return, total
    assert crosstab_rows(result["crosstab"]) == {
        "counted": (2, 1, 2, 0, 0, 5),  # a, i | b | d, j (corrected counts)
        "counted_with_caveat": (1, 0, 0, 0, 0, 1),  # h
        "partial": (1, 0, 0, 0, 0, 1),  # f
        "flagged": (1, 0, 0, 1, 0, 2),  # c | g
        "no_return": (0, 0, 0, 0, 1, 1),  # e
        "total": (5, 1, 2, 1, 1, 10),
    }
    assert crosstab_rows(result["crosstab_by_metric"], metric="visits") == {
        "counted_with_caveat": (1, 0, 0, 0, 0, 1),
        "total": (1, 0, 0, 0, 0, 1),
    }
    assert result["verdicts"] == {"agree": 4, "doubt_differs": 2, "disagree": 4}
    assert result["agreement_rate"] == 0.4
    assert result["rows"] == 10 and result["services"] == 10 and result["missing_in_annual"] == 0


def test_agreement_per_class() -> None:
    agreement = {(row["side"], row["class"]): row for row in compare(CASES)["agreement"]}
    counted = agreement[("ours", "counted")]
    assert (counted["rows"], counted["agree"], counted["same_figure"], counted["agreement_rate"]) == (5, 2, 3, 0.4)
    accepted = agreement[("theirs", "accepted")]  # a, c, f, h, i: only a agrees; h is the same figure
    assert (accepted["rows"], accepted["agree"], accepted["same_figure"]) == (5, 1, 2)
    assert agreement[("theirs", "excluded")]["agreement_rate"] == 1.0
    assert ("ours", "no_return") in agreement and ("theirs", "no_return") in agreement


def test_each_disagreement_has_a_class_a_reason_and_its_example() -> None:
    groups = {group["class"]: group for group in compare(CASES)["disagreements"]}
    assert set(groups) == {
        "they_doubt_we_count",  # b
        "we_flag_they_accept",  # c
        "they_replace_we_keep",  # d
        "we_partial_they_keep",  # f
        "we_caveat_they_accept",  # h
        "reading:unexplained",  # i
    }
    assert sum(group["rows"] for group in groups.values()) == 6
    assert "our rule 'month out of line'" in groups["we_flag_they_accept"]["reason"]
    assert "months missing" in groups["we_partial_they_keep"]["reason"]
    assert groups["they_doubt_we_count"]["doubt_only"] == 1 and groups["they_doubt_we_count"]["by_metric"] == {
        "loans": 1
    }
    example = groups["they_replace_we_keep"]["examples"][0]
    assert example["service"] == "Service d" and example["our_value"] == 1000.0 and example["our_status"] == "reported"
    assert (example["their_value"], example["their_estimated"], example["their_status"]) == (1000.0, 600.0, "replaced")


def test_our_rule_is_read_from_the_flags_table_not_from_the_note() -> None:
    silent = {"c": (ours("c", 1000, "flagged", note="from monthly figures"), theirs("c", 1000), "")}
    (group,) = compare(silent)["disagreements"]
    assert group["examples"][0]["our_rule"] == "month out of line"
    assert "our rule 'month out of line'" in group["reason"]
    # An age line is no part of `loans`, a flag in another year is not this year's, and the audit's own marks
    # taken up by our rules are theirs: none of them names a rule of ours.
    others = [
        flag("c", "age_parts_above_total", "flagged", content_age="child"),
        flag("c", "month_out_of_line", "flagged", period=date(2024, 4, 1)),
        flag("c", "audit_mark_unreconciled", "flagged", table="annual"),
    ]
    (group,) = compare(silent, flags=others)["disagreements"]
    assert group["examples"][0]["our_rule"] is None and "one of our plausibility rules" in group["reason"]
    hours = {"p": (ours("p", 9000, "flagged", metric="pc_hours"), theirs("p", 9000, metric="pc_hours"), "")}
    line = {"mode": None, "format": None, "content_age": None}
    (group,) = compare(hours, flags=[flag("p", "pc_hours_beyond_capacity", "flagged", metric="pc_hours", **line)])[
        "disagreements"
    ]
    assert group["examples"][0]["our_rule"] == "PC hours beyond capacity"


def test_reading_differences_compare_the_figures_as_returned() -> None:
    reading = compare(CASES)["reading_differences"]
    assert reading["compared"] == 9  # every pair but e, where neither has a figure
    # f (our partial 800 against their 1,000) and i (1,000 against 1,050); b is within 1%, and d and j differ
    # only in the corrected figures, not as returned
    assert reading["count"] == 2 and reading["by_metric"] == {"loans": 2}
    assert [(row["service"], row["difference"]) for row in reading["examples"]] == [
        ("Service f", 0.2),
        ("Service i", pytest.approx(0.048, abs=0.001)),
    ]


def test_notes_are_truncated_in_examples() -> None:
    long_note = "Source audit: " + "x" * 400
    cases = {"k": (ours("k", 1000, "reported"), theirs("k", 1000, "suspicious", audit_notes=long_note), "")}
    (group,) = compare(cases)["disagreements"]
    note = group["examples"][0]["their_note"]
    assert len(note) <= 160 and note.endswith("…")


def test_our_lines_explain_a_figure_that_is_the_sum_of_age_lines() -> None:
    cases = {"m": (ours("m", 300, "derived", metric="events"), theirs("m", 200, metric="events"), "disagree")}
    lines = [("total", 300.0), ("child", 120.0), ("adult", 80.0)]
    activity = pl.DataFrame(
        [
            {"service_code": "m", "metric": "events", "mode": "physical", "user_age": age, "content_age": None}
            | {"location": None, "period": date(2023, 6, 1), "value_as_returned": value, "source": SOURCE}
            for age, value in lines
        ],
        schema={
            "service_code": pl.String,
            "metric": pl.String,
            "mode": pl.String,
            "user_age": pl.String,
            "content_age": pl.String,
            "location": pl.String,
            "period": pl.Date,
            "value_as_returned": pl.Float64,
            "source": pl.String,
        },
    )
    assert compare(cases)["disagreements"][0]["class"] == "reading:unexplained"
    (group,) = compare(cases, activity=activity)["disagreements"]
    assert group["class"] == "reading:age_lines" and "age or category lines" in group["reason"]


def test_other_years_are_left_out() -> None:
    cases = {"a": CASES["a"], "z": (ours("z", 5, "reported", year=2024), theirs("z", 9, year=2024), "")}
    assert compare(cases)["rows"] == 1


def test_report_section_shows_cross_tab_agreement_and_classes() -> None:
    cases = {**CASES, "d": (CASES["d"][0], {**CASES["d"][1], "audit_notes": "Monthly return (May) | entered twice"})}
    markdown = _audit_markdown(compare(cases))
    assert markdown.startswith(AUDIT_HEADING)
    assert "10 services x 7 headline metrics (10 pairs)" in markdown
    assert "| counted | 2 | 1 | 2 | 0 | 0 | 5 |" in markdown
    assert "| ours | counted | 5 | 2 | 3 | 0.4 |" in markdown
    assert "we flag a value they accept as returned: our rule 'month out of line'" in markdown
    assert "Monthly return (May) \\| entered twice" in markdown  # a pipe in their note does not break the table
    assert "| Service i | loans | 1,000 | 1,000 | derived | 1,050 |" in markdown
    assert _audit_markdown(None) == AUDIT_HEADING + "\nNot compared in this build.\n"
