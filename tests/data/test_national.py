"""National estimates: grossed up by population within regions, with an interval and an honest label."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.serving.tables import read_table


def test_englands_loans_from_the_real_returns() -> None:
    loans = read_table("national").filter((pl.col("metric") == "loans") & (pl.col("year") == 2023)).row(0, named=True)
    # 107 services' countable loans sum to 105,816,856 (after 9 corrected decimal slips) and they hold 69.7% of
    # England's residents; a plain gross-up (105.8M / 0.697) gives about 152M, the ratio estimate by region more.
    assert loans["reported_total"] == pytest.approx(105_816_856.2)
    assert loans["services_reporting"] == 107 and loans["services_total"] == 153
    assert loans["population_share"] == pytest.approx(0.697, abs=0.001)
    assert 130e6 < loans["estimate_low"] < loans["estimate"] < loans["estimate_high"] < 175e6
    assert loans["indicative"]
