"""The pieces every briefing shares: Markdown said as plain text, counts said as a briefing says them, the gap to a
median in counts (without judgement), the build's date and the live link."""

from __future__ import annotations

import pytest

from components.briefings.parts import (
    about_figures,
    built_on,
    gap_in_counts,
    labelled,
    list_items,
    live_link,
    plain,
)
from components.briefings.pdf import Run


def test_markdown_becomes_plain_words() -> None:
    assert plain("**Kent** is [here](https://x.test) *now*") == "Kent is here now"
    assert list_items("- **A**: one\n  continued\n- B") == ("A: one continued", "B")
    assert labelled("**Nation**: Wales") == (Run("Nation: ", bold=True), Run("Wales"))
    assert labelled("no label") == "no label"


@pytest.mark.parametrize(
    ("value", "said"),
    [(592_345, "590,000"), (45_123, "45,000"), (7_649, "7,600"), (14, "14"), (0, "0"), (1_234_567, "1,200,000")],
)
def test_counts_are_said_to_two_significant_figures(value: float, said: str) -> None:
    assert about_figures(value) == said


def test_the_gap_to_a_median_in_counts() -> None:
    # Kent, 2025/26 loans: 2,379.4 per 1,000 against a group median of 2,741.7, for 1,639,029 residents.
    assert gap_in_counts(2379.41, 2741.7, 1_639_029, "loans") == "about 590,000 more loans"
    assert gap_in_counts(3000.0, 2000.0, 10_000, "visits") == "about 10,000 fewer visits"
    assert gap_in_counts(None, 2000.0, 10_000, "visits") == ""
    assert gap_in_counts(2000.0, 2000.0, 10_000, "visits") == "about the same number of visits"


def test_build_date_and_live_link() -> None:
    assert built_on("2026-12-07T06:35:41+00:00") == "7 December 2026"
    link = live_link("http://host:8501/", "benchmark", {"service": "E10000016", "year": "2025", "group": ""})
    assert link == "http://host:8501/benchmark?service=E10000016&year=2025"
    assert live_link("http://host", "", {}) == "http://host/"
