"""Place groups: mutually exclusive by the two flags, unknown kept apart from the rest, weighted rates with coverage."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.serving.places_groups import (
    BOTH,
    CULTURE_ONLY,
    NEITHER,
    PRIORITY_ONLY,
    UNKNOWN,
    assign_groups,
    group_summary,
)


def test_real_groups_and_one_weighted_rate() -> None:
    from observatory_data.serving.rates import service_rates
    from observatory_data.serving.tables import read_table

    services, annual, metrics = (read_table(name) for name in ("services", "annual", "metrics"))
    grouped = assign_groups(service_rates(annual, services, metrics, "loans", 2023))
    counts = dict(grouped.group_by("group").len().iter_rows())
    # Counted by hand from services.parquet (England, priority_place x lucp): yes/yes 43, yes/no 5, no/yes 17,
    # no/no 69, and 19 with an unknown flag (14 unknown on both, 5 culture places with an unknown Priority Place
    # flag, e.g. Hartlepool: places_by_district.csv row 2 "unknown, yes").
    assert counts == {BOTH: 43, PRIORITY_ONLY: 5, CULTURE_ONLY: 17, NEITHER: 69, UNKNOWN: 19}
    assert grouped.filter(pl.col("service_code") == "E06000001")["group"].item() == UNKNOWN

    # Priority Place only = Barking and Dagenham, Brent, Croydon, Enfield, Newham. In annual 2023 loans only
    # Barking and Dagenham (257,364, derived) and Brent (786,079, derived) count; Croydon and Enfield have no
    # return and Newham is partial. Populations (services.parquet, ONS mid-2024): 232,747 and 352,976.
    summary = group_summary(grouped).filter(pl.col("group") == PRIORITY_ONLY).row(0, named=True)
    assert summary["coverage"] == "2 of 5 services reported"
    assert summary["rate"] == pytest.approx((257_364 + 786_079) / (232_747 + 352_976) * 1000)

    # The rest, computed here without the query functions: countable loans over their population (a caveated
    # value, the City of London's, counts in a weighted rate: a caveat removes a rate from medians, not a count).
    rest = (
        services.filter((pl.col("priority_place") == "no") & (pl.col("lucp") == "no") & (pl.col("nation") == "England"))
        .join(annual.filter((pl.col("year") == 2023) & (pl.col("metric") == "loans")), on="service_code")
        .filter(pl.col("status").is_in(["reported", "derived", "corrected"]))
    )
    expected = rest["value"].sum() / rest["population"].sum() * 1000
    assert group_summary(grouped).filter(pl.col("group") == NEITHER)["rate"].item() == pytest.approx(expected)
