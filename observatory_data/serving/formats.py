"""Numbers and words as a reader sees them, written once: signed numbers with a true minus, whole and decimal
figures, the first letter of a sentence, ordinals, a list of names, and a value's status in words.

Pages, charts, tooltips and CSVs all say a figure or a status the same way because they all ask here.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from observatory_data.serving.catalogue import Status

MINUS = "\u2212"  # a true minus sign: a hyphen is too short to read as one beside a figure


def signed(value: float, digits: int = 0, suffix: str = "") -> str:
    """-3 -> '−3', 12.5 with digits=1 and suffix '%' -> '+12.5%': a sign on every figure, a true minus, thousands
    separated."""
    return f"{value:+,.{digits}f}{suffix}".replace("-", MINUS)


def number(value: float | None, digits: int = 0, missing: str = "") -> str:
    """1234.5 -> '1,235' (digits=1: '1,234.5'); `missing` where there is no value."""
    return missing if value is None else f"{value:,.{digits}f}"


def sentence_case(text: str) -> str:
    """The first letter upper case and the rest as written ('index, April 2023' keeps its April)."""
    return text[:1].upper() + text[1:]


def ordinal(number: int) -> str:
    """1 -> '1st', 12 -> '12th', 23 -> '23rd'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def names_words(names: Sequence[str]) -> str:
    """'Essex, Suffolk and Norfolk': names listed as a reader says them ('' for none)."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# A value's status as a reader says it.
STATUS_WORDS: dict[Status, str] = {
    Status.REPORTED: "reported",
    Status.DERIVED: "derived",
    Status.CORRECTED: "corrected",
    Status.PARTIAL: "partial",
    Status.FLAGGED: "flagged",
    Status.NO_RETURN: "no return",
    Status.NOT_COLLECTED: "not collected",
}
# A metric missing from a return the service did send for the year: not the same as sending no return at all.
NO_FIGURE = "no figure for this metric in the year's return"


def status_words(status: str, returned: bool = False) -> str:
    """A value's status as a reader says it (STATUS_WORDS). `no_return` of a service that did send a return for the
    year (see coverage.returned_codes) is a metric missing from that return: NO_FIGURE, not "no return"."""
    if status == Status.NO_RETURN and returned:
        return NO_FIGURE
    return STATUS_WORDS.get(status, status.replace("_", " "))


def status_words_expr(column: str = "status") -> pl.Expr:
    """status_words over a column of statuses (without `returned`: a no_return reads 'no return'); null stays null."""
    return pl.col(column).replace({status.value: words for status, words in STATUS_WORDS.items()})
