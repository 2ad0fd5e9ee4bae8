"""National estimates: grossed up by population within regions, with an interval and an honest label."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.build.national import national_estimates

SERVICES = pl.DataFrame(
    {
        "service_code": ["A1", "A2", "B1", "W1"],
        "nation": ["England", "England", "England", "Wales"],
        "region": ["North", "North", "South", "Wales"],
        "population": [1_000, 1_000, 2_000, 5_000],
    }
)


def _annual(values: dict[str, tuple[float | None, str]], caveated: tuple[str, ...] = ()) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "service_code": code, "year": 2023, "metric": "loans", "value": value, "status": status,
                "caveat": "denominator effect" if code in caveated else None,
            }
            for code, (value, status) in values.items()
        ],
        schema={
            "service_code": pl.String,
            "year": pl.Int32,
            "metric": pl.String,
            "value": pl.Float64,
            "status": pl.String,
            "caveat": pl.String,
        },
    )  # fmt: skip


def test_a_region_without_reports_takes_the_nations_rate() -> None:
    annual = _annual({"A1": (100.0, "reported"), "A2": (None, "no_return"), "B1": (999.0, "flagged")})
    loans = national_estimates(annual, SERVICES, [2023]).filter(pl.col("metric") == "loans").row(0, named=True)
    # North: 100 per 1,000 people x 2,000 people = 200; South has no countable report: England's rate (0.1) x 2,000.
    assert loans["estimate"] == pytest.approx(400.0)
    assert loans["estimate_low"] == pytest.approx(400.0) and loans["estimate_high"] == pytest.approx(400.0)
    assert loans["reported_total"] == 100.0  # the flagged 999 is not summed
    assert (loans["services_reporting"], loans["services_total"]) == (1, 3)  # Wales is not England
    assert loans["population_share"] == pytest.approx(0.25)
    assert loans["indicative"] and "33.3% of authorities" in loans["indicative_reason"]


def test_a_caveated_service_adds_its_count_and_lends_no_rate() -> None:
    # A1 (1,000 residents) reports 5,000 with a denominator caveat; A2 (1,000) reports 100; B1 (2,000) 400.
    annual = _annual({"A1": (5000.0, "derived"), "A2": (100.0, "reported"), "B1": (400.0, "reported")}, ("A1",))
    row = national_estimates(annual, SERVICES, [2023]).row(0, named=True)
    assert row["reported_total"] == 5500.0  # counted in the sum
    assert row["estimate"] == pytest.approx(5000 + 100 + 400)  # North's rate comes from A2 alone, for A2 only


def test_nothing_reported_is_no_estimate_not_zero() -> None:
    annual = _annual({"A1": (None, "no_return"), "A2": (None, "no_return"), "B1": (None, "partial")})
    loans = national_estimates(annual, SERVICES, [2023]).filter(pl.col("metric") == "loans").row(0, named=True)
    assert loans["estimate"] is None and loans["reported_total"] is None
