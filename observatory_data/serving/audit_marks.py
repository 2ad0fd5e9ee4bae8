"""The Libraries Hacked audit's mark on a figure, in words written once.

The annual table keeps, beside each ACE value, the audit's mark on ACE's published figure (audit_status, audit_estimate,
audit_note) and what our rule made of it (audit_outcome). Every place that shows a value (the benchmark's table, the
map's tooltips, the CSVs behind charts, the Data page) says the same sentence, made here. The mark is never a caveat:
the `caveat` column means a rate that is not comparable, and an audit mark says nothing about that.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX
from observatory_data.serving.formats import number

AUDIT = "the Libraries Hacked audit"
AUDIT_SCHEMA = {
    "audit_status": pl.String,
    "audit_estimate": pl.Float64,
    "audit_note": pl.String,
    "audit_outcome": pl.String,
}
AUDIT_COLUMNS = tuple(AUDIT_SCHEMA)
# What a sentence reads: the mark, our outcome and the figure as returned (to say what the estimate stands in for).
WORD_COLUMNS = (*AUDIT_COLUMNS, "value_as_returned")
# Our outcome in a few words (null: the mark is shown beside the value, and our own rules decide it).
OUTCOME_WORDS = {
    "adopted": "estimate adopted",
    "already_applied": "estimate already in the figure",
    "not_adopted": "estimate not adopted",
    "unreconciled": "unreconciled, flagged",
    "caveated": "counted, with the note",
    None: "not applied (our own rules decide)",
}


def _number(value: float | None) -> str:
    return number(value, missing="no figure")


def _with_note(sentence: str, note: str | None) -> str:
    """The sentence, then the audit's own note (often the service's explanation) after a colon."""
    note = (note or "").strip()
    return f"{sentence}: {note}" if note else f"{sentence}."


def audit_sentence(mark: Mapping[str, object]) -> str | None:
    """One sentence for a value's audit mark (None where the audit made none). `mark` holds WORD_COLUMNS."""
    status, outcome = mark.get("audit_status"), mark.get("audit_outcome")
    if status is None:
        return None
    estimate, returned, note = mark.get("audit_estimate"), mark.get("value_as_returned"), mark.get("audit_note")
    if status == "suspicious":
        return _with_note(f"Marked suspicious by {AUDIT}", note)
    if outcome == "adopted":
        return _with_note(
            f"The audit's estimate {_number(estimate)} is used in place of {_number(returned)} as returned (marked "
            f"{status} by {AUDIT})",
            note,
        )
    if outcome == "already_applied":
        return _with_note(f"The figure as returned, {_number(returned)}, is already the estimate of {AUDIT}", note)
    marked = f"Marked {status} by {AUDIT}" + (f" (its estimate {_number(estimate)})" if estimate is not None else "")
    if outcome == "not_adopted":
        return _with_note(
            f"{marked}; {_number(returned)} as returned agrees with the service's other years and is counted", note
        )
    if outcome == "unreconciled":
        disagree = (
            f"neither {_number(returned)} as returned nor the estimate agrees"
            if estimate is not None
            else f"{_number(returned)} as returned does not agree"
        )
        return _with_note(f"{marked}; {disagree} with the service's other years, so the value is flagged", note)
    return _with_note(f"{marked}; not applied: our own rules decide this value", note)


def audit_mark(status: str | None, outcome: str | None) -> str | None:
    """The mark and our outcome in a few words ('replaced: estimate adopted'); None where there is no mark."""
    return None if status is None else f"{status}: {OUTCOME_WORDS.get(outcome, outcome)}"


def with_audit_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every column a sentence reads, null where absent (a frame made before the audit's marks)."""
    wanted = {**AUDIT_SCHEMA, "value_as_returned": pl.Float64}
    return frame.with_columns(
        pl.lit(None, dtype).alias(name) for name, dtype in wanted.items() if name not in frame.columns
    )


def sentence_expr() -> pl.Expr:
    """audit_sentence per row, as an expression over WORD_COLUMNS (null where there is no mark)."""
    return pl.struct(*WORD_COLUMNS).map_elements(audit_sentence, return_dtype=pl.String, skip_nulls=False)


def mark_expr() -> pl.Expr:
    """audit_mark per row, as an expression (null where there is no mark)."""
    outcome = pl.col("audit_outcome").replace_strict(
        {key: words for key, words in OUTCOME_WORDS.items() if key is not None}, default=None, return_dtype=pl.String
    )
    words = pl.coalesce(outcome, pl.lit(OUTCOME_WORDS[None]))
    return pl.when(pl.col("audit_status").is_not_null()).then(pl.format("{}: {}", "audit_status", words))


def marks_table(annual: pl.DataFrame) -> pl.DataFrame:
    """Every mark the audit made on an ACE figure: service_code, metric, year, value_as_returned, audit_estimate,
    value (used), status, audit_status, audit_outcome, audit_note, note (our reason), mark and sentence; by year."""
    return (
        annual.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & pl.col("audit_status").is_not_null())
        .select(
            "service_code",
            "metric",
            "year",
            "value_as_returned",
            "audit_estimate",
            "value",
            "status",
            "audit_status",
            "audit_outcome",
            "audit_note",
            "note",
            mark=mark_expr(),
            sentence=sentence_expr(),
        )
        .sort("year", "service_code", "metric")
    )
