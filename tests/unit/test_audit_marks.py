"""The Libraries Hacked audit's marks in words, written once and shown wherever the value is; which rules could run
in each year; and each year's own return status (a service that returned a year is never "no return" for it)."""

from __future__ import annotations

import json
import re
from datetime import date

import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import box

from components.benchmark import AUDIT_HEADER, benchmark_table, missing_table
from components.classes import classify
from components.hexmap import hex_figure, hex_layout
from components.map_text import AUDIT_FIELD, NO_MARK, tooltip_fields
from components.sentences import benchmark_sentence
from components.web_map import service_map
from observatory_data.serving.audit_marks import (
    audit_mark,
    audit_sentence,
    sentence_expr,
    with_audit_columns,
)
from observatory_data.serving.benchmarks import benchmark
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, Status
from observatory_data.serving.coverage import no_return_by_year, returned_codes
from observatory_data.serving.formats import NO_FIGURE, status_words
from observatory_data.serving.rates import service_rates
from observatory_data.serving.rule_runs import rules_by_year
from observatory_data.serving.rules import AUDIT_MARKS, AUDIT_MARKS_ON_WHOLE_YEARS, LINES, RULES, WHOLE_YEAR

ACE_2023 = f"{ACE_SOURCE_PREFIX} 2023/24"
ACE_2024 = f"{ACE_SOURCE_PREFIX} 2024/25 (official statistics, headline figures via Libraries Hacked)"


def _mark(status=None, estimate=None, note=None, outcome=None, returned=None) -> dict:
    return {
        "audit_status": status,
        "audit_estimate": estimate,
        "audit_note": note,
        "audit_outcome": outcome,
        "value_as_returned": returned,
    }


# The sentence


def test_no_mark_has_no_sentence() -> None:
    assert audit_sentence(_mark()) is None
    assert audit_mark(None, None) is None


def test_a_suspicious_mark_reads_as_the_audits_note() -> None:
    mark = _mark("suspicious", note="Visits counted at the door; confirmed by the service.", outcome="caveated")
    assert audit_sentence(mark) == (
        "Marked suspicious by the Libraries Hacked audit: Visits counted at the door; confirmed by the service."
    )
    assert audit_sentence(_mark("suspicious")) == "Marked suspicious by the Libraries Hacked audit."
    assert audit_mark("suspicious", "caveated") == "suspicious: counted, with the note"


def test_an_adopted_estimate_says_what_it_replaces() -> None:
    mark = _mark("replaced", 352_249.0, "Corrected total is 352,249.", "adopted", 549_349.0)
    assert audit_sentence(mark) == (
        "The audit's estimate 352,249 is used in place of 549,349 as returned (marked replaced by the Libraries "
        "Hacked audit): Corrected total is 352,249."
    )
    assert audit_mark("replaced", "adopted") == "replaced: estimate adopted"


def test_each_other_outcome_says_what_we_did() -> None:
    not_adopted = audit_sentence(_mark("replaced", 1_334_179.0, "April overstated.", "not_adopted", 2_408_653.0))
    assert not_adopted == (
        "Marked replaced by the Libraries Hacked audit (its estimate 1,334,179); 2,408,653 as returned agrees with "
        "the service's other years and is counted: April overstated."
    )
    unreconciled = audit_sentence(_mark("replaced", 69_281.0, None, "unreconciled", 4_156_838.0))
    assert unreconciled == (
        "Marked replaced by the Libraries Hacked audit (its estimate 69,281); neither 4,156,838 as returned nor the "
        "estimate agrees with the service's other years, so the value is flagged."
    )
    excluded = audit_sentence(_mark("excluded", None, "A counter, not hours.", "unreconciled", 3_405_995.0))
    assert "3,405,995 as returned does not agree" in excluded and "its estimate" not in excluded
    applied = audit_sentence(_mark("replaced", 15_346.0, None, "already_applied", 15_346.0))
    assert applied == "The figure as returned, 15,346, is already the estimate of the Libraries Hacked audit."
    unjudged = audit_sentence(_mark("replaced", 169_682.0, "February x10.", None, 359_817.0))
    assert unjudged.endswith("not applied: our own rules decide this value: February x10.")


def test_the_expression_gives_the_same_sentence_and_a_frame_without_marks_gets_none() -> None:
    frame = pl.DataFrame(
        [_mark("suspicious", note="Checked."), _mark()],
        schema={
            "audit_status": pl.String,
            "audit_estimate": pl.Float64,
            "audit_note": pl.String,
            "audit_outcome": pl.String,
            "value_as_returned": pl.Float64,
        },
        orient="row",
    )
    assert frame.select(sentence_expr())[:, 0].to_list() == [
        "Marked suspicious by the Libraries Hacked audit: Checked.",
        None,
    ]
    bare = with_audit_columns(pl.DataFrame({"value": [1.0]}))
    assert bare.select(sentence_expr())[:, 0].to_list() == [None]


# Each year's return status


def _annual() -> pl.DataFrame:
    """2023 (monthly lines): A and B returned. 2024 (whole-year figures): A returned loans only, B nothing;
    Newcastle-style own data for C in 2024 is not a return to ACE. Audit marks only in 2024."""
    rows = [
        ("A", 2023, "loans", 100.0, "reported", ACE_2023, None, None, None, None),
        ("A", 2023, "visits", 50.0, "reported", ACE_2023, None, None, None, None),
        ("B", 2023, "loans", 80.0, "derived", ACE_2023, None, None, None, None),
        ("B", 2023, "visits", None, "no_return", ACE_2023, None, None, None, None),
        ("C", 2023, "loans", None, "no_return", ACE_2023, None, None, None, None),
        ("A", 2024, "loans", 90.0, "corrected", ACE_2024, "replaced", 90.0, "Typo in June.", "adopted"),
        ("A", 2024, "visits", None, "no_return", ACE_2024, None, None, None, None),
        ("B", 2024, "loans", None, "no_return", ACE_2024, None, None, None, None),
        ("C", 2024, "loans", None, "no_return", ACE_2024, None, None, None, None),
        ("C", 2024, "visits", 9.0, "derived", "Newcastle City Council open data", None, None, None, None),
        ("W", 2024, "loans", None, "not_collected", ACE_2024, None, None, None, None),
    ]
    columns = [
        "service_code", "year", "metric", "value", "status", "source",
        "audit_status", "audit_estimate", "audit_note", "audit_outcome",
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema=columns, orient="row").with_columns(
        pl.col("year").cast(pl.Int32), caveat=pl.lit(None, pl.String), note=pl.lit("as returned")
    )
    return frame.with_columns(
        value_as_returned=pl.when(pl.col("audit_outcome") == "adopted").then(200.0).otherwise("value"),
        months_covered=pl.lit(12, pl.Int32),
    )


def _services() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "service_code": ["A", "B", "C", "W"],
            "service_name": ["Avon", "Bede", "Cole", "Wye"],
            "nation": ["England"] * 3 + ["Wales"],
            "region": ["North"] * 3 + [None],
            "priority_place": ["no"] * 4,
            "lucp": ["no"] * 4,
            "imd_decile": [1, 2, 3, None],
            "population": [1_000, 1_000, 1_000, 1_000],
        }
    )


def _metrics(metric: str) -> pl.DataFrame:
    return pl.DataFrame({"metric": [metric], "denominator": ["population"]})


def test_a_year_is_returned_by_any_ace_figure_of_that_year() -> None:
    annual = _annual()
    assert returned_codes(annual, 2023) == ["A", "B"]
    assert returned_codes(annual, 2024) == ["A"]  # C's own open data is not a return to ACE; W is not collected
    no_return = no_return_by_year(annual, _services())
    assert no_return.rows() == [(2023, "C", "Cole"), (2024, "B", "Bede"), (2024, "C", "Cole")]


def test_a_metric_missing_from_a_return_is_not_no_return() -> None:
    assert status_words(Status.NO_RETURN, returned=True) == NO_FIGURE
    assert status_words(Status.NO_RETURN) == "no return"
    assert status_words(Status.NOT_COLLECTED, returned=True) == "not collected"
    rates = service_rates(_annual(), _services(), _metrics("visits"), "visits", 2024)
    england = rates.filter(pl.col("nation") == "England")
    avon = benchmark(england, "A", ["B", "C"], "higher_is_better")  # A sent a 2024 return, without visits
    bede = benchmark(england, "B", ["A", "C"], "higher_is_better")  # B sent none
    tooltips = dict(classify(rates, "higher_is_better").frame.select("service_code", "status_text").iter_rows())
    assert (tooltips["A"], tooltips["B"]) == (NO_FIGURE, "no return")
    assert benchmark_sentence(avon, "similar services") == f"Not ranked: {NO_FIGURE}."
    assert benchmark_sentence(bede, "similar services") == "Not ranked: no return."
    table = missing_table(_annual(), pl.DataFrame({"metric": ["visits"], "label": ["Visits"]}), "A", 2024)
    assert table["Status"].to_list() == [NO_FIGURE]
    assert AUDIT_HEADER not in table.columns  # no mark on a missing value, so no empty column


def test_service_rates_carry_the_mark_beside_the_value_and_never_as_a_caveat() -> None:
    rates = service_rates(_annual(), _services(), _metrics("loans"), "loans", 2024)
    avon = rates.filter(pl.col("service_code") == "A").row(0, named=True)
    assert avon["audit_status"] == "replaced" and avon["audit_outcome"] == "adopted"
    assert avon["value_as_returned"] == 200.0 and avon["value"] == 90.0
    assert avon["caveat"] is None and avon["rate"] == pytest.approx(90.0)
    result = benchmark(rates.filter(pl.col("nation") == "England"), "A", ["B"], "higher_is_better")
    assert result.audit.startswith("The audit's estimate 90 is used in place of 200 as returned")
    assert result.caveat is None
    table = benchmark_table({"loans": ({"label": "Loans"}, result)}, "similar services", region_name="North")
    assert table[AUDIT_HEADER].to_list() == [result.audit] and "Caveat" not in table.columns


# Rules per year


def test_rules_per_year_say_which_could_run_and_count_what_they_did() -> None:
    activity = pl.DataFrame(
        {
            "service_code": ["A", "A", "C"],
            "period": [date(2023, 4, 1), date(2024, 3, 1), date(2024, 5, 1)],
            "source": [ACE_2023, ACE_2023, "Newcastle City Council open data"],
        }
    )
    flags = pl.DataFrame(
        {
            "table": ["activity", "activity", "point_in_time", "annual", "annual"],
            "period": [date(2023, 6, 1), date(2024, 2, 1), None, None, None],
            "year": [None, None, None, 2024, 2024],
            "rule": [
                "decimal_slip",
                "decimal_slip",
                "age_parts_above_total",
                "audit_estimate_reconciles",
                "rate_outlier",
            ],
            "outcome": ["corrected", "corrected", "flagged", "corrected", "flagged"],
        },
        schema_overrides={"year": pl.Int32, "period": pl.Date},
    )
    table = rules_by_year(_annual(), activity, flags)
    assert table.height == 2 * len(RULES)
    done = {(row["year"], row["rule"]): row for row in table.iter_rows(named=True)}
    # Monthly lines in 2023 only (Newcastle's own lines in 2024 are not ACE's).
    assert done[(2023, "decimal_slip")]["ran"] == "yes"
    assert (done[(2023, "decimal_slip")]["values"], done[(2023, "decimal_slip")]["outcomes"]) == (2, "2 corrected")
    assert done[(2024, "decimal_slip")]["ran"] == "no: the year has no monthly lines"
    assert done[(2024, "decimal_slip")]["outcomes"] == "did not run"
    # A 31-March count has no month: it belongs to the year of monthly lines.
    assert done[(2023, "age_parts_above_total")]["outcomes"] == "1 flagged"
    # Whole-year rules run on every year, finding something or nothing.
    assert done[(2024, "rate_outlier")]["outcomes"] == "1 flagged"
    assert (done[(2023, "rate_outlier")]["ran"], done[(2023, "rate_outlier")]["outcomes"]) == ("yes", "nothing found")
    # The audit's rules need marks; those judging against other years need a year of whole-year figures.
    assert done[(2024, "audit_estimate_reconciles")]["outcomes"] == "1 corrected"
    assert done[(2023, "audit_suspicious")]["ran"] == "no: the year has no audit marks"
    needs = {row["needs"] for row in table.iter_rows(named=True)}
    assert needs == {LINES, WHOLE_YEAR, AUDIT_MARKS, AUDIT_MARKS_ON_WHOLE_YEARS}


def test_an_audit_rule_judging_other_years_does_not_run_in_a_year_of_monthly_lines() -> None:
    annual = _annual().with_columns(
        audit_status=pl.when(pl.col("service_code") == "B").then(pl.lit("suspicious")).otherwise("audit_status")
    )
    activity = pl.DataFrame({"service_code": ["A"], "period": [date(2023, 5, 1)], "source": [ACE_2023]})
    flags = pl.DataFrame(
        schema={"table": pl.String, "period": pl.Date, "year": pl.Int32, "rule": pl.String, "outcome": pl.String}
    )
    done = {
        (row["year"], row["rule"]): row["ran"] for row in rules_by_year(annual, activity, flags).iter_rows(named=True)
    }
    assert done[(2023, "audit_suspicious")] == "yes"
    assert done[(2023, "audit_estimate_reconciles")].startswith("no: the year has monthly lines")
    assert done[(2024, "audit_estimate_reconciles")] == "yes"


# Where values are shown: the map's tooltips


def _rates_with_marks() -> pl.DataFrame:
    rates = service_rates(_annual(), _services(), _metrics("loans"), "loans", 2024)
    hostile = "<b>Typo</b> & a 10x June"
    return rates.with_columns(audit_note=pl.when(pl.col("audit_status").is_not_null()).then(pl.lit(hostile)))


def test_the_map_tooltip_has_the_mark_escaped_on_its_own_line() -> None:
    classes = classify(_rates_with_marks(), "higher_is_better")
    frame, fields = tooltip_fields(classes)
    assert fields[-1] == AUDIT_FIELD
    assert frame.filter(pl.col("service_code") == "B")[AUDIT_FIELD[0]].item() == NO_MARK
    boundaries = gpd.GeoDataFrame(
        {"service_code": ["A", "B", "C", "W"]}, geometry=[box(i, 52, i + 0.5, 52.5) for i in range(4)], crs=4326
    )
    document = (
        service_map(boundaries, classes, title="t", unit="per 1,000", coverage="c", outlines={}, points=None)
        .get_root()
        .render()
    )
    assert "<b>Typo</b>" not in document
    texts = [json.loads(f'"{raw}"') for raw in re.findall(r'"audit_text": ?"([^"]*)"', document)]
    avon = next(text for text in texts if "estimate" in text).replace("<br>", " ")
    assert avon.startswith("The audit&#x27;s estimate 90 is used") and "&lt;b&gt;Typo&lt;/b&gt; &amp; a 10x" in avon
    assert "Audit mark" in document


def test_the_hex_map_hover_has_the_mark() -> None:
    classes = classify(_rates_with_marks(), "higher_is_better")
    centroids = pl.DataFrame({"service_code": ["A", "B", "C", "W"], "lon": [-2.0, -1.5, -1.0, -3.5], "lat": [52.0] * 4})
    figure = hex_figure(hex_layout(centroids), classes, title="t", subtitle="s", unit="u", source="", note="n")
    services = next(trace for trace in figure.data if trace.name == "Services")
    avon = next(row for row in services.customdata if row[0] == "A")
    assert "The audit&#x27;s estimate 90 is used" in avon[-1] and "&lt;b&gt;Typo" in avon[-1]
    assert "Audit mark: %{customdata[" in services.hovertemplate
