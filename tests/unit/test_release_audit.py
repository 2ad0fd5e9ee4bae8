"""The audit's marks judged against each service's other years: unit cases on inline frames."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.build.annual import as_annual
from observatory_data.build.release_audit import apply_audit, audit_marks
from observatory_data.serving.tables import read_table

SOURCE = "ACE Libraries Activity Data 2024/25 (official statistics)"


def _annual(rows: list[tuple[str, int, float | None, str]]) -> pl.DataFrame:
    return as_annual(
        pl.DataFrame(
            [
                {
                    "service_code": code, "year": year, "metric": "loans", "value_as_returned": value,
                    "value": value, "status": status, "months_covered": 12, "source": SOURCE, "note": "as returned",
                    "caveat": None,
                }
                for code, year, value, status in rows
            ]
        )
    )  # fmt: skip


def _audit(rows: list[tuple[str, int, str | None, float | None, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"service_code": code, "year": year, "metric": "loans", "estimated": estimate, "audit_status": status,
             "audit_notes": note}
            for code, year, status, estimate, note in rows
        ],
        schema={"service_code": pl.String, "year": pl.Int32, "metric": pl.String, "estimated": pl.Float64,
                "audit_status": pl.String, "audit_notes": pl.String},
    )  # fmt: skip


def _judged(annual: pl.DataFrame, audit: pl.DataFrame, line_years: set[int] = frozenset({2023})) -> dict:
    result, outcomes = apply_audit(annual, audit_marks([audit]), set(line_years))
    rows = {(r["service_code"], r["year"]): r for r in result.iter_rows(named=True)}
    return rows, outcomes


def test_a_replacement_that_agrees_with_the_other_years_is_adopted() -> None:
    annual = _annual([("a", 2023, 360.0, "derived"), ("a", 2024, 549.0, "reported"), ("a", 2025, 384.0, "reported")])
    rows, outcomes = _judged(annual, _audit([("a", 2024, "replaced", 352.0, "June typo")]))
    judged = rows[("a", 2024)]
    assert (judged["value"], judged["value_as_returned"], judged["status"]) == (352.0, 549.0, "corrected")
    assert (judged["audit_outcome"], judged["audit_note"]) == ("adopted", "June typo")
    assert "audit estimate reconciles" in judged["note"]
    assert outcomes.row(0, named=True)["rule"] == "audit_estimate_reconciles"
    assert outcomes.row(0, named=True)["outcome"] == "corrected"


def test_a_figure_as_returned_that_agrees_with_the_other_years_counts_and_the_estimate_is_not_adopted() -> None:
    # Devon's 2024/25 loans: 2,408,653 beside 2.46M and 2.32M; the audit's 1,334,179 is not adopted.
    annual = _annual([("d", 2023, 2_460_903.0, "derived"), ("d", 2024, 2_408_653.0, "reported"),
                      ("d", 2025, 2_318_507.0, "reported")])  # fmt: skip
    rows, outcomes = _judged(annual, _audit([("d", 2024, "replaced", 1_334_179.0, "April overstatement")]))
    judged = rows[("d", 2024)]
    assert (judged["value"], judged["status"], judged["audit_outcome"]) == (2_408_653.0, "reported", "not_adopted")
    assert judged["audit_estimate"] == 1_334_179.0
    assert outcomes["outcome"].to_list() == ["caveated"]


def test_neither_figure_agreeing_flags_the_value_with_both_figures() -> None:
    annual = _annual([("h", 2023, 9_116.0, "reported"), ("h", 2024, 35_400.0, "reported"),
                      ("h", 2025, 10_204.0, "reported")])  # fmt: skip
    rows, _ = _judged(annual, _audit([("h", 2024, "replaced", 15_140.0, None)]))
    judged = rows[("h", 2024)]
    assert (judged["value"], judged["status"], judged["audit_outcome"]) == (35_400.0, "flagged", "unreconciled")
    assert "35,400" in judged["note"] and "15,140" in judged["note"]


def test_no_other_year_to_check_against_is_unreconciled() -> None:
    rows, _ = _judged(_annual([("x", 2024, 500.0, "reported")]), _audit([("x", 2024, "replaced", 50.0, None)]))
    assert (rows[("x", 2024)]["status"], rows[("x", 2024)]["audit_outcome"]) == ("flagged", "unreconciled")


def test_another_years_replaced_figure_is_no_evidence() -> None:
    # 2025's figure was itself replaced, so 2024 has only 2023 to agree with.
    annual = _annual([("r", 2023, 100.0, "derived"), ("r", 2024, 400.0, "reported"), ("r", 2025, 410.0, "reported")])
    audit = _audit([("r", 2024, "replaced", 105.0, None), ("r", 2025, "replaced", 110.0, None)])
    rows, _ = _judged(annual, audit)
    assert rows[("r", 2024)]["value"] == 105.0 and rows[("r", 2025)]["value"] == 110.0


def test_a_suspicious_mark_is_a_caveat_shown_beside_a_counted_value() -> None:
    annual = _annual([("s", 2023, 100.0, "derived"), ("s", 2024, 104.0, "reported")])
    rows, outcomes = _judged(annual, _audit([("s", 2024, "suspicious", None, "February low")]))
    judged = rows[("s", 2024)]
    assert (judged["value"], judged["status"], judged["audit_outcome"]) == (104.0, "reported", "caveated")
    assert judged["caveat"] is None  # a mark is not a rate caveat: the value stays in medians
    assert outcomes["rule"].to_list() == ["audit_suspicious"]


def test_in_a_year_with_monthly_lines_our_line_rules_decide_and_the_mark_stays_beside() -> None:
    annual = _annual([("w", 2023, 1_000.0, "derived"), ("w", 2024, 1_010.0, "reported")])
    rows, outcomes = _judged(annual, _audit([("w", 2023, "replaced", 500.0, "their estimate")]))
    judged = rows[("w", 2023)]
    assert (judged["value"], judged["audit_status"], judged["audit_outcome"]) == (1_000.0, "replaced", None)
    assert outcomes.is_empty()


# ---------------------------------------------------------------------------------------------------------------
# The real build


@pytest.fixture(scope="module")
def annual() -> pl.DataFrame:
    return read_table("annual")
