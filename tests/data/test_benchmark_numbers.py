"""The benchmark page's numbers for Barnsley's visits, against figures worked out by hand.

By hand (ACE workbook row 3 and the rows of each neighbour; ONS mid-2024 "All ages"; ONS nearest
neighbours Table 3, row E08000016, Neighbour 1-15):
- Barnsley visits: library-only 358,826 + co-located 218,337 = 577,163; population 251,770:
  2,292.4 per 1,000.
- Its 15 nearest neighbours: Wakefield, Tameside, Rotherham, Redcar and Cleveland, Wigan, Halton,
  Rochdale, Sunderland, Nottinghamshire, St Helens, Doncaster, Walsall, South Tyneside, Gateshead, Hull.
  With a full year of visits: Wakefield 757,974 / 367,666 = 2,061.6; Rotherham 356,757 / 276,595 =
  1,289.8; Wigan 835,568 / 447,847 = 1,865.7; Halton (quarterly) 326,406 / 131,543 = 2,481.4;
  Nottinghamshire 1,774,327 / 857,013 = 2,070.4; St Helens 258,096 / 188,861 = 1,366.6; Doncaster
  469,734 / 319,765 = 1,469.0; Walsall 414,988 / 344,922 = 1,203.1; Gateshead 373,412 / 202,760 =
  1,841.6; Hull 510,979 / 275,401 = 1,855.4.
  Left out: Redcar, Rochdale and South Tyneside (blank), Sunderland (one month only), Tameside
  (November 49,433 against about 4,761 in other months: flagged by the month-out-of-line rule).
- Median of the 10: (1,841.6 + 1,855.4) / 2 = 1,848.5. Only Halton is higher than Barnsley: 2nd of 11.
"""

from __future__ import annotations

import polars as pl
import pytest

from components.benchmark import benchmark_table
from components.sentences import benchmark_sentence
from observatory_data.serving.benchmarks import benchmark, peer_codes
from observatory_data.serving.rates import service_rates
from observatory_data.serving.tables import read_table


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return {name: read_table(name) for name in ("services", "annual", "metrics", "peers")}


def test_barnsley_visits_value_rank_and_peer_median(tables: dict[str, pl.DataFrame]) -> None:
    # Visits to library buildings (library-only + co-located): the workbook's lines, hand-read.
    rates = service_rates(tables["annual"], tables["services"], tables["metrics"], "building_visits", 2023)
    group = peer_codes(tables["peers"], "E08000016", 15)
    assert group[:3] == ["E08000036", "E08000008", "E08000018"]  # Wakefield, Tameside, Rotherham
    result = benchmark(rates, "E08000016", group, "higher_is_better")
    assert result.rate == pytest.approx(577_163 / 251_770 * 1000)
    assert result.rate == pytest.approx(2292.4, abs=0.05)
    # 11 peers with countable visits (Tameside's since its one 10x month, 49,433, is corrected to 4,943.3): the
    # median is the 6th, Gateshead's 373,412 / 202,760.
    assert result.rank == 2 and result.ranked == 12
    assert result.group_median == pytest.approx(373_412 / 202_760 * 1000)
    assert benchmark_sentence(result, "similar services") == (
        "2nd of 12 similar services with data; above the group median."
    )


def test_barnsley_visits_row_of_the_benchmark_table(tables: dict[str, pl.DataFrame]) -> None:
    rates = service_rates(tables["annual"], tables["services"], tables["metrics"], "building_visits", 2023)
    result = benchmark(rates, "E08000016", peer_codes(tables["peers"], "E08000016", 15), "higher_is_better")
    row = benchmark_table(
        {"building_visits": ({"label": "Visits to library buildings"}, result)},
        "similar services",
        region_name="Yorkshire and The Humber",
    ).row(0, named=True)
    assert row["Rate per 1,000"] == "2,292.4"
    assert row["Rank (service and group)"] == "2 of 12"
    assert row["Group median (excluding the service)"] == "1,841.6"


def test_neutral_metrics_are_not_ranked(tables: dict[str, pl.DataFrame]) -> None:
    rates = service_rates(tables["annual"], tables["services"], tables["metrics"], "pc_hours", 2023)
    result = benchmark(rates, "E08000016", peer_codes(tables["peers"], "E08000016", 15), "neutral")
    assert result.rank is None
    assert benchmark_sentence(result, "similar services").startswith("Not ranked (no clear better or worse)")
