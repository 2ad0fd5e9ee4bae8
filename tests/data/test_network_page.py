"""The library network: the figures the page shows from the real sources."""

from __future__ import annotations

import polars as pl
import pytest

from components.network_text import statutory_sentence
from observatory_data.serving.network_queries import (
    UK,
    area_codes,
    listed_change,
    listed_now,
    recorded_codes,
    statutory_change,
)
from observatory_data.serving.tables import read_table

# The figures the page shows, from the real sources


@pytest.fixture(scope="module")
def real() -> tuple[pl.DataFrame, pl.DataFrame]:
    return read_table("network"), read_table("services")


def test_englands_headline_is_aces_statutory_count(real) -> None:
    # Hand-counted from ACE's CSV in tests/data/test_network.py: 3,138 statutory in 2010, 2,787 in 2023. The Isles of
    # Scilly are not in ACE's dataset, so the change rests on 152 of the 153 services.
    network, services = real
    change = statutory_change(network, area_codes(services, "England"))
    assert (change.before, change.after, change.change, round(change.change_pct, 1)) == (3_138, 2_787, -351, -11.2)
    assert (change.services, change.of) == (152, 153)
    text = statutory_sentence(change, "England")
    assert text.startswith("**2,787** statutory libraries in England in 2023; **351 fewer than in 2010** (−11.2%)")


@pytest.mark.parametrize(
    ("area", "listed", "known", "recorded"),
    [(UK, 3_274, 176, 137), ("England", 2_914, 153, 136), ("Wales", 263, 22, 1), ("Northern Ireland", 97, 1, 0)],
)
def test_the_list_as_the_page_shows_it(real, area: str, listed: int, known: int, recorded: int) -> None:
    network, services = real
    codes = area_codes(services, area)
    assert listed_now(network, codes) == (listed, known)
    assert len(recorded_codes(network, codes)) == recorded
    change = listed_change(network, codes, 2023)
    assert change.publishable == (area in (UK, "England"))  # Wales 1 of 22 and NI 0 of 1: not recorded
