"""Rules on whole-year rates: a denominator effect is counted with a caveat, a single odd metric is flagged."""

from __future__ import annotations

import polars as pl

from observatory_data.build.annual import ANNUAL_SCHEMA
from observatory_data.build.rates import apply_rate_rules


def annual(rates: dict[str, dict[str, float]]) -> pl.DataFrame:
    """Countable ACE values for 2023: rates[service][metric] per resident, for 1,000 residents each."""
    rows = [
        {
            "service_code": code, "year": 2023, "metric": metric, "value_as_returned": rate * 1000,
            "value": rate * 1000, "status": "derived", "months_covered": 12,
            "source": "ACE Libraries Activity Data 2023/24", "note": "", "caveat": None,
        }
        for code, by_metric in rates.items()
        for metric, rate in by_metric.items()
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=ANNUAL_SCHEMA)


def residents(codes: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "service_code": codes,
            "population": [1000.0] * len(codes),
            "population_0_11": [140.0] * len(codes),
            "population_12_17": [70.0] * len(codes),
        }
    )


def ordinary() -> dict[str, dict[str, float]]:
    """Thirty services near the same rates (loans 3 per resident, visits 2, users 0.2, events 0.05)."""
    base = {"loans": 3.0, "visits": 2.0, "active_users": 0.2, "events": 0.05}
    return {f"E{i:02d}": {m: v * (1 + 0.02 * (i % 7)) for m, v in base.items()} for i in range(30)}


def test_a_service_unusual_on_every_rate_is_counted_with_a_caveat() -> None:
    # City of London-like: every rate about 10x the median; active users 2x its residents.
    rates = ordinary() | {"CITY": {"loans": 30.0, "visits": 20.0, "active_users": 2.0, "events": 0.5}}
    marked, outcomes = apply_rate_rules(annual(rates), residents(list(rates)))
    city = marked.filter(pl.col("service_code") == "CITY")
    assert city["status"].to_list() == ["derived"] * 4  # counted
    assert city["caveat"].str.starts_with("denominator effect: rates per resident are").all()
    assert "on 4 of 4 headline metrics" in city["caveat"][0]
    assert marked.filter(pl.col("service_code") != "CITY")["caveat"].is_null().all()
    users = outcomes.filter(pl.col("service_code") == "CITY", pl.col("metric") == "active_users")
    assert users["rule"].to_list() == ["denominator_effect"]  # above residents, but explained
    assert "2,000 active users but 1,000 residents" in users["reason"].item()


def test_a_single_odd_metric_is_flagged_and_active_users_above_residents_too() -> None:
    # A visits count ten times the median while the service's other metrics are ordinary.
    rates = ordinary() | {"HALL": {"loans": 3.1, "visits": 21.0, "active_users": 1.2, "events": 0.05}}
    marked, outcomes = apply_rate_rules(annual(rates), residents(list(rates)))
    hall = {row["metric"]: row for row in marked.filter(pl.col("service_code") == "HALL").iter_rows(named=True)}
    assert hall["visits"]["status"] == "flagged" and "rate outlier: visits 21,000" in hall["visits"]["note"]
    assert hall["active_users"]["status"] == "flagged"  # 1,200 users, 1,000 residents, no denominator effect
    assert hall["loans"]["status"] == "derived" and hall["loans"]["caveat"] is None
    assert sorted(outcomes["rule"]) == ["active_users_above_residents", "rate_outlier", "rate_outlier"]
    assert marked.height == annual(rates).height  # no row added or lost


def test_under_twenty_services_nothing_is_judged() -> None:
    rates = {code: by_metric for code, by_metric in list(ordinary().items())[:10]}
    rates["CITY"] = {"loans": 30.0, "visits": 20.0, "active_users": 0.9, "events": 0.5}
    marked, outcomes = apply_rate_rules(annual(rates), residents(list(rates)))
    assert outcomes.is_empty() and marked["caveat"].is_null().all()
