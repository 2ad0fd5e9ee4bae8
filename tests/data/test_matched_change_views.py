"""Issue 19, change you can quote: every view's change is on the services countable in every year it compares, says
how many and names its measure, in the words on the page and in its CSV. Each expected figure is computed here from
the annual table by hand, so a view that went back to an estimate-to-estimate change, a median of whoever reported,
or dropped its n, fails."""

from __future__ import annotations

import polars as pl
import pytest

from components.map_text import map_labels
from observatory_data.serving.change import england_change, rate_change
from observatory_data.serving.tables import read_table

COUNTED = {"reported", "derived", "corrected"}  # the statuses a sum may count, written out again on purpose


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return {name: read_table(name) for name in ("annual", "services", "metrics", "peers")}


def _countable(annual: pl.DataFrame, metric: str) -> dict[tuple[str, int], float]:
    """{(service, year): value} of every countable value of `metric`."""
    return {
        (row["service_code"], row["year"]): row["value"]
        for row in annual.filter(pl.col("metric") == metric).iter_rows(named=True)
        if row["status"] in COUNTED and row["value"] is not None
    }


def _english(services: pl.DataFrame) -> list[str]:
    return [row["service_code"] for row in services.iter_rows(named=True) if row["nation"] == "England"]


def _by_hand(tables: dict[str, pl.DataFrame], metric: str, years: list[int], codes: list[str]) -> tuple[float, int]:
    """The change of the total from the first to the last of `years` over `codes` countable in every one of them."""
    values = _countable(tables["annual"], metric)
    kept = [code for code in codes if all((code, year) in values for year in years)]
    before, after = (sum(values[code, year] for code in kept) for year in (years[0], years[-1]))
    return after / before - 1, len(kept)


def _words(change: float) -> str:
    return f"{'up' if change > 0 else 'down'} {abs(change):.1%}"


def _map_headline(tables: dict[str, pl.DataFrame]) -> str:
    change, services = _by_hand(tables, "loans", [2023, 2025], _english(tables["services"]))
    of = len(_english(tables["services"]))
    return (
        f"England: {_words(change)} from 2023/24 to 2025/26, the change in the total of the {services} of {of} "
        "services countable in both years"
    )


def test_the_maps_england_headline_for_loans_is_the_matched_total_change(tables: dict[str, pl.DataFrame]) -> None:
    change, services = _by_hand(tables, "loans", [2023, 2025], _english(tables["services"]))
    assert -0.08 < change < -0.03 and 70 <= services <= 90  # about -5.3% on 80 services when this was written
    matched = england_change(tables["annual"], tables["services"], "loans", 2023, 2025)
    assert matched.change == pytest.approx(change) and (matched.services, matched.of) == (services, 153)
    entry = tables["metrics"].filter(pl.col("metric") == "loans").row(0, named=True)
    changes = rate_change(tables["annual"], tables["services"], tables["metrics"], "loans", 2023, 2025)
    labels = map_labels(entry, (2023, 2025), changes, matched)
    assert labels["coverage"].startswith(_map_headline(tables) + "; median of the services' own changes: ")
