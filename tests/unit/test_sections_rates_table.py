"""The one reader's table of services' rates (components.sections.rates_table): the benchmark's strip, the Priority
Places boxes and the map each pick their columns from it, so a count, a population or a rate reads the same on every
page and every CSV says what its caveat, audit and decile columns hold."""

from __future__ import annotations

import polars as pl
import pytest

from components.exports import AUDIT_MARK, AUDIT_NOTE, CAVEAT
from components.sections.rates_table import DECILE_HEADER, rates_table
from observatory_data.serving.places_groups import IMD_DECILE_NOTE
from observatory_data.serving.rates import service_rates

ENTRY = {"metric": "loans", "label": "Loans", "unit": "loans", "denominator": "population_0_11"}


def _rates() -> pl.DataFrame:
    """Three services, 2023: Alpha 3,000 loans over 2,000 children (1,500 per 1,000), Beta 1,234 over 3,000
    (411.33 per 1,000) with a caveat, Gamma no return."""
    services = pl.DataFrame(
        {
            "service_code": ["A", "B", "C"],
            "service_name": ["Alpha", "Beta", "Gamma"],
            "nation": ["England"] * 3,
            "region": ["North", "North", "South"],
            "priority_place": ["yes", "no", "no"],
            "lucp": ["no", "no", "yes"],
            "imd_decile": [1, 5, 10],
            "population_0_11": [2_000.0, 3_000.0, 1_000.0],
        }
    )
    annual = pl.DataFrame(
        {
            "service_code": ["A", "B", "C"],
            "year": [2023] * 3,
            "metric": ["loans"] * 3,
            "value": [3_000.0, 1_234.0, None],
            "status": ["reported", "corrected", "no_return"],
            "months_covered": [12, 12, None],
            "caveat": [None, "denominator effect", None],
        },
        schema_overrides={"year": pl.Int32, "months_covered": pl.Int32},
    )
    metrics = pl.DataFrame({"metric": ["loans"], "denominator": ["population_0_11"]})
    return service_rates(annual, services, metrics, "loans", 2023)


def test_the_headers_say_the_unit_and_who_the_rate_is_per() -> None:
    table = rates_table(_rates(), ENTRY, ["service", "count", "population", "rate"])
    assert table.frame.columns == [
        "Service",
        "Loans (loans)",
        "Population (children aged 0-11)",
        "Rate per 1,000 children aged 0-11",
    ]


def test_rates_are_rounded_to_one_decimal_and_counts_kept_whole() -> None:
    frame = rates_table(_rates(), ENTRY, ["code", "count", "rate"]).frame
    rows = {row["Service code"]: row for row in frame.iter_rows(named=True)}
    assert rows["A"]["Rate per 1,000 children aged 0-11"] == 1_500.0  # 3,000 / 2,000 x 1,000
    assert rows["B"]["Rate per 1,000 children aged 0-11"] == 411.3  # 1,234 / 3,000 x 1,000 = 411.33
    assert rows["B"]["Loans (loans)"] == 1_234.0
    assert rows["C"]["Rate per 1,000 children aged 0-11"] is None  # no return: no rate, never 0


def test_columns_come_in_the_pages_order_with_its_own_expressions_between() -> None:
    own = pl.col("service_code").is_in(["B"]).alias("In comparison group")
    frame = rates_table(_rates(), ENTRY, ["region", own, "selected", "status"], selected="A").frame
    assert frame.columns == ["Region", "In comparison group", "Selected service", "Status"]
    assert frame["In comparison group"].to_list() == [False, True, False]
    assert frame["Selected service"].to_list() == [True, False, False]
    assert frame["Status"].to_list() == ["reported", "corrected", "no return"]


def test_no_selected_service_marks_nobody() -> None:
    frame = rates_table(_rates(), ENTRY, ["selected"], selected="").frame
    assert frame["Selected service"].to_list() == [False, False, False]


def test_caveat_and_audit_are_empty_text_where_there_is_nothing_to_say() -> None:
    table = rates_table(_rates(), ENTRY, ["service", "caveat", "audit"])
    assert table.frame.columns == ["Service", CAVEAT[0], AUDIT_MARK[0], AUDIT_NOTE[0]]
    assert table.frame[CAVEAT[0]].to_list() == ["", "denominator effect", ""]
    assert table.frame[AUDIT_MARK[0]].to_list() == ["", "", ""]


def test_the_words_for_the_about_come_in_one_order_whatever_the_tables_order() -> None:
    decile_first = rates_table(_rates(), ENTRY, ["decile", "audit", "caveat"])
    assert decile_first.frame.columns[0] == DECILE_HEADER
    assert decile_first.described == (CAVEAT, AUDIT_MARK, AUDIT_NOTE, (DECILE_HEADER, IMD_DECILE_NOTE))
    assert rates_table(_rates(), ENTRY, ["service", "rate"]).described == ()


def test_a_column_outside_the_vocabulary_or_a_selected_column_without_a_service_is_refused() -> None:
    with pytest.raises(ValueError, match="not a rates table column"):
        rates_table(_rates(), ENTRY, ["service", "rank"])
    with pytest.raises(ValueError, match="selected service"):
        rates_table(_rates(), ENTRY, ["selected"])
