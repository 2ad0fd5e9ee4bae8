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
from tests.support.matched_change import by_hand, english_codes, map_headline


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return {name: read_table(name) for name in ("annual", "services", "metrics", "peers")}


def test_the_maps_england_headline_for_loans_is_the_matched_total_change(tables: dict[str, pl.DataFrame]) -> None:
    change, services = by_hand(tables, "loans", [2023, 2025], english_codes(tables["services"]))
    assert -0.08 < change < -0.03 and 70 <= services <= 90  # about -5.3% on 80 services when this was written
    matched = england_change(tables["annual"], tables["services"], "loans", 2023, 2025)
    assert matched.change == pytest.approx(change) and (matched.services, matched.of) == (services, 153)
    entry = tables["metrics"].filter(pl.col("metric") == "loans").row(0, named=True)
    changes = rate_change(tables["annual"], tables["services"], tables["metrics"], "loans", 2023, 2025)
    labels = map_labels(entry, (2023, 2025), changes, matched)
    assert labels["coverage"].startswith(map_headline(tables) + "; median of the services' own changes: ")
